#!/usr/bin/env python3
"""The app's memory over a whole evening through a real audio server.

Runs the soak test's evening (tests/support/evening.py: three mirroring dialogues
in one app run, spoken into a private PulseAudio server's virtual microphone, with
pauses, a time-out, typed turns and skips) and samples the process's resident
memory every half second. Reports the peak, the memory on the home screen after
each session, and the growth from the first session to the last.

    python scripts/bench_evening.py [--sessions 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the driver in tests/support
sys.path.insert(0, str(Path(__file__).resolve().parent))

from virtual_audio import start_virtual_audio

from tests.support.evening import Evening, pause_words, until

PAGE = os.sysconf("SC_PAGE_SIZE")


def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux)."""
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * PAGE / 1e6


class Sampler:
    """Samples resident memory on a thread until stopped; keeps the peak."""

    def __init__(self, every: float = 0.5) -> None:
        self.every = every
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, resident_mb())
            self._stop.wait(self.every)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["GUIDED_TALK_DATA_DIR"] = str(folder / "data")
    os.environ["GUIDED_TALK_CONFIG_DIR"] = str(folder / "config")
    audio = start_virtual_audio(folder)
    if audio is None:
        print("bench_evening: PulseAudio is not installed", file=sys.stderr)
        return 1
    os.environ["PULSE_SERVER"] = audio.server

    from guided_talk.tui.app import make_app
    from guided_talk.tui.screens.home import HomeScreen
    from guided_talk.tui.services import default_services

    after_session: list[float] = []
    turns = 0
    pause_clip = pause_words()
    app = make_app(default_services())
    began = time.monotonic()

    async def evening() -> None:
        nonlocal turns
        async with app.run_test(size=(100, 32)) as pilot:
            driver = Evening(app, pilot, audio)
            for _ in range(args.sessions):
                await driver.session(pause_clip)
                await pilot.press("q")
                await until(pilot, lambda: isinstance(app.screen, HomeScreen))
                after_session.append(resident_mb())
            turns = sum(len(spoken) for spoken in driver.spoken.values())
            await pilot.press("ctrl+q")

    try:
        with Sampler() as sampler:
            asyncio.run(evening())
    finally:
        audio.stop()
    figures = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "sessions": args.sessions,
        "turns_spoken_or_typed": turns,
        "minutes": round((time.monotonic() - began) / 60, 1),
        "peak_mb": round(sampler.peak, 1),
        "after_each_session_mb": [round(m, 1) for m in after_session],
        "growth_first_to_last_mb": round(after_session[-1] - after_session[0], 1),
    }
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
