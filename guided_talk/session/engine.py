"""The session engine: a pure state machine over an exercise's plan.

It never sleeps and never does I/O. Callers feed it actions (start, pause, end a
turn...) and call ``tick()`` when ``next_deadline()`` arrives; every call returns
the events that happened. Time comes from an injected clock, so tests run a
20-minute exercise in microseconds.

Turns never drift: a turn that runs out ends at its scheduled deadline, however late
``tick()`` is called, and the next turn is opened at that same moment.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Sequence

from guided_talk.exercises.model import Exercise
from guided_talk.session.clock import Clock
from guided_talk.session.events import (
    Event,
    PhaseStarted,
    PromptSpoken,
    SessionEnded,
    SessionPaused,
    SessionResumed,
    TurnEnded,
    TurnExtended,
    TurnStarted,
    TurnWarning,
)
from guided_talk.session.plan import PlannedTurn, build_plan
from guided_talk.values import PauseReason, TurnStatus

EXTEND_SECONDS = 30
#: Taking time off never ends a turn by itself: it stops this far from the end.
SHORTEN_LEAVES_SECONDS = 10.0


class State(enum.Enum):
    """Where the engine is."""

    READY = "ready"
    PROMPTING = "prompting"
    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"


class Engine:
    """Walks a session through its plan.

    Actions that make no sense in the current state (ending a turn while paused,
    say) are ignored and return no events, so a stray key press is harmless.
    """

    def __init__(
        self,
        exercise: Exercise,
        people: Sequence[str],
        clock: Clock,
        *,
        start_index: int = 0,
        rng: random.Random | None = None,
    ) -> None:
        self.exercise = exercise
        self.plan = build_plan(exercise, people)
        if not 0 <= start_index <= len(self.plan):
            raise ValueError(f"no turn {start_index} in a plan of {len(self.plan)}")
        self._clock = clock
        self._rng = rng or random.Random()
        self._index = start_index
        self._resumed_index = start_index
        self.state = State.READY
        self.prompt = ""
        self._opened_at = 0.0
        self._started_at: float | None = None
        self._deadline = 0.0
        self._warned: set[int] = set()
        self._paused_at = 0.0
        self._paused_from = State.READY
        self._paused_seconds = 0.0  # of the current turn's countdown
        self._last_prompt: dict[tuple[str, str], str] = {}

    @property
    def index(self) -> int:
        """Plan index of the current turn (equals ``len(plan)`` once ended)."""
        return self._index

    @property
    def current(self) -> PlannedTurn | None:
        """The turn in progress, if any."""
        return self.plan[self._index] if self._index < len(self.plan) else None

    @property
    def deadline(self) -> float | None:
        """When the running turn ends, or ``None`` if no countdown is running."""
        return self._deadline if self._counting() else None

    def remaining(self) -> float:
        """Seconds left in the current turn (its full length before the countdown)."""
        turn = self.current
        if turn is None:
            return 0.0
        if self._counting():
            moment = self._paused_at if self.state is State.PAUSED else self._clock.now()
            return max(0.0, self._deadline - moment)
        return float(turn.turn.seconds)

    def next_deadline(self) -> float | None:
        """The next moment ``tick()`` has something to do (a warning or the end)."""
        if self.state is not State.RUNNING or self.current is None:
            return None
        warnings = self.current.turn.warn_before
        pending = [self._deadline - w for w in warnings if w not in self._warned]
        return min([*pending, self._deadline])

    def start(self) -> list[Event]:
        """Open the first turn (or the resume point)."""
        if self.state is not State.READY:
            return []
        return self._open(self._clock.now())

    def prompt_finished(self, at: float | None = None) -> list[Event]:
        """Start the countdown once the prompt has been read.

        Args:
            at: When the countdown starts; defaults to now. A runner that reads no
                prompt passes the turn's ``opened_at`` so no time is lost.
        """
        if self.state is not State.PROMPTING or self.current is None:
            return []
        self._started_at = self._clock.now() if at is None else at
        self._deadline = self._started_at + self.current.turn.seconds
        self.state = State.RUNNING
        return [PromptSpoken(self.current, self._deadline), *self.tick()]

    def tick(self) -> list[Event]:
        """Emit due warnings and end the turn when its time is up."""
        turn = self.current
        if self.state is not State.RUNNING or turn is None:
            return []
        now = self._clock.now()
        if now >= self._deadline:
            return self._finish(TurnStatus.DONE, self._deadline)
        events: list[Event] = []
        for seconds in sorted(turn.turn.warn_before, reverse=True):
            if seconds not in self._warned and now >= self._deadline - seconds:
                self._warned.add(seconds)
                events.append(TurnWarning(turn, seconds))
        return events

    def end_turn(self) -> list[Event]:
        """The person is done before the time is up."""
        if self.state not in (State.PROMPTING, State.RUNNING):
            return []
        return self._finish(TurnStatus.ENDED_EARLY, self._clock.now())

    def skip(self) -> list[Event]:
        """Move past the current turn without taking it."""
        if self.state not in (State.PROMPTING, State.RUNNING):
            return []
        return self._finish(TurnStatus.SKIPPED, self._clock.now())

    def extend(self, seconds: int = EXTEND_SECONDS) -> list[Event]:
        """Give the running turn more time (or less, with a negative number).

        Taking time off stops at ``SHORTEN_LEAVES_SECONDS`` left (or at what is left,
        when that is less), so it never ends a turn by itself; warnings already given
        may come again when time is added.
        """
        turn = self.current
        if turn is None or not self._counting() or seconds == 0:
            return []
        moment = self._paused_at if self.state is State.PAUSED else self._clock.now()
        floor = moment + min(SHORTEN_LEAVES_SECONDS, max(0.0, self._deadline - moment))
        self._deadline = (
            max(floor, self._deadline + seconds) if seconds < 0 else (self._deadline + seconds)
        )
        left = self.remaining()
        self._warned = {w for w in self._warned if w >= left}
        return [TurnExtended(turn, self._deadline)]

    def pause(self, by: str, reason: PauseReason = PauseReason.PAUSE) -> list[Event]:
        """Stop the clock. ``reason`` is ``pause``, ``time-out`` or ``quit``."""
        if self.state in (State.PROMPTING, State.RUNNING):
            self._paused_from = self.state
            self._paused_at = self._clock.now()
            self.state = State.PAUSED
        elif self.state is not State.PAUSED:
            return []
        return [SessionPaused(by, reason, self._index)]

    def resume(self, by: str) -> list[Event]:
        """Carry on where the pause left off; an interrupted prompt is read again."""
        if self.state is not State.PAUSED or self.current is None:
            return []
        now = self._clock.now()
        self.state = self._paused_from
        events: list[Event] = [SessionResumed(by)]
        if self.state is State.RUNNING:
            self._deadline += now - self._paused_at
            self._paused_seconds += now - self._paused_at
            return [*events, *self.tick()]
        self._opened_at = now
        return [*events, TurnStarted(self.current, self.prompt, now)]

    def _counting(self) -> bool:
        return self.state is State.RUNNING or (
            self.state is State.PAUSED and self._paused_from is State.RUNNING
        )

    def _finish(self, status: TurnStatus, ended_at: float) -> list[Event]:
        turn = self.current
        assert turn is not None
        started = self._started_at if self._started_at is not None else self._opened_at
        ended = TurnEnded(
            turn, self.prompt, status, started, max(started, ended_at), self._paused_seconds
        )
        self._index += 1
        return [ended, *self._open(ended_at)]

    def _open(self, at: float) -> list[Event]:
        self._started_at = None
        self._paused_seconds = 0.0
        self._warned = set()
        turn = self.current
        if turn is None:
            self.state = State.ENDED
            return [SessionEnded(turns_taken=len(self.plan))]
        events: list[Event] = []
        if turn.starts_phase or turn.index == self._resumed_index:
            events.append(PhaseStarted(turn.phase, turn.round, turn.repetition))
        self.prompt = self._pick_prompt(turn)
        self._opened_at = at
        self.state = State.PROMPTING
        return [*events, TurnStarted(turn, self.prompt, at)]

    def _pick_prompt(self, turn: PlannedTurn) -> str:
        """A random variant, never the one this turn used last time."""
        key = (turn.phase.id, turn.turn.id)
        choices = [p for p in turn.turn.prompts if p != self._last_prompt.get(key)]
        prompt = self._rng.choice(choices or list(turn.turn.prompts))
        self._last_prompt[key] = prompt
        echoed = self._last_prompt.get((turn.phase.id, turn.turn.echoes), "")
        return f"{prompt} {echoed}" if turn.turn.echoes and echoed else prompt
