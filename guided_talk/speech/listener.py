"""Capture one turn and transcribe it while the person is still talking.

Audio chunks from a source go into a queue; a capture thread hands them to
SpeechRecognition's ``Recognizer.listen`` (its energy threshold and pause settings
cut the stream into phrases); a recognition thread transcribes each phrase as soon
as it is cut. When the turn ends only the last phrase is left to transcribe, so the
text is ready about a second later. Nothing here touches the screen: progress goes
out through callbacks that must be cheap and thread-safe.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import speech_recognition as sr

from guided_talk.speech.audio import SAMPLE_RATE, SAMPLE_WIDTH, AudioClip, level_dbfs
from guided_talk.speech.recognizers import Recognizer
from guided_talk.speech.sources import CHUNK_SECONDS, AudioSource

#: Longest phrase sent to the recogniser in one piece while someone keeps talking.
PHRASE_LIMIT_SECONDS = 6.0
#: Silence that closes a phrase.
PAUSE_SECONDS = 0.5
#: Phrases are gathered to at least this length before recognition: Whisper
#: needs some context, and short pieces come back garbled.
MIN_PIECE_SECONDS = 4.0
#: With no audio at all for this long, the device is taken to have gone.
DEVICE_SILENT_SECONDS = 1.5
#: Longest wait for the last words after a turn; a hung engine must not hold the
#: session (the runner gives up a little later, at TRANSCRIBE_TIMEOUT).
RECOGNITION_TIMEOUT = 25.0


@dataclass(frozen=True)
class ListenerSettings:
    """How a turn is captured.

    Attributes:
        end_after_silence: End the turn once the person has spoken and then been
            quiet this long (seconds); 0 leaves ending to the clock or a key.
        energy_threshold: Starting loudness that counts as speech (adapts).
    """

    end_after_silence: float = 0.0
    energy_threshold: float = 300.0


class _ChunkStream:
    """The file-like ``stream`` SpeechRecognition reads; empty bytes mean the end.

    A source that stops delivering (a microphone unplugged mid-turn) ends the
    stream too, and ``device_lost`` says so.
    """

    def __init__(self) -> None:
        self.chunks: queue.Queue[bytes | None] = queue.Queue()
        self.ended = False
        self.device_lost = False

    def read(self, size: int) -> bytes:
        if self.ended:
            return b""
        try:
            chunk = self.chunks.get(timeout=DEVICE_SILENT_SECONDS)
        except queue.Empty:
            chunk, self.device_lost = None, True
        if chunk is None:
            self.ended = True
            return b""
        return chunk


class _QueueSource(sr.AudioSource):  # type: ignore[misc]
    """A SpeechRecognition audio source fed from our chunk queue."""

    SAMPLE_RATE = SAMPLE_RATE
    SAMPLE_WIDTH = SAMPLE_WIDTH
    CHUNK = int(CHUNK_SECONDS * SAMPLE_RATE)

    def __init__(self, stream: _ChunkStream) -> None:
        self.stream = stream

    def __enter__(self) -> _QueueSource:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class SpeechTurnListener:
    """A ``TurnListener`` that records from a source and recognises as it goes."""

    def __init__(
        self,
        make_source: Callable[[], AudioSource],
        recognizer: Recognizer,
        settings: ListenerSettings | None = None,
        on_level: Callable[[float], None] | None = None,
        on_partial: Callable[[str], None] | None = None,
        on_problem: Callable[[str], None] | None = None,
    ) -> None:
        self.make_source = make_source
        self.recognizer = recognizer
        self.settings = settings or ListenerSettings()
        self.on_level = on_level or (lambda level: None)
        self.on_partial = on_partial or (lambda text: None)
        self.on_problem = on_problem or (lambda message: None)
        self.captured = AudioClip(b"")
        self._source: AudioSource | None = None
        self._capture: threading.Thread | None = None
        self._recognise: threading.Thread | None = None
        self._silence_limit = self.settings.end_after_silence
        self._reset()

    def begin(self, turn: object, started_at: float) -> None:
        """Open the source and start the capture and recognition threads."""
        self._reset()
        # A planned turn may ask to end after some quiet (short mirroring turns).
        own = getattr(getattr(turn, "turn", None), "end_after_silence", 0)
        self._silence_limit = float(own) if own else self.settings.end_after_silence
        source = self.make_source()
        capture = threading.Thread(target=self._segment, daemon=True, name="capture")
        recognise = threading.Thread(target=self._transcribe, daemon=True, name="asr")
        capture.start()
        recognise.start()
        self._source, self._capture, self._recognise = source, capture, recognise
        try:
            source.start(self._receive)
        except Exception:
            self._source = None
            self._stream.chunks.put(None)  # let both threads finish
            raise

    def finished_at(self) -> float | None:
        """When the person went quiet after speaking (if ending on silence is on)."""
        limit = self._silence_limit
        if limit <= 0 or self._last_voice is None:
            return None
        return self._last_voice + limit

    async def finish(self, turn: object, status: str) -> str | None:
        """Stop capturing; wait for the last phrase; return the whole transcript."""
        return await asyncio.to_thread(self.finish_blocking)

    def finish_blocking(self) -> str | None:
        """The same as ``finish`` for callers outside asyncio."""
        if self._source is not None:
            self._source.stop()
            self._source = None
        self._stream.chunks.put(None)
        deadline = time.monotonic() + RECOGNITION_TIMEOUT
        for thread in (self._capture, self._recognise):
            if thread is not None:
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
        if self._recognise is not None and self._recognise.is_alive():
            # Hung: the daemon thread is left behind; the turn is kept without words.
            raise TimeoutError(f"recognition took longer than {RECOGNITION_TIMEOUT:.0f} seconds")
        if self._errors:
            raise self._errors[0]
        text = " ".join(part for part in self._texts if part).strip()
        return text or None

    def _reset(self) -> None:
        self._stream = _ChunkStream()
        self._phrases: queue.Queue[AudioClip | None] = queue.Queue()
        self._texts: list[str] = []
        self._errors: list[Exception] = []
        self._pcm = bytearray()
        self._last_voice: float | None = None

    def _receive(self, chunk: bytes) -> None:
        """Runs on the audio thread: hand on, measure, nothing slow."""
        self._stream.chunks.put(chunk)
        self._pcm.extend(chunk)
        level = level_dbfs(chunk)
        if level > -35.0:
            self._last_voice = time.monotonic()
        self.on_level(level)

    def _segment(self) -> None:
        """Cut the incoming audio into phrases with SpeechRecognition."""
        recognizer = sr.Recognizer()
        recognizer.energy_threshold = self.settings.energy_threshold
        # An adaptive threshold climbs during loud speech and then drops quieter
        # words as if they were pauses; a fixed one loses nothing.
        recognizer.dynamic_energy_threshold = False
        recognizer.pause_threshold = PAUSE_SECONDS
        recognizer.non_speaking_duration = min(PAUSE_SECONDS, recognizer.non_speaking_duration)
        source = _QueueSource(self._stream)
        try:
            while not self._stream.ended:
                phrase = recognizer.listen(source, phrase_time_limit=PHRASE_LIMIT_SECONDS)
                self._phrases.put(AudioClip(phrase.get_raw_data()))
        except Exception as error:  # keep what was captured; report once
            self._errors.append(error)
        finally:
            self._phrases.put(None)
            self.captured = AudioClip(bytes(self._pcm))
            if self._stream.device_lost:
                self.on_problem(
                    "The microphone stopped sending sound; what was said so far is kept. "
                    "You can type the rest."
                )

    def _transcribe(self) -> None:
        """Recognise phrases in order, gathered into pieces of a few seconds."""
        piece = AudioClip(b"")
        while (phrase := self._phrases.get()) is not None:
            piece = piece + phrase
            if piece.seconds >= MIN_PIECE_SECONDS:
                self._recognise_piece(piece)
                piece = AudioClip(b"")
        self._recognise_piece(piece)

    def _recognise_piece(self, piece: AudioClip) -> None:
        if piece.seconds < 0.2 or piece.level_dbfs() < -60.0:
            return  # silence: nothing to recognise
        try:
            text = self.recognizer.transcribe(piece)
        except Exception as error:
            self._errors.append(error)
            return
        if text:
            self._texts.append(text)
            self.on_partial(" ".join(self._texts))
