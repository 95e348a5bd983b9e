"""Continue a session that was paused with a time-out or a quit."""

from __future__ import annotations

from collections.abc import Mapping

from textual.screen import Screen
from textual.worker import WorkerFailed

from guided_talk.exercises.model import Exercise
from guided_talk.session.starter import SessionRequest
from guided_talk.store import SessionDetail, Store, StoreError
from guided_talk.tui.screens.base import app_of
from guided_talk.values import Privacy, choice


async def resume_session(screen: Screen[None], session_id: str) -> None:
    """Read the session in a thread, then open it at the turn where it stopped."""
    from guided_talk.tui.screens.session import SessionScreen

    app = app_of(screen)
    store = await app.wait_for_store()
    if store is None:
        return
    worker = app.run_worker(
        lambda: read(store, session_id),
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="resume",
        description="Reading the session to continue",
    )
    try:
        detail = await worker.wait()
    except WorkerFailed:  # the app's one handler has said what went wrong
        return
    if isinstance(detail, StoreError):
        app.notify(str(detail), severity="error")
        return
    request = resumed(app.services.library.exercises, detail)
    if request is None:
        app.notify(
            f"The exercise '{detail.summary.exercise_title}' is no longer in the library, "
            "so this session cannot continue.",
            severity="warning",
        )
        return
    app.push_screen(SessionScreen(request))


def read(store: Store, session_id: str) -> SessionDetail | StoreError:
    """The stored session, or the error that says why it cannot be read (a thread)."""
    try:
        return store.get_session(session_id)
    except StoreError as error:
        return error


def resumed(exercises: Mapping[str, Exercise], detail: SessionDetail) -> SessionRequest | None:
    """What to start to carry the stored session on, or None if its exercise is gone."""
    summary = detail.summary
    exercise = exercises.get(summary.exercise_id)
    if exercise is None:
        return None
    return SessionRequest(
        exercise=exercise,
        people=summary.participants,
        mode=summary.mode,
        privacy=choice(Privacy, detail.settings.get("privacy"), Privacy.TRANSCRIPTS),
        resume_id=summary.id,
        start_index=summary.next_index,
        transcripts={t.index: t.transcript for t in detail.turns if t.transcript},
    )
