"""Short mirroring turns end on their own once the person has spoken and gone quiet."""

from __future__ import annotations

import time
from dataclasses import replace
from types import SimpleNamespace

import pytest

from guided_talk.exercises.loader import load_library
from guided_talk.exercises.model import Turn
from guided_talk.speech.audio import AudioClip
from guided_talk.speech.listener import SpeechTurnListener
from guided_talk.speech.sources import ClipSource
from tests.support.sounds import fit, spoken


class SilentEngine:
    """Recognition is not what is tested here; it hears nothing."""

    name = "silent"

    def load(self) -> None:
        return None

    def transcribe(self, clip: AudioClip, context: str = "") -> str:
        return ""


def planned(end_after_silence: int) -> SimpleNamespace:
    turn = Turn(id="mirror", role="listener", seconds=40, prompts=("Mirror.",))
    return SimpleNamespace(turn=replace(turn, end_after_silence=end_after_silence))


@pytest.mark.parametrize("limit", [0, 1])
def test_the_turn_says_when_the_person_went_quiet(limit: int) -> None:
    said = fit(spoken("I miss our walks"), 1.0)
    listener = SpeechTurnListener(lambda: ClipSource(said), SilentEngine())
    listener.begin(planned(limit), time.monotonic())
    try:
        time.sleep(1.6)  # a second of speech, then quiet
        ends = listener.finished_at()
    finally:
        listener.finish_blocking()
    if limit == 0:
        assert ends is None, "without a limit the turn runs its full time"
    else:
        assert ends is not None and time.monotonic() - 1.5 < ends < time.monotonic() + 1.0


def test_the_built_in_mirroring_turns_end_after_four_quiet_seconds() -> None:
    exercise = load_library().exercises["mirroring-dialogue"]
    mirror = next(t for p in exercise.phases for t in p.turns if t.id == "mirror")
    assert mirror.end_after_silence == 4
