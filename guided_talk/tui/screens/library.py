"""The exercise library: built-in and custom exercises, filtered by goal."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Select, Static
from textual.widgets.option_list import Option

from guided_talk.exercises.model import GOALS, Exercise
from guided_talk.tui.screens.base import app_of
from guided_talk.tui.widgets.safety_line import SafetyLine
from guided_talk.values import SessionMode

MODE_TITLES = {
    SessionMode.COUPLE: "for two",
    SessionMode.WORKSHOP: "for a workshop",
    SessionMode.SOLO: "to rehearse alone",
}


def minutes(seconds: int) -> str:
    """``12 min``."""
    return f"{max(1, round(seconds / 60))} min"


def describe(exercise: Exercise) -> str:
    """Purpose, length, roles and whether speech is recorded."""
    capture = "speech is recorded and transcribed" if exercise.captures_speech else "timer only"
    custom = "" if exercise.source is None or "library" in exercise.source.parts else " (custom)"
    lines = [
        f"[b]{escape(exercise.title)}[/b]{custom}",
        escape(exercise.purpose),
        "",
        f"Length: {minutes(exercise.total_seconds)}   Goal: {exercise.goal}",
        f"Who speaks: {', '.join(exercise.roles)}   For: {', '.join(exercise.audience)}",
        f"Recording: {capture}",
    ]
    if exercise.safety_note:
        lines += ["", f"Safety: {escape(exercise.safety_note)}"]
    return "\n".join(lines)


class LibraryScreen(Screen[None]):
    """Pick an exercise for the chosen mode."""

    HELP = "Choose a goal to narrow the list; Enter sets up the highlighted exercise."
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="library.back")]

    def __init__(self, mode: SessionMode) -> None:
        super().__init__()
        self.mode = mode

    def compose(self) -> ComposeResult:
        """Goal filter, list, details."""
        yield Header()
        yield Static(f"Exercises {MODE_TITLES.get(self.mode, '')}", classes="screen-title")
        goals = [("every goal", "")] + [(goal.replace("-", " "), goal) for goal in GOALS]
        yield Select(goals, value="", allow_blank=False, id="goal")
        with Horizontal(id="library-body"):
            yield OptionList(id="exercises")
            yield Static(id="details")
        yield SafetyLine()
        yield Footer()

    def on_mount(self) -> None:
        """Fill the list."""
        self.fill("")
        self.query_one("#exercises", OptionList).focus()

    def matching(self, goal: str) -> list[Exercise]:
        """Exercises for this mode (and goal)."""
        audience = self.mode
        found = [
            e
            for e in app_of(self).services.library.exercises.values()
            if audience in e.audience and (not goal or e.goal == goal)
        ]
        # A gentle order: safe space and small steps first, hard ground later.
        return sorted(found, key=lambda e: (GOALS.index(e.goal), e.title))

    def fill(self, goal: str) -> None:
        """Show the exercises that match."""
        options = self.query_one("#exercises", OptionList)
        options.clear_options()
        for exercise in self.matching(goal):
            label = f"{escape(exercise.title)}  [dim]{minutes(exercise.total_seconds)}[/]"
            options.add_option(Option(label, id=exercise.id))
        details = self.query_one("#details", Static)
        details.update("" if options.option_count else "No exercises for this goal yet.")
        if options.option_count:
            options.highlighted = 0

    def on_select_changed(self, event: Select.Changed) -> None:
        """Filter by goal."""
        self.fill(str(event.value or ""))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the highlighted exercise's details."""
        exercise = app_of(self).services.library.exercises.get(event.option.id or "")
        if exercise is not None:
            self.query_one("#details", Static).update(describe(exercise))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Set up the chosen exercise."""
        from guided_talk.tui.screens.setup import SetupScreen

        exercise = app_of(self).services.library.exercises.get(event.option.id or "")
        if exercise is not None:
            self.app.push_screen(SetupScreen(exercise, self.mode))
