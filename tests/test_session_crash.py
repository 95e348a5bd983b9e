"""SIGKILL a real session between and during turns; nothing finished is lost."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

CHILD = Path(__file__).parent / "crash_child.py"
KILLS = 40 if os.environ.get("GUIDED_TALK_FULL_TESTS") else 12


def run_child_until_killed(database: Path, delay: float) -> tuple[list[int], bool]:
    """Start the child, kill it after ``delay`` seconds; return what it reported."""
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(database)], stdout=subprocess.PIPE, text=True
    )
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    saved = [int(line.split()[1]) for line in out.splitlines() if line.startswith("saved")]
    return saved, "finished" in out


def stored_turns(database: Path) -> tuple[list[int], int, str]:
    with sqlite3.connect(database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        indexes = [row[0] for row in conn.execute("SELECT idx FROM turns ORDER BY idx")]
        next_index, status = conn.execute("SELECT next_index, status FROM sessions").fetchone()
    return indexes, next_index, status


def test_killed_sessions_lose_no_finished_turn_and_resume(tmp_path: Path) -> None:
    database = tmp_path / "crash.sqlite3"
    rng = random.Random(2026)
    reported: set[int] = set()
    finished = False
    kills = 0
    while not finished and kills < KILLS:
        saved, finished = run_child_until_killed(database, rng.uniform(0.3, 0.8))
        kills += 1
        reported.update(saved)
        if not database.exists():
            continue
        indexes, next_index, status = stored_turns(database)
        assert reported <= set(indexes), "a turn reported as saved is missing"
        assert indexes == list(range(len(indexes))), "turns are missing or doubled"
        assert next_index == len(indexes), "the session would not resume at the right turn"
        assert status in ("active", "finished")
    if not finished:  # the last resume runs to the end
        done = subprocess.run(
            [sys.executable, str(CHILD), str(database)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert "finished" in done.stdout
    indexes, next_index, status = stored_turns(database)
    assert indexes == list(range(36)) and next_index == 36 and status == "finished"
    assert kills >= 3
