"""Typing a passphrase: to unlock protected sessions, or to set a new one."""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

#: Checks a passphrase; returns a problem to show, or None when it was accepted.
Attempt = Callable[[str], str | None]


class PassphraseScreen(ModalScreen[bool]):
    """Asks for a passphrase (twice when ``confirm``) and hands it to ``attempt``.

    Dismisses with True once ``attempt`` accepts it, False on Escape. The text is
    never kept after the attempt.
    """

    HELP = "The passphrase seals what was said on this computer; it is never stored."

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="passphrase.cancel")]

    def __init__(self, title: str, attempt: Attempt, confirm: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.attempt = attempt
        self.confirm = confirm
        # While a passphrase is being tried, Enter and Escape wait for the answer:
        # the attempt may already have opened the sessions.
        self.checking = False

    def compose(self) -> ComposeResult:
        """The question, one or two hidden fields and a line for problems."""
        with Vertical(classes="dialog"):
            yield Static(self.title_text, id="passphrase-title")
            yield Input(password=True, placeholder="passphrase", id="passphrase")
            if self.confirm:
                yield Input(password=True, placeholder="the same again", id="passphrase-again")
            yield Static("Enter to go on, Escape to cancel.", id="passphrase-problem")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: check the fields, then try the passphrase."""
        if self.checking:
            return
        first = self.query_one("#passphrase", Input)
        if self.confirm and event.input is first:
            self.query_one("#passphrase-again", Input).focus()
            return
        text = first.value
        if not text:
            self.say("Type a passphrase first.")
            return
        if self.confirm and self.query_one("#passphrase-again", Input).value != text:
            self.say("The two do not match; type them again.")
            self.clear()
            return
        self.say("Checking...")
        self.checking = True
        self.check(text)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="passphrase",
        description="check the passphrase",
    )
    def check(self, text: str) -> None:
        """Try the passphrase off the event loop: deriving its key takes about 0.1 s."""
        problem = self.attempt(text)
        self.app.call_from_thread(self.checked, problem)

    def checked(self, problem: str | None) -> None:
        """Leave once accepted; otherwise say why and ask again."""
        self.checking = False
        self.clear()
        if problem is None:
            self.dismiss(True)
        else:
            self.say(problem)

    def say(self, text: str) -> None:
        """Show a problem under the fields."""
        self.query_one("#passphrase-problem", Static).update(text)

    def clear(self) -> None:
        """Empty the fields and start again at the first."""
        for field in self.query(Input):
            field.value = ""
        self.query_one("#passphrase", Input).focus()

    def action_cancel(self) -> None:
        """Leave without a passphrase (once any attempt under way has answered)."""
        if not self.checking:
            self.dismiss(False)
