"""Reading sessions back: their list entries, and their turns from rows (a session
still running) and from the packed value (a finished one).

Functions here take an open connection and run inside the caller's lock or
transaction; ``Store`` is the only caller.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from guided_talk.feedback.findings import TurnFindings
from guided_talk.store import archive
from guided_talk.store.codec import Codec
from guided_talk.store.records import SessionDetail, SessionSummary, StoredTurn, StoreError
from guided_talk.values import SessionMode, SessionStatus, TurnStatus, choice

#: Shortest id prefix accepted by ``get_session`` and ``forget``.
MIN_PREFIX = 4

SUMMARY_SELECT = """
SELECT s.id, s.exercise_id, s.exercise_title, s.mode, s.status, s.started_at,
       s.ended_at, s.next_index,
       (SELECT COUNT(*) FROM turns AS t WHERE t.session_id = s.id)
       + COALESCE((SELECT a.turn_count FROM archives AS a WHERE a.session_id = s.id), 0)
         AS turn_count
FROM sessions AS s
"""
NEWEST_FIRST = " ORDER BY s.started_at DESC, s.rowid DESC"
TURN_COLUMNS = (
    "idx, round, phase_id, turn_id, role, participant, prompt, transcript,"
    " started_at, ended_at, status, paused_seconds"
)
# The ids given as one JSON list parameter.
_WANTED = "(SELECT value FROM json_each(?))"
_LIVE_SESSIONS = f"SELECT DISTINCT session_id FROM turns WHERE session_id IN {_WANTED}"
_SETTINGS_AND_PACKED = f"""
SELECT s.id, s.settings_json, a.body
FROM sessions AS s LEFT JOIN archives AS a ON a.session_id = s.id
WHERE s.id IN {_WANTED}
"""


def summaries(
    conn: sqlite3.Connection, query: str, params: tuple[object, ...]
) -> list[SessionSummary]:
    """Runs a summary query (``SUMMARY_SELECT`` and more) with each session's people."""
    rows = conn.execute(query, params).fetchall()
    names = _participants(conn, [row["id"] for row in rows])
    # The summary query names its columns after the SessionSummary fields.
    return [_summary(dict(row), names.get(row["id"], ())) for row in rows]


def _summary(values: dict[str, Any], participants: tuple[str, ...]) -> SessionSummary:
    values["mode"] = choice(SessionMode, values["mode"], SessionMode.COUPLE)
    values["status"] = choice(SessionStatus, values["status"], SessionStatus.PAUSED)
    return SessionSummary(**values, participants=participants)


def details(conn: sqlite3.Connection, codec: Codec, session_ids: list[str]) -> list[SessionDetail]:
    """The given sessions in full, in the order given; ids not stored are left out."""
    wanted = (json.dumps(session_ids),)
    found = {s.id: s for s in summaries(conn, SUMMARY_SELECT + f" WHERE s.id IN {_WANTED}", wanted)}
    live = {row[0] for row in conn.execute(_LIVE_SESSIONS, wanted)}
    by_id: dict[str, SessionDetail] = {}
    for session_id, settings_json, body in conn.execute(_SETTINGS_AND_PACKED, wanted):
        if session_id in live:  # still running, or carried on after finishing
            turns = session_turns(conn, codec, session_id)
        else:
            turns = archive.unpack(codec.decode(body) or "") if body else []
        by_id[session_id] = SessionDetail(
            summary=found[session_id], turns=tuple(turns), settings=json.loads(settings_json)
        )
    return [by_id[session_id] for session_id in session_ids if session_id in by_id]


def session_turns(conn: sqlite3.Connection, codec: Codec, session_id: str) -> list[StoredTurn]:
    """The session's packed turns and those still in rows, in plan order."""
    both = [*(packed_turns(conn, codec, session_id) or []), *_row_turns(conn, codec, session_id)]
    return sorted(both, key=lambda turn: turn.index)


def packed_turns(
    conn: sqlite3.Connection, codec: Codec, session_id: str
) -> list[StoredTurn] | None:
    """The session's packed turns; None when nothing is packed."""
    query = "SELECT body FROM archives WHERE session_id = ?"
    row = conn.execute(query, (session_id,)).fetchone()
    return None if row is None else archive.unpack(codec.decode(row[0]) or "")


def resolve(conn: sqlite3.Connection, session_id_or_prefix: str) -> str:
    """Finds the one session whose id starts with the given text.

    Raises:
        StoreError: The text is too short, or no session or several match.
    """
    prefix = session_id_or_prefix.strip().lower()
    if len(prefix) < MIN_PREFIX:
        raise StoreError(f"Type at least {MIN_PREFIX} characters of the session id.")
    # Ids are hex digits, all below "~": the range finds every id with the prefix,
    # using the index.
    rows = conn.execute(
        "SELECT id FROM sessions WHERE id >= ? AND id < ? ORDER BY started_at DESC LIMIT 6",
        (prefix, prefix + "~"),
    ).fetchall()
    if not rows:
        raise StoreError(
            f"No session id starts with {prefix!r}. List the sessions to see their ids."
        )
    if len(rows) > 1:
        shown = ", ".join(row["id"] for row in rows[:5])
        raise StoreError(
            f"{prefix!r} matches more than one session ({shown}). Type more of the id."
        )
    return str(rows[0]["id"])


def turn_row(conn: sqlite3.Connection, session_id: str, index: int) -> int | None:
    """The row id of a turn still kept as a row, or None (packed, or never stored)."""
    row = conn.execute(
        "SELECT row_id FROM turns WHERE session_id = ? AND idx = ? ORDER BY row_id DESC",
        (session_id, index),
    ).fetchone()
    return None if row is None else int(row[0])


def _participants(conn: sqlite3.Connection, session_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """The participants of each given session, in order."""
    rows = conn.execute(
        f"SELECT session_id, name FROM participants WHERE session_id IN {_WANTED}"
        " ORDER BY session_id, position",
        (json.dumps(session_ids),),
    ).fetchall()
    names: dict[str, list[str]] = {}
    for row in rows:
        names.setdefault(row["session_id"], []).append(row["name"])
    return {session_id: tuple(found) for session_id, found in names.items()}


def _row_turns(conn: sqlite3.Connection, codec: Codec, session_id: str) -> list[StoredTurn]:
    """A session's turns kept as rows, with their feedback and ratings, in plan order."""
    feedback: dict[int, dict[str, object]] = {}
    for row in conn.execute(
        "SELECT f.turn_row_id, f.kind, f.data_json FROM feedback AS f"
        " JOIN turns AS t ON t.row_id = f.turn_row_id WHERE t.session_id = ?",
        (session_id,),
    ).fetchall():
        feedback.setdefault(row[0], {})[row[1]] = json.loads(codec.decode(row[2]) or "{}")
    ratings: dict[int, dict[str, int]] = {}
    for row in conn.execute(
        "SELECT r.turn_row_id, r.rater, r.value FROM ratings AS r"
        " JOIN turns AS t ON t.row_id = r.turn_row_id WHERE t.session_id = ?",
        (session_id,),
    ).fetchall():
        ratings.setdefault(row[0], {})[row[1]] = row[2]
    rows = conn.execute(
        f"SELECT row_id, {TURN_COLUMNS} FROM turns WHERE session_id = ? ORDER BY idx, row_id",
        (session_id,),
    ).fetchall()
    turns = []
    for row in rows:
        values: dict[str, Any] = dict(zip(row.keys(), tuple(row), strict=True))
        row_id = values.pop("row_id")
        values["transcript"] = codec.decode(values["transcript"])
        values["index"] = values.pop("idx")
        values["status"] = choice(TurnStatus, values["status"], TurnStatus.DONE)
        found = TurnFindings.from_stored(feedback.get(row_id, {}))
        turns.append(StoredTurn(**values, feedback=found, ratings=ratings.get(row_id, {})))
    return turns
