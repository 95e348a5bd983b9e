"""Tell speech from silence as the audio arrives, with the Silero voice detector.

faster-whisper ships the Silero VAD model (``assets/silero_vad_v6.onnx``, MIT) and
runs it through onnxruntime. Its own wrapper starts from a blank state on every
call, which suits whole files; a live turn arrives 100 ms at a time, so here the
network's recurrent state and the last samples of the previous frame are carried
from one chunk to the next. Each 32 ms frame gets a probability of speech. The
detector hears a soft voice as speech and a loud door as not, which a loudness
threshold cannot do.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from guided_talk.speech.audio import SAMPLE_RATE, SAMPLE_WIDTH

#: Samples the model judges at a time (32 ms at 16 kHz).
FRAME = 512
#: Samples of the previous frame the model sees in front of each new one.
CONTEXT = 64
FRAME_SECONDS = FRAME / SAMPLE_RATE
#: A frame at or above this probability is speech.
SPEECH_AT = 0.5
#: Once speech has begun, it goes on until the probability falls below this
#: (a little lower, so a word's soft ending is not taken for its end).
QUIET_BELOW = 0.35

_model_lock = threading.Lock()
_model: list[Any] = []


class VoiceDetectorUnavailable(Exception):
    """The voice detector could not be loaded; the message says why."""


def model_file() -> Path:
    """The Silero model inside the installed faster-whisper package."""
    try:
        import faster_whisper
    except ImportError as error:
        raise VoiceDetectorUnavailable("faster-whisper is not installed") from error
    path = Path(faster_whisper.__file__).parent / "assets" / "silero_vad_v6.onnx"
    if not path.is_file():
        raise VoiceDetectorUnavailable(f"the voice detector model is missing ({path})")
    return path


def _session() -> Any:
    """One onnxruntime session for the whole process (it is safe to share)."""
    with _model_lock:
        if not _model:
            try:
                import onnxruntime
            except ImportError as error:
                raise VoiceDetectorUnavailable("onnxruntime is not installed") from error
            options = onnxruntime.SessionOptions()
            # One thread: the detector is tiny and Whisper needs the other core.
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.log_severity_level = 4
            _model.append(
                onnxruntime.InferenceSession(
                    str(model_file()), providers=["CPUExecutionProvider"], sess_options=options
                )
            )
        return _model[0]


class VoiceDetector:
    """Speech probabilities for a live stream of 16 kHz mono int16 audio."""

    def __init__(self) -> None:
        self._session = _session()
        self._state = np.zeros((2, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._leftover = np.zeros(0, dtype=np.float32)

    def feed(self, pcm: bytes) -> npt.NDArray[np.float32]:
        """The probability of speech in each whole 32 ms frame completed by ``pcm``.

        Samples that do not fill a frame wait for the next call.
        """
        fresh = np.frombuffer(pcm[: len(pcm) // SAMPLE_WIDTH * SAMPLE_WIDTH], dtype="<i2")
        samples = np.concatenate([self._leftover, fresh.astype(np.float32) / 32768.0])
        whole = len(samples) // FRAME * FRAME
        self._leftover = samples[whole:]
        if not whole:
            return np.zeros(0, dtype=np.float32)
        frames = samples[:whole].reshape(-1, FRAME)
        # Each frame is preceded by the last CONTEXT samples of the one before it.
        before = np.vstack([self._context, frames[:-1, -CONTEXT:]])
        self._context = frames[-1, -CONTEXT:].copy()
        h, c = self._state[0:1], self._state[1:2]
        probabilities, h, c = self._session.run(
            None, {"input": np.hstack([before, frames]), "h": h, "c": c}
        )
        self._state = np.concatenate([h, c])
        return np.asarray(probabilities, dtype=np.float32).reshape(-1)
