"""Before hard exercises: consent, a safety question, and help resources."""

from __future__ import annotations

import tomllib
from importlib import resources

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from guided_talk.exercises.model import Exercise
from guided_talk.tui.screens.base import app_of


def help_resources(country: str = "") -> str:
    """Where to find help, for the chosen country (international when unknown)."""
    data = tomllib.loads(
        resources.files("guided_talk.tui").joinpath("help_resources.toml").read_text("utf-8")
    )
    entry = data.get(country.upper(), data["default"])
    return (
        f"If you or your partner are in danger, call {entry['emergency']} now.\n\n"
        "If home does not feel safe, talk to someone you trust, or a confidential "
        f"helpline: {entry['more']}.\n\n"
        "For old hurts that keep coming back, a couples counsellor or therapist can help; "
        "this app is practice, not therapy."
    )


class SafetyCheckScreen(ModalScreen[bool]):
    """Asks for consent and whether things feel safe; No shows help instead."""

    HELP = (
        "Answer honestly; there is no wrong answer. If either of you is not sure, it is "
        "fine to stop here and choose a lighter exercise."
    )

    BINDINGS = [
        Binding("y", "answer(True)", "Yes, go ahead", id="safety.yes"),
        Binding("n", "answer(False)", "No / not sure", id="safety.no"),
        Binding("escape", "answer(False)", "Back", id="safety.back"),
    ]

    def __init__(self, exercise: Exercise) -> None:
        super().__init__()
        self.exercise = exercise

    def compose(self) -> ComposeResult:
        """The question."""
        parts = [f"[b]Before “{self.exercise.title}”[/b]", ""]
        if self.exercise.safety_note:
            parts += [self.exercise.safety_note, ""]
        parts += [
            "This is practice, not therapy. Either of you can pause at any moment (p), "
            "and you can stop for today at any time.",
            "",
            "Do you both want to do this, and does home feel safe for both of you right now?",
        ]
        with Vertical(classes="dialog"):
            with VerticalScroll(classes="dialog-body"):
                yield Static("\n".join(parts))
            yield Static(
                "[b]y[/b] yes, we both want to and feel safe    [b]n[/b] no, or not sure",
                classes="dialog-keys",
            )

    def action_answer(self, yes: bool) -> None:
        """Yes starts; No shows help resources and does not start."""
        if yes:
            self.dismiss(True)
        else:
            self.app.switch_screen(HelpResourcesScreen())


class HelpResourcesScreen(ModalScreen[bool]):
    """Where to find help; the exercise does not start."""

    BINDINGS = [Binding("escape,enter", "close", "Close", id="resources.close")]

    def compose(self) -> ComposeResult:
        """The resources."""
        with Vertical(classes="dialog"):
            text = help_resources(app_of(self).services.settings.safety.country)
            yield Static("[b]Support[/b]\n\n" + text + "\n\n[dim]Enter closes.[/]", id="resources")

    def action_close(self) -> None:
        """Close without starting anything."""
        self.dismiss(False)
