"""Starting a session: the one place its policies live, for the app, the demo and
the benchmarks.

- A store error when the session is created (a full disk, say): the session runs
  in memory, unsaved, and a notice says so.
- No listener can be made (no recogniser for the engine, no audio device): typed
  input, with a notice. The speech kit gives typed input itself when it finds no
  microphone; either way the caller learns that input is typed.
- Privacy ``nothing``: no store at all. ``scores``: transcripts are not kept.

Creating the session writes to disk and syncs it: call ``start_session`` off the
event loop (a thread), never from a UI handler directly.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from guided_talk.exercises.model import Exercise
from guided_talk.session.analysis import turn_analyzer
from guided_talk.session.clock import Clock
from guided_talk.session.engine import Engine
from guided_talk.session.ports import PromptReader, TurnAnalyzer, TurnListener
from guided_talk.session.runner import EventSink, SessionRunner
from guided_talk.speech.recognizers import RecognitionError
from guided_talk.speech.sources import AudioDeviceError
from guided_talk.speech.typed import TypedListener
from guided_talk.store import Store, StoreError
from guided_talk.values import Privacy, SessionMode

NOT_STARTED = (
    "This session could not be saved ({error}). It runs anyway and you can review it "
    "at the end, but it will not be kept: free some disk space to keep the next one."
)
NO_SPEECH = (
    "Speech recognition could not start ({error}), so you can type what you would say instead."
)

#: Makes the prompt reader (None: prompts are shown, not read).
ReaderMaker = Callable[[], PromptReader | None]
#: Makes the listener for captured turns.
ListenerMaker = Callable[[], TurnListener | None]


def _no_reader() -> PromptReader | None:
    return None


def _no_listener() -> TurnListener | None:
    return None


@dataclass(frozen=True)
class SessionRequest:
    """What setup (or a resume) decided, as plain values.

    Attributes:
        exercise: The exercise to run (already scaled to the chosen length).
        people: Names in the order they take the first role.
        mode: Who the session is for.
        privacy: What the session keeps on disk.
        read_prompts: Whether prompts are read aloud.
        resume_id: The paused session to carry on, or None for a new one.
        start_index: The turn to start from (a resume's ``next_index``).
        transcripts: Words of the turns already done, by plan index (a resume).
    """

    exercise: Exercise
    people: tuple[str, ...]
    mode: SessionMode = SessionMode.COUPLE
    privacy: Privacy = Privacy.TRANSCRIPTS
    read_prompts: bool = True
    resume_id: str | None = None
    start_index: int = 0
    transcripts: Mapping[int, str] = field(default_factory=dict)

    @property
    def listens(self) -> bool:
        """Whether words are captured: never in workshops, only where the exercise asks."""
        return self.mode != SessionMode.WORKSHOP and self.exercise.captures_speech


@dataclass(frozen=True)
class SpeechMakers:
    """How to make the session's speech parts; called only when they are needed."""

    reader: ReaderMaker = _no_reader
    listener: ListenerMaker = _no_listener


@dataclass
class StartedSession:
    """A runner ready to run, and what the view must know about it.

    Attributes:
        runner: The wired runner; ``await runner.run()`` drives the session.
        session_id: The stored session's id, or None when nothing is kept.
        notices: Sentences to show before the session starts (may be empty).
        typed: Whether the person types instead of speaking.
    """

    runner: SessionRunner
    session_id: str | None
    notices: list[str] = field(default_factory=list)
    typed: bool = False


def start_session(
    request: SessionRequest,
    clock: Clock,
    *,
    store: Store | None = None,
    speech: SpeechMakers | None = None,
    seed: int | float | None = None,
    on_event: EventSink | None = None,
    analyzer: TurnAnalyzer | None = None,
) -> StartedSession:
    """Create (or pick up) the stored session and wire a runner for it.

    Args:
        request: What was decided in setup or read back for a resume.
        clock: The session clock (real, fake or fast-forward).
        store: The open store, or None when there is none.
        speech: Reader and listener makers; none by default.
        seed: Fixes the choice of prompt variants; None means random.
        on_event: Receives every runner event (may be set on the runner later).
        analyzer: The turn analyzer; by default the exercise's own.

    Returns:
        The runner, the session id (None when nothing is kept), notices and
        whether input is typed.
    """
    notices: list[str] = []
    kept = store if request.privacy != Privacy.NOTHING else None
    session_id = _stored_session(request, kept, notices)
    speech = speech or SpeechMakers()
    listener = _listener(request, speech, notices)
    engine = Engine(
        request.exercise,
        request.people,
        clock,
        start_index=request.start_index,
        rng=random.Random(seed),
    )
    runner = SessionRunner(
        engine,
        clock,
        store=kept if session_id else None,
        session_id=session_id or request.resume_id,
        reader=speech.reader() if request.read_prompts else None,
        listener=listener,
        analyzer=analyzer or turn_analyzer(request.exercise.listener_style),
        keep_transcripts=request.privacy == Privacy.TRANSCRIPTS,
        on_event=on_event,
        transcripts=dict(request.transcripts),
    )
    return StartedSession(runner, session_id, notices, isinstance(listener, TypedListener))


def _stored_session(request: SessionRequest, store: Store | None, notices: list[str]) -> str | None:
    """The resumed session's id, a new session's, or None when it is not kept."""
    if store is None:
        return None
    if request.resume_id is not None:
        return request.resume_id
    try:
        return store.create_session(
            request.exercise.id,
            request.exercise.title,
            request.people,
            mode=request.mode,
            settings={"privacy": str(request.privacy)},
        )
    except StoreError as error:  # a full disk, say: run it, kept in memory only
        notices.append(NOT_STARTED.format(error=error))
        return None


def _listener(
    request: SessionRequest, speech: SpeechMakers, notices: list[str]
) -> TurnListener | None:
    """The listener the request needs; typed input when none can be made."""
    if not request.listens:
        return None
    try:
        return speech.listener()
    except (RecognitionError, AudioDeviceError) as error:  # words can still be typed
        notices.append(NO_SPEECH.format(error=error))
        return TypedListener()
