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


class _TurnCapture:
    """Everything one turn's capture and recognition threads write.

    Each turn gets its own, and both of its threads hold it: a recognition thread
    left running after a timeout can only write into its own turn, never the next.
    """

    def __init__(self) -> None:
        self.stream = _ChunkStream()
        self.phrases: queue.Queue[AudioClip | None] = queue.Queue()
        self.texts: list[str] = []
        self.errors: list[Exception] = []
        self.pcm = bytearray()
        self.captured = AudioClip(b"")
        self.last_voice: float | None = None
        self.threads: tuple[threading.Thread, ...] = ()
        #: Set when the turn stopped waiting for it: a late thread stays quiet.
        self.abandoned = False


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
        self._source: AudioSource | None = None
        self._turn = _TurnCapture()
        self._silence_limit = self.settings.end_after_silence

    @property
    def captured(self) -> AudioClip:
        """The audio of the latest turn (complete once its capture has ended)."""
        return self._turn.captured

    def begin(self, turn: object, started_at: float) -> None:
        """Open the source and start the capture and recognition threads."""
        capture = self._turn = _TurnCapture()
        # A planned turn may ask to end after some quiet (short mirroring turns).
        own = getattr(getattr(turn, "turn", None), "end_after_silence", 0)
        self._silence_limit = float(own) if own else self.settings.end_after_silence
        source = self.make_source()
        capture.threads = (
            threading.Thread(target=self._segment, args=(capture,), daemon=True, name="capture"),
            threading.Thread(target=self._transcribe, args=(capture,), daemon=True, name="asr"),
        )
        for thread in capture.threads:
            thread.start()
        self._source = source
        try:
            source.start(lambda chunk: self._receive(capture, chunk))
        except Exception:  # any failure to open the device: free the threads, then re-raise
            self._source = None
            capture.stream.chunks.put(None)  # let both threads finish
            raise

    def finished_at(self) -> float | None:
        """When the person went quiet after speaking (if ending on silence is on)."""
        limit, last_voice = self._silence_limit, self._turn.last_voice
        if limit <= 0 or last_voice is None:
            return None
        return last_voice + limit

    async def finish(self, turn: object, status: str) -> str | None:
        """Stop capturing; wait for the last phrase; return the whole transcript."""
        return await asyncio.to_thread(self.finish_blocking)

    def finish_blocking(self) -> str | None:
        """The same as ``finish`` for callers outside asyncio."""
        capture = self._turn
        if self._source is not None:
            self._source.stop()
            self._source = None
        capture.stream.chunks.put(None)
        deadline = time.monotonic() + RECOGNITION_TIMEOUT
        for thread in capture.threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        if any(thread.is_alive() for thread in capture.threads[1:]):
            # Hung: the daemon thread is left behind with its own capture; the turn
            # is kept without words.
            capture.abandoned = True
            raise TimeoutError(f"recognition took longer than {RECOGNITION_TIMEOUT:.0f} seconds")
        if capture.errors:
            raise capture.errors[0]
        text = " ".join(part for part in capture.texts if part).strip()
        return text or None

    def _receive(self, capture: _TurnCapture, chunk: bytes) -> None:
        """Runs on the audio thread: hand on, measure, nothing slow."""
        capture.stream.chunks.put(chunk)
        capture.pcm.extend(chunk)
        level = level_dbfs(chunk)
        if level > -35.0:
            capture.last_voice = time.monotonic()
        self.on_level(level)

    def _segment(self, capture: _TurnCapture) -> None:
        """Cut the incoming audio into phrases with SpeechRecognition."""
        recognizer = sr.Recognizer()
        recognizer.energy_threshold = self.settings.energy_threshold
        # An adaptive threshold climbs during loud speech and then drops quieter
        # words as if they were pauses; a fixed one loses nothing.
        recognizer.dynamic_energy_threshold = False
        recognizer.pause_threshold = PAUSE_SECONDS
        recognizer.non_speaking_duration = min(PAUSE_SECONDS, recognizer.non_speaking_duration)
        source = _QueueSource(capture.stream)
        try:
            while not capture.stream.ended:
                phrase = recognizer.listen(source, phrase_time_limit=PHRASE_LIMIT_SECONDS)
                capture.phrases.put(AudioClip(phrase.get_raw_data()))
        except Exception as error:  # keep what was captured; finish reports it once
            capture.errors.append(error)
        finally:
            capture.phrases.put(None)
            capture.captured = AudioClip(bytes(capture.pcm))
            if capture.stream.device_lost and not capture.abandoned:
                self.on_problem(
                    "The microphone stopped sending sound; what was said so far is kept. "
                    "You can type the rest."
                )

    def _transcribe(self, capture: _TurnCapture) -> None:
        """Recognise phrases in order, gathered into pieces of a few seconds."""
        piece = AudioClip(b"")
        while (phrase := capture.phrases.get()) is not None:
            piece = piece + phrase
            if piece.seconds >= MIN_PIECE_SECONDS:
                self._recognise_piece(capture, piece)
                piece = AudioClip(b"")
        self._recognise_piece(capture, piece)

    def _recognise_piece(self, capture: _TurnCapture, piece: AudioClip) -> None:
        if piece.seconds < 0.2 or piece.level_dbfs() < -60.0:
            return  # silence: nothing to recognise
        try:
            text = self.recognizer.transcribe(piece)
        except Exception as error:  # any engine failure: finish reports it once
            capture.errors.append(error)
            return
        if text:
            capture.texts.append(text)
            if not capture.abandoned:
                self.on_partial(" ".join(capture.texts))
