"""Build the real app for Pilot tests with a fake clock and scripted or typed input.

The fake clock stands in for waiting minutes; the scripted partners stand in for two
people at a microphone this machine does not have. Everything else is real: the
screens, the engine, the runner, the analyses and the SQLite file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guided_talk.exercises.loader import load_library
from guided_talk.session.clock import FakeClock
from guided_talk.session.scripted import ScriptedPartners
from guided_talk.settings import Settings
from guided_talk.tui.app import GuidedTalkApp, make_app
from guided_talk.tui.screens.rating import RatingScreen
from guided_talk.tui.screens.review import ReviewScreen
from guided_talk.tui.services import Services


def test_services(database: Path, listener: str = "scripted") -> tuple[Services, FakeClock]:
    """Services with a fake clock; ``listener`` is ``scripted``, ``typed`` or ``none``."""
    from guided_talk.speech.typed import TypedListener

    clock = FakeClock()

    def make_listener(*_: Any) -> Any:
        if listener == "typed":
            return TypedListener()
        return ScriptedPartners(clock)

    services = Services(
        library=load_library(),
        settings=Settings(),
        settings_problems=[],
        database=database,
        clock=clock,
        make_reader=lambda notify: None,
        make_listener=make_listener,
        random_seed=7,
    )
    return services, clock


def app_with(database: Path, listener: str = "scripted") -> tuple[GuidedTalkApp, FakeClock]:
    """The app and its clock."""
    services, clock = test_services(database, listener)
    return make_app(services), clock


def screen_text(app: GuidedTalkApp) -> str:
    """Everything the current screen shows, as plain text."""
    from textual.widgets import Static

    parts = []
    for widget in app.screen.query(Static):
        if widget.display:
            parts.append(str(widget.render()))
    return "\n".join(parts)


async def open_exercise(pilot: object, app: GuidedTalkApp, mode_downs: int, title: str) -> None:
    """From home: pick the mode, then the exercise by title, then start with defaults."""
    for _ in range(mode_downs):
        await pilot.press("down")  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    for _ in range(10):
        if title in screen_text(app).split("\n\n")[0] or f"[b]{title}" in screen_text(app):
            break
        await pilot.press("down")  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def run_until_review(
    pilot: object, app: GuidedTalkApp, clock: object, rating: str = "4"
) -> int:
    """Let time pass in 5-second steps, answering rating questions, until the review."""
    ratings = 0
    for _ in range(2000):
        if isinstance(app.screen, ReviewScreen):
            return ratings
        if isinstance(app.screen, RatingScreen):
            await pilot.press(rating)  # type: ignore[attr-defined]
            ratings += 1
        clock.advance(5)  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
    raise AssertionError(f"no review; stuck on {app.screen}")


async def choose(pilot: Any, field: str, downs: int) -> None:
    """Tab to a setup field and pick the option ``downs`` below the first."""
    for _ in range(12):
        if pilot.app.focused is not None and pilot.app.focused.id == field:
            break
        await pilot.press("tab")
    await pilot.press("enter", *["down"] * downs, "enter")
    await pilot.pause()
