"""Session keys can be changed in Settings; the new key works in the next session."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from guided_talk.session.engine import State
from guided_talk.settings import load_settings, settings_path
from guided_talk.tui.screens.session import SessionScreen
from guided_talk.tui.screens.settings import SettingsScreen
from tests.support.tui_harness import app_with, open_exercise


async def retype(pilot: object, app: object, field_id: str, text: str) -> None:
    field = app.screen.query_one(f"#{field_id}", Input)  # type: ignore[attr-defined]
    field.value = ""
    field.focus()
    await pilot.press(*text)  # type: ignore[attr-defined]


async def test_a_new_pause_key_is_saved_and_works(tmp_path: Path) -> None:
    app, _ = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(SettingsScreen())
        await pilot.pause()
        await retype(pilot, app, "key-session-pause", "space")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_settings(settings_path())[0].keys == {"session.pause": "space"}
        await pilot.press("escape")
        await pilot.pause()
        await open_exercise(pilot, app, 0, "Mirroring dialogue")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("space")
        await pilot.pause()
        assert app.screen.engine.state is State.PAUSED


async def test_one_key_for_two_actions_is_refused(tmp_path: Path) -> None:
    app, _ = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(SettingsScreen())
        await pilot.pause()
        await retype(pilot, app, "key-session-pause", "e")  # already "end turn"
        await pilot.press("ctrl+s")
        await pilot.pause()
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "e is set for both" in messages
        assert not settings_path().exists(), "nothing was saved"
