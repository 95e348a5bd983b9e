"""An incognito session ("keep nothing") writes nothing to disk.

Every file the app's Python code opens for writing, creates, renames or removes is
listed with an audit hook while the session runs, and every file in the app's
folders is hashed before and after, which also catches SQLite's own C-level
writes. The partners are scripted (no microphone here); the screens, runner,
analyses and database are the real ones.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.widgets import Select

from guided_talk.store import Store
from guided_talk.tui.screens.setup import SetupScreen
from tests.support.tui_harness import app_with, choose, open_exercise, run_until_review, screen_text

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
FILE_EVENTS = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.truncate", "sqlite3.connect"}
_touched: list[tuple[str, str]] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _touched is None:
        return
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        mode, flags = (*args, None, None)[1:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS
        )
        if writing:
            _touched.append((event, os.fsdecode(args[0])))
    elif event in FILE_EVENTS:
        _touched.append((event, repr(args[:2])))


sys.addaudithook(_audit)


@contextmanager
def files_touched() -> Iterator[list[tuple[str, str]]]:
    """Lists every file written, made, moved or removed by Python code in the block."""
    global _touched
    _touched = []
    try:
        yield _touched
    finally:
        _touched = None


def tree(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_audit_sees_a_python_write(tmp_path: Path) -> None:
    with files_touched() as touched:
        (tmp_path / "note.txt").write_text("hello")
    assert touched == [("open", str(tmp_path / "note.txt"))]


@pytest.mark.parametrize(("privacy", "downs"), [("nothing", 2), ("transcripts", 0)])
async def test_an_incognito_session_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, privacy: str, downs: int
) -> None:
    """Keeping nothing writes nothing; keeping transcripts (the control) does write."""
    data = tmp_path / "data"
    monkeypatch.setenv("GUIDED_TALK_DATA_DIR", str(data))
    monkeypatch.setenv("GUIDED_TALK_CONFIG_DIR", str(tmp_path / "config"))
    app, clock = app_with(data / "guided-talk.sqlite3")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_exercise(pilot, app, 0, "Mirroring dialogue")
        assert isinstance(app.screen, SetupScreen)
        await choose(pilot, "privacy", downs)
        assert app.screen.query_one("#privacy", Select).value == privacy
        before = tree(tmp_path)
        assert before, "the database exists before the session"
        with files_touched() as touched:
            await pilot.press("ctrl+s")
            await pilot.pause()
            await run_until_review(pilot, app, clock)
            assert "Covered about" in screen_text(app), "feedback is shown, then forgotten"
            await pilot.press("escape")
            await pilot.pause()
        if privacy == "nothing":
            assert touched == []
            assert tree(tmp_path) == before
        else:
            assert tree(tmp_path) != before
    with Store.open(data / "guided-talk.sqlite3") as store:
        assert len(store.list_sessions()) == (privacy != "nothing")
