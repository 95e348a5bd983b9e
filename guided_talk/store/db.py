"""The session store: one private SQLite file in WAL mode.

Every finished turn is committed (and synced) before ``record_turn`` returns, so a
crash or power cut loses at most the turn in progress, and the session resumes at
``next_index``. When a session finishes, its turns are packed into one compressed
value (store/archive.py). The store may be used from several threads; calls are
serialised.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from guided_talk.store import archive, schema
from guided_talk.store.codec import Codec, Locked, key_from_passphrase, new_salt
from guided_talk.store.records import (
    RATING_RANGE,
    SESSION_STATUSES,
    TURN_STATUSES,
    SessionDetail,
    SessionSummary,
    StoredTurn,
    StoreError,
    TurnRecord,
)

#: Shortest id prefix accepted by ``get_session`` and ``forget``.
MIN_PREFIX = 4

_SUMMARY_SELECT = """
SELECT s.id, s.exercise_id, s.exercise_title, s.mode, s.status, s.started_at,
       s.ended_at, s.next_index,
       (SELECT COUNT(*) FROM turns AS t WHERE t.session_id = s.id)
       + COALESCE((SELECT a.turn_count FROM archives AS a WHERE a.session_id = s.id), 0)
         AS turn_count
FROM sessions AS s
"""
_NEWEST_FIRST = " ORDER BY s.started_at DESC, s.rowid DESC"
# Every column holding what people said, through the codec (table, column).
_WORDS_AT_REST = (("turns", "transcript"), ("feedback", "data_json"), ("archives", "body"))
# The ids given as one JSON list parameter.
_WANTED = "(SELECT value FROM json_each(?))"
_LIVE_SESSIONS = f"SELECT DISTINCT session_id FROM turns WHERE session_id IN {_WANTED}"
_SETTINGS_AND_PACKED = f"""
SELECT s.id, s.settings_json, a.body
FROM sessions AS s LEFT JOIN archives AS a ON a.session_id = s.id
WHERE s.id IN {_WANTED}
"""
_TURN_FIELDS = (
    "idx, round, phase_id, turn_id, role, participant, prompt, transcript,"
    " started_at, ended_at, status"
)
_INSERT_TURN = f"""
INSERT INTO turns (session_id, {_TURN_FIELDS})
VALUES (:session_id, :index, :round, :phase_id, :turn_id, :role, :participant, :prompt,
        :transcript, :started_at, :ended_at, :status)
"""


class Store:
    """Sessions, turns, feedback and ratings in one SQLite file.

    Use ``Store.open(path)``, preferably as a context manager.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, codec: Codec) -> None:
        """Wraps an open, migrated connection; use ``Store.open`` instead."""
        self._conn = conn
        self._path = path
        self._codec = codec
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: Path, passphrase: str | None = None) -> Store:
        """Opens (creating if needed) the database at ``path`` and migrates it.

        Args:
            path: The database file; its folder is created private (0700).
            passphrase: Unlocks a protected database; ignored for one that is not.

        Returns:
            The open store.

        Raises:
            Locked: The database is protected and the passphrase is missing or wrong.
            StoreError: The file is not a guided-talk database, or was written by
                a newer version; the file is left untouched.
        """
        conn = schema.open_connection(path)
        try:
            codec = _unlock(conn, passphrase)
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, codec)

    @property
    def protected(self) -> bool:
        """Whether what people said is sealed with a passphrase."""
        return self._codec.sealing

    def protect(self, passphrase: str | None) -> None:
        """Seals everything said with a new passphrase, or (None) removes protection.

        Every transcript and finding is rewritten in one transaction, then the file
        is scrubbed so the old form leaves no trace. The passphrase is not stored.
        """
        salt = new_salt()
        codec = Codec(key_from_passphrase(passphrase, salt) if passphrase is not None else None)
        with self._transaction() as conn:
            for table, column in _WORDS_AT_REST:
                for rowid, value in conn.execute(
                    f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL"
                ).fetchall():
                    conn.execute(
                        f"UPDATE {table} SET {column} = ? WHERE rowid = ?",
                        (codec.encode(self._codec.decode(value)), rowid),
                    )
            conn.execute("DELETE FROM protection")
            if codec.sealing:
                conn.execute(
                    "INSERT INTO protection (id, salt, check_value) VALUES (1, ?, ?)",
                    (salt, codec.check_value()),
                )
        self._codec = codec
        self._scrub()

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    def close(self) -> None:
        """Closes the database; calling it again does nothing."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def create_session(
        self,
        exercise_id: str,
        exercise_title: str,
        participants: Sequence[str],
        mode: str = "couple",
        settings: Mapping[str, object] | None = None,
        now: float | None = None,
    ) -> str:
        """Starts a new, active session and returns its id (12 hex digits).

        Args:
            exercise_id: Id of the exercise being run.
            exercise_title: Its title, kept so reports survive library changes.
            participants: Names of the people taking part, in order.
            mode: ``couple``, ``workshop`` or ``solo``.
            settings: JSON-compatible settings the session runs with.
            now: Start time (unix seconds); defaults to the current time.
        """
        session_id = secrets.token_hex(6)
        started_at = time.time() if now is None else now
        settings_json = _to_json(dict(settings or {}))
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO sessions (id, exercise_id, exercise_title, mode, status,"
                " started_at, next_index, settings_json)"
                " VALUES (?, ?, ?, ?, 'active', ?, 0, ?)",
                (session_id, exercise_id, exercise_title, mode, started_at, settings_json),
            )
            conn.executemany(
                "INSERT INTO participants (session_id, position, name) VALUES (?, ?, ?)",
                [(session_id, pos, name) for pos, name in enumerate(participants)],
            )
        return session_id

    def record_turn(self, session_id: str, turn: TurnRecord) -> None:
        """Stores a finished turn and moves the session on, durably.

        The turn and the new ``next_index`` (``turn.index + 1``) are committed in
        one transaction before this returns.

        Raises:
            ValueError: ``turn.status`` is not one of ``TURN_STATUSES``.
            StoreError: No such session, or the database could not be written.
        """
        _check_choice("turn status", turn.status, TURN_STATUSES)
        with self._transaction() as conn:
            _update_session(
                conn,
                session_id,
                "UPDATE sessions SET next_index = ? WHERE id = ?",
                (turn.index + 1, session_id),
            )
            values = {**asdict(turn), "transcript": self._codec.encode(turn.transcript)}
            conn.execute(_INSERT_TURN, {"session_id": session_id, **values})

    def add_feedback(
        self, session_id: str, index: int, kind: str, data: Mapping[str, object]
    ) -> None:
        """Stores analysis results for a turn, replacing earlier ones of that kind.

        Args:
            session_id: The session the turn belongs to.
            index: The turn's position in the plan (``TurnRecord.index``).
            kind: What produced the data, such as ``reflection``.
            data: JSON-compatible results.

        Raises:
            StoreError: The turn is not stored.
        """
        found = json.loads(_to_json(dict(data)))  # the stored form, whichever the place
        self._add_to_turn(
            session_id,
            index,
            lambda t: replace(t, feedback={**t.feedback, kind: found}),
            "INSERT INTO feedback (turn_row_id, kind, data_json) VALUES (:row, :kind, :data)"
            " ON CONFLICT (turn_row_id, kind) DO UPDATE SET data_json = excluded.data_json",
            {"kind": kind, "data": self._codec.encode(_to_json(found))},
        )

    def add_rating(self, session_id: str, index: int, rater: str, value: int) -> None:
        """Stores how well ``rater`` felt heard in a turn (1 to 5), replacing theirs.

        Raises:
            ValueError: ``value`` is not a whole number from 1 to 5.
            StoreError: The turn is not stored.
        """
        if isinstance(value, bool) or not isinstance(value, int) or value not in RATING_RANGE:
            raise ValueError(f"a rating is a whole number from 1 to 5, not {value!r}")
        self._add_to_turn(
            session_id,
            index,
            lambda t: replace(t, ratings={**t.ratings, rater: value}),
            "INSERT INTO ratings (turn_row_id, rater, value) VALUES (:row, :rater, :value)"
            " ON CONFLICT (turn_row_id, rater) DO UPDATE SET value = excluded.value",
            {"rater": rater, "value": value},
        )

    def _add_to_turn(
        self,
        session_id: str,
        index: int,
        packed_change: Callable[[StoredTurn], StoredTurn],
        insert: str,
        values: dict[str, object],
    ) -> None:
        """Adds to a turn: into its row (``insert``, given ``:row``) while it has one,
        otherwise into the session's packed value (``packed_change``)."""
        with self._transaction() as conn:
            row_id = _turn_row(conn, session_id, index)
            if row_id is None:
                self._change_packed(conn, session_id, index, packed_change)
            else:
                conn.execute(insert, {"row": row_id, **values})

    def set_status(self, session_id: str, status: str, now: float | None = None) -> None:
        """Marks a session active, paused (to resume later) or finished.

        ``finished`` records ``now`` as the end time and packs the session's turns
        into one compressed value, in the same transaction; other statuses clear
        the end time.
        """
        _check_choice("session status", status, SESSION_STATUSES)
        ended_at = (time.time() if now is None else now) if status == "finished" else None
        with self._transaction() as conn:
            _update_session(
                conn,
                session_id,
                "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                (status, ended_at, session_id),
            )
            if status == "finished":
                self._pack(conn, session_id)

    def list_sessions(self, limit: int = 50) -> list[SessionSummary]:
        """Returns up to ``limit`` sessions, newest first."""
        return self._summaries(_SUMMARY_SELECT + _NEWEST_FIRST + " LIMIT ?", (limit,))

    def unfinished_sessions(self) -> list[SessionSummary]:
        """Returns the active and paused sessions, newest first."""
        query = _SUMMARY_SELECT + " WHERE s.status IN (?, ?)" + _NEWEST_FIRST
        return self._summaries(query, ("active", "paused"))

    def get_session(self, session_id_or_prefix: str) -> SessionDetail:
        """Returns everything stored about one session.

        Args:
            session_id_or_prefix: The id, or a unique prefix of at least 4 digits.

        Raises:
            StoreError: No session matches, or several do.
        """
        with self._lock:
            session_id = _resolve(self._conn, session_id_or_prefix)
            found = self._details([session_id])
        if not found:  # forgotten between the two reads
            raise StoreError(f"No session with id {session_id!r} is stored.")
        return found[0]

    def all_sessions(self, batch: int = 200) -> Iterator[SessionDetail]:
        """Every stored session in full, oldest first, read ``batch`` at a time.

        Sessions forgotten meanwhile (in another window) are left out.
        """
        with self._lock:
            ids = [
                row[0]
                for row in self._conn.execute(
                    "SELECT id FROM sessions ORDER BY started_at, rowid"
                ).fetchall()
            ]
        for start in range(0, len(ids), batch):
            yield from self._details(ids[start : start + batch])

    def _details(self, session_ids: list[str]) -> list[SessionDetail]:
        """The given sessions in full, in the order given, from one read transaction."""
        wanted = (json.dumps(session_ids),)
        with self._transaction(write=False) as conn:
            summaries = {
                summary.id: summary
                for summary in self._summaries(
                    _SUMMARY_SELECT + f" WHERE s.id IN {_WANTED}", wanted
                )
            }
            live = {row[0] for row in conn.execute(_LIVE_SESSIONS, wanted)}
            details: dict[str, SessionDetail] = {}
            for session_id, settings_json, body in conn.execute(_SETTINGS_AND_PACKED, wanted):
                if session_id in live:  # still running, or carried on after finishing
                    turns = self._turns(conn, session_id)
                else:
                    turns = archive.unpack(self._codec.decode(body) or "") if body else []
                details[session_id] = SessionDetail(
                    summary=summaries[session_id],
                    turns=tuple(turns),
                    settings=json.loads(settings_json),
                )
        return [details[session_id] for session_id in session_ids if session_id in details]

    def forget(self, session_id_or_prefix: str) -> str:
        """Deletes a session and scrubs its text from the files on disk.

        Returns:
            The full id of the deleted session.

        Raises:
            StoreError: No session matches, several do, or another program holds
                the database open so old pages could not be overwritten.
        """
        with self._transaction() as conn:
            session_id = _resolve(conn, session_id_or_prefix)
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        self._scrub()
        return session_id

    def forget_all(self) -> int:
        """Deletes every session and scrubs the files; returns how many there were."""
        with self._transaction() as conn:
            count = conn.execute("DELETE FROM sessions").rowcount
        self._scrub()
        return int(count)

    def _turns(self, conn: sqlite3.Connection, session_id: str) -> list[StoredTurn]:
        """The session's packed turns and those still in rows, in plan order."""
        packed = self._packed(conn, session_id) or []
        live = _load_turns(conn, session_id, self._codec)
        return sorted([*packed, *live], key=lambda turn: turn.index)

    def _packed(self, conn: sqlite3.Connection, session_id: str) -> list[StoredTurn] | None:
        """The session's packed turns; None when nothing is packed."""
        row = conn.execute(
            "SELECT body FROM archives WHERE session_id = ?", (session_id,)
        ).fetchone()
        if row is None:
            return None
        return archive.unpack(self._codec.decode(row[0]) or "")

    def _pack(self, conn: sqlite3.Connection, session_id: str) -> None:
        """Moves the session's turn rows (and their findings and ratings) into its
        packed value, which then holds every turn of the session."""
        if conn.execute("SELECT 1 FROM turns WHERE session_id = ?", (session_id,)).fetchone():
            self._write_packed(conn, session_id, self._turns(conn, session_id))
            # The findings and ratings go with their turns (ON DELETE CASCADE).
            conn.execute("DELETE FROM turns WHERE session_id = ?", (session_id,))

    def _write_packed(
        self, conn: sqlite3.Connection, session_id: str, turns: list[StoredTurn]
    ) -> None:
        conn.execute(
            "INSERT INTO archives (session_id, turn_count, body) VALUES (?, ?, ?)"
            " ON CONFLICT (session_id) DO UPDATE SET"
            " turn_count = excluded.turn_count, body = excluded.body",
            (session_id, len(turns), self._codec.encode(archive.pack(turns))),
        )

    def _change_packed(
        self,
        conn: sqlite3.Connection,
        session_id: str,
        index: int,
        change: Callable[[StoredTurn], StoredTurn],
    ) -> None:
        """Applies ``change`` to one packed turn (a rating given after the end, say)."""
        turns = self._packed(conn, session_id) or []
        if not any(turn.index == index for turn in turns):
            raise StoreError(f"No turn {index} is stored for session {session_id!r}.")
        changed = [change(turn) if turn.index == index else turn for turn in turns]
        self._write_packed(conn, session_id, changed)

    @contextmanager
    def _transaction(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        """Runs the block in one transaction, turning disk trouble into StoreError."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield self._conn
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                raise StoreError(
                    f"The session database {self._path} could not be used ({exc}). "
                    "Check free disk space and that no other program is holding it."
                ) from exc

    def _summaries(self, query: str, params: tuple[object, ...]) -> list[SessionSummary]:
        """Runs a summary query and attaches each session's participants."""
        with self._lock:
            rows = self._conn.execute(query, params).fetchall()
            names = _participants(self._conn, [row["id"] for row in rows])
        return [_summary_from_row(row, names.get(row["id"], ())) for row in rows]

    def _scrub(self) -> None:
        """Rewrites the database so deleted text is gone from the file and its WAL."""
        with self._lock:
            self._checkpoint()
            self._conn.execute("VACUUM")
            self._checkpoint()

    def _checkpoint(self) -> None:
        """Copies the WAL into the database and empties it."""
        busy = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if busy:
            raise StoreError(
                "The session was deleted, but another program has the database open, "
                "so traces of it may stay on disk until that program closes. Close "
                "other guided-talk windows and forget again to be sure."
            )


def _check_choice(what: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(choices)}")


def _to_json(value: dict[str, object]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _update_session(
    conn: sqlite3.Connection, session_id: str, sql: str, params: tuple[object, ...]
) -> None:
    """Runs an UPDATE on one session, failing kindly if it does not exist."""
    if conn.execute(sql, params).rowcount == 0:
        raise StoreError(f"No session with id {session_id!r} is stored.")


def _turn_row(conn: sqlite3.Connection, session_id: str, index: int) -> int | None:
    """The row id of a turn still kept as a row, or None (packed, or never stored)."""
    row = conn.execute(
        "SELECT row_id FROM turns WHERE session_id = ? AND idx = ? ORDER BY row_id DESC",
        (session_id, index),
    ).fetchone()
    return None if row is None else int(row[0])


def _resolve(conn: sqlite3.Connection, session_id_or_prefix: str) -> str:
    """Finds the one session whose id starts with the given text."""
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


def _participants(conn: sqlite3.Connection, session_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """Returns the participants of each given session, in order."""
    rows = conn.execute(
        "SELECT session_id, name FROM participants"
        f" WHERE session_id IN {_WANTED}"
        " ORDER BY session_id, position",
        (json.dumps(session_ids),),
    ).fetchall()
    names: dict[str, list[str]] = {}
    for row in rows:
        names.setdefault(row["session_id"], []).append(row["name"])
    return {session_id: tuple(found) for session_id, found in names.items()}


def _summary_from_row(row: sqlite3.Row, participants: tuple[str, ...]) -> SessionSummary:
    # The summary query names its columns after the SessionSummary fields.
    return SessionSummary(**dict(row), participants=participants)


def _unlock(conn: sqlite3.Connection, passphrase: str | None) -> Codec:
    """The codec for this database: sealing when it is protected (and unlocked)."""
    row = conn.execute("SELECT salt, check_value FROM protection").fetchone()
    if row is None:
        return Codec()
    if passphrase is None:
        raise Locked("These sessions are protected by a passphrase; type it to open them.")
    codec = Codec(key_from_passphrase(passphrase, row["salt"]))
    codec.verify(row["check_value"])
    return codec


def _load_turns(conn: sqlite3.Connection, session_id: str, codec: Codec) -> list[StoredTurn]:
    """Reads a session's turns with their feedback and ratings, in plan order."""
    feedback: dict[int, dict[str, dict[str, object]]] = {}
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
        f"SELECT row_id, {_TURN_FIELDS} FROM turns WHERE session_id = ? ORDER BY idx, row_id",
        (session_id,),
    ).fetchall()
    return [_turn_from_row(row, feedback, ratings, codec) for row in rows]


def _turn_from_row(
    row: sqlite3.Row,
    feedback: dict[int, dict[str, dict[str, object]]],
    ratings: dict[int, dict[str, int]],
    codec: Codec,
) -> StoredTurn:
    values: dict[str, Any] = dict(zip(row.keys(), tuple(row), strict=True))
    row_id = values.pop("row_id")
    values["transcript"] = codec.decode(values["transcript"])
    values["index"] = values.pop("idx")
    return StoredTurn(**values, feedback=feedback.get(row_id, {}), ratings=ratings.get(row_id, {}))
