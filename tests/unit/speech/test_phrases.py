"""Live speech is cut into phrases at the pauses people make, never inside a word.

Real components: the Silero voice detector and speech in the app's own voice.
"""

from __future__ import annotations

import numpy as np

from guided_talk.speech.audio import AudioClip
from guided_talk.speech.phrases import (
    LONGEST_PHRASE_SECONDS,
    PADDING_SECONDS,
    PhraseCutter,
)
from guided_talk.speech.voice_activity import FRAME_SECONDS, SPEECH_AT, VoiceDetector
from tests.support.sounds import LONG_SENTENCE, held_hum, spoken

CHUNK = 3200  # 100 ms of 16 kHz int16, as a microphone delivers it


def cut(clip: AudioClip) -> list[AudioClip]:
    cutter = PhraseCutter()
    phrases = [
        p for i in range(0, len(clip.pcm), CHUNK) for p in cutter.feed(clip.pcm[i : i + CHUNK])
    ]
    last = cutter.flush()
    return phrases + ([last] if last is not None else [])


def test_streamed_detection_matches_detection_of_the_whole_clip() -> None:
    clip = spoken(LONG_SENTENCE)
    whole = VoiceDetector().feed(clip.pcm)
    streaming = VoiceDetector()
    pieces = [streaming.feed(clip.pcm[i : i + 1000]) for i in range(0, len(clip.pcm), 1000)]
    assert sum(len(p) for p in pieces) == len(whole)
    streamed = np.concatenate(pieces)
    assert float(np.abs(whole - streamed).max()) < 1e-4


def test_two_sentences_with_a_pause_make_two_phrases_cut_in_the_pause() -> None:
    first, second = spoken("I felt alone on Sunday."), spoken("Could we plan the weekend together?")
    gap = AudioClip.silence(1.0)
    phrases = cut(AudioClip.silence(0.5) + first + gap + second + AudioClip.silence(1.0))
    assert len(phrases) == 2
    # Laid end to end they are the speech as spoken: each sentence whole, with the
    # quiet before it, the pause kept; only the silence after the last one is left.
    assert abs(phrases[0].seconds - (0.5 + first.seconds + PADDING_SECONDS)) < 0.3
    assert abs(phrases[1].seconds - (gap.seconds + second.seconds)) < 0.3


def test_audio_with_no_phrase_in_it_is_handed_on_in_stretches_and_kept() -> None:
    words = spoken("I felt alone on Sunday.")
    wait = AudioClip.silence(LONGEST_PHRASE_SECONDS + 5.0)  # a long think first
    stretches = cut(wait + words + AudioClip.silence(1.0))
    assert len(stretches) == 2
    assert abs(stretches[0].seconds - LONGEST_PHRASE_SECONDS) <= FRAME_SECONDS
    assert abs(stretches[1].seconds - (5.0 + words.seconds)) < 0.5


def test_sound_the_detector_misses_is_kept_and_silence_after_speech_is_not() -> None:
    words = spoken("I felt alone on Sunday.")
    hum = held_hum(3.0, words.level_dbfs() - 25)
    before = words + AudioClip.silence(1.0)
    detector = VoiceDetector()
    detector.feed(before.pcm)
    assert float(detector.feed(hum.pcm).max()) < SPEECH_AT, "no phrase forms in it"
    assert cut(before + hum)[-1].seconds > hum.seconds
    assert len(cut(words + AudioClip.silence(3.0))) == 1, "only quiet is left: dropped"


def test_a_pause_within_a_sentence_does_not_cut_it() -> None:
    # The voice pauses briefly at each comma.
    words = spoken("When you are late, I worry, and then, later, I cannot sleep.")
    assert len(cut(words + AudioClip.silence(1.0))) == 1


def test_talk_without_a_pause_is_still_cut_into_phrases_recognition_can_take() -> None:
    sentence = spoken(LONG_SENTENCE)
    talk = AudioClip(b"")
    while talk.seconds < 3 * LONGEST_PHRASE_SECONDS:
        talk = talk + sentence
    phrases = cut(talk)
    assert len(phrases) >= 3
    assert all(p.seconds <= LONGEST_PHRASE_SECONDS + FRAME_SECONDS for p in phrases)
    assert abs(sum(p.seconds for p in phrases) - talk.seconds) < 1.0, "no audio is dropped"


def test_silence_and_steady_noise_make_no_phrase() -> None:
    assert cut(AudioClip.silence(3.0)) == []
