"""Schema migrations: old databases are brought up to date, others are refused."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from guided_talk.store import SCHEMA_VERSION, Store, StoreError, schema
from guided_talk.store.codec import Codec
from guided_talk.values import SessionStatus


def build_v1_database(path: Path) -> None:
    """A database as the first release wrote it, holding one session and turn."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        assert schema.migrate(conn, target=1) == 1
        conn.execute(
            "INSERT INTO sessions (id, exercise_id, exercise_title, mode, status,"
            " started_at, next_index, settings_json)"
            " VALUES ('0123456789ab', 'listen', 'Listening', 'couple', 'paused', 5.0, 1, '{}')"
        )
        conn.execute(
            "INSERT INTO participants (session_id, position, name)"
            " VALUES ('0123456789ab', 0, 'Ana')"
        )
        conn.execute(
            "INSERT INTO turns (session_id, idx, round, phase_id, turn_id, role,"
            " participant, prompt, transcript, started_at, ended_at, status)"
            " VALUES ('0123456789ab', 0, 0, 'share', 'speak', 'speaker', 'Ana',"
            " 'Tell me.', 'old words', 6.0, 7.0, 'done')"
        )
    finally:
        conn.close()


def version_of(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return schema.user_version(conn)
    finally:
        conn.close()


def index_names(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
    finally:
        conn.close()
    return {name for (name,) in rows}


def test_schema_version_counts_the_migrations() -> None:
    assert SCHEMA_VERSION == len(schema.MIGRATIONS) >= 2
    for script in schema.MIGRATIONS:
        assert schema.split_statements(script)


def test_new_database_is_at_the_latest_version(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Store.open(path).close()
    Store.open(path).close()
    assert version_of(path) == SCHEMA_VERSION
    assert "sessions_by_status" in index_names(path)


def test_version_1_database_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    build_v1_database(path)
    assert version_of(path) == 1
    assert "sessions_by_status" not in index_names(path)

    with Store.open(path) as store:
        detail = store.get_session("0123")
        unfinished = store.unfinished_sessions()

    assert version_of(path) == SCHEMA_VERSION
    assert "sessions_by_status" in index_names(path)
    assert detail.summary.participants == ("Ana",)
    assert detail.summary.next_index == 1
    assert [turn.transcript for turn in detail.turns] == ["old words"]
    assert [turn.paused_seconds for turn in detail.turns] == [0.0], "read as never paused"
    assert [s.id for s in unfinished] == ["0123456789ab"]


def test_sessions_finished_before_the_upgrade_are_packed_when_it_opens(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    build_v1_database(path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE sessions SET status = 'finished', ended_at = 9.0")
    with Store.open(path) as store:
        detail = store.get_session("0123")
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT COUNT(*) FROM turns").fetchone()[0]
        packed = conn.execute("SELECT turn_count FROM archives").fetchall()
    assert (rows, packed) == (0, [(1,)])
    assert [turn.transcript for turn in detail.turns] == ["old words"]


def test_an_old_session_finished_after_the_upgrade_is_packed_with_its_words(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.sqlite3"
    build_v1_database(path)  # its transcript is plain text, as the first release wrote
    with Store.open(path) as store:
        store.set_status("0123456789ab", SessionStatus.FINISHED)
    with Store.open(path) as store:
        detail = store.get_session("0123")
    assert [turn.transcript for turn in detail.turns] == ["old words"]
    assert detail.summary.turn_count == 1


def test_a_session_packed_before_pauses_were_kept_reads_as_never_paused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.sqlite3"
    build_v1_database(path)
    with Store.open(path) as store:
        store.set_status("0123456789ab", SessionStatus.FINISHED)
    with sqlite3.connect(path) as conn:  # take the column out, as older packs were
        (body,) = conn.execute("SELECT body FROM archives").fetchone()
        columns = json.loads(Codec().decode(body) or "")
        del columns["paused_seconds"]
        conn.execute("UPDATE archives SET body = ?", (Codec().encode(json.dumps(columns)),))
    with Store.open(path) as store:
        detail = store.get_session("0123")
    assert [(t.transcript, t.paused_seconds) for t in detail.turns] == [("old words", 0.0)]


def test_database_from_a_newer_app_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    before = path.read_bytes()

    with pytest.raises(StoreError, match="newer guided-talk") as raised:
        Store.open(path)

    assert "update the app or move the file aside" in str(raised.value).lower()
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"These are my notes, not a database.\n" * 200)
    before = path.read_bytes()

    with pytest.raises(StoreError, match="could not be read"):
        Store.open(path)

    assert path.read_bytes() == before


def test_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sessions (anything)")
    conn.commit()
    conn.close()

    with pytest.raises(StoreError, match="another program"):
        Store.open(path)


def test_failed_migration_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.sqlite3"
    Store.open(path).close()
    broken = "CREATE TABLE half_done (x);\nTHIS IS NOT SQL;\n"
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError):
            schema.migrate(conn, target=SCHEMA_VERSION + 1)
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        assert not conn.in_transaction
    finally:
        conn.close()
    assert version_of(path) == SCHEMA_VERSION
    assert ("half_done",) not in tables


def test_split_statements_rejects_an_unfinished_statement() -> None:
    assert schema.split_statements("CREATE TABLE a (x);\nCREATE TABLE b (y);\n") == [
        "CREATE TABLE a (x);",
        "CREATE TABLE b (y);",
    ]
    with pytest.raises(ValueError, match="incomplete"):
        schema.split_statements("CREATE TABLE a (x)")
