"""The database file: how it is opened, checked and migrated.

``PRAGMA user_version`` holds the number of migrations applied. Each pending
migration runs in its own transaction together with the version bump, so a crash
leaves the database at a known version. Never edit a released migration: append a
new one.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from guided_talk.paths import data_dir
from guided_talk.store.records import StoreError, UnusableDatabase

_V1_TABLES = """
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    exercise_id TEXT NOT NULL,
    exercise_title TEXT NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at REAL NOT NULL,
    ended_at REAL,
    next_index INTEGER NOT NULL DEFAULT 0,
    settings_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX sessions_by_start ON sessions (started_at);

CREATE TABLE participants (
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (session_id, position)
);

CREATE TABLE turns (
    row_id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    round INTEGER NOT NULL,
    phase_id TEXT NOT NULL,
    turn_id TEXT NOT NULL,
    role TEXT NOT NULL,
    participant TEXT NOT NULL,
    prompt TEXT NOT NULL,
    transcript TEXT,
    started_at REAL NOT NULL,
    ended_at REAL NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX turns_by_session ON turns (session_id, idx);

CREATE TABLE feedback (
    turn_row_id INTEGER NOT NULL REFERENCES turns (row_id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    data_json TEXT NOT NULL,
    PRIMARY KEY (turn_row_id, kind)
);

CREATE TABLE ratings (
    turn_row_id INTEGER NOT NULL REFERENCES turns (row_id) ON DELETE CASCADE,
    rater TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
    PRIMARY KEY (turn_row_id, rater)
);
"""

# Finding sessions to resume filters on status, newest first.
_V2_STATUS_INDEX = """
CREATE INDEX sessions_by_status ON sessions (status, started_at);
"""

# When a passphrase protects the words: the scrypt salt and a sealed known text.
_V3_PROTECTION = """
CREATE TABLE protection (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    salt BLOB NOT NULL,
    check_value BLOB NOT NULL
);
"""

# A finished session's turns, findings and ratings, packed into one compressed
# value (store/archive.py); its rows in turns, feedback and ratings are deleted.
_V4_ARCHIVES = """
CREATE TABLE archives (
    session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    turn_count INTEGER NOT NULL,
    body BLOB NOT NULL
);
"""

# How long the session was paused during each turn, so that talk time and pace
# count speaking time only (earlier turns read as never paused).
_V5_PAUSED = """
ALTER TABLE turns ADD COLUMN paused_seconds REAL NOT NULL DEFAULT 0;
"""

#: Migration scripts; migration N (1-based) brings the database to version N.
MIGRATIONS: tuple[str, ...] = (
    _V1_TABLES,
    _V2_STATUS_INDEX,
    _V3_PROTECTION,
    _V4_ARCHIVES,
    _V5_PAUSED,
)

#: The version this code writes and understands.
SCHEMA_VERSION = len(MIGRATIONS)

#: Files SQLite keeps next to the database.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")

_PRAGMAS = (
    "journal_mode = WAL",
    "foreign_keys = ON",
    # Deleted text is overwritten with zeros, not just unlinked.
    "secure_delete = ON",
    # Every commit is synced to disk before it returns.
    "synchronous = FULL",
    # Temporary tables (and VACUUM's copy) never reach a temporary file.
    "temp_store = MEMORY",
)


@contextmanager
def as_store_errors(path: Path) -> Iterator[None]:
    """Turns any SQLite error in the block into a ``StoreError`` the user can act on.

    Nothing above the store sees ``sqlite3``: this is the one translation.
    """
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(
            f"The session database {path} could not be used ({exc}). "
            "Check free disk space and that no other program is holding it."
        ) from exc


def open_connection(path: Path) -> sqlite3.Connection:
    """Opens the database privately, checks it is ours, configures and migrates it.

    The folder is made 0700 and the files 0600. A file that is not a guided-talk
    database, or that a newer version wrote, is refused before anything is written.

    Args:
        path: The database file; it and its folder are created when missing.

    Returns:
        A connection in autocommit mode (``isolation_level=None``) whose rows are
        ``sqlite3.Row`` and that may be used from any thread.

    Raises:
        StoreError: The file cannot be opened or is not one we may use.
    """
    _private_folder(path.parent)
    # The umask makes SQLite create the file and its -wal/-shm owner-only.
    old_umask = os.umask(0o077)
    try:
        conn = _connect(path)
        try:
            with as_store_errors(path):  # a full disk while migrating, say
                _check_version(conn, path)
                for pragma in _PRAGMAS:
                    conn.execute(f"PRAGMA {pragma}").fetchall()
                migrate(conn)
        except BaseException:
            conn.close()
            raise
    finally:
        os.umask(old_umask)
    restrict_files(path)
    return conn


def _private_folder(folder: Path) -> None:
    """Create the folder owner-only; tighten it only if it is the app's own data folder.

    A database placed in a shared folder (``/tmp``, a home folder) must not change
    that folder's permissions.
    """
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    elif folder.resolve() == data_dir().resolve():
        os.chmod(folder, 0o700)


def restrict_files(path: Path) -> None:
    """Makes the database and the files SQLite keeps beside it owner-only (0600)."""
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES)):
        if candidate.exists():
            os.chmod(candidate, 0o600)


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"Could not open the session database {path} ({exc}).") from exc
    conn.row_factory = sqlite3.Row
    return conn


def _check_version(conn: sqlite3.Connection, path: Path) -> None:
    """Refuses, without writing, a file that is damaged, not ours, or from a newer app."""
    move_aside = "Move the file aside (or choose another database) and start again."
    try:
        version = user_version(conn)
        tables = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        # A cheap whole-file check: damage found now cannot eat a session later.
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")] if tables else []
    except sqlite3.DatabaseError as exc:
        raise UnusableDatabase(
            f"{path} could not be read: it is damaged or not a database ({exc}). {move_aside}"
        ) from exc
    if problems and problems != ["ok"]:
        raise UnusableDatabase(f"{path} is damaged ({problems[0]}). {move_aside}")
    if version > SCHEMA_VERSION:
        raise UnusableDatabase(
            f"{path} was written by a newer guided-talk (database version {version}; "
            f"this one knows up to {SCHEMA_VERSION}). Update the app or move the file "
            "aside; it has not been changed."
        )
    if version == 0 and tables:
        raise UnusableDatabase(f"{path} is a SQLite database of another program. {move_aside}")


def user_version(conn: sqlite3.Connection) -> int:
    """Reads the schema version stored in the database header.

    Args:
        conn: An open connection.

    Returns:
        The number of migrations applied; 0 for a new database.
    """
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Applies the pending migrations up to ``target``, one transaction each.

    Args:
        conn: A connection in autocommit mode (``isolation_level=None``).
        target: Version to stop at; tests use it to build old databases.

    Returns:
        The version the database is at afterwards.
    """
    for version in range(1, target + 1):
        _apply(conn, version, MIGRATIONS[version - 1])
    return user_version(conn)


def _apply(conn: sqlite3.Connection, version: int, script: str) -> None:
    """Runs one migration unless the database already has it."""
    # The write lock is taken before reading the version, so two programs
    # opening a new database at once cannot both apply the same migration.
    conn.execute("BEGIN IMMEDIATE")
    try:
        if user_version(conn) < version:
            for statement in split_statements(script):
                conn.execute(statement)
            # PRAGMA takes no parameters; version is an int from our own list.
            conn.execute(f"PRAGMA user_version = {int(version)}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def split_statements(script: str) -> list[str]:
    """Splits an SQL script into complete statements.

    ``executescript`` would commit the open transaction first, so statements are
    run one by one inside ours instead.

    Args:
        script: SQL text with statements ending in semicolons.

    Returns:
        The statements, without surrounding blank space.
    """
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()!r}")
    return statements
