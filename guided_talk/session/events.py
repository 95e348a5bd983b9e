"""What a session tells the outside world, one frozen dataclass per kind of event."""

from __future__ import annotations

from dataclasses import dataclass, field

from guided_talk.exercises.model import Phase
from guided_talk.feedback.findings import TurnFindings
from guided_talk.session.plan import PlannedTurn
from guided_talk.values import PauseReason, TurnStatus


@dataclass(frozen=True)
class PhaseStarted:
    """A phase (or a repetition of it) begins."""

    phase: Phase
    round: int
    repetition: int


@dataclass(frozen=True)
class TurnStarted:
    """A turn opens; its prompt is about to be read. The countdown has not begun."""

    turn: PlannedTurn
    prompt: str
    opened_at: float


@dataclass(frozen=True)
class PromptSpoken:
    """The prompt has been read; the countdown runs until ``deadline``."""

    turn: PlannedTurn
    deadline: float


@dataclass(frozen=True)
class TurnWarning:
    """A gentle heads-up that the turn ends soon."""

    turn: PlannedTurn
    seconds_left: int


@dataclass(frozen=True)
class TurnExtended:
    """The turn was given more time."""

    turn: PlannedTurn
    deadline: float


@dataclass(frozen=True)
class TurnEnded:
    """A turn finished: ``done`` on time, ``ended_early`` by a person, or ``skipped``.

    ``paused_seconds`` of the time between start and end the session was paused:
    the time spoken is the rest.
    """

    turn: PlannedTurn
    prompt: str
    status: TurnStatus
    started_at: float
    ended_at: float
    paused_seconds: float = 0.0

    @property
    def spoken_seconds(self) -> float:
        """How long the turn ran, its pauses left out (pace and fillers a minute)."""
        return max(0.0, self.ended_at - self.started_at - self.paused_seconds)


@dataclass(frozen=True)
class SessionPaused:
    """Someone paused. ``reason`` is ``pause``, ``time-out`` or ``quit``.

    After a time-out or quit the session resumes at ``resume_index``, the turn that
    was interrupted, from its start.
    """

    by: str
    reason: PauseReason
    resume_index: int


@dataclass(frozen=True)
class SessionResumed:
    """The session goes on after a pause."""

    by: str


@dataclass(frozen=True)
class SessionEnded:
    """Every turn has been taken."""

    turns_taken: int


@dataclass(frozen=True)
class CaptureReady:
    """What was said in a turn is available (``None`` if nothing was captured)."""

    turn: PlannedTurn
    transcript: str | None


@dataclass(frozen=True)
class FeedbackReady:
    """Analyses of a turn are available."""

    turn: PlannedTurn
    findings: TurnFindings = field(default_factory=TurnFindings)


Event = (
    PhaseStarted
    | TurnStarted
    | PromptSpoken
    | TurnWarning
    | TurnExtended
    | TurnEnded
    | SessionPaused
    | SessionResumed
    | SessionEnded
    | CaptureReady
    | FeedbackReady
)


@dataclass(frozen=True)
class Notice:
    """Something went wrong (or needs saying) and the session carries on."""

    message: str


AnyEvent = Event | Notice
