#!/usr/bin/env python3
"""The live voice loop through a real audio server, measured.

Every figure comes from speech played in real time into a private PulseAudio
server's virtual microphone and captured by the app's own microphone path, chunked
recognition and end-on-silence rule:

- ``wer``: word error rate of the in-app transcripts against the same audio
  transcribed as one file (the clip itself, and the turn's recording), over every
  clip of the speech folder, one clip per turn, and over long turns made by joining
  the clips with short pauses.
- ``ready``: seconds from the end of a 60 s turn to its finished transcript.
- ``silence``: how late a turn that ends on silence ends after the last word, and
  whether any ended while the person was still speaking (softly, or with pauses
  shorter than the limit).
- ``stall``: the worst delay of an asyncio event loop (the app's) while a prompt is
  spoken, a turn captured and its words recognised.

    python scripts/bench_live_turns.py [--parts wer,ready,silence,stall] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from virtual_audio import VirtualAudio, start_virtual_audio

from guided_talk.speech.audio import SAMPLE_RATE, AudioClip
from guided_talk.speech.decode import read_audio
from guided_talk.speech.listener import ListenerSettings, SpeechTurnListener
from guided_talk.speech.reader import VoiceReader
from guided_talk.speech.recognizers import Recognizer, make_recognizer
from guided_talk.speech.scoring import normalise, word_errors
from guided_talk.speech.sources import MicrophoneSource

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "speech"
#: Long turns are clips joined until at least this long.
LONG_TURN_SECONDS = 25.0
#: How often the runner looks at ``finished_at`` (its ``LOOK_AGAIN``).
LOOK_AGAIN = 0.25


@dataclass(frozen=True)
class Turn:
    name: str
    audio: AudioClip
    reference: str


def speech_clips() -> list[Turn]:
    listed = json.loads((DATA / "manifest.json").read_text())["clips"]
    return [Turn(c["file"], read_audio(DATA / c["file"]), c["reference"]) for c in listed]


def long_turns(clips: list[Turn], seconds: float = LONG_TURN_SECONDS) -> list[Turn]:
    """Consecutive clips joined with 0.5 s pauses, each turn at least ``seconds``."""
    turns, audio, words, names = [], AudioClip(b""), [], []
    for clip in clips:
        audio = audio + clip.audio + AudioClip.silence(0.5)
        words.append(clip.reference)
        names.append(clip.name)
        if audio.seconds >= seconds:
            turns.append(Turn("+".join(names), audio, " ".join(words)))
            audio, words, names = AudioClip(b""), [], []
    return turns


def spoken_in_app(
    audio: VirtualAudio, recognizer: Recognizer, turn: Turn, tail: float = 1.0
) -> tuple[str, float, AudioClip]:
    """Play ``turn`` into the microphone, end the turn ``tail`` s after it, and
    return the transcript, the seconds it took to be ready after the end, and the
    turn's recording."""
    listener = SpeechTurnListener(MicrophoneSource, recognizer)
    listener.begin(None, 0.0)
    audio.speak(AudioClip.silence(0.3) + turn.audio)
    time.sleep(tail)
    ended = time.monotonic()
    text = listener.finish_blocking() or ""
    return text, time.monotonic() - ended, listener.captured


def errors(reference: str, hypothesis: str) -> tuple[int, int]:
    words = normalise(reference)
    return word_errors(words, normalise(hypothesis)), len(words)


def part_wer(audio: VirtualAudio, recognizer: Recognizer) -> dict[str, object]:
    clips = speech_clips()
    figures: dict[str, object] = {}
    for label, turns in (("single clips", clips), ("long turns", long_turns(clips))):
        live = recorded = whole = words = 0
        worse = []
        for turn in turns:
            text, _, recording = spoken_in_app(audio, recognizer, turn)
            as_file = recognizer.transcribe(turn.audio)
            live_errors, count = errors(turn.reference, text)
            file_errors, _ = errors(turn.reference, as_file)
            live += live_errors
            recorded += errors(turn.reference, recognizer.transcribe(recording))[0]
            whole += file_errors
            words += count
            if live_errors > file_errors:
                worse.append(f"{turn.name}: app {text!r} / file {as_file!r}")
        figures[label] = {
            "turns": len(turns),
            "words": words,
            "in_app_wer": round(live / words, 4),
            "recording_as_file_wer": round(recorded / words, 4),
            "as_file_wer": round(whole / words, 4),
            "worse_in_app": worse,
        }
    return figures


def part_ready(audio: VirtualAudio, recognizer: Recognizer, runs: int) -> dict[str, object]:
    clips = speech_clips()
    turn = long_turns(clips, 60.0)[0]
    latencies = []
    wers = []
    for _ in range(runs):
        text, latency, _ = spoken_in_app(audio, recognizer, turn, tail=0.5)
        latencies.append(latency)
        made, count = errors(turn.reference, text)
        wers.append(made / count)
    return {
        "turn_seconds": round(turn.audio.seconds, 1),
        "ready_median_s": round(statistics.median(latencies), 2),
        "ready_max_s": round(max(latencies), 2),
        "wer_median": round(statistics.median(wers), 4),
    }


def sounding(
    clip: AudioClip, below_peak_db: float = 35.0, floor_dbfs: float = -60.0
) -> tuple[float, float]:
    """Seconds into ``clip`` of its first and last 20 ms of sound: within
    ``below_peak_db`` of its loudest and above ``floor_dbfs`` (a recording's hiss)."""
    samples = np.frombuffer(clip.pcm, dtype="<i2").astype(np.float32) / 32768.0
    step = SAMPLE_RATE // 50
    frames = samples[: len(samples) // step * step].reshape(-1, step)
    levels = 20 * np.log10(np.sqrt((frames**2).mean(axis=1)) + 1e-9)
    loud = np.flatnonzero(levels > max(levels.max() - below_peak_db, floor_dbfs))
    if not len(loud):
        return 0.0, 0.0
    return float(loud[0] * step / SAMPLE_RATE), float((loud[-1] + 1) * step / SAMPLE_RATE)


def last_sound(clip: AudioClip) -> float:
    return sounding(clip)[1]


def trimmed(clip: AudioClip) -> AudioClip:
    """``clip`` without its own silence before and after the speech."""
    first, last = sounding(clip)
    return AudioClip(clip.pcm[int(first * SAMPLE_RATE) * 2 : int(last * SAMPLE_RATE) * 2])


def silence_cases(clips: list[Turn]) -> Iterator[tuple[str, AudioClip]]:
    """Speech as people give it: plain, soft, and with pauses under the limit."""
    voiced = [c for c in clips if c.audio.seconds >= 3.0]
    for clip in voiced[:6]:
        yield f"plain {clip.name}", clip.audio
    for clip in voiced[6:9]:
        soft = AudioClip.from_float(clip.audio.to_float() * 0.1)  # 20 dB down
        yield f"soft {clip.name}", soft
    for first, second in zip(voiced[9:12], voiced[12:15], strict=False):
        # The clips' own silences are trimmed, so the quiet between them is 2 s.
        yield (
            f"paused {first.name}+{second.name}",
            trimmed(first.audio) + AudioClip.silence(2.0) + trimmed(second.audio),
        )


def part_silence(audio: VirtualAudio, recognizer: Recognizer, limit: float) -> dict[str, object]:
    lateness, cut, rows = [], [], []
    for name, clip in silence_cases(speech_clips()):
        listener = SpeechTurnListener(
            MicrophoneSource, recognizer, ListenerSettings(end_after_silence=limit)
        )
        listener.begin(None, 0.0)
        lead = AudioClip.silence(0.3)
        began = time.monotonic()
        player = threading.Thread(target=audio.speak, args=(lead + clip + AudioClip.silence(8),))
        player.start()
        deadline = began + lead.seconds + clip.seconds + limit + 8
        while time.monotonic() < deadline:
            finished = listener.finished_at()
            if finished is not None and time.monotonic() >= finished:
                break
            time.sleep(LOOK_AGAIN)
        ended = time.monotonic() - began
        listener.finish_blocking(wanted=False)
        player.join()
        last_word = lead.seconds + last_sound(clip)
        late = ended - last_word - limit
        lateness.append(late)
        if ended < lead.seconds + clip.seconds:
            cut.append(name)
        rows.append(f"{name}: ended {ended:.2f} s, last word {last_word:.2f} s, late {late:+.2f}")
    return {
        "end_after_silence_s": limit,
        "turns": len(lateness),
        "late_median_s": round(statistics.median(lateness), 2),
        "late_max_s": round(max(lateness), 2),
        "cut_while_speaking": cut,
        "turns_detail": rows,
    }


async def _watch_loop(stop: asyncio.Event) -> float:
    """The worst lateness of a 10 ms timer until ``stop``."""
    worst = 0.0
    while not stop.is_set():
        due = time.perf_counter() + 0.01
        await asyncio.sleep(0.01)
        worst = max(worst, time.perf_counter() - due)
    return worst


async def _prompt_then_turn(audio: VirtualAudio, recognizer: Recognizer, turn: Turn) -> None:
    reader = VoiceReader()
    try:
        await reader.read("Take a breath. When you are ready, tell your partner one thing.")
        listener = SpeechTurnListener(MicrophoneSource, recognizer)
        listener.begin(None, 0.0)
        await asyncio.to_thread(audio.speak, AudioClip.silence(0.3) + turn.audio)
        await listener.finish(None, "done")
    finally:
        reader.close()


def part_stall(audio: VirtualAudio, recognizer: Recognizer, runs: int) -> dict[str, object]:
    turn = long_turns(speech_clips())[0]

    async def once() -> float:
        stop = asyncio.Event()
        watcher = asyncio.create_task(_watch_loop(stop))
        await _prompt_then_turn(audio, recognizer, turn)
        stop.set()
        return await watcher

    worst = [asyncio.run(once()) for _ in range(runs)]
    return {
        "turn_seconds": round(turn.audio.seconds, 1),
        "worst_stall_median_ms": round(statistics.median(worst) * 1000, 1),
        "worst_stall_max_ms": round(max(worst) * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="wer,ready,silence,stall")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--silence", type=float, default=4.0, help="end after this quiet")
    args = parser.parse_args()
    if not (DATA / "manifest.json").is_file():
        print(f"bench_live_turns: no speech clips in {DATA}", file=sys.stderr)
        return 1
    audio = start_virtual_audio(Path(tempfile.mkdtemp()))
    if audio is None:
        print("bench_live_turns: PulseAudio is not installed", file=sys.stderr)
        return 1
    os.environ["PULSE_SERVER"] = audio.server
    recognizer = make_recognizer("whisper")
    recognizer.load()
    figures: dict[str, object] = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
    }
    try:
        parts = args.parts.split(",")
        if "wer" in parts:
            figures["wer"] = part_wer(audio, recognizer)
        if "ready" in parts:
            figures["ready"] = part_ready(audio, recognizer, args.runs)
        if "silence" in parts:
            figures["silence"] = part_silence(audio, recognizer, args.silence)
        if "stall" in parts:
            figures["stall"] = part_stall(audio, recognizer, args.runs)
    finally:
        audio.stop()
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
