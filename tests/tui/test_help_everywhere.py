"""Help, with where to find professional support, is one key away on every screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

from guided_talk.session.starter import SessionRequest
from guided_talk.tui.app import GuidedTalkApp
from guided_talk.tui.screens.confirm import ConfirmScreen
from guided_talk.tui.screens.help import HelpScreen
from guided_talk.tui.screens.history import HistoryScreen
from guided_talk.tui.screens.library import LibraryScreen
from guided_talk.tui.screens.passphrase import PassphraseScreen
from guided_talk.tui.screens.rating import RatingScreen
from guided_talk.tui.screens.review import ReviewScreen
from guided_talk.tui.screens.safety import SafetyCheckScreen
from guided_talk.tui.screens.session import SessionScreen
from guided_talk.tui.screens.settings import SettingsScreen
from guided_talk.tui.screens.setup import SetupScreen
from guided_talk.values import SessionMode
from tests.support.tui_harness import app_with


def exercise(app: GuidedTalkApp, exercise_id: str = "acknowledging-past-hurts") -> Any:
    return app.services.library.exercises[exercise_id]


SCREENS: dict[str, Callable[[GuidedTalkApp], Screen[Any]]] = {
    "library": lambda app: LibraryScreen(SessionMode.COUPLE),
    "setup": lambda app: SetupScreen(exercise(app), SessionMode.COUPLE),
    "safety check": lambda app: SafetyCheckScreen(exercise(app)),
    "session": lambda app: SessionScreen(
        SessionRequest(exercise(app, "mirroring-dialogue"), ("Ana", "Ben"), read_prompts=False)
    ),
    "rating": lambda app: RatingScreen("Ana", "Ben"),
    "review": lambda app: ReviewScreen(None),
    "history": lambda app: HistoryScreen(),
    "settings": lambda app: SettingsScreen(),
    "confirm": lambda app: ConfirmScreen("Delete?"),
    "passphrase": lambda app: PassphraseScreen("Passphrase?", lambda text: None),
}


@pytest.mark.parametrize("name", ["home", *SCREENS])
async def test_f1_shows_help_and_support_on_every_screen(tmp_path: Path, name: str) -> None:
    app, _ = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        if name != "home":
            await app.push_screen(SCREENS[name](app))
            await pilot.pause()
        under = app.screen
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.under is under
        text = str(app.screen.query_one("#help-text").render())
        assert "Support" in text and "counsel" in text.lower()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is under
