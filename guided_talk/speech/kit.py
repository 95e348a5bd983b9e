"""Build the speech parts a session uses from plain settings, offline by default."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from guided_talk.speech.listener import ListenerSettings, SpeechTurnListener
from guided_talk.speech.reader import VoiceReader
from guided_talk.speech.recognizers import Recognizer, make_recognizer
from guided_talk.speech.sources import MicrophoneSource, capture_devices
from guided_talk.speech.tts import VoiceSettings
from guided_talk.speech.typed import TypedListener

Notify = Callable[[str], None]


@dataclass(frozen=True)
class SpeechChoices:
    """The speech settings a session needs (mirrors ``settings.Settings``)."""

    voice_enabled: bool = True
    voice: str = ""
    rate: int = 160
    volume: float = 1.0
    engine: str = "whisper"
    model: str = "tiny.en"
    microphone: str = ""
    allow_online: bool = False
    end_after_silence: float = 0.0


def make_reader(choices: SpeechChoices, on_notice: Notify) -> VoiceReader | None:
    """A prompt reader, or ``None`` when the voice is switched off."""
    if not choices.voice_enabled:
        return None
    settings = VoiceSettings(choices.voice, choices.rate, choices.volume)
    return VoiceReader(settings=settings, on_notice=on_notice)


def make_listener(
    choices: SpeechChoices,
    on_notice: Notify,
    on_level: Callable[[float], None] | None = None,
    on_partial: Callable[[str], None] | None = None,
    recognizer: Recognizer | None = None,
) -> SpeechTurnListener | TypedListener:
    """A microphone listener, or typed input when there is no microphone.

    Pass ``recognizer`` to share one loaded model between sessions.

    Raises:
        RecognitionError: For an unknown engine or an online one without consent.
    """
    if choices.engine == "typed":
        return TypedListener()
    recognizer = recognizer or make_recognizer(choices.engine, choices.model, choices.allow_online)
    if not capture_devices():
        on_notice("No microphone was found, so you can type what you would say instead.")
        return TypedListener()
    return SpeechTurnListener(
        lambda: MicrophoneSource(choices.microphone or None),
        recognizer,
        ListenerSettings(end_after_silence=choices.end_after_silence),
        on_level=on_level,
        on_partial=on_partial,
        on_problem=on_notice,
    )
