"""Child process for the crash harness: runs sessions on a real store until told to stop.

It first resumes an unfinished session if there is one, else starts a new one, and
stops once ``target`` sessions are finished. It prints ``resume ID N`` when it picks
a session up at turn N, ``saved ID N`` after turn N is committed and ``finished ID``
at the end, so the parent knows what must survive a SIGKILL. Scripted partners stand
in for people; a short real sleep in each turn lets a kill land mid-turn as well as
between turns.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for tests.support

from guided_talk.session.analysis import analyze_turn
from guided_talk.session.clock import FastForwardClock
from guided_talk.session.engine import Engine
from guided_talk.session.events import AnyEvent, CaptureReady
from guided_talk.session.plan import PlannedTurn
from guided_talk.session.runner import SessionRunner
from guided_talk.session.scripted import ScriptedPartners
from guided_talk.store import Store
from tests.support.builders import listening_exercise

PEOPLE = ("Ana", "Ben")
ROUNDS = 3  # nine turns a session


class SlowPartners(ScriptedPartners):
    async def finish(self, turn: PlannedTurn, status: str) -> str | None:
        time.sleep(0.03)  # a real pause, so a kill can arrive during a turn
        return await super().finish(turn, status)


def run_one(store: Store, session_id: str, start: int) -> None:
    clock = FastForwardClock()

    def on_event(event: AnyEvent) -> None:
        if isinstance(event, CaptureReady):
            print(f"saved {session_id} {event.turn.index}", flush=True)

    engine = Engine(listening_exercise(rounds=ROUNDS), PEOPLE, clock, start_index=start)
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
    print(f"finished {session_id}", flush=True)


def main(database: str, target: int) -> None:
    store = Store.open(Path(database))
    exercise = listening_exercise(rounds=ROUNDS)
    print("ready", flush=True)
    while True:
        unfinished = store.unfinished_sessions()
        if unfinished:
            session_id, start = unfinished[0].id, unfinished[0].next_index
            print(f"resume {session_id} {start}", flush=True)
        elif len(store.list_sessions(limit=target + 1)) < target:
            session_id, start = store.create_session(exercise.id, exercise.title, PEOPLE), 0
        else:
            break
        run_one(store, session_id, start)
    print("all done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
