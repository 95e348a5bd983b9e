"""Sounds for the listener tests: real synthesised speech, and a plain tone."""

from __future__ import annotations

import functools
import math
import struct

import numpy as np

from guided_talk.speech.audio import SAMPLE_RATE, AudioClip
from guided_talk.speech.tts import Synthesizer, VoiceSettings

#: A sentence longer than five seconds at the default rate.
LONG_SENTENCE = (
    "When our plans change at the very last minute I feel anxious, "
    "and I would like us to talk about it a day earlier."
)


def voice_like(seconds: float) -> AudioClip:
    """A loud warbling tone: sound with a level, for checks that measure only that."""
    samples = (
        int(
            9000
            * math.sin(2 * math.pi * (180 + 40 * math.sin(3 * i / SAMPLE_RATE)) * i / SAMPLE_RATE)
        )
        for i in range(int(seconds * SAMPLE_RATE))
    )
    return AudioClip(b"".join(struct.pack("<h", s) for s in samples))


def held_hum(seconds: float, level_dbfs: float) -> AudioClip:
    """A held "ummm" at ``level_dbfs``: a voiced buzz at 130 Hz and its overtones,
    which the Silero voice detector does not take for speech."""
    times = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    buzz = sum(np.sin(2 * np.pi * 130 * k * times) / k for k in range(1, 6))
    rms = 10 ** (level_dbfs / 20)
    return AudioClip.from_float((buzz * rms / np.sqrt(np.mean(buzz**2))).astype(np.float32))


@functools.cache
def spoken(text: str) -> AudioClip:
    """``text`` said by the app's own voice (eSpeak NG), rendered once per run.

    Its samples are all even, so that ``tagged`` speech can be told from it.
    """
    synthesizer = Synthesizer()
    try:
        return untagged(synthesizer.synthesize(text, VoiceSettings(rate=170)))
    finally:
        synthesizer.close()


def fit(clip: AudioClip, seconds: float) -> AudioClip:
    """``clip`` cut or padded with silence to exactly ``seconds``."""
    wanted = int(seconds * SAMPLE_RATE) * 2
    return AudioClip(clip.pcm[:wanted] + bytes(max(0, wanted - len(clip.pcm))))


def tagged(clip: AudioClip) -> AudioClip:
    """The same speech with every sample made odd: inaudible, and easy to find again.

    Speech from ``spoken`` is all even, so a test can tell which of two sounds
    reached a recogniser by the parity of the samples it was given.
    """
    return AudioClip((np.frombuffer(clip.pcm, dtype="<i2") | 1).astype("<i2").tobytes())


def untagged(clip: AudioClip) -> AudioClip:
    """The same speech with every sample made even."""
    return AudioClip((np.frombuffer(clip.pcm, dtype="<i2") & ~1).astype("<i2").tobytes())


def holds_tagged(clip: AudioClip) -> bool:
    """Some of ``clip`` is tagged speech (odd samples; silence and plain speech are even)."""
    return int((np.frombuffer(clip.pcm, dtype="<i2") & 1).sum()) > 100


def holds_untagged_speech(clip: AudioClip) -> bool:
    """Some of ``clip`` is untagged speech: even samples that are not silence."""
    values = np.frombuffer(clip.pcm, dtype="<i2")
    return int(((values & 1) == 0)[np.abs(values) > 200].sum()) > 100
