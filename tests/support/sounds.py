"""Made-up sounds for the listener tests."""

from __future__ import annotations

import math
import struct

from guided_talk.speech.audio import SAMPLE_RATE, AudioClip


def voice_like(seconds: float) -> AudioClip:
    """A loud warbling tone: enough energy for the segmenter to call it speech."""
    samples = (
        int(
            9000
            * math.sin(2 * math.pi * (180 + 40 * math.sin(3 * i / SAMPLE_RATE)) * i / SAMPLE_RATE)
        )
        for i in range(int(seconds * SAMPLE_RATE))
    )
    return AudioClip(b"".join(struct.pack("<h", s) for s in samples))
