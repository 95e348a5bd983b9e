"""The app's own TTS renders speech that the default recogniser reads back."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from guided_talk.speech.recognizers import FILLER_PROMPT, Recognizer, WhisperRecognizer
from guided_talk.speech.scoring import word_error_rate
from guided_talk.speech.tts import SpeechUnavailable, Synthesizer, VoiceSettings

SENTENCES = (
    "When we skipped our Sunday walk I missed it more than I said.",
    "I would like us to keep one evening a week for the two of us.",
    "So you are saying that work piled up and you came home tired every night.",
)


@pytest.fixture(scope="module")
def synthesizer() -> object:
    synth = Synthesizer()
    yield synth
    synth.close()


def test_scoring_basics() -> None:
    assert word_error_rate("one two three", "1, 2, 3!") == 0
    assert word_error_rate("you are gonna say hmm", "You are going to say hm") == 0
    assert word_error_rate("a b c", "a x c d") == pytest.approx(2 / 3)
    assert word_error_rate("", "") == 0 and word_error_rate("a b", "") == 1


def test_decoding_options_replace_the_defaults_and_keep_the_rest() -> None:
    default = WhisperRecognizer("tiny.en").options()
    assert default["beam_size"] == 5 and default["initial_prompt"] == FILLER_PROMPT
    greedy = WhisperRecognizer("tiny.en", decode_options={"beam_size": 1}).options()
    assert greedy == {**default, "beam_size": 1}


def test_round_trip_within_15_percent(synthesizer: Synthesizer, whisper: Recognizer) -> None:
    errors = []
    for sentence in SENTENCES:
        clip = synthesizer.synthesize(sentence, VoiceSettings(rate=160))
        assert 1.5 < clip.seconds < 10
        errors.append(word_error_rate(sentence, whisper.transcribe(clip)))
    assert sum(errors) / len(errors) <= 0.15, errors


def test_many_renders_in_one_process_all_have_audio(synthesizer: Synthesizer) -> None:
    # pyttsx3 2.99 was seen to write nothing, then a 44-byte WAV, on later renders.
    lengths = [synthesizer.synthesize(f"Prompt number {n}.").seconds for n in range(8)]
    assert all(length > 0.5 for length in lengths)


def test_voices_are_listed_and_a_voice_can_be_chosen(synthesizer: Synthesizer) -> None:
    voices = synthesizer.voices()
    assert voices, "eSpeak NG offers voices"
    english = next(v for v in voices if "English" in v.name)
    clip = synthesizer.synthesize("Hello there.", VoiceSettings(voice=english.id, rate=140))
    assert clip.seconds > 0.3


def test_a_killed_speech_process_is_restarted(synthesizer: Synthesizer) -> None:
    synthesizer.synthesize("Warming up.")
    pid = synthesizer.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    clip = synthesizer.synthesize("Still here after a crash.")
    assert clip.seconds > 0.5 and synthesizer.pid != pid


def test_no_engine_at_all_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Stands in for a machine with no working TTS engine: pyttsx3 fails to start.
    broken = tmp_path / "pyttsx3"
    broken.mkdir()
    (broken / "__init__.py").write_text("raise OSError('no speech engine on this machine')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    synth = Synthesizer()
    with pytest.raises(SpeechUnavailable, match="no text-to-speech engine could start"):
        synth.synthesize("Hello.")
    assert synth.voices() == []
