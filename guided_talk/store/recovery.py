"""Opening the database when the file on disk cannot be used.

A damaged file, another program's database or one from a newer guided-talk is never
written to and never deleted: it is renamed aside (with the files SQLite keeps
beside it) and a fresh database is started, and the caller is handed a sentence
that says where the old file went.
"""

from __future__ import annotations

import time
from pathlib import Path

from guided_talk.store.db import Store
from guided_talk.store.records import StoreError, UnusableDatabase
from guided_talk.store.schema import SIDE_SUFFIXES


def open_or_set_aside(path: Path, passphrase: str | None = None) -> tuple[Store, str | None]:
    """Opens the database, moving an unusable file aside first if need be.

    Returns:
        The open store, and a notice for the user when a file was moved (else None).

    Raises:
        StoreError: The database could not be opened even after moving it aside
            (a read-only folder, say).
    """
    try:
        return Store.open(path, passphrase), None
    except UnusableDatabase as error:
        problem = str(error)
    try:
        kept = set_aside(path)
    except OSError as exc:
        raise StoreError(f"{problem} Moving it aside failed too ({exc}).") from exc
    return Store.open(path), (
        f"{problem} It was kept as {kept.name} in the same folder, and a new, empty "
        "database was started; nothing was deleted."
    )


def set_aside(path: Path) -> Path:
    """Renames the database and its side files to a free ``*.unusable-<time>`` name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.unusable-{stamp}")
    count = 1
    while any(Path(f"{target}{suffix}").exists() for suffix in ("", *SIDE_SUFFIXES)):
        count += 1
        target = path.with_name(f"{path.name}.unusable-{stamp}-{count}")
    for suffix in SIDE_SUFFIXES:  # the side files first, so the main file is last to go
        side = Path(f"{path}{suffix}")
        if side.exists():
            side.rename(f"{target}{suffix}")
    path.rename(target)
    return target
