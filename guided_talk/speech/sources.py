"""Where a turn's audio comes from: the microphone, or a file played in real time.

Every source delivers 16 kHz mono int16 chunks of about 100 ms to a callback. The
callback runs on an audio thread, so it must only hand the chunk on (a queue put).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from guided_talk.speech.audio import SAMPLE_RATE, SAMPLE_WIDTH, AudioClip
from guided_talk.speech.devices import close_device
from guided_talk.speech.quiet import silence_alsa

logger = logging.getLogger(__name__)
CHUNK_SECONDS = 0.1
ChunkSink = Callable[[bytes], None]


class AudioDeviceError(Exception):
    """No usable audio device; the message says what to do."""


class AudioSource(Protocol):
    """Something that can be started and stopped and delivers audio chunks."""

    def start(self, sink: ChunkSink) -> None:
        """Begin delivering chunks to ``sink``."""
        ...

    def stop(self) -> None:
        """Stop delivering; safe to call twice."""
        ...


def capture_devices() -> list[str]:
    """Names of the microphones miniaudio can see (empty when there are none)."""
    silence_alsa()
    try:
        import miniaudio

        names = [str(device["name"]) for device in miniaudio.Devices().get_captures()]
    except Exception:  # no backend at all (any error from it) is the same as no device
        logger.warning("No capture devices could be listed; taken as none", exc_info=True)
        return []
    # A "monitor" records what the speakers play; it is not a microphone.
    return [name for name in names if not name.lower().startswith("monitor of")]


class MicrophoneSource:
    """Live capture through miniaudio (PulseAudio, ALSA, Core Audio...)."""

    def __init__(self, device_name: str | None = None) -> None:
        self.device_name = device_name
        self._device: Any = None

    def start(self, sink: ChunkSink) -> None:
        """Open the device and stream chunks to ``sink``.

        Raises:
            AudioDeviceError: When no capture device can be opened.
        """
        import miniaudio

        silence_alsa()

        def receive() -> Any:
            while True:
                data = yield
                sink(bytes(data))

        device = None
        try:
            device = miniaudio.CaptureDevice(
                input_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=1,
                sample_rate=SAMPLE_RATE,
                buffersize_msec=int(CHUNK_SECONDS * 1000),
                device_id=self._device_id(miniaudio),
            )
            generator = receive()
            next(generator)
            device.start(generator)
        except miniaudio.MiniaudioError as error:
            if device is not None:
                close_device(device)  # opened but would not start: free its connection
            raise AudioDeviceError(
                "no microphone could be opened; check `guided-talk check`, "
                "or type your words instead"
            ) from error
        self._device = device

    def stop(self) -> None:
        """Close the device."""
        device, self._device = self._device, None
        if device is not None:
            close_device(device)

    def _device_id(self, miniaudio: Any) -> Any:
        if not self.device_name:
            return None
        for device in miniaudio.Devices().get_captures():
            if device["name"] == self.device_name:
                return device["id"]
        raise AudioDeviceError(f"there is no microphone called '{self.device_name}'")


class ClipSource:
    """Plays a clip (or a file) in real time, as if someone were speaking.

    Used by the tests, the benchmarks and hands-free demos. ``speed`` above 1
    plays faster than real time. After the clip, a quiet room: silence until
    stopped, as a microphone would give (unless ``then_silence`` is false).
    """

    def __init__(self, clip: AudioClip, speed: float = 1.0, then_silence: bool = True) -> None:
        self.clip = clip
        self.speed = speed
        self.then_silence = then_silence
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, sink: ChunkSink) -> None:
        """Deliver the clip chunk by chunk on a paced thread."""
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._play, args=(sink,), daemon=True, name="clip-source"
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop at the next chunk."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=1)

    def _play(self, sink: ChunkSink) -> None:
        step = int(CHUNK_SECONDS * SAMPLE_RATE) * SAMPLE_WIDTH
        quiet = bytes(step)
        began = time.monotonic()
        number = 0
        while True:
            offset = number * step
            if offset >= len(self.clip.pcm) and not self.then_silence:
                return
            due = began + number * CHUNK_SECONDS / self.speed
            if self._stop.wait(max(0.0, due - time.monotonic())):
                return
            sink(self.clip.pcm[offset : offset + step] or quiet)
            number += 1
