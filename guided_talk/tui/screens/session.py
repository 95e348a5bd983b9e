"""The session: a large countdown, whose turn it is, the prompt, the level, the words.

The runner does the work (asyncio, with audio and recognition in threads); this
screen only turns its events into what people see, and key presses into actions.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field, replace

from rich.markup import escape
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from guided_talk.exercises.model import Exercise
from guided_talk.session.analysis import turn_analyzer
from guided_talk.session.engine import Engine, State
from guided_talk.session.events import (
    AnyEvent,
    CaptureReady,
    FeedbackReady,
    Notice,
    PhaseStarted,
    PromptSpoken,
    SessionEnded,
    SessionPaused,
    SessionResumed,
    TurnEnded,
    TurnStarted,
    TurnWarning,
)
from guided_talk.session.runner import SessionRunner
from guided_talk.session.session_log import SessionLog
from guided_talk.speech.typed import TypedListener
from guided_talk.store import StoreError
from guided_talk.tui.messages import PartialTranscript, SessionEvent, SpeechNotice
from guided_talk.tui.screens.base import app_of, go_home
from guided_talk.tui.screens.rating import RatingScreen
from guided_talk.tui.screens.review import NOT_SAVED, ReviewScreen
from guided_talk.tui.services import ListenerFactory, ReaderFactory, speech_factories
from guided_talk.tui.widgets.big_clock import BigClock
from guided_talk.tui.widgets.countdown import Countdown, clock_text
from guided_talk.tui.widgets.level_meter import LevelMeter
from guided_talk.tui.widgets.safety_line import SafetyLine

WORKSHOP_STEP = 60


NOT_STARTED = (
    "This session could not be saved ({error}). It runs anyway and you can review it "
    "at the end, but it will not be kept: free some disk space to keep the next one."
)


@dataclass
class SessionPlan:
    """What the setup screen (or a resume) decided."""

    exercise: Exercise
    people: list[str]
    mode: str = "couple"
    voice: bool = True
    privacy: str = "transcripts"
    resume_id: str | None = None
    start_index: int = 0
    transcripts: dict[int, str] = field(default_factory=dict)
    #: The voice and recognition engine chosen for this session (None: the settings').
    voice_name: str | None = None
    engine: str | None = None


class SessionScreen(Screen[None]):
    """Runs one session."""

    HELP = (
        "e ends the turn when you are done. p pauses or resumes (anyone, any time; speech "
        "stops at once). t calls a time-out: stop now and come back later, from this turn. "
        "+ gives 30 more seconds (a minute in workshops), - takes a minute off, s skips. "
        "q quits safely: the session waits on the home screen."
    )
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

    def __init__(self, plan: SessionPlan) -> None:
        super().__init__(classes=f"-{plan.mode}")
        self.plan = plan
        self.level = -60.0
        self.runner: SessionRunner | None = None
        self.log_book = SessionLog(plan.exercise.title, plan.people)
        self.warning_given = False
        self._quit_warned = False

    def compose(self) -> ComposeResult:
        """Countdown and who, prompt, level, words."""
        yield Header()
        yield Static(id="phase-line")
        if self.plan.mode == "workshop":
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
        if self.plan.mode == "workshop" and self.plan.exercise.facilitator_notes:
            yield Static(
                f"Facilitator: {self.plan.exercise.facilitator_notes}", id="facilitator-notes"
            )
        yield SafetyLine()
        yield Footer()

    def on_mount(self) -> None:
        """Build the runner and start it in a worker."""
        self.runner = self.build_runner()
        typed = isinstance(self.runner.listener, TypedListener)
        self.query_one("#typed", Input).display = typed
        self.query_one("#level", LevelMeter).display = (
            self.runner.listener is not None and not typed
        )
        self.set_interval(0.1, self.refresh_clock)
        self.run_worker(
            self.runner.run(),
            group="session",
            exclusive=True,
            exit_on_error=False,
            description="session runner",
        )

    def speech_makers(self) -> tuple[ReaderFactory, ListenerFactory]:
        """The app's speech, or speech built for the voice and engine chosen in setup."""
        services = app_of(self).services
        settings = services.settings
        voice = self.plan.voice_name if self.plan.voice_name is not None else settings.voice.voice
        engine = self.plan.engine or settings.recognition.engine
        if (voice, engine) == (settings.voice.voice, settings.recognition.engine):
            return services.make_reader, services.make_listener
        chosen = replace(
            settings,
            voice=replace(settings.voice, voice=voice),
            recognition=replace(settings.recognition, engine=engine),
        )
        make_reader, make_listener, _ = speech_factories(chosen)
        return make_reader, make_listener

    def build_runner(self) -> SessionRunner:
        """Engine, store, speech and feedback wired for this plan."""
        app = app_of(self)
        services = app.services
        plan = self.plan
        store = app.store if plan.privacy != "nothing" else None
        session_id = plan.resume_id
        if store is not None and session_id is None:
            try:
                session_id = store.create_session(
                    plan.exercise.id,
                    plan.exercise.title,
                    plan.people,
                    mode=plan.mode,
                    settings={"privacy": plan.privacy},
                )
            except StoreError as error:  # a full disk, say: run it, kept in memory only
                store = None
                self.notify(NOT_STARTED.format(error=error), severity="error", timeout=30)
        self.log_book.session_id = session_id if store is not None else None
        make_reader, make_listener = self.speech_makers()
        reader = make_reader(self.speech_notice) if plan.voice else None
        listener = None
        if plan.mode != "workshop" and plan.exercise.captures_speech:
            listener = make_listener(self.speech_notice, self.set_level, self.partial_text)
        engine = Engine(
            plan.exercise,
            plan.people,
            services.clock,
            start_index=plan.start_index,
            rng=random.Random(services.random_seed),
        )
        return SessionRunner(
            engine,
            services.clock,
            store=store,
            session_id=session_id,
            reader=reader,
            listener=listener,
            analyzer=turn_analyzer(plan.exercise.listener_style),
            keep_transcripts=plan.privacy == "transcripts",
            on_event=self.post_event,
            transcripts=plan.transcripts,
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

    @property
    def engine(self) -> Engine:
        """The running engine."""
        assert self.runner is not None
        return self.runner.engine

    def refresh_clock(self) -> None:
        """Countdown and level meter, ten times a second."""
        engine = self.engine
        paused = engine.state is State.PAUSED
        remaining = engine.remaining()
        self.query_one(Countdown).show(remaining, self.warning_given, paused)
        for big in self.query(BigClock):
            big.text = clock_text(remaining)
            big.set_class(self.warning_given, "-warning")
        meter = self.query_one(LevelMeter)
        meter.recording = (
            engine.state is State.RUNNING
            and self.runner is not None
            and self.runner.listener is not None
        )
        meter.level = self.level

    def on_partial_transcript(self, message: PartialTranscript) -> None:
        """Words as they arrive."""
        self.query_one("#transcript", Static).update(f"Heard so far: {message.text}")

    def on_speech_notice(self, message: SpeechNotice) -> None:
        """Once-only notices from speech."""
        self.notify(message.text, timeout=10)
        if "type" in message.text:
            self.query_one("#typed", Input).display = True

    def on_session_event(self, message: SessionEvent) -> None:
        """Turn each runner event into what people see."""
        event = message.event
        self.log_book.record(event)
        if isinstance(event, PhaseStarted):
            self.show_phase(event)
        elif isinstance(event, TurnStarted):
            self.show_turn(event)
        elif isinstance(event, PromptSpoken):
            self.set_status("Your turn now." if event.turn.turn.capture else "Go ahead.")
        elif isinstance(event, TurnWarning):
            self.warning_given = True
            self.set_status(f"{event.seconds_left} seconds left. Start finding a place to stop.")
        elif isinstance(event, CaptureReady):
            self.show_capture(event)
        elif isinstance(event, FeedbackReady):
            self.show_feedback(event)
        elif isinstance(event, SessionPaused | SessionResumed):
            self.show_pause(event)
        elif isinstance(event, Notice):
            self.notify(event.message, severity="warning", timeout=10)
        elif isinstance(event, SessionEnded):
            self.finish()
        elif isinstance(event, TurnEnded) and self.plan.mode == "workshop":
            self.app.bell()  # the chime at each switch

    def show_phase(self, event: PhaseStarted) -> None:
        """Phase, round and repetition."""
        rounds = self.plan.exercise.rounds
        parts = [event.phase.title]
        if event.phase.repeat > 1:
            parts.append(f"part {event.repetition + 1} of {event.phase.repeat}")
        if rounds > 1:
            parts.append(f"round {event.round + 1} of {rounds}")
        self.query_one("#phase-line", Static).update(" · ".join(parts))

    def show_turn(self, event: TurnStarted) -> None:
        """Whose turn, what to do, the prompt (everything spoken is also shown)."""
        self.warning_given = False
        turn = event.turn
        role = turn.turn.role.replace("-", " ")
        self.query_one("#person", Static).update(f"[b]{escape(turn.person)}[/b]  ({role})")
        self.query_one("#instructions", Static).update(turn.turn.instructions)
        self.query_one("#prompt", Static).update(event.prompt)
        self.set_status("Listen to the prompt..." if self.plan.voice else "Read the prompt.")
        self.query_one("#typed", Input).value = ""

    def show_capture(self, event: CaptureReady) -> None:
        """The words of the turn that just ended; ask for a rating where due."""
        if event.transcript:
            self.query_one("#transcript", Static).update(
                f"{event.turn.person} said: {event.transcript}"
            )
        turn = event.turn
        if turn.turn.ask_rating and turn.reflects and event.transcript:
            self.ask_rating(turn.index, self.engine.plan[turn.reflects[-1]].person, turn.person)

    def show_feedback(self, event: FeedbackReady) -> None:
        """One short line; the full picture is on the review screen."""
        reflection = event.findings.get("reflection")
        if isinstance(reflection, dict) and "coverage" in reflection:
            coverage = float(reflection["coverage"])
            self.set_status(f"Reflect-back covered about {coverage:.0%} of what was said.")

    def show_pause(self, event: SessionPaused | SessionResumed) -> None:
        """Paused, timed out, or going again."""
        if isinstance(event, SessionResumed):
            self.set_status("Going again.")
        elif event.reason == "time-out":
            self.set_status(
                "Time-out. Take the break you need. p carries on now; q stops "
                "here and the session waits on the home screen."
            )
        else:
            self.set_status("Paused. Press p to carry on.")

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

    def finish(self) -> None:
        """Show the review."""
        if self.runner is not None:
            self.runner.close()
            if not self.runner.retry_saving():  # show it from memory, offer to save again
                retry = self.runner.retry_saving
                self.app.switch_screen(ReviewScreen(None, self.log_book.detail(), retry))
                return
        if self.log_book.session_id:
            self.app.switch_screen(ReviewScreen(self.log_book.session_id))
        else:
            self.app.switch_screen(ReviewScreen(None, self.log_book.detail()))

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        """Typed words end the turn."""
        listener = self.runner.listener if self.runner else None
        if isinstance(listener, TypedListener) and self.runner is not None:
            listener.submit(event.value)
            event.input.value = ""
            self.set_focus(None)
            await self.runner.end_turn()

    def action_type_words(self) -> None:
        """Move to the typing box (Escape comes back to the keys).

        With a microphone, this also switches to typing from now on, for when
        recognition fails or speaking aloud is not possible right now.
        """
        runner = self.runner
        if runner is None or runner.listener is None:
            self.notify("This exercise does not record words, so there is nothing to type.")
            return
        if not isinstance(runner.listener, TypedListener):
            runner.switch_listener(TypedListener())
            self.query_one("#level", LevelMeter).display = False
            self.notify("Switched to typing: type what you would say and press Enter.")
        typed = self.query_one("#typed", Input)
        typed.placeholder = "Type what you would say, Enter to finish"
        typed.display = True
        typed.focus()

    def on_key(self, event: events.Key) -> None:
        """Escape leaves the typing box so the session keys work again."""
        if event.key == "escape" and isinstance(self.focused, Input):
            self.set_focus(None)
            event.stop()

    async def action_end_turn(self) -> None:
        """The person is done."""
        if self.runner is not None:
            await self.runner.end_turn()

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
            await self.runner.pause("keyboard", reason="time-out")

    async def action_extend(self) -> None:
        """More time."""
        if self.runner is not None:
            await self.runner.extend(WORKSHOP_STEP if self.plan.mode == "workshop" else 30)

    async def action_shorten(self) -> None:
        """A minute less."""
        if self.runner is not None:
            await self.runner.extend(-WORKSHOP_STEP)

    async def action_skip(self) -> None:
        """Past this turn."""
        if self.runner is not None:
            await self.runner.skip()

    async def action_quit_safely(self) -> None:
        """Save the place and go home; the session can be continued later."""
        if self.runner is not None:
            await self.runner.pause("keyboard", reason="quit")
            if not self.runner.retry_saving() and not self._quit_warned:
                self._quit_warned = True
                self.notify(NOT_SAVED, title="Not saved yet", severity="error", timeout=30)
                return
            self.runner.stop()
            self.runner.close()
        self.notify("Saved. Continue it from the home screen whenever you are ready.")
        go_home(self)
