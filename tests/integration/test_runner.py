"""The runner on the real store, with the fast-forward fake clock and scripted partners."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from dataclasses import replace
from pathlib import Path

from guided_talk.feedback.findings import MAIN_TYPES, Kept, TurnFindings
from guided_talk.session.analysis import analyze_turn, worked_out
from guided_talk.session.clock import FakeClock, FastForwardClock
from guided_talk.session.engine import Engine, State
from guided_talk.session.events import (
    AnyEvent,
    CaptureReady,
    FeedbackReady,
    Notice,
    PromptSpoken,
    SessionEnded,
    TurnEnded,
    TurnStarted,
)
from guided_talk.session.plan import PlannedTurn
from guided_talk.session.ports import TurnListener
from guided_talk.session.runner import SessionRunner
from guided_talk.session.scripted import ScriptedPartners
from guided_talk.speech.typed import TypedListener
from guided_talk.store import Store
from guided_talk.values import PauseReason, TurnStatus
from tests.support.builders import listening_exercise

PEOPLE = ("Ana", "Ben")


class RecordingReader:
    """A prompt reader that notes what it was asked to read (no audio on this path)."""

    def __init__(self) -> None:
        self.read_texts: list[str] = []
        self.stops = 0

    async def read(self, text: str) -> None:
        self.read_texts.append(text)

    def stop(self) -> None:
        self.stops += 1

    def close(self) -> None:
        self.stop()


def run_session(tmp_path: Path, **runner_options: object) -> tuple[Store, str, list[AnyEvent]]:
    clock = FastForwardClock()
    store = Store.open(tmp_path / "db.sqlite3")
    exercise = listening_exercise()
    session_id = store.create_session(exercise.id, exercise.title, PEOPLE)
    events: list[AnyEvent] = []
    options: dict[str, object] = {
        "store": store,
        "session_id": session_id,
        "listener": ScriptedPartners(clock),
        "analyzer": analyze_turn,
        "on_event": events.append,
    }
    options.update(runner_options)
    runner = SessionRunner(Engine(exercise, PEOPLE, clock), clock, **options)  # type: ignore[arg-type]
    asyncio.run(runner.run())
    return store, session_id, events


def test_a_whole_session_is_stored_turn_by_turn(tmp_path: Path) -> None:
    store, session_id, events = run_session(tmp_path)
    detail = store.get_session(session_id)
    assert detail.summary.status == "finished"
    assert [t.index for t in detail.turns] == list(range(6))
    assert detail.summary.next_index == 6
    speak = detail.turns[1]
    assert speak.participant == "Ana" and speak.transcript
    assert speak.feedback.expression is not None
    reflect = detail.turns[2]
    assert reflect.participant == "Ben"
    assert reflect.feedback.reflection is not None
    assert 0.0 <= reflect.feedback.reflection.coverage <= 1.0
    assert detail.turns[0].participant == "" and detail.turns[0].transcript is None
    assert isinstance(events[-1], SessionEnded)
    assert sum(isinstance(e, FeedbackReady) for e in events) == 4


def test_scripted_partner_ends_the_turn_early(tmp_path: Path) -> None:
    _, _, events = run_session(tmp_path)
    ended = [e for e in events if isinstance(e, TurnEnded)]
    assert ended[1].status == "ended_early"
    assert ended[1].ended_at - ended[1].started_at < 120


def test_scores_only_privacy_keeps_no_words(tmp_path: Path) -> None:
    store, session_id, _ = run_session(tmp_path, keep_transcripts=False)
    turns = store.get_session(session_id).turns
    assert all(t.transcript is None for t in turns)
    reflection = turns[2].feedback.reflection
    assert reflection is not None and reflection.kept == Kept.SCORES
    assert reflection.response_type in MAIN_TYPES
    units = reflection.units  # the scores of each point, without its words
    assert units and all(unit.text == "" and unit.listener_words == "" for unit in units)
    store.close()
    raw = (tmp_path / "db.sqlite3").read_bytes()
    assert b"fallback" not in raw and b"dishes" not in raw


def test_prompts_are_read_before_the_countdown(tmp_path: Path) -> None:
    reader = RecordingReader()
    _, _, events = run_session(tmp_path, reader=reader)
    opened = [e for e in events if isinstance(e, TurnStarted)]
    assert reader.read_texts == [e.prompt for e in opened]  # every prompt, in order
    # Each countdown starts only after its prompt was read.
    for started, spoken in zip(
        opened, [e for e in events if isinstance(e, PromptSpoken)], strict=True
    ):
        assert spoken.turn is started.turn


class BrokenListener(ScriptedPartners):
    async def finish(self, turn: object, status: str) -> str | None:
        raise RuntimeError("recogniser crashed")


def test_a_failing_recogniser_keeps_the_turn(tmp_path: Path) -> None:
    clock = FastForwardClock()
    store, session_id, events = run_session(tmp_path, listener=BrokenListener(clock))
    notices = [e for e in events if isinstance(e, Notice)]
    assert notices and "could not be transcribed" in notices[0].message
    turns = store.get_session(session_id).turns
    assert len(turns) == 6
    assert turns[1].status == "not_transcribed"


def test_pause_time_out_and_resume_from_the_store(tmp_path: Path) -> None:
    """Fake clock: the test decides when time passes; the runner waits for it."""

    async def scenario() -> tuple[int, str]:
        clock = FakeClock()
        store = Store.open(tmp_path / "db.sqlite3")
        exercise = listening_exercise()
        session_id = store.create_session(exercise.id, exercise.title, PEOPLE)
        reader = RecordingReader()
        runner = SessionRunner(
            Engine(exercise, PEOPLE, clock),
            clock,
            store=store,
            session_id=session_id,
            reader=reader,
        )
        task = asyncio.create_task(runner.run())
        await asyncio.sleep(0)
        clock.advance(30)  # the shared opening turn runs out
        for _ in range(5):
            await asyncio.sleep(0)
        assert runner.engine.index == 1
        await runner.pause("Ben", reason=PauseReason.TIME_OUT)
        assert reader.stops == 1
        runner.stop()
        await task
        summary = store.get_session(session_id).summary
        store.close()
        return summary.next_index, summary.status

    next_index, status = asyncio.run(scenario())
    assert (next_index, status) == (1, "paused")
    store = Store.open(tmp_path / "db.sqlite3")
    paused = store.unfinished_sessions()[0]
    exercise = listening_exercise()
    resumed = Engine(exercise, PEOPLE, FastForwardClock(), start_index=paused.next_index)
    assert resumed.start()[-1].turn.index == 1  # type: ignore[union-attr]
    assert resumed.state is State.PROMPTING


def test_a_store_failure_is_a_notice_not_a_crash(tmp_path: Path) -> None:
    clock = FastForwardClock()
    store = Store.open(tmp_path / "db.sqlite3")
    exercise = listening_exercise()
    session_id = store.create_session(exercise.id, exercise.title, PEOPLE)
    store._conn.execute("DROP TABLE ratings")  # simulate a damaged database mid-session
    events: list[AnyEvent] = []
    runner = SessionRunner(
        Engine(exercise, PEOPLE, clock),
        clock,
        store=store,
        session_id=session_id,
        on_event=events.append,
        listener=ScriptedPartners(clock),
    )
    asyncio.run(runner.run())
    runner.rate(2, "Ana", 5)
    assert any(isinstance(e, Notice) and "Could not save" in e.message for e in events)
    assert isinstance([e for e in events if not isinstance(e, Notice)][-1], SessionEnded)
    check = sqlite3.connect(tmp_path / "db.sqlite3").execute("PRAGMA integrity_check")
    assert check.fetchone()[0] == "ok"


def test_stored_findings_keep_the_measures_and_the_review_works_the_rest_out(
    tmp_path: Path,
) -> None:
    """At rest a finding keeps its measures; worked_out gives back the full finding."""
    store, session_id, events = run_session(tmp_path)
    live = {e.turn.index: e.findings for e in events if isinstance(e, FeedbackReady)}
    stored = store.get_session(session_id)
    reflection = stored.turns[2].feedback.reflection
    assert reflection is not None and reflection.kept == Kept.MEASURES
    assert reflection.units == () and reflection.notes == ()
    assert reflection.reflects == (1,)
    said = live[1].expression
    statement = stored.turns[1].feedback.expression
    assert said is not None and statement is not None
    assert statement.slots == {} and statement.parts == said.parts  # yes/no, not the words

    full = worked_out(stored)

    for index, findings in live.items():
        assert full.turns[index].feedback == findings
    store.close()


def test_the_stored_measures_win_over_those_worked_out_again(tmp_path: Path) -> None:
    """After the analyses change, the review still agrees with the trends."""
    store, session_id, _ = run_session(tmp_path)
    stored = store.get_session(session_id)
    store.close()
    reflection = stored.turns[2].feedback.reflection
    assert reflection is not None
    older = replace(reflection, coverage=0.123)  # as an older version of the analyses measured it
    turns = list(stored.turns)
    turns[2] = replace(turns[2], feedback=TurnFindings(reflection=older))

    full = worked_out(replace(stored, turns=tuple(turns))).turns[2].feedback.reflection

    assert full is not None and full.coverage == 0.123 and full.units


class HoldingPartners(ScriptedPartners):
    """Scripted partners that note when the runner closes and opens their ears."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.holds: list[bool] = []

    def hold(self, held: bool) -> None:
        self.holds.append(held)


def test_a_pause_holds_the_listener_from_the_key_press_until_the_session_goes_on() -> None:
    async def scenario() -> list[bool]:
        clock = FakeClock()
        partners = HoldingPartners(clock)
        runner = SessionRunner(
            Engine(listening_exercise(), PEOPLE, clock), clock, listener=partners
        )
        task = asyncio.create_task(runner.run())
        await asyncio.sleep(0)
        clock.advance(30)  # the shared opening turn runs out; the speaker's turn opens
        for _ in range(5):
            await asyncio.sleep(0)
        await runner.pause("Ana")
        assert partners.holds == [True], "held at once, before anything else happens"
        await runner.resume("Ana")
        runner.stop()
        await task
        return partners.holds

    assert asyncio.run(scenario()) == [True, False]


class FinishingPartners(ScriptedPartners):
    """Scripted partners that note how each turn they listened to was finished."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.finished: list[str] = []

    async def finish(self, turn: PlannedTurn, status: str) -> str | None:
        self.finished.append(status)
        return await super().finish(turn, status)


def test_leaving_mid_turn_closes_its_microphone_and_keeps_none_of_its_words() -> None:
    async def scenario() -> tuple[list[str], PlannedTurn | None]:
        clock = FakeClock()
        partners = FinishingPartners(clock)
        runner, task, _ = await at_speaker_turn(clock, partners)
        assert runner.listening_to is not None, "the speaker's turn is listened to"
        await runner.pause("Ana", reason=PauseReason.QUIT)
        await runner.leave()
        await task
        return partners.finished, runner.listening_to

    finished, listening = asyncio.run(scenario())
    assert finished == [TurnStatus.SKIPPED] and listening is None


class MuteReader(RecordingReader):
    """A prompt reader whose speech engine fails on every prompt."""

    async def read(self, text: str) -> None:
        raise RuntimeError("the voice could not be loaded")


def test_a_prompt_that_cannot_be_read_aloud_still_starts_its_turn(tmp_path: Path) -> None:
    _, _, events = run_session(tmp_path, reader=MuteReader())
    assert sum(isinstance(e, PromptSpoken) for e in events) == 6, "every turn's countdown ran"
    assert isinstance([e for e in events if not isinstance(e, Notice)][-1], SessionEnded)


def test_a_key_in_the_first_second_of_a_turn_does_not_end_it() -> None:
    """The e that was meant for a turn that just ran out must not end the next one."""

    async def scenario() -> tuple[bool, bool, int]:
        clock = FakeClock()
        runner, task, _ = await at_speaker_turn(clock)
        opened = runner.engine.index
        too_soon = await runner.end_turn()
        clock.advance(1.5)
        later = await runner.end_turn()
        runner.stop()
        await task
        return too_soon, later, runner.engine.index - opened

    too_soon, later, moved = asyncio.run(scenario())
    assert (too_soon, later, moved) == (False, True, 1)


def test_typing_lasts_one_turn_then_the_next_is_listened_to_again() -> None:
    async def scenario() -> tuple[bool, bool, str | None]:
        clock = FakeClock()
        partners = HoldingPartners(clock)
        runner, task, events = await at_speaker_turn(clock, partners)
        typed = TypedListener()
        runner.type_this_turn(typed)
        typing = runner.typing_this_turn
        typed.submit("I typed this one")
        clock.advance(2)
        await runner.end_turn()
        back = runner.listener is partners and not runner.typing_this_turn
        runner.stop()
        await task
        captured = [e.transcript for e in events if isinstance(e, CaptureReady)]
        return typing, back, captured[-1]

    assert asyncio.run(scenario()) == (True, True, "I typed this one")


def test_a_turn_ending_on_silence_ends_within_a_second_of_its_limit() -> None:
    """Real time, real capture: 1.5 s of speech, then quiet; the limit is 1 s."""
    from dataclasses import replace as changed

    from guided_talk.session.clock import MonotonicClock
    from guided_talk.speech.listener import SpeechTurnListener
    from guided_talk.speech.sources import ClipSource
    from tests.support.sounds import fit, spoken

    class SilentEngine:
        """Recognition is not what is tested here."""

        name = "silent"

        def load(self) -> None:
            return None

        def transcribe(self, clip: object, context: str = "") -> str:
            return ""

    exercise = listening_exercise(rounds=1, warn_before=())
    phase = exercise.phases[1]  # share and reflect: its speaker's turn alone
    speak = changed(phase.turns[0], seconds=30, end_after_silence=1)
    exercise = changed(exercise, phases=(changed(phase, turns=(speak,)),))
    clock = MonotonicClock()
    events: list[AnyEvent] = []
    said = fit(spoken("I miss our long walks"), 1.5)
    listener = SpeechTurnListener(lambda: ClipSource(said), SilentEngine())
    runner = SessionRunner(
        Engine(exercise, PEOPLE, clock), clock, listener=listener, on_event=events.append
    )
    asyncio.run(runner.run())
    (ended,) = [e for e in events if isinstance(e, TurnEnded)]
    assert ended.ended_at - ended.started_at < 1.5 + 1 + 1.0


class SlowReader(RecordingReader):
    """A prompt takes a fifth of a second to say, unless stopped first."""

    def __init__(self) -> None:
        super().__init__()
        self.said: list[str] = []  # prompts said to the end or cut off, in order
        self._quiet = asyncio.Event()

    async def read(self, text: str) -> None:
        self._quiet.clear()
        self.read_texts.append(text)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._quiet.wait(), 0.2)
        self.said.append(text)

    def stop(self) -> None:
        super().stop()
        self._quiet.set()


def test_skip_during_a_prompt_takes_one_press_and_the_next_prompt_is_read_whole() -> None:
    async def scenario() -> tuple[int, list[str], list[str]]:
        clock = FakeClock()
        reader = SlowReader()
        spoken_after: list[str] = []

        def seen(event: AnyEvent) -> None:
            if isinstance(event, PromptSpoken) and event.turn.index == 1:
                spoken_after.extend(reader.said)

        runner = SessionRunner(
            Engine(listening_exercise(), PEOPLE, clock), clock, reader=reader, on_event=seen
        )
        task = asyncio.create_task(runner.run())
        await asyncio.sleep(0.05)  # the opening prompt is being read
        await runner.skip()
        stops = reader.stops
        await asyncio.sleep(0.5)
        runner.stop()
        await task
        return stops, reader.read_texts, spoken_after

    stops, asked, said_before_countdown = asyncio.run(scenario())
    assert stops >= 1, "the prompt stops at the first press"
    assert said_before_countdown == asked[:2], "the next turn counts down after its own prompt"


class DeadMicrophone(HoldingPartners):
    """Stands in for a microphone unplugged mid-session: it cannot begin a turn."""

    def begin(self, turn: PlannedTurn, started_at: float) -> None:
        raise OSError("no microphone could be opened")


async def at_speaker_turn(
    clock: FakeClock, listener: TurnListener | None = None
) -> tuple[SessionRunner, asyncio.Task[None], list[AnyEvent]]:
    """A runner of the listening exercise, run until the speaker's turn (after the
    shared opening) is open; with its task and the events it has sent so far."""
    events: list[AnyEvent] = []
    engine = Engine(listening_exercise(), PEOPLE, clock)
    runner = SessionRunner(engine, clock, listener=listener, on_event=events.append)
    task = asyncio.create_task(runner.run())
    await asyncio.sleep(0)
    clock.advance(30)
    while not any(isinstance(e, PromptSpoken) and e.turn.index == 1 for e in events):
        await asyncio.sleep(0.01)
    return runner, task, events


def test_switching_during_a_pause_keeps_the_new_listener_held() -> None:
    async def scenario() -> list[bool]:
        clock = FakeClock()
        partners, spoken = HoldingPartners(clock), HoldingPartners(clock)
        runner, task, _ = await at_speaker_turn(clock, spoken)
        await runner.pause("Ana")
        runner.type_this_turn(partners)  # i, then i again: back to the microphone
        runner.speak_this_turn()
        runner.stop()
        await task
        return spoken.holds

    assert asyncio.run(scenario())[-1] is True, "still held: the session is paused"


def test_a_switch_that_cannot_begin_keeps_the_turn_as_it_was() -> None:
    async def scenario() -> tuple[bool, bool]:
        clock = FakeClock()
        partners = HoldingPartners(clock)
        runner, task, events = await at_speaker_turn(clock, partners)
        runner.switch_listener(DeadMicrophone(clock))
        kept = runner.listener is partners
        runner.stop()
        await task
        return kept, any(isinstance(e, Notice) and "did not work" in e.message for e in events)

    assert asyncio.run(scenario()) == (True, True)


def test_keys_for_a_turn_whose_prompt_has_not_begun_are_not_taken() -> None:
    """The turn before is still being saved: the next turn is not skipped or ended."""

    async def scenario() -> tuple[bool, bool]:
        clock = FakeClock()
        runner = SessionRunner(Engine(listening_exercise(), PEOPLE, clock), clock)
        runner.engine.start()  # opened, but its prompt has not come up in the runner
        return await runner.skip(), await runner.end_turn()

    assert asyncio.run(scenario()) == (False, False)
