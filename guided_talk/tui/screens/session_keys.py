"""The session's keys: what each one asks the runner to do.

``SessionKeys`` is the base of the session screen. It holds the bindings, the
actions behind them and typing instead of speaking; the screen itself shows the
session.
"""

from __future__ import annotations

from textual import events, work
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import WorkerFailed

from guided_talk.session.engine import Engine, State
from guided_talk.session.runner import SessionRunner
from guided_talk.session.starter import SessionRequest
from guided_talk.speech.typed import TypedListener
from guided_talk.tui.screens.base import go_home
from guided_talk.tui.screens.review import NOT_SAVED
from guided_talk.tui.widgets.level_meter import LevelMeter
from guided_talk.values import PauseReason, SessionMode

#: Seconds a workshop turn changes by with + and -.
WORKSHOP_STEP = 60
#: Seconds a couple's or a rehearser's turn grows by with +.
EXTRA_SECONDS = 30


class SessionKeys(Screen[None]):
    """Bindings and actions of a running session."""

    AUTO_FOCUS = ""  # letter keys belong to the session until someone presses i to type
    BINDINGS = [
        Binding("e", "end_turn", "End turn", id="session.end_turn"),
        Binding("p", "toggle_pause", "Pause", id="session.pause"),
        Binding("t", "time_out", "Time-out", id="session.time_out"),
        Binding("plus,equals_sign", "extend", "+time", id="session.extend"),
        Binding("minus", "shorten", "-time", id="session.shorten", show=False),
        Binding("s", "skip", "Skip", id="session.skip"),
        Binding("q", "quit_safely", "Quit (resume later)", id="session.quit"),
        Binding("i", "type_words", "Type words", id="session.type"),
    ]

    runner: SessionRunner | None
    plan: SessionRequest
    _quit_warned: bool = False

    @property
    def engine(self) -> Engine:
        """The running engine."""
        assert self.runner is not None
        return self.runner.engine

    @work(thread=True, exit_on_error=False, group="saving", description="Saving the session")
    def save_backlog(self, runner: SessionRunner) -> bool:
        """Try the writes that failed again; True when everything is saved."""
        return runner.retry_saving()

    async def saved(self, runner: SessionRunner) -> bool:
        """Whether everything is saved, after trying the failed writes again."""
        try:
            return await self.save_backlog(runner).wait()
        except WorkerFailed:  # reported by the app; count it as not saved
            return False

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        """Typed words end the turn at once; the screen shows the rest as it comes."""
        runner = self.runner
        listener = runner.listener if runner else None
        if isinstance(listener, TypedListener) and runner is not None:
            if runner.listening_to is None or runner.listening_to is not runner.engine.current:
                self.notify("Your words are kept here: press Enter once your turn has begun.")
                return  # the turn before is still being saved, or this one's prompt is read
            listener.submit(event.value)
            event.input.value = ""
            self.set_focus(None)
            self.notify("Got it: saving what you typed.", timeout=3)
            self.end_turn_in_background(runner, grace=False)

    def action_type_words(self) -> None:
        """Type this turn instead of speaking it, or, pressed again, speak it after all.

        Typing lasts one turn: the next one is listened to again. With no
        microphone at all, every turn is typed.
        """
        runner = self.runner
        if runner is None or runner.listener is None:
            self.notify("This exercise does not record words, so there is nothing to type.")
            return
        typed = self.query_one("#typed", Input)
        if runner.typing_this_turn:
            runner.speak_this_turn()
            self.show_typing(False)
            self.notify("Listening again: say it aloud.")
            return
        if not isinstance(runner.listener, TypedListener):
            runner.type_this_turn(TypedListener())
            self.notify("Typing this turn: type what you would say and press Enter (i to speak).")
        self.show_typing(True)
        typed.focus()

    def show_typing(self, typing: bool) -> None:
        """The typing box, or the microphone's level meter."""
        typed = self.query_one("#typed", Input)
        typed.placeholder = "Type what you would say, Enter to finish (i to speak instead)"
        typed.display = typing
        self.query_one("#level", LevelMeter).display = not typing
        if not typing:
            self.set_focus(None)

    def end_turn_in_background(self, runner: SessionRunner, grace: bool = True) -> None:
        """End the turn without holding the screen while it is saved and analysed."""

        async def end() -> None:
            if not await runner.end_turn(grace):
                self.notify(
                    "This turn has only just begun, so that key was not taken. "
                    "Press it again to end the turn.",
                    timeout=4,
                )

        self.run_worker(end(), group="turn-end", exit_on_error=False)

    def on_key(self, event: events.Key) -> None:
        """Escape leaves the typing box so the session keys work again."""
        if event.key == "escape" and isinstance(self.focused, Input):
            self.set_focus(None)
            event.stop()

    async def action_end_turn(self) -> None:
        """The person is done."""
        if self.runner is not None:
            self.end_turn_in_background(self.runner)

    async def action_toggle_pause(self) -> None:
        """Pause or carry on."""
        if self.runner is None:
            return
        if self.engine.state is State.PAUSED:
            await self.runner.resume("keyboard")
        else:
            await self.runner.pause("keyboard")

    async def action_time_out(self) -> None:
        """Stop now; come back later from this turn."""
        if self.runner is not None:
            await self.runner.pause("keyboard", reason=PauseReason.TIME_OUT)

    async def action_extend(self) -> None:
        """More time."""
        workshop = self.plan.mode == SessionMode.WORKSHOP
        if self.runner is not None:
            await self.runner.extend(WORKSHOP_STEP if workshop else EXTRA_SECONDS)

    async def action_shorten(self) -> None:
        """A minute less."""
        if self.runner is not None:
            await self.runner.extend(-WORKSHOP_STEP)

    async def action_skip(self) -> None:
        """Past this turn."""
        if self.runner is not None and not await self.runner.skip():
            self.notify("The next turn has not begun yet, so nothing was skipped.", timeout=4)

    async def action_quit_safely(self) -> None:
        """Save the place and go home; the session can be continued later."""
        if self.runner is not None:
            await self.runner.pause("keyboard", reason=PauseReason.QUIT)
            if not await self.saved(self.runner) and not self._quit_warned:
                self._quit_warned = True
                self.notify(NOT_SAVED, title="Not saved yet", severity="error", timeout=30)
                return
            await self.runner.leave()
            self.runner.close()
        self.notify("Saved. Continue it from the home screen whenever you are ready.")
        go_home(self)
