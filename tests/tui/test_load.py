"""Load: thousands of real-sized sessions in the store, the history screen, trends
and an export of everything.

10,000 sessions of 10 minutes each under ``.ci/run`` (300 in the quick run); the
first sessions run through the real runner and analyses, the rest are copies with
new ids and dates (scripts/bench_load.py). How long each step takes is measured
by that script, not here (see docs/RELIABILITY.md); this test checks that every
step works at that size and that the file stays within its budget.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bench_load import build
from textual.widgets import DataTable, Static

from guided_talk.store import Store, write_export_all
from guided_talk.tui.screens.history import HistoryScreen
from tests.support.tui_harness import app_with

SESSIONS = 10_000 if os.environ.get("GUIDED_TALK_FULL_TESTS") else 300
BUDGET_BYTES_PER_SESSION = 50 * 2**20 / 10_000  # 50 MB for 10,000 sessions


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("load") / "guided-talk.sqlite3"
    build(database, SESSIONS, real=60)
    return database


def test_the_file_stays_within_its_budget(loaded: Path) -> None:
    size = loaded.stat().st_size
    assert size / SESSIONS <= BUDGET_BYTES_PER_SESSION, f"{size / SESSIONS:.0f} bytes a session"


async def test_history_lists_the_latest_and_draws_trends(loaded: Path) -> None:
    app, _ = app_with(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one(DataTable).row_count == min(SESSIONS, 500)
        await app.workers.wait_for_complete()
        await pilot.pause()
        trends = str(app.screen.query_one("#trends", Static).render())
        assert "Robin" in trends and "reflect-back coverage" in trends


def test_everything_exports_into_one_valid_file(loaded: Path, tmp_path: Path) -> None:
    with Store.open(loaded) as store:
        target, count = write_export_all(store.all_sessions(), "json", tmp_path, loaded)
    assert count == SESSIONS
    with target.open(encoding="utf-8") as handle:
        document = json.load(handle)
    sessions = document["sessions"]
    assert len(sessions) == SESSIONS and document["format"] == "guided-talk/sessions"
    starts = [s["session"]["started_at"] for s in sessions]
    assert starts == sorted(starts), "oldest first"
    assert all(s["turns"] for s in sessions)
