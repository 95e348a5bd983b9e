"""A whole evening in one app run, through a real audio server.

Three mirroring dialogues run back to back with pauses, a time-out, typed turns and
skips mixed in (the driver is tests/support/evening.py): every spoken or typed turn
keeps its words, nothing said during a pause is kept, no audio connection leaks,
and the app quits at once.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from virtual_audio import VirtualAudio

from guided_talk.speech.listener import STALLED
from guided_talk.store import Store
from guided_talk.tui.app import make_app
from guided_talk.tui.screens.home import HomeScreen
from guided_talk.tui.services import default_services
from tests.support.evening import SESSIONS, Evening, own_clients, pause_words, until

pytestmark = [pytest.mark.audio, pytest.mark.model, pytest.mark.slow]


def test_an_evening_of_three_sessions_loses_nothing_and_leaks_nothing(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    pause_clip = pause_words()
    app = make_app(default_services())
    counts: list[int] = []

    async def evening() -> tuple[list[str], float, Evening]:
        async with app.run_test(size=(100, 32)) as pilot:
            driver = Evening(app, pilot, virtual_audio)
            ids = []
            for _ in range(SESSIONS):
                ids.append(await driver.session(pause_clip))
                await pilot.press("q")  # leave the review for the home screen
                await until(pilot, lambda: isinstance(app.screen, HomeScreen))
                counts.append(own_clients(virtual_audio))
            notices = " ".join(str(n.message) for n in app._notifications)
            assert "No microphone" not in notices and "Nothing can be recorded" not in notices
            assert STALLED not in notices, "a microphone that sends sound is never called stalled"
            began = time.monotonic()
            await pilot.press("ctrl+q")
        return ids, time.monotonic() - began, driver

    ids, quitting, driver = asyncio.run(evening())
    assert counts[-1] == counts[0], f"audio connections after each session: {counts}"
    assert quitting < 2.0
    with Store.open(app.services.database) as store:
        sessions = [store.get_session(session_id) for session_id in ids]
    turns = [t for s in sessions for t in s.turns]
    assert len(turns) >= 50
    for detail in sessions:
        for turn in detail.turns:
            words = (turn.transcript or "").lower()
            assert "lantern" not in words and "harbour" not in words and "purple" not in words
    lost = [
        (t.index, driver.played[(s.summary.id, t.index)], t.status)
        for s in sessions
        for t in s.turns
        if t.index in driver.spoken[s.summary.id] and not t.transcript
    ]
    assert not lost, "every turn spoken or typed has its words"
    held = [
        t.paused_seconds
        for s in sessions
        for t in s.turns
        if driver.played.get((s.summary.id, t.index), "").startswith(("pause", "time-out"))
    ]
    assert len(held) == 2 * SESSIONS
    assert all(seconds >= pause_clip.seconds for seconds in held), "paused time is kept apart"
