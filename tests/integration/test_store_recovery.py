"""A damaged, foreign or newer database is moved aside, never overwritten, and the user told."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from guided_talk.store import Store, StoreError, UnusableDatabase, open_or_set_aside
from tests.support.tui_harness import app_with

PAGE = 4096


def database_with_sessions(path: Path, count: int = 30) -> None:
    with Store.open(path) as store:
        for number in range(count):
            store.create_session("ex", f"Exercise {number} " + "words " * 200, ["Ana", "Ben"])


def damage(path: Path) -> bytes:
    """Overwrite two pages in the middle of the file with noise; return the new bytes."""
    data = bytearray(path.read_bytes())
    assert len(data) > 6 * PAGE
    data[3 * PAGE : 5 * PAGE] = bytes((i * 37 + 11) % 256 for i in range(2 * PAGE))
    path.write_bytes(bytes(data))
    return bytes(data)


def newer(path: Path) -> bytes:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE future (x)")
        conn.execute("PRAGMA user_version = 999")
    return path.read_bytes()


def not_sqlite(path: Path) -> bytes:
    path.write_bytes(b"my diary, not a database\n" * 100)
    return path.read_bytes()


def damaged(path: Path) -> bytes:
    database_with_sessions(path)
    return damage(path)


@pytest.mark.parametrize("spoil", [damaged, newer, not_sqlite])
def test_an_unusable_file_is_kept_byte_for_byte_and_a_fresh_one_started(
    tmp_path: Path, spoil: object
) -> None:
    path = tmp_path / "sessions.sqlite3"
    before = spoil(path)  # type: ignore[operator]
    with pytest.raises(UnusableDatabase):
        Store.open(path).close()
    assert path.read_bytes() == before, "refusing must not write"

    store, notice = open_or_set_aside(path)
    with store:
        assert store.list_sessions() == []
        store.create_session("ex", "Works again", ["Ana"])
    kept = [p for p in tmp_path.iterdir() if ".unusable-" in p.name and "-wal" not in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == before
    assert notice is not None and kept[0].name in notice and "nothing was deleted" in notice


def test_a_second_bad_file_does_not_replace_the_first_one_kept(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    first = not_sqlite(path)
    open_or_set_aside(path)[0].close()
    path.unlink()
    second = newer(path)
    open_or_set_aside(path)[0].close()
    kept = sorted(p.read_bytes() for p in tmp_path.iterdir() if ".unusable-" in p.name)
    assert sorted([first, second]) == kept


def test_a_good_database_is_opened_as_is(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    database_with_sessions(path, count=3)
    store, notice = open_or_set_aside(path)
    with store:
        assert notice is None and len(store.list_sessions()) == 3


def test_a_folder_that_cannot_be_written_gives_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "sessions.sqlite3"
    not_sqlite(path)
    folder.chmod(0o500)
    try:
        if _can_write(folder):
            pytest.skip("running as root: a read-only folder can still be written")
        with pytest.raises(StoreError, match="Moving it aside failed"):
            open_or_set_aside(path)
    finally:
        folder.chmod(0o700)


def _can_write(folder: Path) -> bool:
    try:
        (folder / "probe").touch()
    except OSError:
        return False
    (folder / "probe").unlink()
    return True


def test_the_cli_says_where_the_old_file_went_and_carries_on(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    damaged(data / "guided-talk.sqlite3")
    env = {"GUIDED_TALK_DATA_DIR": str(data), "GUIDED_TALK_CONFIG_DIR": str(tmp_path / "cfg")}
    result = subprocess.run(
        [sys.executable, "-m", "guided_talk", "history"],
        capture_output=True,
        text=True,
        env={**_base_env(), **env},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "damaged or not a database" in result.stderr and ".unusable-" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "No sessions yet" in result.stdout


def _base_env() -> dict[str, str]:
    import os

    return {key: value for key, value in os.environ.items() if not key.startswith("GUIDED_TALK")}


async def test_the_app_tells_the_couple_and_saves_to_a_fresh_database(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    newer(path)
    app, _ = app_with(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("newer guided-talk" in m and ".unusable-" in m for m in messages)
        assert app.store is not None and app.store.list_sessions() == []
