"""Drive the real app with Pilot: a whole couple session, rehearsal, time-out and resume."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, OptionList

from guided_talk.store import Store
from guided_talk.tui.screens.session import SessionScreen
from tests.support.tui_harness import app_with, open_exercise, run_until_review, screen_text


async def test_a_whole_couple_session(tmp_path: Path) -> None:
    app, clock = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_exercise(pilot, app, 0, "Mirroring dialogue")
        await pilot.press("ctrl+a", "ctrl+k", *"Ana", "tab", "ctrl+a", "ctrl+k", *"Ben")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        shown = screen_text(app)
        assert "Ana" in shown and "(speaker)" in shown and "Choose the topic" in shown
        ratings = await run_until_review(pilot, app, clock)
        review = screen_text(app)
        assert "Review: Mirroring dialogue (Ana & Ben)" in review
        assert "Covered about" in review and "[captured]" in review
        assert "felt understood: 4/5" in review
        await pilot.press("escape")  # back home
        await pilot.press("h")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        history = screen_text(app)
        assert "Ana" in history and "reflect-back coverage" in history
    assert ratings == 8  # 3 mirrors and a summary, in each of two rounds
    with Store.open(tmp_path / "db.sqlite3") as store:
        session = store.list_sessions()[0]
        detail = store.get_session(session.id)
    assert session.status == "finished" and session.participants == ("Ana", "Ben")
    assert len(detail.turns) == 18
    mirrors = [t for t in detail.turns if t.turn_id == "mirror"]
    assert all(t.ratings for t in mirrors) and all(t.feedback.reflection for t in mirrors)
    assert {t.participant for t in mirrors} == {"Ana", "Ben"}  # roles swapped


async def test_time_out_quit_and_resume_at_the_same_turn(tmp_path: Path) -> None:
    app, clock = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_exercise(pilot, app, 0, "Mirroring dialogue")
        await pilot.press("enter")
        await pilot.pause()
        clock.advance(31)  # the topic turn runs out
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert "Time-out" in screen_text(app)
        clock.advance(600)  # a long break changes nothing
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        choices = app.screen.query_one("#choices", OptionList)
        labels = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert any(label.startswith("Continue: Mirroring dialogue") for label in labels)
    with Store.open(tmp_path / "db.sqlite3") as store:
        paused = store.unfinished_sessions()[0]
    assert paused.status == "paused" and paused.next_index == 1
    app, clock = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "down", "enter")  # "Continue"
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.engine.index == 1
        assert "Share and mirror" in screen_text(app)


async def test_rehearse_with_typed_words(tmp_path: Path) -> None:
    from guided_talk.session.engine import State

    app, clock = app_with(tmp_path / "db.sqlite3", listener="typed")
    attempts = ["you never help with the dishes", "I feel tired when the dishes wait, I need help"]
    typed = 0
    async with app.run_test(size=(100, 32)) as pilot:
        await open_exercise(pilot, app, 2, "Gentle start-up drill")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        for _ in range(400):
            screen = app.screen
            if not isinstance(screen, SessionScreen):
                break
            turn = screen.engine.current
            if screen.engine.state is State.RUNNING and turn and turn.turn.capture:
                await pilot.press("i", *attempts[min(typed, 1)], "enter")
                typed += 1
                await pilot.pause()
                assert "said:" in screen_text(app)  # the words stay on screen
            else:
                clock.advance(5)
                await pilot.pause()
        await run_until_review(pilot, app, clock)
        review = screen_text(app)
        assert "you never help with the dishes" in review
        assert "never" in review  # the absolutist word is pointed out
        attempts_shown = app.export_screenshot().replace("&#160;", " ")
        assert "Attempt 1" in attempts_shown and f"Attempt {typed}" in attempts_shown
    assert typed >= 2


async def test_settings_save_and_delete_all_data(tmp_path: Path) -> None:
    from guided_talk.settings import load_settings, settings_path
    from guided_talk.tui.screens.confirm import ConfirmScreen
    from guided_talk.tui.screens.settings import SettingsScreen

    with Store.open(tmp_path / "db.sqlite3") as store:
        store.create_session("x", "Old session", ["A", "B"])
    app, _ = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("down", "down", "down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#rate", Input).value = "130"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved, problems = load_settings(settings_path())
        assert saved.voice.rate == 130 and problems == []
        app.screen.query_one("#delete-all", Button).press()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    with Store.open(tmp_path / "db.sqlite3") as store:
        assert store.list_sessions() == []


async def test_a_workshop_round_with_the_big_timer(tmp_path: Path) -> None:
    from guided_talk.tui.widgets.big_clock import BigClock

    app, clock = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "enter")  # Workshop timer
        await pilot.pause()
        await pilot.press("enter", "enter")  # first workshop exercise, default setup
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.plan.mode == "workshop"
        assert screen.runner is not None and screen.runner.listener is None  # capture off
        big = screen.query_one(BigClock)
        first = screen.engine.current
        assert first is not None
        total = first.turn.seconds
        clock.advance(1)
        await pilot.pause()
        await pilot.press("plus")  # a minute more
        await pilot.pause()
        assert screen.engine.remaining() == total - 1 + 60
        await pilot.press("minus", "minus")  # two minutes less: never below a second
        await pilot.pause()
        assert 0 < screen.engine.remaining() <= total - 1
        clock.advance(total)
        await pilot.pause()
        assert screen.engine.index > first.index  # the next pair's turn began
        assert big.text.count(":") == 1
        notes = screen.query("#facilitator-notes")
        assert notes and notes.first().display


async def test_the_safety_check_shows_help_instead_when_home_is_not_safe(tmp_path: Path) -> None:
    from guided_talk.tui.screens.safety import HelpResourcesScreen, SafetyCheckScreen

    app, _ = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_exercise(pilot, app, 0, "Acknowledging a past hurt")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SafetyCheckScreen)
        assert "not sure" in app.export_screenshot().replace("&#160;", " ")  # keys visible at 80x24
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HelpResourcesScreen)
        assert "emergency number" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SessionScreen)  # nothing started
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
    with Store.open(tmp_path / "db.sqlite3") as store:
        assert len(store.list_sessions()) == 1  # only the session that was agreed to


async def test_typing_can_be_chosen_for_one_session_in_setup(tmp_path: Path) -> None:
    from guided_talk.speech.typed import TypedListener
    from tests.support.tui_harness import choose

    app, _ = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_exercise(pilot, app, 0, "Mirroring dialogue")
        await choose(pilot, "engine", 2)  # Whisper, PocketSphinx, type instead
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and app.screen.runner is not None
        assert isinstance(app.screen.runner.listener, TypedListener)
        assert app.screen.query_one("#typed").display


async def test_the_meter_says_mic_off_in_a_turn_that_records_nothing(tmp_path: Path) -> None:
    app, clock = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_exercise(pilot, app, 0, "Mirroring dialogue")
        await pilot.press("enter")
        await pilot.pause(0.3)  # the meter is drawn ten times a second
        shown = screen_text(app)
        assert "Choose the topic" in shown and "mic  off" in shown, "the topic is timed only"
        clock.advance(31)  # on to the first share, which is listened to
        await pilot.pause(0.3)
        shown = screen_text(app)
        assert "Share and mirror" in shown and "mic  [" in shown
