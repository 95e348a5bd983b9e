"""Play a clip through the default output with miniaudio, stoppable at once."""

from __future__ import annotations

import threading
from collections.abc import Generator
from typing import Any

from guided_talk.speech.audio import SAMPLE_RATE, SAMPLE_WIDTH, AudioClip
from guided_talk.speech.devices import close_device
from guided_talk.speech.quiet import silence_alsa
from guided_talk.speech.sources import AudioDeviceError

#: Small device buffer so that a stop is heard within a few tens of milliseconds.
BUFFER_MSEC = 40


class Player:
    """Plays one clip at a time; ``stop()`` from any thread ends it promptly."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._device: Any = None

    def play(self, clip: AudioClip) -> bool:
        """Play ``clip`` and return when it ends (True) or is stopped (False).

        Raises:
            AudioDeviceError: If no output device can be opened.
        """
        import miniaudio

        silence_alsa()
        self._stop.clear()
        finished = threading.Event()
        try:
            device = miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=1,
                sample_rate=SAMPLE_RATE,
                buffersize_msec=BUFFER_MSEC,
            )
        except miniaudio.MiniaudioError as error:
            raise AudioDeviceError("no speaker or headphones could be opened") from error
        self._device = device
        stream = _frames(clip.pcm, finished)
        next(stream)
        try:
            device.start(stream)
            # The tail of the device buffer still has to sound after the last frame.
            while not self._stop.is_set() and not finished.is_set():
                self._stop.wait(0.02)
            if finished.is_set() and not self._stop.is_set():
                self._stop.wait(BUFFER_MSEC * 2 / 1000)
        finally:
            self._device = None
            close_device(device)
        return not self._stop.is_set()

    def stop(self) -> None:
        """End playback now (safe when nothing is playing)."""
        self._stop.set()


def _frames(pcm: bytes, finished: threading.Event) -> Generator[bytes, int, None]:
    """miniaudio's pull generator: sends a frame count, receives that many frames."""
    position = 0
    wanted = yield b""
    while position < len(pcm):
        size = wanted * SAMPLE_WIDTH
        chunk = pcm[position : position + size]
        position += size
        wanted = yield chunk
    finished.set()
    while True:
        wanted = yield bytes(wanted * SAMPLE_WIDTH)
