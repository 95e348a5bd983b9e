"""A full disk while saving: the session goes on in memory and the saves are retried.

The full disk is real SQLite behaviour: ``PRAGMA max_page_count`` caps the file, so
writes fail with SQLite's own "database or disk is full" error, as on a full disk.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from guided_talk.session.analysis import analyze_turn
from guided_talk.session.clock import FastForwardClock
from guided_talk.session.engine import Engine
from guided_talk.session.events import AnyEvent, CaptureReady, Notice
from guided_talk.session.plan import PlannedTurn
from guided_talk.session.runner import SessionRunner
from guided_talk.session.scripted import ScriptedPartners
from guided_talk.store import SessionDetail, Store
from guided_talk.tui.screens.review import ReviewScreen
from guided_talk.tui.screens.session import SessionScreen
from tests.support.builders import listening_exercise
from tests.support.disk import fill_disk, fill_to_the_brim
from tests.support.tui_harness import app_with, open_exercise, run_until_review, screen_text

PEOPLE = ("Ana", "Ben")


class LongWindedPartners(ScriptedPartners):
    """Scripted partners who say each line many times, so every turn needs new pages."""

    async def finish(self, turn: PlannedTurn, status: str) -> str | None:
        line = await super().finish(turn, status)
        return " ".join([line] * 40) if line else line


def run(
    tmp_path: Path, full_from: int, free_at: int | None
) -> tuple[Store, SessionRunner, list[AnyEvent]]:
    clock = FastForwardClock()
    store = Store.open(tmp_path / "db.sqlite3")
    exercise = listening_exercise(rounds=3)
    session_id = store.create_session(exercise.id, exercise.title, PEOPLE)
    events: list[AnyEvent] = []

    def on_event(event: AnyEvent) -> None:
        events.append(event)
        if isinstance(event, CaptureReady) and event.turn.index + 1 == full_from:
            fill_to_the_brim(store)
        if isinstance(event, CaptureReady) and event.turn.index + 1 == free_at:
            fill_disk(store, full=False)

    runner = SessionRunner(
        Engine(exercise, PEOPLE, clock),
        clock,
        store=store,
        session_id=session_id,
        listener=LongWindedPartners(clock),
        analyzer=analyze_turn,
        on_event=on_event,
    )
    asyncio.run(runner.run())
    return store, runner, events


def notices(events: list[AnyEvent]) -> list[str]:
    return [event.message for event in events if isinstance(event, Notice)]


def everything(detail: SessionDetail) -> list[tuple[int, str | None, tuple[str, ...]]]:
    return [(t.index, t.transcript, tuple(f.KIND for f in t.feedback.each())) for t in detail.turns]


def test_saves_missed_while_the_disk_was_full_are_written_once_space_returns(
    tmp_path: Path,
) -> None:
    reference_store, _, _ = run(tmp_path / "normal", full_from=-1, free_at=None)
    store, runner, events = run(tmp_path / "full", full_from=2, free_at=6)

    said = notices(events)
    assert sum("disk is full" in text and "kept in memory" in text for text in said) == 1
    assert sum("Saving works again" in text for text in said) == 1
    assert runner.unsaved == []
    normal = reference_store.get_session(reference_store.list_sessions()[0].id)
    detail = store.get_session(runner.session_id)
    assert detail.summary.status == "finished" and detail.summary.next_index == 9
    assert everything(detail) == everything(normal)
    assert len(detail.turns) == 9


def test_a_disk_still_full_at_the_end_keeps_the_session_until_space_is_freed(
    tmp_path: Path,
) -> None:
    store, runner, events = run(tmp_path, full_from=4, free_at=None)

    assert runner.unsaved, "the writes that failed are kept"
    assert any("could still not be saved" in text for text in notices(events))
    before = store.get_session(runner.session_id)
    assert before.summary.status == "active" and len(before.turns) == 4

    assert not runner.retry_saving(), "still full: nothing is dropped"
    fill_disk(store, full=False)
    assert runner.retry_saving()
    after = store.get_session(runner.session_id)
    assert after.summary.status == "finished" and len(after.turns) == 9
    assert all(turn.feedback for turn in after.turns if turn.transcript and turn.index % 3)


async def test_the_app_keeps_the_session_on_screen_and_saves_it_when_space_returns(
    tmp_path: Path,
) -> None:
    app, clock = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_exercise(pilot, app, 0, "Mirroring dialogue")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and app.store is not None
        fill_to_the_brim(app.store)
        await run_until_review(pilot, app, clock)
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "disk is full" in messages and "kept in memory" in messages
        assert "Review: Mirroring dialogue" in screen_text(app)
        assert "Covered about" in screen_text(app), "the review is shown from memory"

        await pilot.press("q")  # still full: the app says so and stays
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Not saved yet" in " ".join(str(n.title) for n in app._notifications)

        fill_disk(app.store, full=False)  # space freed
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
    with Store.open(tmp_path / "db.sqlite3") as store:
        mine = [s for s in store.list_sessions(limit=5000) if s.exercise_id != "filler"]
        detail = store.get_session(mine[0].id)
    assert detail.summary.status == "finished" and len(detail.turns) == 18
    assert all(t.ratings for t in detail.turns if t.turn_id == "mirror")


async def test_a_session_started_on_a_full_disk_runs_from_memory(tmp_path: Path) -> None:
    app, clock = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_exercise(pilot, app, 0, "Mirroring dialogue")
        assert app.store is not None
        fill_to_the_brim(app.store)  # before the session is created
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "could not be saved" in messages and "runs anyway" in messages
        await run_until_review(pilot, app, clock)
        assert "Covered about" in screen_text(app), "the review is shown from memory"
