"""Snapshots of every main screen at 80x24 and 120x40 (pytest-textual-snapshot).

Update them after an intended change with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.sessions import seed
from tests.support.tui_harness import app_with

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


async def history(pilot: Any) -> None:
    await pilot.press("h")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def review(pilot: Any) -> None:
    await history(pilot)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def settings(pilot: Any) -> None:
    await pilot.press(*["down"] * 4, "enter")
    await pilot.pause()


async def safety_check(pilot: Any) -> None:
    from guided_talk.tui.screens.safety import SafetyCheckScreen

    exercise = pilot.app.services.library.exercises["acknowledging-past-hurts"]
    await pilot.app.push_screen(SafetyCheckScreen(exercise))
    await pilot.pause()


async def rating(pilot: Any) -> None:
    from guided_talk.tui.screens.rating import RatingScreen

    await pilot.app.push_screen(RatingScreen("Ana", "Ben"))
    await pilot.pause()


async def confirm(pilot: Any) -> None:
    await settings(pilot)
    pilot.app.screen.query_one("#delete-all").press()
    await pilot.pause()


async def passphrase(pilot: Any) -> None:
    from guided_talk.tui.screens.passphrase import PassphraseScreen

    screen = PassphraseScreen("Your sessions are protected. Type the passphrase.", str)
    await pilot.app.push_screen(screen)
    await pilot.pause()


SCREENS: dict[str, Steps] = {
    "home": home,
    "library": library,
    "setup": setup,
    "session": session,
    "help": help_screen,
    "workshop": workshop,
    "history": history,
    "review": review,
    "settings": settings,
    "safety-check": safety_check,
    "rating": rating,
    "confirm": confirm,
    "passphrase": passphrase,
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(
    name: str,
    size: tuple[int, int],
    snap_compare: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The settings screen shows the folders: the same text on every machine.
    monkeypatch.setenv("GUIDED_TALK_DATA_DIR", "/home/you/.local/share/guided-talk")
    monkeypatch.setenv("GUIDED_TALK_CONFIG_DIR", "/home/you/.config/guided-talk")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    if name in ("history", "review"):
        seed(tmp_path / "db.sqlite3")
    app, _ = app_with(tmp_path / "db.sqlite3")
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[name])
