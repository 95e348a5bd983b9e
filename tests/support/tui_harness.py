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
