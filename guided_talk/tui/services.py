"""Everything the app needs from outside, gathered so tests can swap parts.

The defaults are the real ones: the user's settings, library and database, the
real clock, TTS and the microphone. Tests replace the clock (a fake) and the
listener (scripted or file audio) and point the database at a temporary file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from guided_talk.exercises.loader import Library, load_library
from guided_talk.feedback.semantic import load_encoder
from guided_talk.paths import database_path, user_exercises_dir
from guided_talk.session.clock import Clock, MonotonicClock
from guided_talk.session.ports import PromptReader, TurnListener
from guided_talk.settings import Settings, load_settings
from guided_talk.speech.kit import SpeechChoices, make_listener, make_reader
from guided_talk.speech.recognizers import Recognizer, make_recognizer
from guided_talk.values import RecognitionEngine, choice

Notify = Callable[[str], None]
ReaderFactory = Callable[[Notify], PromptReader | None]
ListenerFactory = Callable[[Notify, Callable[[float], None], Callable[[str], None]], TurnListener]


@dataclass
class Services:
    """The app's connections to the rest of the program."""

    library: Library
    settings: Settings
    settings_problems: list[str]
    database: Path
    clock: Clock
    make_reader: ReaderFactory
    make_listener: ListenerFactory
    startup_notices: list[str] = field(default_factory=list)
    #: Fixes the choice of prompt variants (snapshot tests); None means random.
    random_seed: int | None = None
    #: Loads models ahead of time (run in a thread when the app starts).
    preload: Callable[[], None] = lambda: None


def speech_choices(settings: Settings) -> SpeechChoices:
    """The speech part of the settings."""
    voice, recognition = settings.voice, settings.recognition
    return SpeechChoices(
        voice_enabled=voice.enabled,
        voice=voice.voice,
        rate=voice.rate,
        volume=voice.volume,
        engine=recognition.engine,
        model=recognition.model,
        microphone=recognition.microphone,
        allow_online=recognition.allow_online,
        end_after_silence=recognition.end_after_silence,
    )


def speech_factories(
    settings: Settings,
) -> tuple[ReaderFactory, ListenerFactory, Callable[[], None]]:
    """Reader and listener makers for these settings, and a model preloader.

    One recogniser is shared by every session, so its model loads once. Loading a
    model holds Python's interpreter lock for a moment; the app does it at start-up
    (``preload``), not in the middle of someone's turn.
    """
    choices = speech_choices(settings)
    shared: list[Recognizer] = []

    def recognizer() -> Recognizer:
        if not shared:
            shared.append(make_recognizer(choices.engine, choices.model, choices.allow_online))
        return shared[0]

    def reader(notify: Notify) -> PromptReader | None:
        return make_reader(choices, notify)

    def listener(
        notify: Notify, on_level: Callable[[float], None], on_partial: Callable[[str], None]
    ) -> TurnListener:
        if choices.engine == "typed":
            return make_listener(choices, notify, on_level, on_partial)
        return make_listener(choices, notify, on_level, on_partial, recognizer())

    def preload() -> None:
        load_encoder()
        if choices.engine != "typed":
            recognizer().load()

    return reader, listener, preload


def session_speech(
    services: Services, voice: str | None, engine: str | None
) -> tuple[ReaderFactory, ListenerFactory]:
    """The app's speech, or speech built for the voice and engine chosen in setup.

    None keeps the settings' choice; the app's own makers (and their loaded model)
    are used whenever the choice is the settings'.
    """
    settings = services.settings
    voice = voice if voice is not None else settings.voice.voice
    engine = engine or settings.recognition.engine
    if (voice, engine) == (settings.voice.voice, settings.recognition.engine):
        return services.make_reader, services.make_listener
    chosen = replace(
        settings,
        voice=replace(settings.voice, voice=voice),
        recognition=replace(
            settings.recognition,
            engine=choice(RecognitionEngine, engine, settings.recognition.engine),
        ),
    )
    make_reader, make_listener, _ = speech_factories(chosen)
    return make_reader, make_listener


def default_services() -> Services:
    """The real thing, from the user's folders."""
    settings, problems = load_settings()
    reader, listener, preload = speech_factories(settings)
    return Services(
        library=load_library(user_dir=user_exercises_dir()),
        settings=settings,
        settings_problems=problems,
        database=database_path(),
        clock=MonotonicClock(),
        make_reader=reader,
        make_listener=listener,
        preload=preload,
    )
