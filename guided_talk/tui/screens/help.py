"""F1: the keys and advice for the screen underneath, and where to find support."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from guided_talk.tui.screens.base import app_of
from guided_talk.tui.screens.safety import help_resources


def keys_of(screen: Screen[Any]) -> list[str]:
    """ "key  description" for each visible binding of the screen."""
    lines = []
    for binding in screen.BINDINGS:
        if isinstance(binding, Binding) and binding.description:
            lines.append(f"  {binding.key.split(',')[0]:<12} {binding.description}")
    return lines


class HelpScreen(ModalScreen[None]):
    """Help for whichever screen was in front."""

    BINDINGS = [Binding("escape,f1,q", "app.pop_screen", "Close", id="help.close")]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        """Advice, keys, support."""
        advice = getattr(self.under, "HELP", None) or ""  # Textual's default is None
        keys = keys_of(self.under)
        text = ["[b]Help[/b]", "", advice, ""]
        if keys:
            text += ["[b]Keys here[/b]", *keys, ""]
        text += [
            "  ctrl+p       Commands",
            "  ctrl+q       Quit the app",
            "",
            "[b]Support[/b]",
            help_resources(app_of(self).services.settings.safety.country),
            "",
            "[dim]Escape closes.[/]",
        ]
        with VerticalScroll(classes="dialog"):
            yield Static("\n".join(text), id="help-text")
