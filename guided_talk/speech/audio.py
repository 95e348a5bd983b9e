"""The one value that travels from capture to recognition: an AudioClip.

Always 16 kHz, mono, signed 16-bit little-endian PCM, the format Whisper and
PocketSphinx expect, so nothing downstream has to guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 16_000
SAMPLE_WIDTH = 2  # bytes per sample (int16)
#: Below this RMS level (dBFS) a stretch of audio counts as silence.
SILENCE_DBFS = -50.0


@dataclass(frozen=True)
class AudioClip:
    """A stretch of 16 kHz mono int16 audio."""

    pcm: bytes

    @property
    def samples(self) -> int:
        """Number of samples."""
        return len(self.pcm) // SAMPLE_WIDTH

    @property
    def seconds(self) -> float:
        """Length in seconds."""
        return self.samples / SAMPLE_RATE

    def __add__(self, other: AudioClip) -> AudioClip:
        return AudioClip(self.pcm + other.pcm)

    def to_float(self) -> npt.NDArray[np.float32]:
        """Samples scaled to -1..1 (for engines that want floats)."""
        values = np.frombuffer(self.pcm[: self.samples * SAMPLE_WIDTH], dtype="<i2")
        return values.astype(np.float32) / 32768.0

    @classmethod
    def from_float(cls, samples: npt.NDArray[np.float32]) -> AudioClip:
        """A clip from -1..1 floats at 16 kHz (clipped to range)."""
        scaled = np.clip(samples, -1.0, 1.0) * 32767.0
        return cls(scaled.astype("<i2").tobytes())

    def level_dbfs(self) -> float:
        """Loudness as RMS in dB relative to full scale (-inf for silence)."""
        return level_dbfs(self.pcm)

    @classmethod
    def silence(cls, seconds: float) -> AudioClip:
        """A clip of digital silence."""
        return cls(bytes(int(seconds * SAMPLE_RATE) * SAMPLE_WIDTH))


def level_dbfs(pcm: bytes) -> float:
    """RMS level of int16 PCM in dBFS; ``-inf`` for silence or no samples."""
    values = np.frombuffer(pcm[: len(pcm) // SAMPLE_WIDTH * SAMPLE_WIDTH], dtype="<i2")
    if values.size == 0:
        return -math.inf
    mean_square = float(np.mean(values.astype(np.float64) ** 2))
    if mean_square == 0:
        return -math.inf
    return 10 * math.log10(mean_square / (32768.0**2))


def loudest_dbfs(clip: AudioClip, window_seconds: float = 0.1) -> float:
    """Level of the loudest window of the clip, in dBFS (``-inf`` if silent)."""
    values = np.frombuffer(clip.pcm[: clip.samples * SAMPLE_WIDTH], dtype="<i2")
    size = max(1, int(window_seconds * SAMPLE_RATE))
    usable = values[: values.size // size * size].astype(np.float64)
    if usable.size == 0:
        return level_dbfs(clip.pcm)
    mean_squares = np.mean(usable.reshape(-1, size) ** 2, axis=1)
    peak = float(mean_squares.max())
    return -math.inf if peak == 0 else 10 * math.log10(peak / (32768.0**2))
