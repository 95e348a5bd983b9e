#!/usr/bin/env python3
"""Measure schedule drift of a whole session on the real monotonic clock.

Builds a timed exercise of ``--minutes`` (default 20) in 30-second turns, runs it
through the real runner and engine with no speech (prompts count as read at once),
and reports how late each turn ended against its schedule and how late the session
ended overall. Run it alone: it sleeps for the whole exercise.

    python scripts/bench_engine.py --minutes 20
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import time

from guided_talk.exercises.model import Exercise, Phase, Turn
from guided_talk.session.clock import MonotonicClock
from guided_talk.session.engine import Engine
from guided_talk.session.events import AnyEvent, SessionEnded, TurnEnded
from guided_talk.session.runner import SessionRunner

TURN_SECONDS = 30


def timed_exercise(minutes: float) -> Exercise:
    """Alternating speaker and listener turns adding up to ``minutes``."""
    turns = (
        Turn(id="speak", role="speaker", seconds=TURN_SECONDS, prompts=("Speak.",), capture=False),
        Turn(
            id="reflect",
            role="listener",
            seconds=TURN_SECONDS,
            prompts=("Reflect.",),
            capture=False,
        ),
    )
    repeat = max(1, round(minutes * 60 / (2 * TURN_SECONDS)))
    phase = Phase(id="talk", title="Talk", turns=turns, repeat=repeat, swap_roles=True)
    return Exercise(
        id="bench",
        title="Bench",
        purpose="Timing.",
        goal="listening",
        audience=("couple",),
        roles=("speaker", "listener"),
        phases=(phase,),
    )


async def measure(minutes: float) -> dict[str, float]:
    """Run the session; return lateness figures in milliseconds."""
    clock = MonotonicClock()
    exercise = timed_exercise(minutes)
    engine = Engine(exercise, ("A", "B"), clock)
    begin = clock.now()
    turn_lateness: list[float] = []
    ended_at: list[float] = []

    def on_event(event: AnyEvent) -> None:
        observed = clock.now()
        if isinstance(event, TurnEnded):
            scheduled = begin + (event.turn.index + 1) * TURN_SECONDS
            turn_lateness.append((observed - scheduled) * 1000)
            # Drift shows as the recorded end moving away from the schedule.
            ended_at.append((event.ended_at - scheduled) * 1000)
        elif isinstance(event, SessionEnded):
            ended_at.append((observed - begin - exercise.total_seconds) * 1000)

    await SessionRunner(engine, clock, on_event=on_event).run()
    return {
        "scheduled_s": exercise.total_seconds,
        "turns": len(turn_lateness),
        "turn_end_late_median_ms": statistics.median(turn_lateness),
        "turn_end_late_max_ms": max(turn_lateness),
        "recorded_end_drift_max_ms": max(abs(x) for x in ended_at[:-1]),
        "session_end_late_ms": ended_at[-1],
    }


def main() -> None:
    """Parse arguments, run, print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M")
    results = asyncio.run(measure(args.minutes))
    print(f"bench_engine  {started}  {platform.node()}  python {platform.python_version()}")
    for name, value in results.items():
        print(f"{name:28} {value:.2f}" if isinstance(value, float) else f"{name:28} {value}")


if __name__ == "__main__":
    main()
