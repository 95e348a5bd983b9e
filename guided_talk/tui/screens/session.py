"""The session: a large countdown, whose turn it is, the prompt, the level, the words.

The runner does the work (asyncio, with audio and recognition in threads); this
screen only turns its events into what people see, and key presses into actions.
"""

from __future__ import annotations

import asyncio

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Static
from textual.worker import WorkerFailed

from guided_talk.session.engine import State
from guided_talk.session.events import (
    AnyEvent,
    CaptureReady,
    Notice,
    PhaseStarted,
    SessionEnded,
    TurnEnded,
    TurnStarted,
    TurnWarning,
)
from guided_talk.session.runner import SessionRunner
from guided_talk.session.session_log import SessionLog
from guided_talk.session.starter import SessionRequest, SpeechMakers, StartedSession, start_session
from guided_talk.session.wording import phase_line, role_label, status_line
from guided_talk.speech.typed import TypedListener
from guided_talk.store import Store
from guided_talk.tui.messages import PartialTranscript, SessionEvent, SpeechNotice
from guided_talk.tui.screens.base import app_of, go_home
from guided_talk.tui.screens.rating import RatingScreen
from guided_talk.tui.screens.review import ReviewScreen
from guided_talk.tui.screens.session_keys import SessionKeys
from guided_talk.tui.services import session_speech
from guided_talk.tui.widgets.big_clock import BigClock
from guided_talk.tui.widgets.countdown import Countdown, clock_text
from guided_talk.tui.widgets.level_meter import LevelMeter
from guided_talk.tui.widgets.safety_line import SafetyLine
from guided_talk.values import SessionMode


class SessionScreen(SessionKeys):
    """Runs one session."""

    HELP = (
        "e ends the turn when you are done (not in a turn's first second, so a late press "
        "cannot end the next one). p pauses or resumes (anyone, any time; speech stops at "
        "once, and the microphone takes nothing down until you carry on). t calls a "
        "time-out: stop now and come back later, from this turn. + gives 30 more seconds "
        "(a minute in workshops), - takes a minute off but never ends a turn, s skips. "
        "i types this turn instead of speaking it (Enter ends it; i again to speak). "
        "q quits safely: the session waits on the home screen."
    )

    def __init__(
        self, plan: SessionRequest, voice_name: str | None = None, engine: str | None = None
    ) -> None:
        """``voice_name`` and ``engine`` are the ones chosen in setup (None: the settings')."""
        super().__init__(classes=f"-{plan.mode}")
        self.plan = plan
        self.speech_choice = (voice_name, engine)
        self.level = -60.0
        self.runner: SessionRunner | None = None
        self.log_book = SessionLog(plan.exercise.title, list(plan.people), plan.mode)
        self.warning_given = False
        self._quit_warned = False

    def compose(self) -> ComposeResult:
        """Countdown and who, prompt, level, words."""
        yield Header()
        yield Static(id="phase-line")
        if self.plan.mode == SessionMode.WORKSHOP:
            yield BigClock(id="big-clock")
        with Horizontal(id="timer-row"):
            yield Countdown("0:00", id="countdown")
            with Vertical(id="who"):
                yield Static(id="person")
                yield Static(id="instructions", markup=False)
        yield Static(id="prompt", markup=False)
        yield Static(id="status", markup=False)
        yield LevelMeter(id="level")
        yield Static(id="transcript", markup=False)
        yield Input(
            placeholder="No microphone: type what you would say, Enter to finish", id="typed"
        )
        if self.plan.mode == SessionMode.WORKSHOP and self.plan.exercise.facilitator_notes:
            yield Static(
                f"Facilitator: {self.plan.exercise.facilitator_notes}", id="facilitator-notes"
            )
        yield SafetyLine()
        yield Footer()

    async def on_mount(self) -> None:
        """Start the session in a thread (it writes to disk), then show and run it."""
        self.query_one("#typed", Input).display = False
        self.set_interval(0.1, self.refresh_clock)
        store = await app_of(self).wait_for_store()
        try:
            started = await self.start_session(store).wait()
        except WorkerFailed:  # the app has said what went wrong; nothing was started
            go_home(self)
            return
        self.begin(started)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="session-start",
        description="Starting the session",
    )
    def start_session(self, store: Store | None) -> StartedSession:
        """Create the stored session and wire the runner (never touching widgets)."""
        services = app_of(self).services
        make_reader, make_listener = session_speech(services, *self.speech_choice)
        speech = SpeechMakers(
            reader=lambda: make_reader(self.speech_notice),
            listener=lambda: make_listener(self.speech_notice, self.set_level, self.partial_text),
        )
        return start_session(
            self.plan,
            services.clock,
            store=store,
            speech=speech,
            seed=services.random_seed,
            on_event=self.post_event,
        )

    def begin(self, started: StartedSession) -> None:
        """Show how this session listens, say what the start found, and run it."""
        self.runner = started.runner
        self.log_book.session_id = started.session_id
        for notice in started.notices:
            self.notify(notice, severity="error", timeout=30)
        self.query_one("#typed", Input).display = started.typed
        self.query_one("#level", LevelMeter).display = (
            started.runner.listener is not None and not started.typed
        )
        self.run_worker(
            started.runner.run(),
            group="session",
            exclusive=True,
            exit_on_error=False,
            description="session runner",
        )

    def post_event(self, event: AnyEvent) -> None:
        """Runner events become messages, handled in order on the screen."""
        self.post_message(SessionEvent(event))

    # Callbacks from audio threads: cheap and thread-safe, never touching widgets.
    def set_level(self, level: float) -> None:
        """Remember the latest level; the clock timer draws it."""
        self.level = level

    def partial_text(self, text: str) -> None:
        """Post what has been recognised so far."""
        self.post_message(PartialTranscript(text))

    def speech_notice(self, text: str) -> None:
        """Post a notice from the speech layer."""
        self.post_message(SpeechNotice(text))

    def refresh_clock(self) -> None:
        """Countdown and level meter, ten times a second (once the session runs)."""
        if self.runner is None:
            return
        engine = self.engine
        paused = engine.state is State.PAUSED
        remaining = engine.remaining()
        self.query_one(Countdown).show(remaining, self.warning_given, paused)
        for big in self.query(BigClock):
            big.text = clock_text(remaining)
            big.set_class(self.warning_given, "-warning")
        meter = self.query_one(LevelMeter)
        # Only a turn that is really being listened to shows a live meter: a timed
        # turn that records nothing says "mic off", as does typing.
        listened = self.runner.listening_to
        running = engine.state is State.RUNNING
        meter.recording = running and listened is not None and listened is engine.current
        meter.level = self.level

    def on_partial_transcript(self, message: PartialTranscript) -> None:
        """Words as they arrive."""
        self.query_one("#transcript", Static).update(f"Heard so far: {message.text}")

    def on_speech_notice(self, message: SpeechNotice) -> None:
        """Once-only notices from speech (typing stays a choice: i, shown in the footer)."""
        self.notify(message.text, timeout=10)

    async def on_session_event(self, message: SessionEvent) -> None:
        """Turn each runner event into what people see."""
        event = message.event
        self.log_book.record(event)
        if isinstance(event, PhaseStarted):
            line = phase_line(event, self.plan.exercise.rounds)
            self.query_one("#phase-line", Static).update(line)
        elif isinstance(event, TurnStarted):
            self.show_turn(event)
        elif isinstance(event, TurnWarning):
            self.warning_given = True
        elif isinstance(event, CaptureReady):
            self.show_capture(event)
        elif isinstance(event, Notice):
            self.notify(event.message, severity="warning", timeout=10)
        elif isinstance(event, SessionEnded):
            await self.finish()
        elif isinstance(event, TurnEnded) and self.plan.mode == SessionMode.WORKSHOP:
            self.app.bell()  # the chime at each switch
        status = status_line(event, self.plan.read_prompts)
        if status is not None:
            self.set_status(status)

    def show_turn(self, event: TurnStarted) -> None:
        """Whose turn, what to do, the prompt (everything spoken is also shown)."""
        self.warning_given = False
        turn = event.turn
        self.query_one("#person", Static).update(
            f"[b]{escape(turn.person)}[/b]  ({escape(role_label(turn))})"
        )
        self.query_one("#instructions", Static).update(turn.turn.instructions)
        self.query_one("#prompt", Static).update(event.prompt)
        self.query_one("#typed", Input).value = ""
        listener = self.runner.listener if self.runner is not None else None
        if listener is not None and not isinstance(listener, TypedListener):
            self.show_typing(False)  # typing was for the turn before

    def show_capture(self, event: CaptureReady) -> None:
        """The words of the turn that just ended; ask for a rating where due."""
        if event.transcript:
            self.query_one("#transcript", Static).update(
                f"{event.turn.person} said: {event.transcript}"
            )
        turn = event.turn
        if turn.turn.ask_rating and turn.reflects and event.transcript:
            self.ask_rating(turn.index, self.engine.plan[turn.reflects[-1]].person, turn.person)

    def set_status(self, text: str) -> None:
        """The line under the prompt."""
        self.query_one("#status", Static).update(text)

    def ask_rating(self, index: int, rater: str, listener: str) -> None:
        """Pause, ask the reflected person "did they get it?", then go on."""

        async def rated(value: int | None) -> None:
            if self.runner is None:
                return
            if value:
                # The save (an fsync) runs off the event loop, like every other write.
                await asyncio.to_thread(self.runner.rate, index, rater, value)
                self.log_book.rate(index, rater, value)
            await self.runner.resume("app")

        async def ask() -> None:
            if self.runner is not None:
                await self.runner.pause("app")
            self.app.push_screen(RatingScreen(rater, listener), rated)

        self.run_worker(ask(), group="rating")

    async def finish(self) -> None:
        """Show the review."""
        if self.runner is not None:
            self.runner.close()
            if not await self.saved(self.runner):  # show it from memory, offer to save again
                retry = self.runner.retry_saving
                self.app.switch_screen(ReviewScreen(None, self.log_book.detail(), retry))
                return
        if self.log_book.session_id:
            self.app.switch_screen(ReviewScreen(self.log_book.session_id))
        else:
            self.app.switch_screen(ReviewScreen(None, self.log_book.detail()))
