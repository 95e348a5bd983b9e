"""Speech recognition engines behind one small protocol, each loaded lazily, once.

- ``whisper`` (default, offline): faster-whisper with a model from ``models.py``
  (tiny.en unless the settings name another).
  SpeechRecognition's own faster-whisper helper reloads the model on every call, so
  the model is held here and SpeechRecognition's ``AudioData`` is the carrier.
- ``sphinx`` (light, offline): PocketSphinx via ``Recognizer.recognize_sphinx``; its
  English model ships inside the SpeechRecognition wheel.
- ``google`` (online): only when the user names it and confirms that audio leaves
  the machine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

import speech_recognition as sr

from guided_talk.speech.audio import SAMPLE_RATE, SAMPLE_WIDTH, AudioClip, loudest_dbfs
from guided_talk.speech.models import DEFAULT_MODEL, model_path
from guided_talk.values import RecognitionEngine

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

#: Engines that transcribe files and speech (typing is not one of them).
OFFLINE_ENGINES = (str(RecognitionEngine.WHISPER), str(RecognitionEngine.SPHINX))
ONLINE_ENGINES = (str(RecognitionEngine.GOOGLE),)
#: Whisper tends to drop "um" and "uh"; a prompt that contains them keeps them,
#: which the filler counts in the feedback need (measured in docs/BENCHMARKS.md).
FILLER_PROMPT = "Um, so, uh, I was, hmm, you know, thinking."
#: The last words said before a clip that go into Whisper's prompt.
CONTEXT_WORDS = 40
#: Clips whose loudest 100 ms stays below this hold no speech (whispering peaks
#: near -42 dBFS in the measured clips).
SILENCE_GATE_DBFS = -60.0
#: About 30 s of fast speech; a repetition loop stops here instead of at 448.
MAX_TOKENS_PER_WINDOW = 160
#: Voice-activity filtering before Whisper, per model. Measured: it costs tiny.en
#: 3 points of WER while tiny.en's loops on noise are short (2 s per 30 s); base
#: loops for 12-16 s per 30 s of noise without it.
VAD_BY_DEFAULT = {"tiny.en": False}


class RecognitionError(Exception):
    """An engine could not run; the message says what to do."""


class Recognizer(Protocol):
    """Turns a clip into text."""

    name: str

    def load(self) -> None:
        """Load the model now (otherwise the first ``transcribe`` does)."""
        ...

    def transcribe(self, clip: AudioClip, context: str = "") -> str:
        """The words in ``clip`` ("" for none); ``context`` is what was said just
        before it, for engines that can use it."""
        ...


def to_audio_data(clip: AudioClip) -> sr.AudioData:
    """SpeechRecognition's carrier for the same samples."""
    return sr.AudioData(clip.pcm, SAMPLE_RATE, SAMPLE_WIDTH)


class WhisperRecognizer:
    """Offline Whisper through faster-whisper; the model is loaded once and shared."""

    name = "whisper"

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        beam_size: int = 5,
        threads: int | None = None,
        keep_fillers: bool = True,
        skip_non_speech: bool | None = None,
        decode_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.model_name = model
        self.beam_size = beam_size
        # One core is left free, so that the screen stays responsive while Whisper runs.
        self.threads = threads or max(1, (os.cpu_count() or 2) - 1)
        self.keep_fillers = keep_fillers
        if skip_non_speech is None:
            skip_non_speech = VAD_BY_DEFAULT.get(model, True)
        self.skip_non_speech = skip_non_speech
        #: faster-whisper ``transcribe`` options that replace the defaults below
        #: (used by scripts/bench_asr.py to compare decoding settings).
        self.decode_options = dict(decode_options or {})
        self._model: WhisperModel | None = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the model (thread-safe; later calls return at once)."""
        with self._lock:
            if self._model is not None:
                return
            path = model_path(self.model_name)
            try:
                from faster_whisper import WhisperModel
            except ImportError as error:
                raise RecognitionError("faster-whisper is not installed") from error
            self._model = WhisperModel(
                str(path), device="cpu", compute_type="int8", cpu_threads=self.threads
            )

    def transcribe(self, clip: AudioClip, context: str = "") -> str:
        """Recognise English speech in ``clip``, which follows ``context``."""
        self.load()
        assert self._model is not None
        if clip.seconds < 0.1 or loudest_dbfs(clip) < SILENCE_GATE_DBFS:
            return ""
        segments, _ = self._model.transcribe(clip.to_float(), **self.options(context))
        return " ".join(segment.text.strip() for segment in segments).strip()

    def options(self, context: str = "") -> dict[str, Any]:
        """The keyword arguments for faster-whisper's ``transcribe``."""
        # The words just before a clip carry its topic and style over its edge.
        before = " ".join(context.split()[-CONTEXT_WORDS:])
        prompt = " ".join(p for p in (FILLER_PROMPT if self.keep_fillers else "", before) if p)
        options: dict[str, Any] = {
            "language": "en",
            "beam_size": self.beam_size,
            "initial_prompt": prompt or None,
            "condition_on_previous_text": False,
            # The filler prompt makes Whisper loop ("so, so, so...") on noise and
            # silence; the bundled Silero VAD drops those stretches first, and the
            # token cap bounds any loop that is left.
            "vad_filter": self.skip_non_speech,
            "max_new_tokens": MAX_TOKENS_PER_WINDOW,
        }
        options.update(self.decode_options)
        return options


class SphinxRecognizer:
    """PocketSphinx through SpeechRecognition: small and quick, less accurate."""

    name = "sphinx"

    def __init__(self) -> None:
        self._recognizer = sr.Recognizer()

    def load(self) -> None:
        """Check that PocketSphinx is importable."""
        try:
            import pocketsphinx  # noqa: F401
        except ImportError as error:
            raise RecognitionError(
                "pocketsphinx is not installed: pip install pocketsphinx"
            ) from error

    def transcribe(self, clip: AudioClip, context: str = "") -> str:
        """Recognise English speech in ``clip`` (PocketSphinx takes no context)."""
        self.load()
        try:
            text: Any = self._recognizer.recognize_sphinx(to_audio_data(clip))
        except sr.UnknownValueError:
            return ""
        except sr.RequestError as error:
            raise RecognitionError(f"PocketSphinx failed: {error}") from error
        return str(text).strip()


class GoogleRecognizer:
    """Google's web service through SpeechRecognition. Audio leaves the machine."""

    name = "google"

    def __init__(self) -> None:
        self._recognizer = sr.Recognizer()

    def load(self) -> None:
        """Nothing to load."""

    def transcribe(self, clip: AudioClip, context: str = "") -> str:
        """Send ``clip`` to Google and return the text (it takes no context)."""
        try:
            text: Any = self._recognizer.recognize_google(to_audio_data(clip))
        except sr.UnknownValueError:
            return ""
        except sr.RequestError as error:
            raise RecognitionError(f"the online engine could not be reached: {error}") from error
        return str(text).strip()


def make_recognizer(
    engine: str, model: str = DEFAULT_MODEL, allow_online: bool = False
) -> Recognizer:
    """Build the named engine (not yet loaded).

    Raises:
        RecognitionError: For an unknown engine, or an online one without consent.
    """
    if engine == "whisper":
        return WhisperRecognizer(model)
    if engine == "sphinx":
        return SphinxRecognizer()
    if engine in ONLINE_ENGINES:
        if not allow_online:
            raise RecognitionError(
                f"'{engine}' sends your audio to an online service; confirm that you want "
                "this (--allow-online), or use whisper or sphinx, which stay on this computer"
            )
        return GoogleRecognizer()
    known = ", ".join(OFFLINE_ENGINES + ONLINE_ENGINES)
    raise RecognitionError(f"there is no speech engine called '{engine}' (choose from {known})")
