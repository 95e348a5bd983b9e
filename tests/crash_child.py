"""Child process for the crash test: runs (or resumes) a session on a real store.

Prints ``saved N`` after turn N is committed, so the parent knows what must survive.
Scripted partners stand in for people; a short real sleep in each turn gives the
parent's SIGKILL time to land mid-turn as well as between turns.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from builders import listening_exercise

from guided_talk.cli.demo import ScriptedPartners
from guided_talk.session.analysis import analyze_turn
from guided_talk.session.clock import FastForwardClock
from guided_talk.session.engine import Engine
from guided_talk.session.events import AnyEvent, CaptureReady
from guided_talk.session.plan import PlannedTurn
from guided_talk.session.runner import SessionRunner
from guided_talk.store import Store

PEOPLE = ("Ana", "Ben")


class SlowPartners(ScriptedPartners):
    async def finish(self, turn: PlannedTurn, status: str) -> str | None:
        time.sleep(0.03)  # a real pause, so a kill can arrive during a turn
        return await super().finish(turn, status)


def main(database: str) -> None:
    store = Store.open(Path(database))
    exercise = listening_exercise(rounds=12)
    unfinished = store.unfinished_sessions()
    if unfinished:
        session_id, start = unfinished[0].id, unfinished[0].next_index
    else:
        session_id, start = store.create_session(exercise.id, exercise.title, PEOPLE), 0
    clock = FastForwardClock()

    def on_event(event: AnyEvent) -> None:
        if isinstance(event, CaptureReady):
            print(f"saved {event.turn.index}", flush=True)

    engine = Engine(exercise, PEOPLE, clock, start_index=start)
    runner = SessionRunner(
        engine,
        clock,
        store=store,
        session_id=session_id,
        listener=SlowPartners(clock),
        analyzer=analyze_turn,
        on_event=on_event,
    )
    asyncio.run(runner.run())
    print("finished", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
