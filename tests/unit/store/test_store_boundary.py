"""SQLite stays inside the store: every database error reaches callers as a StoreError."""

from __future__ import annotations

from pathlib import Path

import pytest

from guided_talk.store import Store, StoreError
from tests.support.imports import PACKAGE, imported_modules


def test_only_the_store_imports_sqlite3() -> None:
    outside = [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "store" not in path.relative_to(PACKAGE).parts[:1]
        and any(module.split(".")[0] == "sqlite3" for module in imported_modules(path))
    ]
    assert outside == []


def test_a_closed_connection_is_a_store_error(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.sqlite3")
    store._conn.close()  # what a failed disk leaves behind: a connection that cannot be used
    with pytest.raises(StoreError):
        store.list_sessions()
    with pytest.raises(StoreError):
        store.create_session("x", "X", ["A"])
