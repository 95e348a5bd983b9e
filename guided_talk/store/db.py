"""The session store: one private SQLite file in WAL mode.

Every finished turn is committed (and synced) before ``record_turn`` returns, so a
crash or power cut loses at most the turn in progress, and the session resumes at
``next_index``. The store may be used from several threads; calls are serialised.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from guided_talk.store import schema
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
       (SELECT COUNT(*) FROM turns AS t WHERE t.session_id = s.id) AS turn_count
FROM sessions AS s
"""
_NEWEST_FIRST = " ORDER BY s.started_at DESC, s.rowid DESC"
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
            for row_id, transcript in conn.execute(
                "SELECT row_id, transcript FROM turns WHERE transcript IS NOT NULL"
            ).fetchall():
                conn.execute(
                    "UPDATE turns SET transcript = ? WHERE row_id = ?",
                    (codec.encode(self._codec.decode(transcript)), row_id),
                )
            for row_id, kind, data in conn.execute(
                "SELECT turn_row_id, kind, data_json FROM feedback"
            ).fetchall():
                conn.execute(
                    "UPDATE feedback SET data_json = ? WHERE turn_row_id = ? AND kind = ?",
                    (codec.encode(self._codec.decode(data)), row_id, kind),
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

    def record_turn(self, session_id: str, turn: TurnRecord) -> int:
        """Stores a finished turn and moves the session on, durably.

        The turn and the new ``next_index`` (``turn.index + 1``) are committed in
        one transaction before this returns.

        Returns:
            The turn's row id, for ``add_feedback`` and ``add_rating``.

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
            cursor = conn.execute(_INSERT_TURN, {"session_id": session_id, **values})
        return int(cursor.lastrowid or 0)

    def add_feedback(self, turn_row_id: int, kind: str, data: Mapping[str, object]) -> None:
        """Stores analysis results for a turn, replacing earlier ones of that kind.

        Args:
            turn_row_id: Row id returned by ``record_turn``.
            kind: What produced the data, such as ``reflection``.
            data: JSON-compatible results.
        """
        data_json = self._codec.encode(_to_json(dict(data)))
        with self._transaction() as conn:
            _require_turn(conn, turn_row_id)
            conn.execute(
                "INSERT INTO feedback (turn_row_id, kind, data_json) VALUES (?, ?, ?)"
                " ON CONFLICT (turn_row_id, kind) DO UPDATE SET data_json = excluded.data_json",
                (turn_row_id, kind, data_json),
            )

    def add_rating(self, turn_row_id: int, rater: str, value: int) -> None:
        """Stores how well ``rater`` felt heard in a turn (1 to 5), replacing theirs.

        Raises:
            ValueError: ``value`` is not a whole number from 1 to 5.
        """
        if isinstance(value, bool) or not isinstance(value, int) or value not in RATING_RANGE:
            raise ValueError(f"a rating is a whole number from 1 to 5, not {value!r}")
        with self._transaction() as conn:
            _require_turn(conn, turn_row_id)
            conn.execute(
                "INSERT INTO ratings (turn_row_id, rater, value) VALUES (?, ?, ?)"
                " ON CONFLICT (turn_row_id, rater) DO UPDATE SET value = excluded.value",
                (turn_row_id, rater, value),
            )

    def set_status(self, session_id: str, status: str, now: float | None = None) -> None:
        """Marks a session active, paused (to resume later) or finished.

        ``finished`` records ``now`` as the end time; other statuses clear it.
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
        with self._transaction(write=False) as conn:
            session_id = _resolve(conn, session_id_or_prefix)
            summary = self._summaries(_SUMMARY_SELECT + " WHERE s.id = ?", (session_id,))[0]
            row = conn.execute(
                "SELECT settings_json FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            turns = _load_turns(conn, session_id, self._codec)
        return SessionDetail(summary=summary, turns=turns, settings=json.loads(row[0]))

    def all_sessions(self) -> Iterator[SessionDetail]:
        """Every stored session in full, oldest first, read one at a time."""
        with self._lock:
            ids = [
                row[0]
                for row in self._conn.execute(
                    "SELECT id FROM sessions ORDER BY started_at, rowid"
                ).fetchall()
            ]
        for session_id in ids:
            try:
                yield self.get_session(session_id)
            except StoreError:  # forgotten meanwhile (another window)
                continue

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


def _require_turn(conn: sqlite3.Connection, turn_row_id: int) -> None:
    if conn.execute("SELECT 1 FROM turns WHERE row_id = ?", (turn_row_id,)).fetchone() is None:
        raise StoreError(f"No stored turn has row id {turn_row_id}.")


def _resolve(conn: sqlite3.Connection, session_id_or_prefix: str) -> str:
    """Finds the one session whose id starts with the given text."""
    prefix = session_id_or_prefix.strip().lower()
    if len(prefix) < MIN_PREFIX:
        raise StoreError(f"Type at least {MIN_PREFIX} characters of the session id.")
    rows = conn.execute(
        "SELECT id FROM sessions WHERE substr(id, 1, ?) = ? ORDER BY started_at DESC LIMIT 6",
        (len(prefix), prefix),
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
        " WHERE session_id IN (SELECT value FROM json_each(?))"
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


def _load_turns(conn: sqlite3.Connection, session_id: str, codec: Codec) -> tuple[StoredTurn, ...]:
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
    return tuple(_turn_from_row(row, feedback, ratings, codec) for row in rows)


def _turn_from_row(
    row: sqlite3.Row,
    feedback: dict[int, dict[str, dict[str, object]]],
    ratings: dict[int, dict[str, int]],
    codec: Codec,
) -> StoredTurn:
    values: dict[str, Any] = dict(zip(row.keys(), tuple(row), strict=True))
    row_id = values["row_id"]
    values["transcript"] = codec.decode(values["transcript"])
    values["index"] = values.pop("idx")
    return StoredTurn(**values, feedback=feedback.get(row_id, {}), ratings=ratings.get(row_id, {}))
