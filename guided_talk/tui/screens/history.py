"""History: past and unfinished sessions; open, export or continue one."""

from __future__ import annotations

import time

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from guided_talk.session.analysis import worked_out
from guided_talk.session.progress import MARKERS, MEASURES, Trends, chart, progress
from guided_talk.store import StoreError, write_export
from guided_talk.tui.screens.base import app_of, store_of

TREND_SESSIONS = 50


def trends_text(trends: Trends) -> str:
    """A small plot per measure with every person's sessions, and the latest values."""
    if not trends:
        return "Trends appear here after a few sessions with recorded speech."
    people = sorted(trends)
    lines = []
    for name, (label, fmt) in MEASURES.items():
        series = {p: trends[p][name] for p in people if trends[p].get(name)}
        if not series:
            continue
        legend = "   ".join(
            f"{marker} {person} {fmt.format(values[-1])}"
            for marker, (person, values) in zip(MARKERS, series.items(), strict=False)
        )
        lines += [f"{label}   {legend}", *chart(series, fmt), ""]
    lines.append("Oldest on the left, newest on the right; one point a session.")
    return "\n".join(lines)


class HistoryScreen(Screen[None]):
    """Every stored session, newest first."""

    HELP = "Enter opens a session's review (or continues an unfinished one); x exports it."
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="history.back"),
        Binding("x", "export", "Export", id="history.export"),
    ]

    def compose(self) -> ComposeResult:
        """The table."""
        yield Header()
        yield Static("History", classes="screen-title")
        yield DataTable(id="sessions", cursor_type="row")
        yield Static("Progress", classes="screen-title")
        yield Static(id="trends", markup=False)
        yield Footer()

    async def on_mount(self) -> None:
        """Fill the table from the store, once it is open."""
        table = self.query_one(DataTable)
        table.add_columns("When", "Exercise", "Who", "Turns", "State")
        store = await app_of(self).wait_for_store()
        sessions = store.list_sessions(limit=500) if store is not None else []
        self.finished = {s.id for s in sessions if s.status == "finished"}
        for s in sessions:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(s.started_at))
            state = "can continue" if s.status != "finished" else "finished"
            table.add_row(
                when, s.exercise_title, " & ".join(s.participants), s.turn_count, state, key=s.id
            )
        if not sessions:
            self.notify("No sessions yet.")
        table.focus()
        self.show_trends()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="trends",
        description="work out progress",
    )
    def show_trends(self) -> None:
        """Read the latest sessions and draw each person's trends (in a thread)."""
        store = store_of(self)
        if store is None:
            return
        details = [store.get_session(s.id) for s in store.list_sessions(limit=TREND_SESSIONS)]
        text = trends_text(progress(details))
        self.app.call_from_thread(self.query_one("#trends", Static).update, text)

    async def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Review a finished session, continue an unfinished one."""
        from guided_talk.tui.screens.resume import resume_session
        from guided_talk.tui.screens.review import ReviewScreen

        session_id = str(event.row_key.value)
        store = store_of(self)
        if store is None:
            return
        if session_id not in self.finished:
            await resume_session(self, session_id)
        else:
            self.app.push_screen(ReviewScreen(session_id))

    def action_export(self) -> None:
        """Write the highlighted session as Markdown into the data folder."""
        table = self.query_one(DataTable)
        store = store_of(self)
        if store is None or table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        self.export(str(key.value))

    @work(thread=True, exit_on_error=False, group="export", description="export a session")
    def export(self, session_id: str) -> None:
        """Work the feedback out in full and write the report (in a thread)."""
        store = store_of(self)
        assert store is not None
        try:
            detail = worked_out(store.get_session(session_id))
            path = write_export(detail, "md", store.path.parent, store.path)
        except (StoreError, OSError) as error:
            self.app.call_from_thread(self.notify, f"Could not export: {error}", severity="error")
            return
        self.app.call_from_thread(self.notify, f"Exported to {path}")
