"""A recogniser that fails or hangs: the turn is kept as "not transcribed", the
session goes on, and typed input takes over when asked.

The failing and hanging engines are stand-ins for a broken model, which a test
machine cannot produce on demand; capture, segmentation, the runner and the store
are the real ones.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import guided_talk.speech.listener as listener_module
from guided_talk.session.analysis import analyze_turn
from guided_talk.session.clock import FastForwardClock
from guided_talk.session.engine import Engine
from guided_talk.session.events import AnyEvent, Notice
from guided_talk.session.plan import PlannedTurn
from guided_talk.session.runner import SessionRunner
from guided_talk.session.scripted import ScriptedPartners
from guided_talk.speech.audio import SAMPLE_RATE, AudioClip
from guided_talk.speech.listener import SpeechTurnListener
from guided_talk.speech.sources import ClipSource
from guided_talk.speech.tts import Synthesizer
from guided_talk.store import Store
from guided_talk.tui.screens.session import SessionScreen
from tests.support.builders import listening_exercise
from tests.support.sounds import LONG_SENTENCE, spoken
from tests.support.tui_harness import app_with, open_exercise

PEOPLE = ("Ana", "Ben")


class HungEngine:
    """Never returns until released, like a model stuck in a loop."""

    name = "hung"

    def __init__(self) -> None:
        self.called = threading.Event()
        self.release = threading.Event()

    def load(self) -> None:
        return None

    def transcribe(self, clip: AudioClip, context: str = "") -> str:
        self.called.set()
        self.release.wait()
        return "far too late"


class BrokenEngine:
    name = "broken"

    def load(self) -> None:
        return None

    def transcribe(self, clip: AudioClip, context: str = "") -> str:
        raise RuntimeError("the model file is damaged")


def test_a_hung_engine_times_out_and_leaves_the_listener_usable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(listener_module, "RECOGNITION_TIMEOUT", 1.0)
    engine = HungEngine()
    listener = SpeechTurnListener(lambda: ClipSource(spoken(LONG_SENTENCE), speed=4.0), engine)
    listener.begin(None, 0.0)
    assert engine.called.wait(20), "the recogniser was never asked"
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="longer than 1 seconds"):
        listener.finish_blocking()
    assert time.monotonic() - started < 5
    engine.release.set()


class SlowThenQuickEngine:
    """Stands in for a slow engine: its first answer comes only when released,
    long after its turn gave up waiting; every later answer comes at once."""

    name = "slow"

    def __init__(self) -> None:
        self.called = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def load(self) -> None:
        return None

    def transcribe(self, clip: AudioClip, context: str = "") -> str:
        self.calls += 1
        if self.calls == 1:
            self.called.set()
            self.release.wait()
            return "latecomer words"
        return "second turn"


def test_a_late_recognition_never_writes_into_the_next_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(listener_module, "RECOGNITION_TIMEOUT", 1.0)
    engine = SlowThenQuickEngine()
    clips = iter([spoken(LONG_SENTENCE), spoken("I see")])
    partials: list[str] = []
    listener = SpeechTurnListener(
        lambda: ClipSource(next(clips), speed=4.0), engine, on_partial=partials.append
    )
    listener.begin(None, 0.0)
    assert engine.called.wait(20), "the recogniser was never asked"
    late = [t for t in threading.enumerate() if t.name == "asr"]
    with pytest.raises(TimeoutError):
        listener.finish_blocking()
    listener.begin(None, 0.0)  # the next turn opens while the first is still being recognised
    engine.release.set()
    for thread in late:
        thread.join(timeout=5)
    time.sleep(1.0)  # the second clip plays out (a fraction of a second) and its phrase closes
    text = listener.finish_blocking()
    assert text == "second turn"
    assert not any("latecomer" in partial for partial in partials)


def run_with(
    tmp_path: Path, listener: object, timeout: float = 30.0
) -> tuple[Store, str, list[str]]:
    clock = FastForwardClock()
    store = Store.open(tmp_path / "db.sqlite3")
    exercise = listening_exercise(rounds=1)
    session_id = store.create_session(exercise.id, exercise.title, PEOPLE)
    notices: list[str] = []

    def on_event(event: AnyEvent) -> None:
        if isinstance(event, Notice):
            notices.append(event.message)

    runner = SessionRunner(
        Engine(exercise, PEOPLE, clock),
        clock,
        store=store,
        session_id=session_id,
        listener=listener,  # type: ignore[arg-type]
        analyzer=analyze_turn,
        on_event=on_event,
        transcribe_timeout=timeout,
    )
    asyncio.run(runner.run())
    return store, session_id, notices


class NeverFinishes(ScriptedPartners):
    """A listener whose last words never come back."""

    async def finish(self, turn: PlannedTurn, status: str) -> str | None:
        await asyncio.Event().wait()
        return None


class Raises(ScriptedPartners):
    async def finish(self, turn: PlannedTurn, status: str) -> str | None:
        raise RuntimeError("the model file is damaged")


@pytest.mark.parametrize(
    ("make", "reason"),
    [(NeverFinishes, "took longer than 0 seconds"), (Raises, "the model file is damaged")],
)
def test_the_session_goes_on_and_keeps_each_turn_without_words(
    tmp_path: Path, make: type[ScriptedPartners], reason: str
) -> None:
    started = time.monotonic()
    store, session_id, notices = run_with(tmp_path, make(FastForwardClock()), timeout=0.2)
    assert time.monotonic() - started < 20
    detail = store.get_session(session_id)
    assert detail.summary.status == "finished" and len(detail.turns) == 3
    captured = [t for t in detail.turns if t.role != "everyone"]
    assert [t.status for t in captured] == ["not_transcribed", "not_transcribed"]
    assert len(notices) == 2 and all(reason in n and "press i to type" in n for n in notices)


async def test_after_a_failed_recognition_typing_takes_over(tmp_path: Path) -> None:
    app, clock = app_with(tmp_path / "db.sqlite3")
    broken = SpeechTurnListener(lambda: ClipSource(spoken("I hear you"), speed=4.0), BrokenEngine())
    app.services.make_listener = lambda *_: broken
    async with app.run_test(size=(100, 32)) as pilot:
        await open_exercise(pilot, app, 0, "Mirroring dialogue")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        for _ in range(400):  # the first speaker's turn runs out and fails
            if any("could not be transcribed" in str(n.message) for n in app._notifications):
                break
            clock.advance(5)
            await pilot.pause(0.05)
        else:
            raise AssertionError("no notice about the failed recognition")
        await pilot.press("i")
        await pilot.pause()
        assert any("Typing this turn" in str(n.message) for n in app._notifications)
        assert app.screen.query_one("#typed").display
        await pilot.press(*"you felt left out", "enter")
        await pilot.pause()
        for _ in range(20):
            await pilot.pause(0.05)
    with Store.open(tmp_path / "db.sqlite3") as store:
        detail = store.get_session(store.list_sessions()[0].id)
    turns = {t.turn_id: (t.status, t.transcript) for t in detail.turns}
    assert turns["share"] == ("not_transcribed", None)
    assert turns["mirror"][1] == "you felt left out"


def test_a_speech_process_killed_mid_sentence_is_restarted_and_the_prompt_still_said() -> None:
    synth = Synthesizer()
    try:
        synth.synthesize("Warming up.")
        first = synth.pid
        assert first is not None
        # Long enough that rendering takes seconds, so the kill lands mid-sentence.
        long_prompt = "Take a slow breath together, and then tell each other one thing. " * 40
        killer = threading.Timer(0.15, os.kill, (first, signal.SIGKILL))
        killer.start()
        clip = synth.synthesize(long_prompt)
        killer.join()
        assert synth.pid not in (None, first), "a new speech process took over"
        assert clip.seconds > 120, "the whole prompt was rendered after the restart"
    finally:
        synth.close()


def test_hearing_a_turn_with_no_phrase_in_it_is_bounded_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(listener_module, "RECOGNITION_TIMEOUT", 1.0)
    engine = HungEngine()
    hum = (np.sin(np.arange(SAMPLE_RATE * 2) / 8) * 400).astype("<i2").tobytes()  # no speech
    listener = SpeechTurnListener(lambda: ClipSource(AudioClip(hum), speed=4.0), engine)
    listener.begin(None, 0.0)
    time.sleep(1.0)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        listener.finish_blocking()
    assert engine.called.is_set(), "the turn's audio was heard although no phrase formed"
    assert time.monotonic() - started < 5
    engine.release.set()
