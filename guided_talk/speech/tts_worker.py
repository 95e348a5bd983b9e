"""The speech process: renders text to WAV with pyttsx3, one request at a time.

Run as ``python -m guided_talk.speech.tts_worker`` by ``tts.Synthesizer``.
Requests arrive as JSON lines on stdin; each reply is a JSON line on the original
stdout, followed for audio by that many raw WAV bytes. File descriptors 1 and 2 are
pointed at /dev/null first, because pyttsx3 prints to the terminal.
"""

from __future__ import annotations

import ctypes
import json
import os
import platform
import shutil
import sys
from pathlib import Path
from typing import Any, BinaryIO

#: A WAV header alone is 44 bytes; anything that small holds no speech.
EMPTY_WAV_BYTES = 44


def prepare_espeak() -> None:
    """Make pyttsx3 find an eSpeak NG library: the system's, else the pip one."""
    try:
        ctypes.CDLL("libespeak-ng.so.1")
        return
    except OSError:
        pass
    import espeakng_loader

    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    # Loaded globally under its soname, pyttsx3's own lookup then finds it.
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)


def send(out: BinaryIO, kind: str, data: object = None, audio: bytes | None = None) -> None:
    """Write one reply."""
    header: dict[str, object] = {"kind": kind, "data": data}
    if audio is not None:
        header["bytes"] = len(audio)
    out.write(json.dumps(header).encode() + b"\n")
    if audio is not None:
        out.write(audio)
    out.flush()


def render(engine: Any, request: dict[str, Any], target: Path) -> bytes:
    """Speak ``request['text']`` into ``target`` and return the WAV bytes."""
    if request.get("voice"):
        engine.setProperty("voice", request["voice"])
    engine.setProperty("rate", int(request.get("rate", 160)))
    engine.setProperty("volume", float(request.get("volume", 1.0)))
    target.unlink(missing_ok=True)
    data = b""
    for _ in range(3):  # an empty render is retried: it is rare and passes
        engine.save_to_file(request["text"], str(target))
        engine.runAndWait()
        data = target.read_bytes() if target.exists() else b""
        target.unlink(missing_ok=True)
        if len(data) > EMPTY_WAV_BYTES:
            break
    return data


def answer(engine: Any, request: dict[str, Any], target: Path, out: BinaryIO) -> None:
    """Handle one request; an engine error becomes an error reply."""
    try:
        if request.get("op") == "voices":
            voices = [[str(v.id), str(v.name)] for v in engine.getProperty("voices")]
            send(out, "voices", voices)
        else:
            send(out, "audio", audio=render(engine, request, target))
    except Exception as error:  # any engine failure becomes an error reply; the parent decides
        send(out, "error", f"{type(error).__name__}: {error}")


def main() -> None:
    """Serve requests until stdin closes."""
    out = os.fdopen(os.dup(1), "wb")
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    try:
        if platform.system() == "Linux":
            prepare_espeak()
        import pyttsx3

        engine = pyttsx3.init()
    except Exception as error:  # no engine, whatever the cause: say so and stop
        send(out, "error", f"{type(error).__name__}: {error}")
        return
    # pyttsx3 can only render to a file, in a scratch folder (in RAM where it can).
    # The parent removes it when it stops this process; this process removes it
    # too when its input closes, which also happens when the parent is killed.
    scratch = Path(sys.argv[1])
    target = scratch / "speech.wav"
    try:
        # The first render of a fresh pyttsx3 2.99 engine often comes back empty (a
        # bare 44-byte WAV header); render once here so that users' prompts never are.
        render(engine, {"text": "Ready."}, target)
        send(out, "ready")
        for line in sys.stdin.buffer:
            answer(engine, json.loads(line), target, out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
