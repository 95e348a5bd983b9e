""" "Did they get it?": the reflected person rates the reflect-back, 1 to 5."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

SCALE = (
    "1  not really",
    "2  a little",
    "3  partly",
    "4  mostly",
    "5  yes, completely",
)


class RatingScreen(ModalScreen[int | None]):
    """Asked right after each reflect-back; the session waits meanwhile."""

    HELP = "Press 1 (not heard) to 5 (fully heard) for how well you felt understood."

    BINDINGS = [
        *(Binding(str(n), f"rate({n})", show=False, id=f"rating.{n}") for n in range(1, 6)),
        Binding("escape", "rate(0)", "Skip", id="rating.skip"),
    ]

    def __init__(self, rater: str, listener: str) -> None:
        super().__init__()
        self.rater = rater
        self.listener = listener

    def compose(self) -> ComposeResult:
        """The question and the scale."""
        with Vertical(classes="dialog"):
            yield Static(
                f"[b]{self.rater}, did {self.listener} get it?[/b]\n\n"
                + "\n".join(SCALE)
                + "\n\nPress 1 to 5 (Escape skips)."
            )

    def action_rate(self, value: int) -> None:
        """Answer and go back to the session."""
        self.dismiss(value or None)
