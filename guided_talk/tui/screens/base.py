"""Small helpers the screens share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from guided_talk.store import Store

if TYPE_CHECKING:
    from guided_talk.tui.app import GuidedTalkApp


def app_of(screen: Screen[Any]) -> GuidedTalkApp:
    """The app, typed."""
    from guided_talk.tui.app import GuidedTalkApp

    app = screen.app
    assert isinstance(app, GuidedTalkApp)
    return app


def store_of(screen: Screen[Any]) -> Store | None:
    """The open database, if any."""
    return app_of(screen).store


def go_home(screen: Screen[Any]) -> None:
    """Close every screen above the home screen."""
    from guided_talk.tui.screens.home import HomeScreen

    app = screen.app
    while len(app.screen_stack) > 2 and not isinstance(app.screen, HomeScreen):
        app.pop_screen()
    if isinstance(app.screen, HomeScreen):
        app.screen.refresh_choices()
