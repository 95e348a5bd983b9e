"""Passphrase protection of what people said: unlocking at open, and sealing or
unsealing every stored value when the passphrase is set, changed or removed.

The ``protection`` table holds the scrypt salt and a known text sealed with the
key, so a wrong passphrase is told apart at once. The passphrase is never stored.
"""

from __future__ import annotations

import sqlite3

from guided_talk.store.codec import Codec, Locked, key_from_passphrase, new_salt

# Every column holding what people said, through the codec (table, column).
_WORDS_AT_REST = (("turns", "transcript"), ("feedback", "data_json"), ("archives", "body"))


def unlock(conn: sqlite3.Connection, passphrase: str | None) -> Codec:
    """The codec for this database: sealing when it is protected (and unlocked).

    Raises:
        Locked: The database is protected and the passphrase is missing or wrong.
    """
    row = conn.execute("SELECT salt, check_value FROM protection").fetchone()
    if row is None:
        return Codec()
    if passphrase is None:
        raise Locked("These sessions are protected by a passphrase; type it to open them.")
    codec = Codec(key_from_passphrase(passphrase, row["salt"]))
    codec.verify(row["check_value"])
    return codec


def reseal(conn: sqlite3.Connection, current: Codec, passphrase: str | None) -> Codec:
    """Rewrites every stored value under a new passphrase, or (None) without one.

    Run it inside a write transaction; the caller scrubs the file afterwards.

    Returns:
        The codec that now reads and writes the database.
    """
    salt = new_salt()
    codec = Codec(key_from_passphrase(passphrase, salt) if passphrase is not None else None)
    for table, column in _WORDS_AT_REST:
        for rowid, value in conn.execute(
            f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL"
        ).fetchall():
            conn.execute(
                f"UPDATE {table} SET {column} = ? WHERE rowid = ?",
                (codec.encode(current.decode(value)), rowid),
            )
    conn.execute("DELETE FROM protection")
    if codec.sealing:
        conn.execute(
            "INSERT INTO protection (id, salt, check_value) VALUES (1, ?, ?)",
            (salt, codec.check_value()),
        )
    return codec
