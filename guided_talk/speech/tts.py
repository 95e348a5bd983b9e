"""Text-to-speech with pyttsx3, in a child process fed by a queue.

Why a child process: pyttsx3's eSpeak driver prints to the terminal (which would
scribble over the TUI), cannot be initialised twice in one process, and its own
playback shells out to ``aplay``, which may be missing and cannot be interrupted.
So the child only *renders* speech to WAV (``save_to_file``) and sends the audio
back; the parent plays it with miniaudio and can stop it at once. If the child
dies or hands back an empty file (seen with pyttsx3 2.99 after several renders),
it is restarted and the request retried once.

Where no system eSpeak NG library exists, the copy that the ``espeakng-loader``
wheel ships is loaded first, with its voice data, so speech works from pip alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from guided_talk.speech.audio import SAMPLE_RATE, AudioClip
from guided_talk.speech.tts_worker import EMPTY_WAV_BYTES

REPLY_TIMEOUT = 30.0


class SpeechUnavailable(Exception):
    """Speech cannot be produced here; prompts are shown on screen instead."""


@dataclass(frozen=True)
class Voice:
    """One voice the engine offers."""

    id: str
    name: str


@dataclass(frozen=True)
class VoiceSettings:
    """How prompts sound. ``voice`` empty means the engine's default."""

    voice: str = ""
    rate: int = 160
    volume: float = 1.0


class Synthesizer:
    """Parent-side handle on the speech process. Thread-safe; blocking calls."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._lock = threading.Lock()
        self._scratch = ""  # the worker's folder for rendered audio

    def synthesize(self, text: str, settings: VoiceSettings | None = None) -> AudioClip:
        """Render ``text`` to a 16 kHz clip.

        Raises:
            SpeechUnavailable: If no speech engine works on this machine.
        """
        settings = settings or VoiceSettings()
        request = {"op": "speak", "text": text, **asdict(settings)}
        with self._lock:
            payload: Any = None
            for attempt in range(2):
                kind, payload = self._ask(request, restart=attempt > 0)
                if kind == "audio" and len(payload) > EMPTY_WAV_BYTES:
                    return _decode_wav(payload)
            raise SpeechUnavailable(f"the speech engine gave no audio ({payload or 'empty'})")

    def voices(self) -> list[Voice]:
        """The voices the engine offers (empty if speech is unavailable)."""
        with self._lock:
            try:
                kind, payload = self._ask({"op": "voices"}, restart=False)
            except SpeechUnavailable:
                return []
        return [Voice(*pair) for pair in payload] if kind == "voices" else []

    @property
    def pid(self) -> int | None:
        """The speech process's id, while it runs."""
        return self._process.pid if self._process is not None else None

    def close(self) -> None:
        """Stop the speech process."""
        with self._lock:
            self._stop_process()

    def _ask(self, request: dict[str, Any], restart: bool) -> tuple[str, Any]:
        if restart or self._process is None or self._process.poll() is not None:
            self._start()
        assert self._process is not None and self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps(request).encode() + b"\n")
            self._process.stdin.flush()
        except OSError:
            return ("error", "the speech engine stopped")
        return self._reply()

    def _reply(self) -> tuple[str, Any]:
        try:
            return self._replies.get(timeout=REPLY_TIMEOUT)
        except queue.Empty:
            self._stop_process()
            return ("error", "the speech engine stopped answering")

    def _start(self) -> None:
        self._stop_process()
        self._replies = queue.Queue()
        self._scratch = tempfile.mkdtemp(prefix="guided-talk-tts-", dir=_scratch_root())
        process = subprocess.Popen(
            [sys.executable, "-m", "guided_talk.speech.tts_worker", self._scratch],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._process = process
        threading.Thread(
            target=_read_replies, args=(process, self._replies), daemon=True, name="tts-replies"
        ).start()
        kind, payload = self._reply()
        if kind != "ready":
            self._stop_process()
            raise SpeechUnavailable(f"no text-to-speech engine could start ({payload})")

    def _stop_process(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            assert process.stdin is not None
            process.stdin.close()  # end of input: the worker exits
        try:
            process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=1)
        if self._scratch:
            shutil.rmtree(self._scratch, ignore_errors=True)


def _scratch_root() -> str | None:
    """``/dev/shm`` (RAM) when it is usable, else the usual temporary folder."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def _read_replies(process: subprocess.Popen[bytes], replies: queue.Queue[tuple[str, Any]]) -> None:
    """Turn the worker's reply stream into queue items; a dead worker ends it."""
    stream = process.stdout
    assert stream is not None
    while header := stream.readline():
        try:
            message = json.loads(header)
        except ValueError:  # cut off mid-line: the worker died
            break
        kind = message["kind"]
        if kind == "audio":
            audio = stream.read(message["bytes"])
            if len(audio) < message["bytes"]:  # died mid-reply: never play half a prompt
                break
            replies.put((kind, audio))
        else:
            replies.put((kind, message.get("data")))
    replies.put(("error", "the speech engine stopped"))


def _decode_wav(data: bytes) -> AudioClip:
    import miniaudio

    decoded = miniaudio.decode(
        data, output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1, sample_rate=SAMPLE_RATE
    )
    return AudioClip(decoded.samples.tobytes())
