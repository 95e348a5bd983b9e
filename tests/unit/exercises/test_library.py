"""The built-in exercise library: it loads, runs, varies its prompts and covers
every barrier and strategy the app promises."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from guided_talk.exercises.loader import BUILTIN_DIR, load_exercise, load_library
from guided_talk.exercises.model import GOALS, ROLE_EVERYONE, Exercise, Turn
from guided_talk.session.clock import FakeClock
from guided_talk.session.engine import Engine, State
from guided_talk.session.events import TurnStarted
from tests.support.paths import REPO

LIBRARY = load_library(BUILTIN_DIR, None).exercises
IDS = sorted(LIBRARY)
LADDER = [
    f"ladder-{n}-{name}"
    for n, name in enumerate(["light", "stories", "feelings", "closer", "deep"], start=1)
]
DRILLS = ["gentle-start-up", "i-statement-drill"]
#: Turns where a single prompt is the only sensible one (none so far).
SINGLE_PROMPT_TURNS: set[tuple[str, str, str]] = set()
GENDERED = re.compile(
    r"\b(he|she|him|his|hers|husband|wife|boyfriend|girlfriend|man|woman)\b", re.IGNORECASE
)
DOCS = REPO / "docs" / "EXERCISES.md"


def turns(exercise: Exercise) -> list[tuple[str, Turn]]:
    return [(phase.id, turn) for phase in exercise.phases for turn in phase.turns]


def same(text: str) -> str:
    return " ".join(text.casefold().split())


def people_for(exercise: Exercise) -> list[str]:
    return [f"Person {n}" for n in range(1, len(exercise.roles) + 1)]


def run_to_end(exercise: Exercise, seed: int = 0) -> tuple[float, list[TurnStarted]]:
    """Run the whole exercise on a fake clock; return the time taken and turn starts."""
    clock = FakeClock()
    engine = Engine(exercise, people_for(exercise), clock, rng=random.Random(seed))
    began = clock.now()
    events = engine.start()
    for _ in range(10_000):
        if engine.state is State.ENDED:
            break
        if engine.state is State.PROMPTING:
            events += engine.prompt_finished()
        deadline = engine.next_deadline()
        assert deadline is not None
        clock.advance(deadline - clock.now())
        events += engine.tick()
    assert engine.state is State.ENDED
    return clock.now() - began, [e for e in events if isinstance(e, TurnStarted)]


def test_library_loads_without_problems_and_is_big_enough() -> None:
    assert load_library(BUILTIN_DIR, None).problems == []
    assert len(LIBRARY) >= 12


def test_every_goal_has_an_exercise() -> None:
    assert {exercise.goal for exercise in LIBRARY.values()} == set(GOALS)


@pytest.mark.parametrize("exercise_id", IDS)
def test_file_name_matches_id_and_validates_alone(exercise_id: str) -> None:
    exercise = LIBRARY[exercise_id]
    assert exercise.source is not None and exercise.source.name == f"{exercise_id}.toml"
    assert load_exercise(exercise.source) == exercise


@pytest.mark.parametrize("exercise_id", IDS)
def test_runs_to_completion_on_a_fake_clock(exercise_id: str) -> None:
    exercise = LIBRARY[exercise_id]
    elapsed, started = run_to_end(exercise)
    planned = Engine(exercise, people_for(exercise), FakeClock()).plan
    assert len(started) == len(planned)
    assert elapsed == pytest.approx(exercise.total_seconds)


@pytest.mark.parametrize("exercise_id", IDS)
def test_prompts_vary(exercise_id: str) -> None:
    exercise = LIBRARY[exercise_id]
    every = [same(p) for _, turn in turns(exercise) for p in turn.prompts]
    assert [p for p, n in Counter(every).items() if n > 1] == []
    for phase_id, turn in turns(exercise):
        if (exercise_id, phase_id, turn.id) not in SINGLE_PROMPT_TURNS:
            assert len(turn.prompts) >= 2, f"{exercise_id}: {phase_id}.{turn.id}"


@pytest.mark.parametrize("exercise_id", IDS)
def test_roles_are_declared_and_used(exercise_id: str) -> None:
    exercise = LIBRARY[exercise_id]
    used = {turn.role for _, turn in turns(exercise)}
    assert used <= {*exercise.roles, ROLE_EVERYONE}
    assert set(exercise.roles) <= used
    assert 1 <= len(exercise.roles) <= 2, "the setup screen names at most two people"
    if "solo" in exercise.audience:
        assert exercise.roles == ("speaker",)


@pytest.mark.parametrize("exercise_id", IDS)
def test_reflections_point_at_what_someone_else_said(exercise_id: str) -> None:
    exercise = LIBRARY[exercise_id]
    plan = Engine(exercise, people_for(exercise), FakeClock()).plan
    for planned in plan:
        turn = planned.turn
        if turn.ask_rating:
            assert "reflection" in turn.analyses
        if "reflection" not in turn.analyses:
            continue
        assert turn.reflects, f"{exercise_id}: {turn.id} should name what it reflects"
        assert planned.reflects, f"{exercise_id}: {turn.id} reflects nothing"
        for index in planned.reflects:
            reflected = plan[index]
            assert reflected.turn.capture
            assert reflected.person != planned.person


@pytest.mark.parametrize("exercise_id", IDS)
def test_tone_is_inclusive_and_makes_no_therapy_claim(exercise_id: str) -> None:
    exercise = LIBRARY[exercise_id]
    texts = [exercise.title, exercise.purpose, exercise.safety_note, exercise.facilitator_notes]
    for _, turn in turns(exercise):
        texts += [turn.instructions, *turn.prompts]
    for text in texts:
        assert not GENDERED.search(text), text
        for match in re.finditer(r"therap(y|eutic)", text, re.IGNORECASE):
            before = text[: match.start()].casefold()
            assert before.endswith(("not ", "not a ")), text


@pytest.mark.parametrize("exercise_id", IDS)
def test_workshop_exercises_carry_facilitator_notes(exercise_id: str) -> None:
    exercise = LIBRARY[exercise_id]
    if "workshop" in exercise.audience:
        assert len(exercise.facilitator_notes) > 80
    if exercise.audience == ("workshop",):
        assert exercise.id.startswith("workshop-")
        assert any(turn.id == "debrief" for _, turn in turns(exercise))


def test_hard_ground_is_guarded() -> None:
    for exercise in LIBRARY.values():
        if exercise.goal in ("conflict", "past-hurts"):
            assert exercise.safety_check and exercise.safety_note
        if exercise.goal == "past-hurts":
            assert exercise.consent_required
            note = exercise.safety_note.casefold()
            assert "therapist" in note and "counsellor" in note and "pause" in note
    past = [e for e in LIBRARY.values() if e.goal == "past-hurts"]
    assert past and all(e.audience == ("couple",) for e in past)


def test_ladder_has_five_levels_of_at_least_eight_questions() -> None:
    seen: set[str] = set()
    for level, exercise_id in enumerate(LADDER, start=1):
        exercise = LIBRARY[exercise_id]
        assert exercise.goal == "vulnerability"
        assert f"{level} of 5" in exercise.title
        assert "stepping down" in (exercise.purpose + exercise.safety_note).casefold()
        questions = [
            p for _, turn in turns(exercise) if turn.id == "answer-first" for p in turn.prompts
        ]
        assert len(questions) >= 8
        assert all(q.endswith("?") for q in questions)
        assert not seen & {same(q) for q in questions}, "a question repeats across levels"
        seen |= {same(q) for q in questions}
        # Both partners answer each question, and who goes first alternates.
        for phase in exercise.phases:
            if phase.id.startswith("questions"):
                assert phase.swap_roles and phase.repeat % 2 == 0
                assert [t.role for t in phase.turns] == [
                    "partner-a",
                    "partner-b",
                    "partner-b",
                    "partner-a",
                ]


@pytest.mark.parametrize("seed", range(20))
def test_ladder_never_asks_the_same_question_twice_in_a_session(seed: int) -> None:
    for exercise_id in LADDER:
        _, started = run_to_end(LIBRARY[exercise_id], seed)
        asked = [e.prompt for e in started if e.turn.turn.id == "answer-first"]
        firsts = [e.turn.person for e in started if e.turn.turn.id == "answer-first"]
        assert len(asked) == len(set(asked)) == 4
        assert firsts == ["Person 1", "Person 2", "Person 1", "Person 2"]


def test_expression_drills_offer_twenty_ready_situations_each() -> None:
    for exercise_id in DRILLS:
        exercise = LIBRARY[exercise_id]
        assert exercise.goal == "expression" and "solo" in exercise.audience
        situations = [
            p for _, turn in turns(exercise) for p in turn.prompts if p.startswith("Situation:")
        ]
        assert len(situations) >= 20, exercise_id
        assert any("expression" in turn.analyses for _, turn in turns(exercise))


def test_conflict_exercise_understands_before_it_solves() -> None:
    exercise = next(e for e in LIBRARY.values() if e.goal == "conflict")
    order = [turn for _, turn in turns(exercise)]
    summary = next(i for i, t in enumerate(order) if t.ask_rating and "reflection" in t.analyses)
    brainstorm = next(i for i, t in enumerate(order) if t.role == ROLE_EVERYONE and i > summary)
    assert "expression" in order[summary - 1].analyses
    assert "brainstorm" in " ".join(order[brainstorm].prompts).casefold()
    assert any("this week" in " ".join(t.prompts) for t in order[brainstorm + 1 :])


def test_stress_talk_gives_each_person_fifteen_minutes_and_a_closing_check() -> None:
    exercise = LIBRARY["stress-reducing-talk"]
    (turn_phase,) = [p for p in exercise.phases if p.repeat == 2]
    assert turn_phase.swap_roles
    assert sum(t.seconds for t in turn_phase.turns) == 15 * 60
    prompts = " ".join(p for t in turn_phase.turns for p in t.prompts)
    assert "Did you feel understood?" in prompts and "ideas" in prompts


def test_check_ins_have_their_parts_and_lengths() -> None:
    daily = LIBRARY["daily-check-in"]
    assert [p.id for p in daily.phases] == [
        "arrive",
        "appreciate",
        "news",
        "puzzle",
        "request",
        "wish",
        "close",
    ]
    assert 13 * 60 <= daily.total_seconds <= 17 * 60
    weekly = LIBRARY["weekly-meeting"]
    text = " ".join(p for _, t in turns(weekly) for p in t.prompts)
    assert "feel loved this week" in text and "appreciat" in text
    assert any(p.repeat >= 4 and p.swap_roles for p in weekly.phases)


def test_docs_list_every_builtin_exercise() -> None:
    section = DOCS.read_text(encoding="utf-8").split("## The built-in library", 1)[1]
    for exercise_id in IDS:
        assert f"`{exercise_id}`" in section, exercise_id


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_length_setting_still_runs(exercise_id: str) -> None:
    from guided_talk.tui.screens.setup import LENGTHS, scaled

    for _, factor in LENGTHS:
        exercise = scaled(LIBRARY[exercise_id], factor)
        elapsed, _ = run_to_end(exercise)
        assert elapsed == pytest.approx(exercise.total_seconds)
