"""The database on disk: what its files hold, and filling it up like a full disk."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import suppress
from itertools import count
from pathlib import Path

from guided_talk.feedback.findings import ExpressionFindings
from guided_talk.store import Store, StoreError, TurnRecord
from guided_talk.values import TurnStatus


def files_hold(db_path: Path, needle: bytes) -> bool:
    """Whether the database or any file SQLite keeps beside it contains ``needle``."""
    candidates = [db_path, *(Path(f"{db_path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))]
    return any(needle in path.read_bytes() for path in candidates if path.exists())


def fill_disk(store: Store, full: bool) -> None:
    """Cap the file at its current size (full) or lift the cap (space freed)."""
    with store._lock:  # the store's own connection, as the session uses it
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages if full else 1 << 30}")


def fill_to_the_brim(store: Store) -> None:
    """Cap the file, then use up the room left in every table's pages (with
    incompressible filler), so the next write of any kind fails."""
    filler = store.create_session("filler", "filler", ["filler"])
    store.record_turn(filler, filler_turn(0, "x"))
    fill_disk(store, full=True)
    index = count(1)
    writes: list[Callable[[int], object]] = [
        lambda size: store.create_session("filler", secrets.token_hex(size), ["filler"]),
        lambda size: store.record_turn(filler, filler_turn(next(index), secrets.token_hex(size))),
        lambda size: add_filler_finding(store, filler, next(index), size),
        lambda size: store.add_rating(filler, 0, secrets.token_hex(max(1, size // 2)), 3),
    ]
    for size in (2000, 500, 100, 20, 4, 1):  # big rows first, then the crumbs
        for write in writes:
            with suppress(StoreError):
                while True:
                    write(size)


def add_filler_finding(store: Store, filler: str, index: int, size: int) -> None:
    """A finding on a turn of its own (a turn holds one finding of each kind)."""
    store.record_turn(filler, filler_turn(index, ""))
    store.add_feedback(filler, index, ExpressionFindings(tips=(secrets.token_hex(size),)))


def filler_turn(index: int, text: str) -> TurnRecord:
    return TurnRecord(
        index=index,
        round=0,
        phase_id="filler",
        turn_id="filler",
        role="speaker",
        participant="filler",
        prompt="",
        transcript=text,
        started_at=0.0,
        ended_at=1.0,
        status=TurnStatus.DONE,
    )
