"""What a session says to the people in it, as plain text for any screen.

The session screen shows these lines; keeping them here, with no Textual, lets
them be read and tested on their own.
"""

from __future__ import annotations

from guided_talk.session.events import (
    AnyEvent,
    FeedbackReady,
    PhaseStarted,
    PromptSpoken,
    SessionPaused,
    SessionResumed,
    TurnStarted,
    TurnWarning,
)
from guided_talk.session.plan import PlannedTurn
from guided_talk.values import PauseReason

NOT_TRANSCRIBED = (
    "What was said could not be transcribed ({reason}). The turn is saved without "
    "its words; press i to type instead of speaking."
)
UNSAVED_AT_END = (
    "Some of this session could still not be saved. Free some disk space and keep "
    "the app open; saving is tried again when you leave the review."
)
TIME_OUT = (
    "Time-out. Take the break you need. p carries on now; q stops "
    "here and the session waits on the home screen."
)


def phase_line(event: PhaseStarted, rounds: int) -> str:
    """The phase's title with its part and round, such as "Share · part 2 of 3"."""
    parts = [event.phase.title]
    if event.phase.repeat > 1:
        parts.append(f"part {event.repetition + 1} of {event.phase.repeat}")
    if rounds > 1:
        parts.append(f"round {event.round + 1} of {rounds}")
    return " · ".join(parts)


def role_label(turn: PlannedTurn) -> str:
    """The turn's role as words ("inner-circle" reads "inner circle")."""
    return turn.turn.role.replace("-", " ")


def status_line(event: AnyEvent, read_prompts: bool) -> str | None:
    """The line under the prompt after ``event``, or None to leave it as it is."""
    if isinstance(event, TurnStarted):
        return "Listen to the prompt..." if read_prompts else "Read the prompt."
    if isinstance(event, PromptSpoken):
        return "Your turn now." if event.turn.turn.capture else "Go ahead."
    if isinstance(event, TurnWarning):
        return f"{event.seconds_left} seconds left. Start finding a place to stop."
    if isinstance(event, FeedbackReady) and event.findings.reflection is not None:
        coverage = event.findings.reflection.coverage
        return f"Reflect-back covered about {coverage:.0%} of what was said."
    if isinstance(event, SessionResumed):
        return "Going again."
    if isinstance(event, SessionPaused):
        return TIME_OUT if event.reason == PauseReason.TIME_OUT else "Paused. Press p to carry on."
    return None
