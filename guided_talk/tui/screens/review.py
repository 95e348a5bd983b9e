"""Review: each turn with what was said, and what the feedback found."""

from __future__ import annotations

from collections.abc import Callable

from rich.markup import escape
from rich.table import Table
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import WorkerFailed

from guided_talk.feedback.findings import (
    STATEMENT_PARTS,
    ExpressionFindings,
    Kept,
    ReflectionFindings,
)
from guided_talk.feedback.reply_model import LABEL_WORDS
from guided_talk.session.analysis import worked_out
from guided_talk.store import SessionDetail, StoredTurn, StoreError
from guided_talk.tui.screens.base import go_home, store_of


def reflection_lines(findings: ReflectionFindings) -> list[str]:
    """Coverage, response type, feelings, and each point captured or missed."""
    lines = [f"  Covered about {findings.coverage:.0%} of the points"]
    kind = findings.response_type
    if kind:
        others = [t for t in findings.response_types if t != kind]
        extra = f" (also {', '.join(others)})" if len(findings.response_types) > 1 else ""
        named = LABEL_WORDS.get(findings.reply_label, "")
        if named and kind in ("criticism", "other"):
            extra = f": {named}{extra}"
        lines.append(f"  Response: {kind}{extra}")
    if findings.kept == Kept.ALL:
        feelings = findings.feelings
        named = ", ".join(feelings.speaker) or "none named"
        heard = ", ".join(feelings.listener) or "none"
        matched = ", ".join(feelings.matched) or "none"
        lines.append(escape(f"  Feelings: said {named}; listener named {heard}; matched {matched}"))
    for unit in findings.units:
        if unit.text:
            mark = "captured" if unit.captured else "missed  "
            lines.append(f"  {escape(f'[{mark}]')} {escape(unit.text)}")
    return lines


def expression_lines(findings: ExpressionFindings) -> list[str]:
    """Tips and a suggested rewrite."""
    lines = [f"  * {escape(tip)}" for tip in findings.tips]
    if findings.rewrite:
        lines.append(f"  Try: {escape(findings.rewrite)}")
    return lines or ["  Clear and kind: nothing to change."]


def _yes(value: object) -> str:
    """A word, not a colour, for yes and no."""
    return "yes" if value else "-"


def attempts_table(findings: list[ExpressionFindings]) -> Table:
    """Rehearsal attempts side by side: which parts each one had."""
    table = Table(title="Your attempts side by side", expand=True)
    table.add_column("")
    for number in range(1, len(findings) + 1):
        table.add_column(f"Attempt {number}")
    for part in STATEMENT_PARTS:
        table.add_row(part, *(_yes(f.parts.get(part)) for f in findings))
    table.add_row("you-statements", *(str(f.you_statements) for f in findings))
    table.add_row("absolutes", *(", ".join(f.absolutist_words) or "-" for f in findings))
    table.add_row("words", *(str(f.words) for f in findings))
    return table


def turn_block(turn: StoredTurn) -> str:
    """One turn as text."""
    who = turn.participant or "Everyone"
    lines = [f"[b]{escape(who)}[/b] · {turn.phase_id} / {turn.turn_id} · {turn.status}"]
    if turn.transcript:
        lines.append(f"  “{escape(turn.transcript)}”")
    for rater, value in turn.ratings.items():
        lines.append(f"  {escape(rater)} felt understood: {value}/5")
    if turn.feedback.reflection is not None:
        lines += reflection_lines(turn.feedback.reflection)
    if turn.feedback.expression is not None:
        lines += expression_lines(turn.feedback.expression)
    return "\n".join(lines)


NOT_SAVED = (
    "Part of this session is still not saved (the disk may be full). Free some space "
    "and press q again to save it. Pressing q once more without that leaves anyway, "
    "and the unsaved part is lost."
)


class ReviewScreen(Screen[None]):
    """The whole session, turn by turn."""

    HELP = "Scroll with the arrow keys. Export from History (x), or `guided-talk export`."
    BINDINGS = [Binding("escape,q", "done", "Done", id="review.done")]

    def __init__(
        self,
        session_id: str | None,
        detail: SessionDetail | None = None,
        retry_saving: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__()
        self.session_id = session_id
        self.detail = detail
        # Given when part of the session could not be saved yet (a full disk).
        self.retry_saving = retry_saving
        self._warned = False

    def compose(self) -> ComposeResult:
        """Title and turns."""
        yield Header()
        yield Static(id="review-title", classes="screen-title")
        yield VerticalScroll(id="review-turns")
        yield Footer()

    async def action_done(self) -> None:
        """Back to the home screen, once the session is saved or the user insists."""
        if self.retry_saving is not None and not await self.saved() and not self._warned:
            self._warned = True
            self.notify(NOT_SAVED, title="Not saved yet", severity="error", timeout=30)
            return
        go_home(self)

    @work(thread=True, exit_on_error=False, group="saving", description="Saving the session")
    def save_again(self) -> bool:
        """Try the writes that failed again (they sync to disk, so off the event loop)."""
        return self.retry_saving() if self.retry_saving is not None else True

    async def saved(self) -> bool:
        """Whether everything is saved now."""
        try:
            return await self.save_again().wait()
        except WorkerFailed:  # reported by the app; count it as not saved
            return False

    def on_mount(self) -> None:
        """Show the session given, or load it from the store in a thread."""
        if self.detail is not None:
            self.show(self.detail)
        elif self.session_id and store_of(self) is not None:
            self.query_one("#review-title", Static).update("Reading the session...")
            self.load(self.session_id)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="review",
        description="read the session and work out its feedback",
    )
    def load(self, session_id: str) -> None:
        """Read the session, work its findings out in full, then show it."""
        store = store_of(self)
        try:
            detail = worked_out(store.get_session(session_id)) if store is not None else None
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        if detail is not None:
            self.app.call_from_thread(self.show, detail)

    def show(self, detail: SessionDetail) -> None:
        """Title, the attempts side by side (rehearsals), then each turn."""
        people = " & ".join(detail.summary.participants)
        self.query_one("#review-title", Static).update(
            f"Review: {escape(detail.summary.exercise_title)} ({escape(people)})"
        )
        body = self.query_one("#review-turns", VerticalScroll)
        attempts = [t.feedback.expression for t in detail.turns if t.feedback.expression]
        if len(detail.summary.participants) == 1 and attempts:
            body.mount(Static(attempts_table(attempts), id="attempts"))
        shown = [t for t in detail.turns if t.transcript or t.feedback]
        for turn in shown:
            body.mount(Static(turn_block(turn), classes="turn"))
        if not shown:
            body.mount(Static("Nothing was recorded in this session (timer only)."))
        body.focus()
