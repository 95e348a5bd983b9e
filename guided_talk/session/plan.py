"""Unroll an exercise into the flat list of turns a session walks through."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guided_talk.exercises.model import ROLE_EVERYONE, Exercise, Phase, Turn

#: Shown as the person for turns everyone shares.
EVERYONE_LABEL = "Everyone"


@dataclass(frozen=True)
class PlannedTurn:
    """One turn at its place in a session.

    Attributes:
        index: Position in the plan, which is also the resume point.
        round: 0-based round of the whole exercise.
        phase_index: Position of the phase within the exercise.
        repetition: 0-based repetition of the phase.
        person: Who takes this turn: a name, or ``Everyone`` (a label to show,
            never to compare: ``shared`` says whether everyone takes it).
        reflects: Plan indexes of the turns this one reflects back, oldest first.
    """

    index: int
    round: int
    phase: Phase
    phase_index: int
    repetition: int
    turn: Turn
    person: str
    reflects: tuple[int, ...] = ()

    @property
    def shared(self) -> bool:
        """Everyone takes this turn together (no one person speaks)."""
        return self.turn.role == ROLE_EVERYONE

    @property
    def starts_phase(self) -> bool:
        """True for the first turn of a phase repetition."""
        return self.turn is self.phase.turns[0]


def assign_roles(exercise: Exercise, people: Sequence[str], swaps: int) -> dict[str, str]:
    """Map each role to a person, rotated ``swaps`` times."""
    return {role: people[(i + swaps) % len(people)] for i, role in enumerate(exercise.roles)}


def build_plan(exercise: Exercise, people: Sequence[str]) -> tuple[PlannedTurn, ...]:
    """Unroll rounds, phases and repetitions into one ordered tuple.

    Raises:
        ValueError: If fewer people than roles are given.
    """
    if len(people) < len(exercise.roles) or not people:
        raise ValueError(f"'{exercise.title}' needs {len(exercise.roles)} people")
    plan: list[PlannedTurn] = []
    for round_number in range(exercise.rounds):
        round_swaps = round_number if exercise.swap_each_round else 0
        for phase_index, phase in enumerate(exercise.phases):
            for repetition in range(phase.repeat):
                swaps = round_swaps + (repetition if phase.swap_roles else 0)
                cast = assign_roles(exercise, people, swaps)
                for turn in phase.turns:
                    person = EVERYONE_LABEL if turn.role == ROLE_EVERYONE else cast[turn.role]
                    planned = PlannedTurn(
                        index=len(plan),
                        round=round_number,
                        phase=phase,
                        phase_index=phase_index,
                        repetition=repetition,
                        turn=turn,
                        person=person,
                        reflects=_reflected(plan, turn, phase, round_number),
                    )
                    plan.append(planned)
    return tuple(plan)


def _reflected(
    earlier: list[PlannedTurn], turn: Turn, phase: Phase, round_number: int
) -> tuple[int, ...]:
    """Find the turns whose words ``turn`` reflects back."""
    if "reflection" not in turn.analyses:
        return ()
    if "." in turn.reflects:  # a summary of every take of a turn in an earlier phase
        phase_id, turn_id = turn.reflects.split(".", 1)
        return tuple(
            c.index
            for c in earlier
            if c.round == round_number and c.phase.id == phase_id and c.turn.id == turn_id
        )
    for candidate in reversed(earlier):
        if turn.reflects:
            if candidate.phase is phase and candidate.turn.id == turn.reflects:
                return (candidate.index,)
        elif candidate.turn.capture and candidate.turn.role not in (turn.role, ROLE_EVERYONE):
            return (candidate.index,)
    return ()
