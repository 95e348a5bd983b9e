"""Continue a session that was paused with a time-out or a quit."""

from __future__ import annotations

from textual.screen import Screen

from guided_talk.store import StoreError
from guided_talk.tui.screens.base import app_of
from guided_talk.values import Privacy, choice


def resume_session(screen: Screen[None], session_id: str) -> None:
    """Open the session screen at the turn where the session stopped."""
    from guided_talk.tui.screens.session import SessionPlan, SessionScreen

    app = app_of(screen)
    if app.store is None:
        return
    try:
        detail = app.store.get_session(session_id)
    except StoreError as error:
        app.notify(str(error), severity="error")
        return
    summary = detail.summary
    exercise = app.services.library.exercises.get(summary.exercise_id)
    if exercise is None:
        app.notify(
            f"The exercise '{summary.exercise_title}' is no longer in the library, "
            "so this session cannot continue.",
            severity="warning",
        )
        return
    plan = SessionPlan(
        exercise=exercise,
        people=list(summary.participants),
        mode=summary.mode,
        privacy=choice(Privacy, detail.settings.get("privacy"), Privacy.TRANSCRIPTS),
        resume_id=summary.id,
        start_index=summary.next_index,
        transcripts={t.index: t.transcript for t in detail.turns if t.transcript},
    )
    app.push_screen(SessionScreen(plan))
