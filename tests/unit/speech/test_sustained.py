"""A held "ummm" keeps the person talking; room noise and clicks do not.

The chances stand in for the voice detector's verdicts (Silero calls a held filler
silence: the case this guards against); the levels are real frames of sound.
"""

from __future__ import annotations

import numpy as np

from guided_talk.speech.audio import AudioClip
from guided_talk.speech.phrases import PhraseCutter
from guided_talk.speech.sustained import HELD_SECONDS, SustainedVoice
from guided_talk.speech.voice_activity import FRAME, FRAME_SECONDS
from tests.support.sounds import held_hum, spoken

SPEECH, NOT_SPEECH = 0.9, 0.05


def frames(level_db: float, count: int, seed: int = 0) -> list[bytes]:
    """Noise frames at a steady level (dBFS)."""
    rng = np.random.default_rng(seed)
    scale = 32768 * 10 ** (level_db / 20)
    return [
        np.clip(rng.normal(0, scale, FRAME), -32768, 32767).astype("<i2").tobytes()
        for _ in range(count)
    ]


def heard(voice: SustainedVoice, sound: list[bytes], chance: float) -> list[bool]:
    return [voice.hears(frame, chance) for frame in sound]


def test_a_held_sound_near_the_speaking_level_is_still_talking() -> None:
    voice = SustainedVoice()
    heard(voice, frames(-60, 60), NOT_SPEECH)  # the room
    heard(voice, frames(-25, 60), SPEECH)  # speech
    assert all(heard(voice, frames(-42, 50), NOT_SPEECH)), '"ummm", 17 dB down, right after'
    heard(voice, frames(-60, 30), NOT_SPEECH)
    hum = heard(voice, frames(-42, 50), NOT_SPEECH)  # after a pause: once it is held
    held = round(HELD_SECONDS / FRAME_SECONDS)
    assert not any(hum[: held - 1]) and all(hum[held:])
    assert not any(heard(voice, frames(-60, 30), NOT_SPEECH)), "quiet again: the clock runs"


def test_a_loud_held_voice_the_detector_never_calls_speech_is_still_talking() -> None:
    voice = SustainedVoice()
    heard(voice, frames(-65, 60), NOT_SPEECH)  # a quiet room
    held = round(HELD_SECONDS / FRAME_SECONDS)
    falsetto = heard(voice, frames(-26, 40), NOT_SPEECH)
    assert not any(falsetto[: held - 1]) and all(falsetto[held:])


def test_room_noise_far_below_speech_and_short_clicks_are_not_talking() -> None:
    voice = SustainedVoice()
    heard(voice, frames(-45, 60), NOT_SPEECH)  # a loud room
    assert not any(heard(voice, frames(-45, 30), NOT_SPEECH)), "nobody has spoken yet"
    heard(voice, frames(-20, 60), SPEECH)
    assert not any(heard(voice, frames(-45, 60), NOT_SPEECH)), "the room, not the person"
    clicks = [frames(-22, 1)[0] if i % 10 == 0 else frames(-45, 1)[0] for i in range(60)]
    assert not any(heard(voice, clicks, NOT_SPEECH)), "a knock is shorter than a held sound"


def test_the_cutter_keeps_the_turn_open_through_a_held_filler() -> None:
    words = spoken("I was thinking about Sunday")
    hum = held_hum(1.5, words.level_dbfs() - 15)  # 15 dB below the words
    cutter = PhraseCutter()
    cutter.feed(words.pcm)
    chunk = 3200
    voiced = []
    for start in range(0, len(hum.pcm), chunk):
        cutter.feed(hum.pcm[start : start + chunk])
        voiced.append(cutter.voiced)
    assert all(voiced[2:]), "the filler is heard as the person still talking"
    quiet = AudioClip.silence(1.0).pcm
    for start in range(0, len(quiet), chunk):
        cutter.feed(quiet[start : start + chunk])
    assert not cutter.voiced
