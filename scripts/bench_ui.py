#!/usr/bin/env python3
"""Is the screen responsive while speech runs? And how fast does the app open?

1. Event-loop lag: the real app (headless, through Textual's Pilot) runs a real
   mirroring session with the real engines: prompts rendered by the TTS process and
   played through miniaudio, each turn's speech played in real time from a clip into
   the app's capture path and recognised by Whisper while the person "talks". A task
   on the app's event loop asks to wake every 10 ms and records how late it wakes.
2. Start-up: ``guided-talk`` is launched in tmux and the screen polled until the
   home screen shows.

    python scripts/bench_ui.py --seconds 90
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from virtual_audio import start_virtual_audio

from guided_talk.exercises.loader import load_library
from guided_talk.feedback.semantic import load_encoder
from guided_talk.session.clock import MonotonicClock
from guided_talk.settings import Settings
from guided_talk.speech.kit import SpeechChoices, make_reader
from guided_talk.speech.listener import SpeechTurnListener
from guided_talk.speech.recognizers import Recognizer, make_recognizer
from guided_talk.speech.sources import ClipSource
from guided_talk.speech.tts import Synthesizer
from guided_talk.tui.app import make_app
from guided_talk.tui.services import Services

TICK = 0.010
SPEECH = (
    "This week work piled up and I came home tired every night, and I felt like I had "
    "nothing left for us. I missed our Sunday walk more than I said."
)


def services(database: Path) -> Services:
    """Real engines; the "person" is a TTS clip played in real time."""
    recognizer = make_recognizer("whisper")
    synth = Synthesizer()
    person = synth.synthesize(SPEECH)
    synth.close()

    def listener(notify: Any, on_level: Any, on_partial: Any) -> SpeechTurnListener:
        return SpeechTurnListener(
            lambda: ClipSource(person),
            recognizer,
            on_level=on_level,
            on_partial=on_partial,
            on_problem=notify,
        )

    return Services(
        library=load_library(),
        settings=Settings(),
        settings_problems=[],
        database=database,
        clock=MonotonicClock(),
        make_reader=lambda notify: make_reader(SpeechChoices(), notify),
        make_listener=listener,
        preload=lambda: preload(recognizer),
    )


def preload(recognizer: Recognizer) -> None:
    """What the app loads at start-up."""
    load_encoder()
    recognizer.load()


async def measure_lag(seconds: float) -> list[float]:
    """Run a session for ``seconds`` and return the loop's wake-up lateness in ms."""
    app = make_app(services(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
    lags: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()  # models load at start-up, as in the app
        await pilot.press("enter", *["down"] * 6, "enter", "enter")  # couple > mirroring

        async def watch() -> None:
            while True:
                due = time.perf_counter() + TICK
                await asyncio.sleep(TICK)
                lags.append((time.perf_counter() - due) * 1000)

        watcher = asyncio.create_task(watch())
        await asyncio.sleep(seconds)  # the session runs on its own, on the real clock
        watcher.cancel()
        await pilot.press("q")
    return lags


def measure_startup(runs: int) -> list[float]:
    """Seconds from launching ``guided-talk`` in tmux to the home screen showing."""
    if shutil.which("tmux") is None:
        return []
    times = []
    for n in range(runs):
        name = f"bench-ui-{os.getpid()}-{n}"
        folder = tempfile.mkdtemp()
        command = (
            f"env GUIDED_TALK_DATA_DIR={folder} GUIDED_TALK_CONFIG_DIR={folder} "
            f"{sys.executable} -m guided_talk"
        )
        began = time.perf_counter()
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command], check=True
        )
        while time.perf_counter() - began < 20:
            pane = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", name],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if "Couple session" in pane:
                times.append(time.perf_counter() - began)
                break
            time.sleep(0.01)
        subprocess.run(["tmux", "kill-session", "-t", name], check=False)
    return times


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--startup-runs", type=int, default=5)
    args = parser.parse_args()
    audio = start_virtual_audio(Path(tempfile.mkdtemp()))
    if audio is not None:
        os.environ["PULSE_SERVER"] = audio.server  # prompts play to a virtual speaker
    try:
        lags = asyncio.run(measure_lag(args.seconds))
    finally:
        if audio is not None:
            audio.stop()
    startup = measure_startup(args.startup_runs)
    lags.sort()
    print(
        f"bench_ui  {time.strftime('%Y-%m-%d %H:%M')}  {platform.node()}  "
        f"session {args.seconds:.0f}s  audio={'pulse' if audio else 'none'}"
    )
    print(f"loop wake-ups measured        {len(lags)}")
    print(f"loop lag median               {statistics.median(lags):.1f} ms")
    print(f"loop lag 99th percentile      {lags[int(len(lags) * 0.99)]:.1f} ms")
    print(f"loop lag max                  {lags[-1]:.1f} ms")
    print(f"wake-ups later than 50 ms     {sum(lag > 50 for lag in lags)}")
    if startup:
        print(
            f"start-up to home screen, median  {statistics.median(startup):.2f} s "
            f"(max {max(startup):.2f} s, {len(startup)} runs)"
        )


if __name__ == "__main__":
    main()
