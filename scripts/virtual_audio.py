"""A private PulseAudio server with a virtual microphone, for real audio tests.

The server gets its own runtime folder, a null sink (speakers nobody hears) and a
``module-pipe-source`` microphone: whatever the test writes into the FIFO is what
the app "hears". It stands in for hardware this machine lacks; the app's capture
and playback code paths are the real ones.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

from guided_talk.speech.audio import SAMPLE_RATE, SAMPLE_WIDTH, AudioClip

CHUNK_SECONDS = 0.1


class VirtualAudio:
    """A running server and the FIFO behind its microphone.

    Like a microphone in a quiet room, it sends sound all the time: silence unless
    someone speaks (``speak``). The pipe source alone sends nothing between writes,
    which no real microphone does, and an app would take the gaps for a stalled
    device. Sound that nobody records is lost, as in a room: when the server stops
    reading the FIFO (no app is capturing), chunks are dropped, not queued.
    """

    def __init__(self, process: subprocess.Popen[bytes], server: str, fifo: Path) -> None:
        self.process, self.server, self.fifo = process, server, fifo
        self._said: queue.Queue[tuple[bytes, threading.Event]] = queue.Queue()
        self._stopping = threading.Event()
        self._room = threading.Thread(target=self._send, daemon=True, name="virtual-room")
        self._room.start()

    def speak(self, clip: AudioClip) -> None:
        """Play ``clip`` into the microphone in real time, as a person would; returns
        once it has been said (it starts within a tenth of a second)."""
        said = threading.Event()
        self._said.put((clip.pcm, said))
        said.wait()

    def stop(self) -> None:
        """Shut the server down."""
        self._stopping.set()
        self._room.join(timeout=2)
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def _send(self) -> None:
        """Write a chunk every tenth of a second: the clip being said, else silence."""
        step = int(CHUNK_SECONDS * SAMPLE_RATE) * SAMPLE_WIDTH
        mic = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
        pcm, offset, said = b"", 0, None
        began = time.monotonic()
        number = 0
        try:
            while not self._stopping.is_set():
                if offset >= len(pcm):
                    if said is not None:
                        said.set()
                    try:
                        (pcm, said), offset = self._said.get_nowait(), 0
                    except queue.Empty:
                        pcm, said, offset = b"", None, 0
                chunk = pcm[offset : offset + step] if pcm else bytes(step)
                offset += step
                time.sleep(max(0.0, began + number * CHUNK_SECONDS - time.monotonic()))
                with contextlib.suppress(BlockingIOError):
                    os.write(mic, chunk)
                number += 1
        finally:
            os.close(mic)
            if said is not None:
                said.set()


def start_virtual_audio(folder: Path) -> VirtualAudio | None:
    """Start PulseAudio in ``folder``; ``None`` where PulseAudio is not installed."""
    binary = shutil.which("pulseaudio")
    if binary is None:
        return None
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700, parents=True)
    fifo = runtime / "mic.fifo"
    socket = runtime / "native"
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "PULSE_RUNTIME_PATH": str(runtime),
        "HOME": str(folder),
    }
    modules = [
        f"module-native-protocol-unix socket={socket}",
        "module-null-sink sink_name=virtual_speakers",
        f"module-pipe-source source_name=virtual_mic file={fifo} "
        "format=s16le rate=16000 channels=1",
    ]
    command = [
        binary,
        "-n",
        "--daemonize=no",
        "--exit-idle-time=-1",
        "--use-pid-file=no",
        "--disallow-exit",
        *(f"--load={m}" for m in modules),
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 10
    while not (socket.exists() and fifo.exists()):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            return None
        time.sleep(0.05)
    server = f"unix:{socket}"
    for setting in ("set-default-source virtual_mic", "set-default-sink virtual_speakers"):
        subprocess.run(
            ["pactl", "--server", server, *setting.split()],
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return VirtualAudio(process, server, fifo)
