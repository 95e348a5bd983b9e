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
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Self

from guided_talk.feedback.findings import Finding
from guided_talk.store import packing, protection, reading, schema
from guided_talk.store.codec import Codec
from guided_talk.store.records import (
    SessionDetail,
    SessionSummary,
    StoredTurn,
    StoreError,
    TurnRecord,
)
from guided_talk.values import RATING_RANGE, SessionMode, SessionStatus, TurnStatus

_INSERT_TURN = f"""
INSERT INTO turns (session_id, {reading.TURN_COLUMNS})
VALUES (:session_id, :index, :round, :phase_id, :turn_id, :role, :participant, :prompt,
        :transcript, :started_at, :ended_at, :status, :paused_seconds)
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
            with schema.as_store_errors(path):
                codec = protection.unlock(conn, passphrase)
        except BaseException:
            conn.close()
            raise
        store = cls(conn, path, codec)
        try:
            store._pack_leftovers()
        except BaseException:
            conn.close()
            raise
        return store

    @property
    def protected(self) -> bool:
        """Whether what people said is sealed with a passphrase."""
        return self._codec.sealing

    def protect(self, passphrase: str | None) -> None:
        """Seals everything said with a new passphrase, or (None) removes protection.

        Every transcript and finding is rewritten in one transaction, then the file
        is scrubbed so the old form leaves no trace. The passphrase is not stored.
        """
        with self._lock:  # no write may slip in under the old codec
            with self._transaction() as conn:
                self._codec = protection.reseal(conn, self._codec, passphrase)
            self._scrub()

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    def close(self) -> None:
        """Closes the database; calling it again does nothing."""
        with self._guarded():
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
        mode: SessionMode = SessionMode.COUPLE,
        settings: Mapping[str, object] | None = None,
        now: float | None = None,
    ) -> str:
        """Starts a new, active session and returns its id (12 hex digits).

        Args:
            exercise_id: Id of the exercise being run.
            exercise_title: Its title, kept so reports survive library changes.
            participants: Names of the people taking part, in order.
            mode: Who the session is for.
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
            ValueError: ``turn.status`` is not a turn status.
            StoreError: No such session, or the database could not be written.
        """
        _check_choice("turn status", turn.status, TurnStatus)
        with self._transaction() as conn:
            _update_session(
                conn,
                session_id,
                "UPDATE sessions SET next_index = ? WHERE id = ?",
                (turn.index + 1, session_id),
            )
            values = {**asdict(turn), "transcript": self._codec.encode(turn.transcript)}
            conn.execute(_INSERT_TURN, {"session_id": session_id, **values})

    def add_feedback(self, session_id: str, index: int, finding: Finding) -> None:
        """Stores a finding for a turn, replacing an earlier one of its kind.

        The finding is stored as it is: call its ``at_rest`` first to keep only
        what the privacy setting allows.

        Args:
            session_id: The session the turn belongs to.
            index: The turn's position in the plan (``TurnRecord.index``).
            finding: What an analysis found.

        Raises:
            StoreError: The turn is not stored.
        """
        text = _to_json(finding.to_stored())
        kept = type(finding).from_stored(json.loads(text))  # the stored form, either place
        self._add_to_turn(
            session_id,
            index,
            lambda t: replace(t, feedback=t.feedback.with_finding(kept)),
            "INSERT INTO feedback (turn_row_id, kind, data_json) VALUES (:row, :kind, :data)"
            " ON CONFLICT (turn_row_id, kind) DO UPDATE SET data_json = excluded.data_json",
            {"kind": finding.KIND, "data": self._codec.encode(text)},
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
            row_id = reading.turn_row(conn, session_id, index)
            if row_id is None:
                packing.change_packed(conn, self._codec, session_id, index, packed_change)
            else:
                conn.execute(insert, {"row": row_id, **values})

    def set_status(self, session_id: str, status: SessionStatus, now: float | None = None) -> None:
        """Marks a session active, paused (to resume later) or finished.

        ``finished`` records ``now`` as the end time and packs the session's turns
        into one compressed value, in the same transaction; other statuses clear
        the end time.
        """
        _check_choice("session status", status, SessionStatus)
        ended_at = (
            (time.time() if now is None else now) if status == SessionStatus.FINISHED else None
        )
        with self._transaction() as conn:
            _update_session(
                conn,
                session_id,
                "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                (status, ended_at, session_id),
            )
            if status == SessionStatus.FINISHED:
                packing.pack_rows(conn, self._codec, session_id)

    def list_sessions(self, limit: int = 50) -> list[SessionSummary]:
        """Returns up to ``limit`` sessions, newest first."""
        return self._summaries(reading.SUMMARY_SELECT + reading.NEWEST_FIRST + " LIMIT ?", (limit,))

    def unfinished_sessions(self) -> list[SessionSummary]:
        """Returns the active and paused sessions, newest first."""
        query = reading.SUMMARY_SELECT + " WHERE s.status IN (?, ?)" + reading.NEWEST_FIRST
        return self._summaries(query, (SessionStatus.ACTIVE, SessionStatus.PAUSED))

    def get_session(self, session_id_or_prefix: str) -> SessionDetail:
        """Returns everything stored about one session.

        Args:
            session_id_or_prefix: The id, or a unique prefix of at least 4 digits.

        Raises:
            StoreError: No session matches, or several do.
        """
        with self._guarded():
            session_id = reading.resolve(self._conn, session_id_or_prefix)
            found = self._details([session_id])
        if not found:  # forgotten between the two reads
            raise StoreError(f"No session with id {session_id!r} is stored.")
        return found[0]

    def all_sessions(self, batch: int = 200) -> Iterator[SessionDetail]:
        """Every stored session in full, oldest first, read ``batch`` at a time.

        Sessions forgotten meanwhile (in another window) are left out.
        """
        with self._guarded():
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
        with self._transaction(write=False) as conn:
            return reading.details(conn, self._codec, session_ids)

    def forget(self, session_id_or_prefix: str) -> str:
        """Deletes a session and scrubs its text from the files on disk.

        Returns:
            The full id of the deleted session.

        Raises:
            StoreError: No session matches, several do, or another program holds
                the database open so old pages could not be overwritten.
        """
        with self._transaction() as conn:
            session_id = reading.resolve(conn, session_id_or_prefix)
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        self._scrub()
        return session_id

    def forget_all(self) -> int:
        """Deletes every session and scrubs the files; returns how many there were."""
        with self._transaction() as conn:
            count = conn.execute("DELETE FROM sessions").rowcount
        self._scrub()
        return int(count)

    def _pack_leftovers(self) -> None:
        """Packs finished sessions that still have turn rows: those finished before
        sessions were packed (schema 3 and earlier). A failure (a full disk, say)
        leaves the rest for the next time the store is opened."""
        with self._guarded():
            waiting = packing.leftovers(self._conn)
        for session_id in waiting:
            try:
                with self._transaction() as conn:
                    packing.pack_rows(conn, self._codec, session_id)
            except StoreError:
                return

    @contextmanager
    def _transaction(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        """Runs the block in one transaction, turning disk trouble into StoreError."""
        with self._guarded():
            self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        """Holds the lock and turns any SQLite error into a StoreError."""
        with self._lock, schema.as_store_errors(self._path):
            yield

    def _summaries(self, query: str, params: tuple[object, ...]) -> list[SessionSummary]:
        with self._guarded():
            return reading.summaries(self._conn, query, params)

    def _scrub(self) -> None:
        """Rewrites the database so deleted text is gone from the file and its WAL."""
        with self._guarded():
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


def _check_choice(what: str, value: str, choices: type[StrEnum]) -> None:
    known = [str(choice) for choice in choices]
    if value not in known:
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(known)}")


def _to_json(value: dict[str, object]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _update_session(
    conn: sqlite3.Connection, session_id: str, sql: str, params: tuple[object, ...]
) -> None:
    """Runs an UPDATE on one session, failing kindly if it does not exist."""
    if conn.execute(sql, params).rowcount == 0:
        raise StoreError(f"No session with id {session_id!r} is stored.")
