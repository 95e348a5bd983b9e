"""The listener in real time: a hold drops every frame, a stalled microphone is
reopened without losing the turn, and a slow one opening is not silence.

Sound is speech in the app's own voice, from ``ClipSource`` (the real paced source
the demos use) or from small stand-in sources for hardware a test machine lacks: a
microphone that stops sending mid-turn, or one that takes seconds to wake up. The
recogniser is a stand-in that keeps every piece it is given, so the test can look
at the exact samples that reached it (tagged speech is told apart by the parity of
its samples); capture, the voice detector and the phrase cutter are the real ones.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from guided_talk.speech.audio import SAMPLE_RATE, AudioClip
from guided_talk.speech.listener import FLOWING, STALLED, SpeechTurnListener
from guided_talk.speech.sources import CHUNK_SECONDS, ChunkSink, ClipSource
from tests.support.sounds import fit, holds_tagged, holds_untagged_speech, spoken, tagged


class KeepingEngine:
    """Keeps every piece it is asked to transcribe; says one word per piece."""

    name = "keeping"

    def __init__(self) -> None:
        self.pieces: list[AudioClip] = []

    def load(self) -> None:
        return None

    def transcribe(self, clip: AudioClip, context: str = "") -> str:
        self.pieces.append(clip)
        return f"piece{len(self.pieces)}"


def test_nothing_heard_during_a_hold_reaches_the_recogniser_or_the_turn() -> None:
    said = (  # the other partner's words play 1.5-2.5 s
        fit(spoken("I felt alone on Sunday"), 1.5)
        + fit(tagged(spoken("purple lanterns drift")), 1.0)
        + fit(spoken("and I missed you"), 1.5)
    )
    engine = KeepingEngine()
    listener = SpeechTurnListener(lambda: ClipSource(said), engine)
    listener.begin(None, 0.0)
    time.sleep(1.0)
    listener.hold(True)  # a pause pressed before the other partner speaks
    assert listener.finished_at() is None
    time.sleep(2.0)
    listener.hold(False)
    time.sleep(1.5)
    text = listener.finish_blocking()

    assert text, "what was said before and after the pause is kept"
    assert engine.pieces and not any(holds_tagged(piece) for piece in engine.pieces)
    assert not holds_tagged(listener.captured)


class StallingSource:
    """Stands in for a microphone that sends ``voice`` then goes quiet for good
    (unplugged, a Bluetooth drop), until it is opened again."""

    def __init__(self, voice: AudioClip, stall_after: float | None) -> None:
        self.voice = voice
        self.stall_after = stall_after
        self._stop = threading.Event()

    def start(self, sink: ChunkSink) -> None:
        threading.Thread(target=self._send, args=(sink,), daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _send(self, sink: ChunkSink) -> None:
        step = int(CHUNK_SECONDS * SAMPLE_RATE) * 2
        began = time.monotonic()
        for number, offset in enumerate(range(0, len(self.voice.pcm), step)):
            if self.stall_after is not None and number * CHUNK_SECONDS >= self.stall_after:
                return  # no more frames, and no word of it
            if self._stop.wait(max(0.0, began + number * CHUNK_SECONDS - time.monotonic())):
                return
            sink(self.voice.pcm[offset : offset + step])
        while not self._stop.wait(CHUNK_SECONDS):  # then a quiet room
            sink(bytes(step))


def test_a_stalled_microphone_is_reopened_and_keeps_what_it_heard() -> None:
    sources = iter(
        [
            StallingSource(fit(spoken("I would like more time together"), 2.0), 1.0),
            StallingSource(fit(tagged(spoken("on the weekends")), 1.0), None),
        ]
    )
    engine = KeepingEngine()
    problems: list[str] = []
    listener = SpeechTurnListener(lambda: next(sources), engine, on_problem=problems.append)
    listener.begin(None, 0.0)
    time.sleep(5.0)
    text = listener.finish_blocking()

    assert problems == [STALLED, FLOWING], "said once, and cleared when sound flows again"
    assert text
    before = any(holds_untagged_speech(p) for p in engine.pieces)
    assert before, "the words before the stall are kept"
    assert any(holds_tagged(p) for p in engine.pieces), "the turn goes on after it"


class SlowToOpenSource(StallingSource):
    """Stands in for a microphone that takes seconds to wake before its first frame."""

    def __init__(self, voice: AudioClip, wakes_after: float) -> None:
        super().__init__(voice, stall_after=None)
        self.wakes_after = wakes_after

    def _send(self, sink: ChunkSink) -> None:
        if not self._stop.wait(self.wakes_after):
            super()._send(sink)


def test_a_microphone_slow_to_open_is_not_taken_for_a_lost_one() -> None:
    engine = KeepingEngine()
    problems: list[str] = []
    listener = SpeechTurnListener(
        lambda: SlowToOpenSource(fit(spoken("I am here now"), 1.0), wakes_after=3.0),
        engine,
        on_problem=problems.append,
    )
    listener.begin(None, 0.0)
    time.sleep(5.0)
    text = listener.finish_blocking()

    assert problems == []
    assert text and any(holds_untagged_speech(p) for p in engine.pieces)


def soft(seconds: float) -> AudioClip:
    """A low hum at -47 dBFS: sound the voice detector does not take for speech, as it
    can miss a whisper; the turn's audio still gets a hearing as one file."""
    waves = 200 * np.sin(2 * np.pi * 190 * np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE)
    return AudioClip(waves.astype("<i2").tobytes())


def test_sound_that_forms_no_phrase_is_still_heard() -> None:
    engine = KeepingEngine()
    listener = SpeechTurnListener(lambda: ClipSource(soft(2.0)), engine)
    listener.begin(None, 0.0)
    time.sleep(2.5)
    assert listener.finish_blocking() == "piece1", "the turn's audio, heard as one file"
    assert engine.pieces[0].seconds >= 2.0
