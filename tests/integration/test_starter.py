"""The session starter's policies, without Textual: a full disk, privacy, typed input, resume.

The SQLite file is real (in a temporary folder) and so is the full disk: the file is
capped with ``PRAGMA max_page_count`` as tests/test_disk_full.py does. Only hardware
is faked: scripted partners stand in for two people at a microphone, and a listener
maker that raises ``AudioDeviceError`` stands in for a machine without one.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from guided_talk.session.clock import FastForwardClock
from guided_talk.session.ports import TurnListener
from guided_talk.session.scripted import ScriptedPartners
from guided_talk.session.starter import SessionRequest, SpeechMakers, start_session
from guided_talk.speech.sources import AudioDeviceError
from guided_talk.speech.typed import TypedListener
from guided_talk.store import Store
from guided_talk.values import Privacy, SessionMode
from tests.support.builders import listening_exercise
from tests.support.disk import fill_disk, fill_to_the_brim

PEOPLE = ("Ana", "Ben")


def partners(clock: FastForwardClock) -> SpeechMakers:
    """Scripted partners in place of a microphone."""
    return SpeechMakers(listener=lambda: ScriptedPartners(clock))


def no_microphone() -> TurnListener:
    raise AudioDeviceError("no capture device was found")


def test_a_full_disk_at_the_start_runs_the_session_in_memory(tmp_path: Path) -> None:
    clock = FastForwardClock()
    with Store.open(tmp_path / "db.sqlite3") as store:
        fill_to_the_brim(store)
        before = len(store.list_sessions(limit=5000))
        started = start_session(
            SessionRequest(listening_exercise(rounds=1), PEOPLE),
            clock,
            store=store,
            speech=partners(clock),
        )
        assert started.session_id is None and started.runner.store is None
        assert len(started.notices) == 1 and "could not be saved" in started.notices[0]
        asyncio.run(started.runner.run())
        fill_disk(store, full=False)
        assert len(store.list_sessions(limit=5000)) == before


def test_keeping_nothing_writes_nothing_to_the_database(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    Store.open(database).close()
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    clock = FastForwardClock()
    with Store.open(database) as store:
        started = start_session(
            SessionRequest(listening_exercise(rounds=1), PEOPLE, privacy=Privacy.NOTHING),
            clock,
            store=store,
            speech=partners(clock),
        )
        assert started.session_id is None and started.runner.store is None
        asyncio.run(started.runner.run())
        assert store.list_sessions() == []
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before


def test_keeping_scores_only_keeps_no_transcripts(tmp_path: Path) -> None:
    clock = FastForwardClock()
    with Store.open(tmp_path / "db.sqlite3") as store:
        started = start_session(
            SessionRequest(listening_exercise(rounds=1), PEOPLE, privacy=Privacy.SCORES),
            clock,
            store=store,
            speech=partners(clock),
        )
        assert started.runner.keep_transcripts is False
        asyncio.run(started.runner.run())
        assert started.session_id is not None
        detail = store.get_session(started.session_id)
    assert detail.settings == {"privacy": "scores"}
    assert detail.turns and all(turn.transcript is None for turn in detail.turns)


def test_no_microphone_means_typed_input(tmp_path: Path) -> None:
    with Store.open(tmp_path / "db.sqlite3") as store:
        started = start_session(
            SessionRequest(listening_exercise(rounds=1), PEOPLE),
            FastForwardClock(),
            store=store,
            speech=SpeechMakers(listener=no_microphone),
        )
    assert started.typed and isinstance(started.runner.listener, TypedListener)
    assert any("type what you would say" in notice for notice in started.notices)


def test_a_workshop_listens_to_no_one(tmp_path: Path) -> None:
    started = start_session(
        SessionRequest(listening_exercise(rounds=1), PEOPLE, mode=SessionMode.WORKSHOP),
        FastForwardClock(),
        speech=SpeechMakers(listener=no_microphone),
    )
    assert started.runner.listener is None and not started.typed and not started.notices


def test_a_resume_carries_on_the_same_session_from_its_turn(tmp_path: Path) -> None:
    exercise = listening_exercise(rounds=1)
    with Store.open(tmp_path / "db.sqlite3") as store:
        session_id = store.create_session(exercise.id, exercise.title, PEOPLE)
        clock = FastForwardClock()
        started = start_session(
            SessionRequest(exercise, PEOPLE, resume_id=session_id, start_index=1),
            clock,
            store=store,
            speech=partners(clock),
        )
        assert started.session_id == session_id
        assert started.runner.engine.index == 1
        asyncio.run(started.runner.run())
        assert [s.id for s in store.list_sessions()] == [session_id]
        detail = store.get_session(session_id)
    assert detail.summary.status == "finished"
    assert [turn.index for turn in detail.turns] == list(range(1, len(detail.turns) + 1))
