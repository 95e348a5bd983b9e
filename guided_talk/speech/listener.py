"""Capture one turn and transcribe it while the person is still talking.

Audio chunks from a source go into a queue; a capture thread hands them to the
phrase cutter (the Silero voice detector hears where speech pauses), which hands
on the audio in stretches ending at pauses; a recognition thread gathers them into
windows as long as Whisper hears at once, and hears
the open window again every few seconds so the words show as they come. When the
turn ends at most one window is left to hear, so the text is ready about a second
later. Nothing here touches the screen: progress goes out through callbacks that
must be cheap and thread-safe.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from guided_talk.speech.audio import (
    SAMPLE_RATE,
    SAMPLE_WIDTH,
    AudioClip,
    level_dbfs,
    loudest_dbfs,
)
from guided_talk.speech.phrases import PhraseCutter
from guided_talk.speech.recognizers import SILENCE_GATE_DBFS, Recognizer
from guided_talk.speech.sources import CHUNK_SECONDS, AudioSource
from guided_talk.values import TurnStatus

logger = logging.getLogger(__name__)

#: Stretches are gathered into windows of up to this length (Whisper hears 30 s at
#: a time; a window never ends inside a phrase).
WINDOW_SECONDS = 28.0
#: The open window is heard again for the words on screen after this much more.
PREVIEW_EVERY_SECONDS = 3.0
#: With no audio at all for this long after it first sent some, the device is taken
#: to have stalled; it is reopened (opening it first is not silence: a Bluetooth or
#: USB microphone waking up can take longer).
DEVICE_SILENT_SECONDS = 1.5
#: Shortest wait between two attempts to reopen a stalled device.
REOPEN_EVERY_SECONDS = 2.0
STALLED = "The microphone stopped sending sound; what was said so far is kept. Trying it again..."
FLOWING = "Sound is coming through again."
#: Longest wait for the last words after a turn; a hung engine must not hold the
#: session (the runner gives up a little later, at TRANSCRIBE_TIMEOUT).
RECOGNITION_TIMEOUT = 25.0
_CHUNK_BYTES = int(CHUNK_SECONDS * SAMPLE_RATE) * SAMPLE_WIDTH


@dataclass(frozen=True)
class ListenerSettings:
    """How a turn is captured.

    Attributes:
        end_after_silence: End the turn once the person has spoken and then been
            quiet this long (seconds); 0 leaves ending to the clock or a key.
    """

    end_after_silence: float = 0.0


class _ChunkStream:
    """The turn's audio as the capture thread reads it; empty bytes mean the end.

    Only the turn's end (a ``None`` in the queue) ends it. A source that stops
    delivering mid-turn (a microphone unplugged) is reported through ``on_stall``
    while the stream reads as silence, so what was said before is kept and the
    capture carries on when sound comes back.
    """

    def __init__(self) -> None:
        self.chunks: queue.Queue[bytes | None] = queue.Queue()
        self.ended = False
        self.heard = False  # a first chunk has come: from now on a gap is a stall
        self.stalled = False
        self.on_stall: Callable[[], None] = lambda: None
        self.on_flow: Callable[[], None] = lambda: None

    def read(self) -> bytes:
        if self.ended:
            return b""
        try:
            chunk = self.chunks.get(timeout=DEVICE_SILENT_SECONDS if self.heard else None)
        except queue.Empty:
            self.stalled = True
            self.on_stall()
            return bytes(_CHUNK_BYTES)  # silence while it is gone
        if chunk is None:
            self.ended = True
            return b""
        if self.stalled:
            self.stalled = False
            self.on_flow()
        self.heard = True
        return chunk


class _TurnCapture:
    """Everything one turn's capture and recognition threads write.

    Each turn gets its own, and both of its threads hold it: a recognition thread
    left running after a timeout can only write into its own turn, never the next.
    """

    def __init__(self) -> None:
        self.stream = _ChunkStream()
        self.stretches: queue.Queue[AudioClip | None] = queue.Queue()
        self.texts: list[str] = []
        self.errors: list[Exception] = []
        self.pcm = bytearray()
        self.captured = AudioClip(b"")
        self.last_voice: float | None = None
        #: While held (a pause or a time-out), what the microphone hears is dropped.
        self.held = False
        self.reopened_at = 0.0
        #: Whether the turn's words are wanted (not for a skipped turn).
        self.wanted = True
        self.told_stalled = False
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
        self._source_lock = threading.Lock()
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
        capture.stream.on_stall = lambda: self._stalled(capture)
        capture.stream.on_flow = lambda: self._flowing(capture)
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

    def hold(self, held: bool) -> None:
        """Close the ears (a pause or a time-out) or open them again.

        While held, every frame from the microphone is dropped before it reaches
        the recogniser or the turn's audio: nothing said then is in any transcript.
        The quiet before ending on silence starts again when the turn resumes.
        """
        capture = self._turn
        capture.held = held
        if not held and capture.last_voice is not None:
            capture.last_voice = time.monotonic()

    def finished_at(self) -> float | None:
        """When the person went quiet after speaking (if ending on silence is on)."""
        capture = self._turn
        limit, last_voice = self._silence_limit, capture.last_voice
        if limit <= 0 or last_voice is None or capture.held:
            return None
        return last_voice + limit

    async def finish(self, turn: object, status: str) -> str | None:
        """Stop capturing; wait for the last words; return the whole transcript."""
        wanted = status != TurnStatus.SKIPPED  # a skipped or replaced turn's words are not
        return await asyncio.to_thread(self.finish_blocking, wanted)

    def finish_blocking(self, wanted: bool = True) -> str | None:
        """The same as ``finish`` for callers outside asyncio."""
        capture = self._turn
        with self._source_lock:
            source, self._source = self._source, None
        if source is not None:
            source.stop()
        capture.wanted = wanted
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
        if capture.held:  # paused: the words are dropped here, silence keeps time
            capture.stream.chunks.put(bytes(len(chunk)))
            return
        capture.stream.chunks.put(chunk)
        capture.pcm.extend(chunk)
        self.on_level(level_dbfs(chunk))

    def _segment(self, capture: _TurnCapture) -> None:
        """Cut the incoming audio into stretches that end where the person pauses."""
        try:
            cutter = PhraseCutter()
            while chunk := capture.stream.read():
                for stretch in cutter.feed(chunk):
                    capture.stretches.put(stretch)
                if cutter.voiced and not capture.held:
                    capture.last_voice = time.monotonic()
            if (last := cutter.flush()) is not None:
                capture.stretches.put(last)
        except Exception as error:  # keep what was captured; finish reports it once
            capture.errors.append(error)
        finally:
            capture.captured = AudioClip(bytes(capture.pcm))
            capture.stretches.put(None)

    def _stalled(self, capture: _TurnCapture) -> None:
        """The device sent nothing for a while: say so once, and try opening it again."""
        if capture.abandoned or capture is not self._turn:
            return
        if not capture.told_stalled:
            capture.told_stalled = True
            self.on_problem(STALLED)
        if time.monotonic() - capture.reopened_at >= REOPEN_EVERY_SECONDS:
            capture.reopened_at = time.monotonic()
            self._reopen(capture)

    def _flowing(self, capture: _TurnCapture) -> None:
        if capture.told_stalled and not capture.abandoned:
            capture.told_stalled = False
            self.on_problem(FLOWING)

    def _reopen(self, capture: _TurnCapture) -> None:
        """Close the stalled source and open a new one on the same turn."""
        with self._source_lock:
            old = self._source
            if old is None:  # the turn is ending
                return
            try:
                old.stop()
                fresh = self.make_source()
                fresh.start(lambda chunk: self._receive(capture, chunk))
            except Exception:  # still gone: the next stall tries again
                logger.info("The microphone could not be opened again yet", exc_info=True)
                return
            self._source = fresh

    def _transcribe(self, capture: _TurnCapture) -> None:
        """Recognise the turn in windows that end at pauses, previewing as it grows.

        Whisper hears 30 s at a time and costs about the same for 3 s as for 28 s,
        so a window is as long as fits: a turn that fits one is heard exactly as its
        recording would be, with no edge inside it. A preview of the open window
        shows the words as they come; when nothing was added since, it is the
        window's final text, so the end of the turn waits for no second hearing.
        """
        window = AudioClip(b"")
        preview: tuple[float, str] | None = None  # (window length heard, its text)
        while (stretch := capture.stretches.get()) is not None:
            if window.seconds and window.seconds + stretch.seconds > WINDOW_SECONDS:
                self._commit(capture, window, preview)
                window, preview = AudioClip(b""), None
            window = window + stretch
            heard = preview[0] if preview else 0.0
            if capture.stretches.empty() and window.seconds - heard >= PREVIEW_EVERY_SECONDS:
                text = self._recognise(capture, window)
                preview = (window.seconds, text)
                if not capture.abandoned:
                    self.on_partial(" ".join([*capture.texts, text]).strip())
        if capture.wanted:  # a skipped turn's last words are not worth the wait
            self._commit(capture, window, preview)

    def _commit(
        self, capture: _TurnCapture, window: AudioClip, preview: tuple[float, str] | None
    ) -> None:
        """Settle a window's words: its preview if it heard all of it, else hear it now."""
        if preview is not None and preview[0] == window.seconds:
            self._keep(capture, preview[1])
        elif window.seconds >= 0.2 and loudest_dbfs(window) >= SILENCE_GATE_DBFS:
            self._keep(capture, self._recognise(capture, window))

    def _keep(self, capture: _TurnCapture, text: str) -> None:
        if text:
            capture.texts.append(text)
            if not capture.abandoned:
                self.on_partial(" ".join(capture.texts))

    def _recognise(self, capture: _TurnCapture, clip: AudioClip) -> str:
        """The words in ``clip``; an engine failure is kept for ``finish`` to report."""
        try:
            return self.recognizer.transcribe(clip, " ".join(capture.texts))
        except Exception as error:  # any engine failure: finish reports it once
            capture.errors.append(error)
            return ""
