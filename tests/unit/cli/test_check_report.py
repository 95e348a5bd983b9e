"""``guided-talk check`` judges the recording it made: too short, silent or wordless
is a "[fix]" line that says what to do, never an "[ok]".

The recogniser is a stand-in that says what it is told to: the judging is what
is tested here (the real engine is checked end to end in the integration tests).
"""

from __future__ import annotations

import pytest

from guided_talk.cli.check_cmd import RECORD_SECONDS, report_recording
from guided_talk.speech.audio import AudioClip
from tests.support.sounds import voice_like


class SaysWords:
    name = "stand-in"

    def __init__(self, words: str) -> None:
        self.words = words

    def load(self) -> None:
        return None

    def transcribe(self, clip: AudioClip, context: str = "") -> str:
        return self.words


def test_a_full_clear_recording_with_words_is_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert report_recording(voice_like(RECORD_SECONDS), SaysWords("one two three"))
    out = capsys.readouterr().out
    assert "[fix]" not in out and '[ok]  heard: "one two three"' in out


@pytest.mark.parametrize(
    ("clip", "words", "advice"),
    [
        (voice_like(0.9), "hello", "less sound than asked for"),
        (AudioClip.silence(RECORD_SECONDS), "", "too quiet"),
        (voice_like(RECORD_SECONDS), "", "heard no words"),
    ],
    ids=["short", "silent", "no words"],
)
def test_a_bad_recording_is_a_fix_with_advice(
    clip: AudioClip, words: str, advice: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not report_recording(clip, SaysWords(words))
    out = capsys.readouterr().out
    assert "[fix]" in out and advice in out and "-inf" not in out
