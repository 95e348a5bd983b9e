"""Packing: a finished session's turn rows become one compressed value.

Functions here take an open connection inside the caller's transaction; ``Store``
is the only caller. The packed text itself is made by ``archive.py``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from guided_talk.store import archive, reading
from guided_talk.store.codec import Codec
from guided_talk.store.records import StoredTurn, StoreError

_LEFTOVERS = (
    "SELECT s.id FROM sessions AS s WHERE s.status = 'finished'"
    " AND EXISTS (SELECT 1 FROM turns AS t WHERE t.session_id = s.id)"
)


def leftovers(conn: sqlite3.Connection) -> list[str]:
    """Finished sessions that still have turn rows (finished before packing came in)."""
    return [row[0] for row in conn.execute(_LEFTOVERS)]


def pack_rows(conn: sqlite3.Connection, codec: Codec, session_id: str) -> None:
    """Moves the session's turn rows (and their findings and ratings) into its
    packed value, which then holds every turn of the session."""
    if conn.execute("SELECT 1 FROM turns WHERE session_id = ?", (session_id,)).fetchone():
        write_packed(conn, codec, session_id, reading.session_turns(conn, codec, session_id))
        # The findings and ratings go with their turns (ON DELETE CASCADE).
        conn.execute("DELETE FROM turns WHERE session_id = ?", (session_id,))


def write_packed(
    conn: sqlite3.Connection, codec: Codec, session_id: str, turns: list[StoredTurn]
) -> None:
    """Stores ``turns`` as the session's packed value, replacing any earlier one."""
    conn.execute(
        "INSERT INTO archives (session_id, turn_count, body) VALUES (?, ?, ?)"
        " ON CONFLICT (session_id) DO UPDATE SET"
        " turn_count = excluded.turn_count, body = excluded.body",
        (session_id, len(turns), codec.encode(archive.pack(turns))),
    )


def change_packed(
    conn: sqlite3.Connection,
    codec: Codec,
    session_id: str,
    index: int,
    change: Callable[[StoredTurn], StoredTurn],
) -> None:
    """Applies ``change`` to one packed turn (a rating given after the end, say).

    Raises:
        StoreError: The session has no packed turn ``index``.
    """
    turns = reading.packed_turns(conn, codec, session_id) or []
    if not any(turn.index == index for turn in turns):
        raise StoreError(f"No turn {index} is stored for session {session_id!r}.")
    changed = [change(turn) if turn.index == index else turn for turn in turns]
    write_packed(conn, codec, session_id, changed)
