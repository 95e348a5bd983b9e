"""Home: choose a mode, continue an unfinished session, see recent ones."""

from __future__ import annotations

import time

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from guided_talk.store import SessionSummary
from guided_talk.tui.screens.base import app_of, store_of
from guided_talk.tui.widgets.safety_line import SafetyLine
from guided_talk.values import SessionMode

INTRO = (
    "Timed, turn-taking exercises for hard conversations. The app reads each prompt, "
    "keeps time, listens, and shows what a reflect-back caught and missed."
)
MODES = (
    ("couple", "Couple session", "the two of you, one laptop"),
    ("workshop", "Workshop timer", "a room of pairs: big timer, rounds, role swaps"),
    ("solo", "Rehearse a statement", "say something hard, get feedback, try again"),
    ("history", "History and progress", "past sessions, trends, export"),
    ("settings", "Settings", "voice, speech engine, privacy, theme, delete data"),
)


class HomeScreen(Screen[None]):
    """The first screen."""

    HELP = "Arrow keys choose, Enter opens. Unfinished sessions can be continued from here."
    BINDINGS = [Binding("h", "history", "History", id="home.history")]

    def compose(self) -> ComposeResult:
        """Intro, modes, unfinished and recent sessions."""
        yield Header()
        yield Static(INTRO, id="intro")
        yield OptionList(id="choices")
        yield SafetyLine()
        yield Footer()

    async def on_mount(self) -> None:
        """Fill the sessions in once the database is open (it opens in a thread)."""
        await app_of(self).wait_for_store()
        self.refresh_choices()

    def on_screen_resume(self) -> None:
        """Refresh the lists whenever the screen comes back."""
        self.refresh_choices()

    def refresh_choices(self) -> None:
        """Modes first, then sessions to continue, then recent ones."""
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        for key, title, detail in MODES:
            options.add_option(Option(f"{title}  [dim]{detail}[/]", id=f"mode:{key}"))
        if not app_of(self).store_ready.is_set():
            options.add_option(Option("[dim]Opening your sessions...[/]", disabled=True))
        store = store_of(self)
        for summary in store.unfinished_sessions()[:3] if store else []:
            options.add_option(Option(f"Continue: {describe(summary)}", id=f"resume:{summary.id}"))
        sessions = store.list_sessions(limit=5) if store else []
        recent = [s for s in sessions if s.status == "finished"][:3]
        for summary in recent:
            options.add_option(Option(f"Review: {describe(summary)}", id=f"review:{summary.id}"))
        options.highlighted = 0
        options.focus()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open what was chosen."""
        from guided_talk.tui.screens.history import HistoryScreen
        from guided_talk.tui.screens.library import LibraryScreen
        from guided_talk.tui.screens.resume import resume_session
        from guided_talk.tui.screens.review import ReviewScreen

        kind, _, value = (event.option.id or "").partition(":")
        if kind == "mode" and value == "history":
            self.app.push_screen(HistoryScreen())
        elif kind == "mode" and value == "settings":
            from guided_talk.tui.screens.settings import SettingsScreen

            self.app.push_screen(SettingsScreen())
        elif kind == "mode":
            self.app.push_screen(LibraryScreen(SessionMode(value)))
        elif kind == "resume":
            await resume_session(self, value)
        elif kind == "review":
            self.app.push_screen(ReviewScreen(value))

    def action_history(self) -> None:
        """Open the history."""
        from guided_talk.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())


def describe(summary: SessionSummary) -> str:
    """One line for a session."""
    when = time.strftime("%d %b %H:%M", time.localtime(summary.started_at))
    people = " & ".join(summary.participants)
    return escape(f"{summary.exercise_title} ({people}), {when}")
