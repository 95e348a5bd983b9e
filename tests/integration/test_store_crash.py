"""A process killed at any moment never loses a turn it reported as recorded.

A child process records turns one by one and prints each index once
``record_turn`` has returned; the test SIGKILLs it after some turns or at a random
moment (often in the middle of a write), then checks the database.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from guided_talk.store import Store
from guided_talk.store.codec import Codec
from tests.support.paths import REPO

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

KILLS = 20

CHILD = """
import sys
from pathlib import Path
from guided_talk.store import Store, TurnRecord

path, session_id = Path(sys.argv[1]), sys.argv[2]
words = " and then I said how tired I was" * 300  # several pages per turn
with Store.open(path) as store:
    index = store.get_session(session_id).summary.next_index
    while True:
        turn = TurnRecord(
            index=index, round=0, phase_id="share", turn_id="speak", role="speaker",
            participant="Ana", prompt="Tell Ben.", transcript=f"{index}:{words}",
            started_at=1.0, ended_at=2.0, status="done",
        )
        store.record_turn(session_id, turn)
        print(index, flush=True)
        index += 1
"""


class Child:
    """The recording child process and the indices it has reported."""

    def __init__(self, db_path: Path, session_id: str) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db_path), session_id],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        self.reported: list[int] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.endswith("\n"):
                with self._changed:
                    self.reported.append(int(line))
                    self._changed.notify_all()

    def wait_for_turns(self, count: int, timeout: float = 10.0) -> None:
        with self._changed:
            done = self._changed.wait_for(
                lambda: len(self.reported) >= count or self.process.poll() is not None, timeout
            )
        assert done and self.process.poll() is None, self.failure()

    def kill(self) -> list[int]:
        """SIGKILLs the child; returns every index it reported before dying."""
        self.process.kill()
        self.process.wait()
        self._reader.join(timeout=5)
        assert self.process.returncode == -9, self.failure()
        return list(self.reported)

    def failure(self) -> str:
        stderr = (
            self.process.stderr.read()
            if self.process.stderr and self.process.poll() is not None
            else ""
        )
        return f"child exited with {self.process.returncode}: {stderr}"


def check_database(db_path: Path, session_id: str, reported: list[int]) -> int:
    """Asserts the database is sound and holds every reported turn; returns the count."""
    with Store.open(db_path) as store:
        summary = store.get_session(session_id).summary
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = conn.execute(
            "SELECT idx, transcript FROM turns WHERE session_id = ? ORDER BY idx", (session_id,)
        ).fetchall()
    finally:
        conn.close()
    indices = [idx for idx, _ in rows]
    assert indices == list(range(len(rows))), "turns are missing or repeated"
    assert all((Codec().decode(text) or "").startswith(f"{idx}:") for idx, text in rows)
    assert set(reported) <= set(indices), "a reported turn was lost"
    assert summary.next_index == len(rows) == summary.turn_count
    return len(rows)


def test_killed_writer_never_loses_a_reported_turn(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "guided-talk.sqlite3"
    with Store.open(db_path) as store:
        session_id = store.create_session("listen", "Listening", ["Ana", "Ben"])
    chance = random.Random(20240503)
    reported_total: list[int] = []
    started = time.monotonic()

    for kill in range(KILLS):
        child = Child(db_path, session_id)
        if kill % 2 == 0:
            child.wait_for_turns(chance.randint(1, 4))
        else:
            time.sleep(chance.uniform(0.0, 0.25))
        reported = child.kill()
        reported_total += reported
        stored = check_database(db_path, session_id, reported_total)
        assert stored >= len(reported_total)

    assert len(reported_total) >= KILLS // 2
    assert time.monotonic() - started < 30
