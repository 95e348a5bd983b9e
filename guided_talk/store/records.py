"""What the store keeps and hands back: plain, frozen records.

Times are unix wall-clock seconds (``time.time()``), so a report can show the
local date and time a session took place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guided_talk.feedback.findings import TurnFindings
from guided_talk.values import SessionMode, SessionStatus, TurnStatus


class StoreError(Exception):
    """A problem with the database that the user can act on.

    The message is written for the user: it says what happened and what to do.
    """


class UnusableDatabase(StoreError):
    """The file is damaged, not ours, or from a newer version; it was not changed."""


@dataclass(frozen=True)
class TurnRecord:
    """One finished turn, as the session engine hands it to the store.

    Attributes:
        index: Position of the turn in the session's plan (0-based).
        round: Which round of the exercise the turn belongs to (0-based).
        phase_id: Id of the exercise phase.
        turn_id: Id of the turn within its phase.
        role: Abstract role, such as ``speaker`` or ``everyone``.
        participant: Name of the person whose turn it was; empty for everyone.
        prompt: What the app said to open the turn.
        transcript: What was said, or None when nothing was kept.
        started_at: Unix time the turn began.
        ended_at: Unix time the turn ended.
        status: How the turn ended.
        paused_seconds: Of the time between start and end, how long the session
            was paused (a pause or a time-out): nobody was speaking then.
    """

    index: int
    round: int
    phase_id: str
    turn_id: str
    role: str
    participant: str
    prompt: str
    transcript: str | None
    started_at: float
    ended_at: float
    status: TurnStatus
    paused_seconds: float = field(default=0.0, kw_only=True)

    @property
    def spoken_seconds(self) -> float:
        """The turn's time with the pauses left out: the time it was open to speak."""
        return max(0.0, self.ended_at - self.started_at - self.paused_seconds)


@dataclass(frozen=True)
class StoredTurn(TurnRecord):
    """A turn read back from the store, with what was added to it afterwards.

    Attributes (beyond ``TurnRecord``'s):
        feedback: What the analyses found, as much as was kept.
        ratings: Ratings from 1 to 5, keyed by the name of who gave them.
    """

    feedback: TurnFindings
    ratings: dict[str, int]


@dataclass(frozen=True)
class SessionSummary:
    """One line of the session list.

    Attributes:
        id: Session id (12 hex digits); any unique prefix of 4 or more finds it.
        exercise_id: Id of the exercise that was run.
        exercise_title: Title of the exercise at the time it was run.
        mode: Who the session was for.
        status: Where the session stands.
        started_at: Unix time the session began.
        ended_at: Unix time the session finished, or None.
        participants: Names, in the order they were given.
        turn_count: How many turns are stored.
        next_index: Plan position of the turn to run when the session resumes.
    """

    id: str
    exercise_id: str
    exercise_title: str
    mode: SessionMode
    status: SessionStatus
    started_at: float
    ended_at: float | None
    participants: tuple[str, ...]
    turn_count: int
    next_index: int


@dataclass(frozen=True)
class SessionDetail:
    """Everything stored about one session.

    Attributes:
        summary: The session's list entry.
        turns: Stored turns in plan order.
        settings: Settings the session ran with (voice, timings, privacy...).
    """

    summary: SessionSummary
    turns: tuple[StoredTurn, ...]
    settings: dict[str, object]
