"""Every engine transition, driven by a fake clock (no real waiting)."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import pytest

from guided_talk.exercises.model import Phase
from guided_talk.session.clock import FakeClock
from guided_talk.session.engine import SHORTEN_LEAVES_SECONDS, Engine, State
from guided_talk.session.events import (
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
from guided_talk.values import PauseReason
from tests.support.builders import listening_exercise, turn

PEOPLE = ("Ana", "Ben")


def make(start_index: int = 0, **kwargs: object) -> tuple[Engine, FakeClock]:
    clock = FakeClock()
    exercise = listening_exercise(**kwargs)  # type: ignore[arg-type]
    engine = Engine(exercise, PEOPLE, clock, start_index=start_index, rng=random.Random(7))
    return engine, clock


def run_to_end(engine: Engine, clock: FakeClock) -> list[object]:
    """Drive the engine the way the runner does: prompt, then sleep to each deadline."""
    events: list[object] = list(engine.start())
    while engine.state is not State.ENDED:
        if engine.state is State.PROMPTING:
            events += engine.prompt_finished()
        deadline = engine.next_deadline()
        assert deadline is not None
        clock.advance(max(0.0, deadline - clock.now()))
        events += engine.tick()
    return events


def test_plan_unrolls_rounds_and_swaps_roles() -> None:
    engine, _ = make()
    people = [(p.turn.id, p.person) for p in engine.plan]
    assert people == [
        ("rules", "Everyone"),
        ("speak", "Ana"),
        ("reflect", "Ben"),
        ("rules", "Everyone"),
        ("speak", "Ben"),
        ("reflect", "Ana"),
    ]
    assert engine.plan[2].reflects == (1,)
    assert engine.plan[5].reflects == (4,)


def test_a_summary_reflects_every_take_of_an_earlier_phase() -> None:
    chunks = Phase(
        id="chunks",
        title="Share and mirror",
        turns=(
            turn("share", "speaker", 30),
            turn("mirror", "listener", 30, analyses=("reflection",), reflects="share"),
        ),
        repeat=3,
    )
    close = Phase(
        id="close",
        title="Sum up",
        turns=(turn("summary", "listener", 60, analyses=("reflection",), reflects="chunks.share"),),
    )
    exercise = replace(listening_exercise(), phases=(chunks, close), rounds=2)
    plan = Engine(exercise, PEOPLE, FakeClock()).plan
    assert [p.reflects for p in plan if p.turn.id == "mirror"][:3] == [(0,), (2,), (4,)]
    summaries = [p for p in plan if p.turn.id == "summary"]
    assert [s.reflects for s in summaries] == [(0, 2, 4), (7, 9, 11)]
    assert [s.person for s in summaries] == ["Ben", "Ana"]


def test_phase_repeat_with_swap_passes_the_floor() -> None:
    engine, _ = make(rounds=1)
    floor = Phase(
        id="floor",
        title="The floor",
        turns=(turn("say", "speaker", 30), turn("paraphrase", "listener", 30)),
        repeat=3,
        swap_roles=True,
    )
    exercise = replace(engine.exercise, phases=(floor,))
    plan = Engine(exercise, PEOPLE, FakeClock()).plan
    assert [p.person for p in plan] == ["Ana", "Ben", "Ben", "Ana", "Ana", "Ben"]


def test_whole_session_runs_in_order_and_ends_on_schedule() -> None:
    engine, clock = make()
    begin = clock.now()
    events = run_to_end(engine, clock)
    ended = [e for e in events if isinstance(e, TurnEnded)]
    assert [e.turn.index for e in ended] == list(range(6))
    assert all(e.status == "done" for e in ended)
    assert isinstance(events[-1], SessionEnded)
    assert clock.now() - begin == pytest.approx(engine.exercise.total_seconds)
    assert sum(isinstance(e, PhaseStarted) for e in events) == 4


def test_turns_do_not_drift_when_ticks_are_late() -> None:
    engine, clock = make()
    begin = clock.now()
    engine.start()
    while engine.state is not State.ENDED:
        if engine.state is State.PROMPTING:
            engine.prompt_finished(at=engine._opened_at)
        deadline = engine.next_deadline()
        assert deadline is not None
        clock.advance(deadline - clock.now() + 0.4)  # every tick arrives 400 ms late
        engine.tick()
    # Late ticks do not add up: the session ends at its schedule (plus one late tick).
    assert clock.now() - begin == pytest.approx(engine.exercise.total_seconds + 0.4)


def test_warnings_come_once_each_in_order() -> None:
    engine, clock = make()
    engine.start()
    engine.prompt_finished()
    engine.tick()
    engine.end_turn()  # past the shared opening turn
    engine.prompt_finished()
    clock.advance(90)
    assert [e.seconds_left for e in engine.tick() if isinstance(e, TurnWarning)] == [30]
    assert engine.tick() == []
    clock.advance(20)
    assert [e.seconds_left for e in engine.tick() if isinstance(e, TurnWarning)] == [10]


def test_prompt_then_countdown() -> None:
    engine, clock = make()
    started = engine.start()
    assert isinstance(started[-1], TurnStarted)
    assert engine.state is State.PROMPTING
    clock.advance(5)  # reading the prompt does not eat into the turn
    assert engine.remaining() == 30
    spoken = engine.prompt_finished()
    assert isinstance(spoken[0], PromptSpoken)
    assert spoken[0].deadline == clock.now() + 30


def test_pause_stops_the_clock_and_resume_continues() -> None:
    engine, clock = make()
    engine.start()
    engine.prompt_finished()
    clock.advance(10)
    paused = engine.pause("Ben")
    assert paused == [SessionPaused("Ben", PauseReason.PAUSE, 0)]
    clock.advance(500)
    assert engine.tick() == []
    assert engine.remaining() == 20
    assert engine.end_turn() == []  # ignored while paused
    resumed = engine.resume("Ana")
    assert resumed[0] == SessionResumed("Ana")
    assert engine.remaining() == 20
    clock.advance(20)
    assert isinstance(engine.tick()[0], TurnEnded)


def test_pause_during_prompt_reads_the_prompt_again() -> None:
    engine, _ = make()
    engine.start()
    prompt = engine.prompt
    engine.pause("Ana")
    events = engine.resume("Ana")
    assert isinstance(events[-1], TurnStarted)
    assert events[-1].prompt == prompt
    assert engine.state is State.PROMPTING


def test_end_early_and_skip_record_their_status() -> None:
    engine, clock = make()
    engine.start()
    engine.prompt_finished()
    clock.advance(12)
    ended = engine.end_turn()[0]
    assert isinstance(ended, TurnEnded)
    assert (ended.status, ended.ended_at - ended.started_at) == ("ended_early", 12)
    skipped = engine.skip()[0]
    assert isinstance(skipped, TurnEnded) and skipped.status == "skipped"
    assert engine.index == 2


def test_extend_adds_thirty_seconds_and_rearms_warnings() -> None:
    engine, clock = make()
    engine.start()
    engine.end_turn()
    engine.prompt_finished()
    clock.advance(111)
    engine.tick()  # both warnings given
    extended = engine.extend()
    assert isinstance(extended[0], TurnExtended)
    assert engine.remaining() == pytest.approx(39)
    clock.advance(10)
    warnings = [e for e in engine.tick() if isinstance(e, TurnWarning)]
    assert [w.seconds_left for w in warnings] == [30]


def test_time_out_keeps_the_resume_point() -> None:
    engine, clock = make()
    run = engine.start()
    assert run
    engine.prompt_finished()
    clock.advance(30)
    engine.tick()
    engine.prompt_finished()
    events = engine.pause("Ben", reason=PauseReason.TIME_OUT)
    assert events == [SessionPaused("Ben", PauseReason.TIME_OUT, 1)]
    # After quitting the app, a new engine picks up at the interrupted turn.
    again = Engine(engine.exercise, PEOPLE, clock, start_index=1)
    opened = again.start()
    assert isinstance(opened[0], PhaseStarted)
    assert isinstance(opened[-1], TurnStarted) and opened[-1].turn.index == 1


def test_resume_at_the_end_ends_at_once() -> None:
    engine, _ = make()
    done = Engine(engine.exercise, PEOPLE, FakeClock(), start_index=len(engine.plan))
    assert done.start() == [SessionEnded(turns_taken=6)]
    with pytest.raises(ValueError):
        Engine(engine.exercise, PEOPLE, FakeClock(), start_index=99)


def test_prompts_never_repeat_back_to_back() -> None:
    engine, clock = make(rounds=20)
    events = run_to_end(engine, clock)
    by_turn: dict[str, list[str]] = {}
    for event in events:
        if isinstance(event, TurnStarted):
            by_turn.setdefault(event.turn.turn.id, []).append(event.prompt)
    for prompts in by_turn.values():
        assert all(a != b for a, b in itertools.pairwise(prompts))
        assert len(set(prompts)) == 2


def test_actions_after_the_end_are_ignored() -> None:
    engine, clock = make(rounds=1)
    run_to_end(engine, clock)
    for action in (engine.end_turn, engine.skip, engine.extend, engine.tick):
        assert action() == []
    assert engine.pause("Ana") == [] and engine.resume("Ana") == []
    assert engine.current is None and engine.remaining() == 0


def test_too_few_people_is_a_clear_error() -> None:
    exercise = listening_exercise()
    with pytest.raises(ValueError, match="needs 2 people"):
        Engine(exercise, ["Solo"], FakeClock())


def test_shorten_takes_time_off_but_never_ends_the_turn_by_itself() -> None:
    engine, clock = make()
    engine.start()
    engine.prompt_finished()
    clock.advance(5)
    engine.extend(-10)
    assert engine.remaining() == pytest.approx(15)
    engine.extend(-60)  # "a minute less" on a short turn stops short of the end
    assert engine.remaining() == pytest.approx(SHORTEN_LEAVES_SECONDS)
    clock.advance(8)
    engine.extend(-60)  # with less than that left, it takes nothing
    assert engine.remaining() == pytest.approx(2)
    clock.advance(2)
    assert isinstance(engine.tick()[0], TurnEnded)


def test_time_spent_paused_is_not_time_spoken() -> None:
    engine, clock = make()
    engine.start()
    engine.prompt_finished()
    clock.advance(5)
    engine.pause("Ana")
    clock.advance(100)
    engine.resume("Ana")
    clock.advance(7)
    ended = engine.end_turn()[0]
    assert isinstance(ended, TurnEnded)
    assert ended.paused_seconds == pytest.approx(100)
    assert ended.spoken_seconds == pytest.approx(12)


def test_a_turn_can_echo_the_question_asked_earlier_in_its_phase() -> None:
    ask = turn("answer-first", "speaker", 30, prompts=("What made you smile?", "What calms you?"))
    again = turn(
        "answer-second", "listener", 30, prompts=("Same question for you:",), echoes="answer-first"
    )
    phase = Phase(id="q", title="Questions", turns=(ask, again), repeat=2)
    exercise = replace(listening_exercise(), phases=(phase,), rounds=1)
    engine = Engine(exercise, PEOPLE, FakeClock(), rng=random.Random(3))
    first = engine.start()[-1]
    assert isinstance(first, TurnStarted)
    second = engine.skip()[-1]
    assert isinstance(second, TurnStarted)
    assert second.prompt == f"Same question for you: {first.prompt}"
