#!/usr/bin/env python3
"""How soon after a long turn ends is its transcript ready?

Plays about 60 s of real speech in real time into a private PulseAudio server's
virtual microphone, captures it with the app's own microphone path and chunked
recognition, ends the turn when the speech is over, and measures the time from the
end of the turn to the finished transcript. Falls back to playing the file straight
into the listener (``--source clip``) where PulseAudio is not installed.

    python scripts/bench_turn_latency.py --runs 3
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from virtual_audio import start_virtual_audio

from guided_talk.speech.audio import AudioClip
from guided_talk.speech.decode import read_audio
from guided_talk.speech.listener import SpeechTurnListener
from guided_talk.speech.recognizers import make_recognizer
from guided_talk.speech.scoring import word_error_rate
from guided_talk.speech.sources import AudioSource, ClipSource, MicrophoneSource

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "speech"


def long_turn(seconds: float) -> tuple[AudioClip, str]:
    """Real clips joined with short pauses until ``seconds`` of speech."""
    clips = json.loads((DATA / "manifest.json").read_text())["clips"]
    audio, words = AudioClip(b""), []
    while audio.seconds < seconds:
        for clip in clips:
            audio = audio + read_audio(DATA / clip["file"]) + AudioClip.silence(0.6)
            words.append(clip["reference"])
            if audio.seconds >= seconds:
                break
    return audio, " ".join(words)


def one_run(turn: AudioClip, reference: str, source: str, audio: object) -> dict[str, float]:
    """Speak the turn, end it, and time the transcript."""
    recognizer = make_recognizer("whisper")
    recognizer.load()
    if source == "pulse":
        make: type[AudioSource] | object = MicrophoneSource
        feeder = threading.Thread(target=audio.speak, args=(turn,))  # type: ignore[attr-defined]
    else:
        make = lambda: ClipSource(turn)  # noqa: E731
        feeder = threading.Thread(target=time.sleep, args=(turn.seconds,))
    listener = SpeechTurnListener(make, recognizer)  # type: ignore[arg-type]
    listener.begin(None, 0.0)
    feeder.start()
    feeder.join()
    ended = time.monotonic()
    text = listener.finish_blocking() or ""
    return {"latency_s": time.monotonic() - ended, "wer": word_error_rate(reference, text)}


def main() -> None:
    """Run, print figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--source", choices=("pulse", "clip"), default="pulse")
    args = parser.parse_args()
    turn, reference = long_turn(args.seconds)
    audio = None
    if args.source == "pulse":
        audio = start_virtual_audio(Path(tempfile.mkdtemp()))
        if audio is None:
            print("PulseAudio is not installed; using --source clip")
            args.source = "clip"
        else:
            import os

            os.environ["PULSE_SERVER"] = audio.server
    try:
        runs = [one_run(turn, reference, args.source, audio) for _ in range(args.runs)]
    finally:
        if audio is not None:
            audio.stop()
    latencies = [r["latency_s"] for r in runs]
    print(
        f"bench_turn_latency  {time.strftime('%Y-%m-%d %H:%M')}  {platform.node()}  "
        f"source={args.source}  turn={turn.seconds:.1f}s  runs={args.runs}"
    )
    print(f"latency after turn end, median  {statistics.median(latencies):.2f} s")
    print(f"latency after turn end, max     {max(latencies):.2f} s")
    print(f"word error rate, median         {statistics.median(r['wer'] for r in runs):.1%}")


if __name__ == "__main__":
    main()
