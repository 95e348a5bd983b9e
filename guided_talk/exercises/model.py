"""Exercises as plain, frozen data.

An exercise is a list of phases; a phase is a list of turns that may repeat, with
the roles swapped between repetitions; the whole exercise may run for several
rounds, swapping roles between rounds. Roles are abstract ("speaker",
"listener"); the session engine maps them to the people taking part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from guided_talk.values import ListenerStyle, SessionMode

#: A turn everyone shares, such as reading the ground rules together.
ROLE_EVERYONE = "everyone"

#: Analyses a turn may ask for. ``reflection`` compares the turn with the turn it
#: reflects; ``expression`` checks a statement of feelings and needs.
ANALYSES = ("reflection", "expression")

#: What an exercise helps with; the library screen filters on these.
GOALS = (
    "safe-space",
    "vulnerability",
    "listening",
    "expression",
    "conflict",
    "past-hurts",
    "stress",
    "check-in",
)

#: Who an exercise is written for: the session modes people choose.
AUDIENCES = tuple(str(m) for m in (SessionMode.COUPLE, SessionMode.WORKSHOP, SessionMode.SOLO))
#: How a listener may be asked to reflect back.
LISTENER_STYLES = tuple(str(style) for style in ListenerStyle)

#: Bounds that catch typos such as 6000 seconds for a 60-second turn.
MAX_TURN_SECONDS = 3600
MAX_REPEAT = 50
MAX_ROUNDS = 20


@dataclass(frozen=True)
class Turn:
    """One person's (or everyone's) timed slot.

    Attributes:
        id: Unique within its phase.
        role: One of the exercise's roles, or ``everyone``.
        seconds: How long the turn lasts unless ended early or extended.
        prompts: Variants of what the app says to open the turn; one is picked
            at random, never the same one twice in a row.
        instructions: A short line on screen about what to do now.
        capture: Whether speech is recorded and transcribed.
        analyses: Names from ``ANALYSES`` to run on the transcript.
        reflects: Whose words this turn reflects back: the id of an earlier turn
            in the same phase (its latest take), or ``phase.turn`` for a turn in an
            earlier phase (every take of it this round, as for a summary). Empty
            means the latest captured turn of another role.
        warn_before: Seconds before the end at which to give a gentle warning.
        ask_rating: Ask the person reflected "did they get it?" (1-5) afterwards.
        echoes: Id of an earlier turn in the same phase whose chosen prompt is
            repeated after this turn's own, so that a second person answering "the
            same question" sees and hears it too.
    """

    id: str
    role: str
    seconds: int
    prompts: tuple[str, ...]
    instructions: str = ""
    capture: bool = True
    analyses: tuple[str, ...] = ()
    reflects: str = ""
    warn_before: tuple[int, ...] = (10,)
    ask_rating: bool = False
    echoes: str = ""
    end_after_silence: int = 0


@dataclass(frozen=True)
class Phase:
    """A named group of turns, optionally repeated with roles swapped between."""

    id: str
    title: str
    turns: tuple[Turn, ...]
    repeat: int = 1
    swap_roles: bool = False


@dataclass(frozen=True)
class Exercise:
    """A whole exercise, as read from one TOML file.

    Attributes:
        roles: Role names in the order people are first assigned to them.
        rounds: How many times the whole exercise runs.
        swap_each_round: Rotate roles between rounds.
        consent_required: Ask for explicit consent before starting.
        safety_check: Ask whether things feel safe at home before starting.
        source: The file it came from (``None`` for exercises built in code).
    """

    id: str
    title: str
    purpose: str
    goal: str
    audience: tuple[str, ...]
    roles: tuple[str, ...]
    phases: tuple[Phase, ...]
    rounds: int = 1
    swap_each_round: bool = True
    listener_style: ListenerStyle = ListenerStyle.PARAPHRASE
    safety_note: str = ""
    facilitator_notes: str = ""
    consent_required: bool = False
    safety_check: bool = False
    source: Path | None = field(default=None, compare=False)

    @property
    def total_seconds(self) -> int:
        """Scheduled length of the whole exercise, without extensions."""
        per_round = sum(
            phase.repeat * sum(turn.seconds for turn in phase.turns) for phase in self.phases
        )
        return per_round * self.rounds

    @property
    def captures_speech(self) -> bool:
        """Whether any turn records speech."""
        return any(turn.capture for phase in self.phases for turn in phase.turns)
