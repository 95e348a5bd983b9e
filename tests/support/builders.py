"""Small exercises and stored turns built in code for the engine, runner and store tests."""

from __future__ import annotations

from guided_talk.exercises.model import Exercise, Phase, Turn
from guided_talk.feedback.findings import IdeaUnit, ReflectionFindings
from guided_talk.store import TurnRecord
from guided_talk.values import TurnStatus


def turn(turn_id: str, role: str, seconds: int = 60, **extra: object) -> Turn:
    """A turn with two distinct prompt variants unless told otherwise."""
    prompts = extra.pop("prompts", (f"{turn_id} prompt one", f"{turn_id} prompt two"))
    return Turn(id=turn_id, role=role, seconds=seconds, prompts=prompts, **extra)  # type: ignore[arg-type]


def listening_exercise(rounds: int = 2, warn_before: tuple[int, ...] = (30, 10)) -> Exercise:
    """Speaker shares, listener reflects; roles swap each round."""
    share = Phase(
        id="share",
        title="Share and reflect",
        turns=(
            turn("speak", "speaker", 120, analyses=("expression",), warn_before=warn_before),
            turn("reflect", "listener", 60, analyses=("reflection",), ask_rating=True),
        ),
    )
    opening = Phase(
        id="open",
        title="Opening",
        turns=(turn("rules", "everyone", 30, capture=False, warn_before=()),),
    )
    return Exercise(
        id="test-listening",
        title="Test listening",
        purpose="Practise reflecting back.",
        goal="listening",
        audience=("couple",),
        roles=("speaker", "listener"),
        phases=(opening, share),
        rounds=rounds,
    )


def quoting(words: str) -> ReflectionFindings:
    """A finding in full that repeats ``words`` (as idea units and notes do)."""
    return ReflectionFindings(units=(IdeaUnit(words, True, 1.0),), notes=(words,), coverage=1.0)


def make_turn(index: int, transcript: str) -> TurnRecord:
    """A finished speaker turn by Ana that said ``transcript``."""
    return TurnRecord(
        index=index,
        round=0,
        phase_id="share",
        turn_id="speak",
        role="speaker",
        participant="Ana",
        prompt="Tell Ben about your week.",
        transcript=transcript,
        started_at=1_700_000_000.0,
        ended_at=1_700_000_060.0,
        status=TurnStatus.DONE,
    )
