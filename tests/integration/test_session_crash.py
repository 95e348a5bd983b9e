"""The crash harness: SIGKILL real sessions at random moments; nothing finished is lost.

A child process runs session after session on a real store; the test kills it at a
random moment, checks the database, and starts it again, until the target number of
sessions has been run to the end. 200 sessions under ``.ci/run``, 20 otherwise.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from guided_talk.store import Store
from tests.support.paths import REPO

CHILD = REPO / "tests" / "support" / "crash_child.py"
SESSIONS = 200 if os.environ.get("GUIDED_TALK_FULL_TESTS") else 20
TURNS = 9  # crash_child.ROUNDS rounds of three turns


@dataclass
class Tally:
    """What the harness saw, printed at the end so the report can quote it."""

    kills: int = 0
    interrupted: set[str] = field(default_factory=set)
    resumes: int = 0
    saved: dict[str, set[int]] = field(default_factory=dict)


def stored(database: Path) -> dict[str, tuple[list[int], int, str]]:
    """Each session's stored turn indexes, resume point and status; checks integrity.

    Turns are read through the store, so finished sessions (packed into one value)
    are checked just like those still kept turn by turn.
    """
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store.open(database) as store:
        details = [store.get_session(s.id) for s in store.list_sessions(limit=10 * SESSIONS)]
    return {
        d.summary.id: ([t.index for t in d.turns], d.summary.next_index, d.summary.status)
        for d in details
    }


def check(database: Path, tally: Tally) -> dict[str, tuple[list[int], int, str]]:
    """Everything reported saved is there, once, and each session resumes right."""
    sessions = stored(database)
    for session_id, saved in tally.saved.items():
        indexes = sessions[session_id][0]
        assert saved <= set(indexes), f"a turn of {session_id} reported as saved is missing"
    unfinished = 0
    for session_id, (indexes, next_index, status) in sessions.items():
        assert indexes == list(range(len(indexes))), f"{session_id}: turns missing or doubled"
        assert next_index == len(indexes), f"{session_id} would resume at the wrong turn"
        if status == "finished":
            assert len(indexes) == TURNS
        else:
            unfinished += 1
            if indexes:
                tally.interrupted.add(session_id)
    assert unfinished <= 1
    return sessions


def run_child(database: Path, delay: float | None, tally: Tally) -> Counter[str]:
    """Run the child; kill it ``delay`` seconds after it is ready (None: let it end)."""
    before = stored(database) if database.exists() else {}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(database), str(SESSIONS)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    if delay is not None:
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
    out = child.stdout.read()  # the same buffered reader that saw "ready"
    child.wait(timeout=600)
    seen: Counter[str] = Counter()
    for line in out.splitlines():
        word, *rest = line.split()
        seen[word] += 1
        if word == "saved":
            tally.saved.setdefault(rest[0], set()).add(int(rest[1]))
        elif word == "resume":
            tally.resumes += 1
            indexes, next_index, _ = before[rest[0]]
            assert int(rest[1]) == next_index == len(indexes), "resumed at the wrong turn"
            before[rest[0]] = (indexes, TURNS, "finished")  # only the first resume is checked
    return seen


def test_killed_sessions_lose_no_finished_turn_and_resume(tmp_path: Path) -> None:
    database = tmp_path / "crash.sqlite3"
    rng = random.Random(2026)
    tally = Tally()
    finished = 0
    while finished < SESSIONS:
        seen = run_child(database, rng.uniform(0.0, 1.5), tally)
        if seen["all"]:  # the child reached the target before the kill
            break
        tally.kills += 1
        sessions = check(database, tally)
        finished = sum(1 for _, _, status in sessions.values() if status == "finished")
    run_child(database, None, tally)  # the last run resumes whatever is left and ends
    sessions = check(database, tally)
    assert len(sessions) == SESSIONS
    assert all(status == "finished" for _, _, status in sessions.values())
    assert len(tally.interrupted) >= SESSIONS // 4
    assert tally.resumes >= len(tally.interrupted)
    print(
        f"\ncrash harness: {SESSIONS} sessions, {tally.kills} kills,"
        f" {len(tally.interrupted)} sessions cut off part-way and resumed"
        f" ({tally.resumes} resumes), {sum(map(len, tally.saved.values()))} turns saved"
    )
