"""Snapshots of every main screen at 80x24 and 120x40 (pytest-textual-snapshot).

Update them after an intended change with ``pytest tests/test_snapshots.py
--snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from tui_harness import app_with

SIZES = [(80, 24), (120, 40)]
Steps = Callable[[Any], Awaitable[None]]


async def home(pilot: Any) -> None:
    await pilot.pause()


async def library(pilot: Any) -> None:
    await pilot.press("enter")
    await pilot.pause()


async def setup(pilot: Any) -> None:
    await pilot.press("enter", "down", "enter")
    await pilot.pause()


async def session(pilot: Any) -> None:
    await pilot.press("enter", "down", "enter", "enter")
    await pilot.pause()
    pilot.app.services.clock.advance(31)
    await pilot.pause()
    pilot.app.services.clock.advance(12)
    await pilot.pause()


async def help_screen(pilot: Any) -> None:
    await pilot.press("f1")
    await pilot.pause()


async def workshop(pilot: Any) -> None:
    await pilot.press("down", "enter", "enter", "enter")
    await pilot.pause()
    pilot.app.services.clock.advance(20)
    await pilot.pause()


SCREENS: dict[str, Steps] = {
    "home": home,
    "library": library,
    "setup": setup,
    "session": session,
    "help": help_screen,
    "workshop": workshop,
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(name: str, size: tuple[int, int], snap_compare: Any, tmp_path: Path) -> None:
    app, _ = app_with(tmp_path / "db.sqlite3")
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[name])
