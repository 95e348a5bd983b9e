"""The session store on a real SQLite file: privacy, durability, resume, lookup."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guided_talk.feedback.findings import (
    ExpressionFindings,
    IdeaUnit,
    Kept,
    ReflectionFindings,
    TurnFindings,
)
from guided_talk.store import SessionDetail, Store, StoreError, TurnRecord
from guided_talk.store.codec import Codec
from guided_talk.values import SessionMode, SessionStatus

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def make_turn(
    index: int, transcript: str | None = "I felt alone.", **changes: object
) -> TurnRecord:
    """A finished turn; ``changes`` override any field."""
    fields: dict[str, object] = {
        "index": index,
        "round": 0,
        "phase_id": "share",
        "turn_id": "speak",
        "role": "speaker",
        "participant": "Ana",
        "prompt": "Tell Ben about your week.",
        "transcript": transcript,
        "started_at": 1_700_000_000.0 + 60 * index,
        "ended_at": 1_700_000_050.0 + 60 * index,
        "status": "done",
    }
    fields.update(changes)
    return TurnRecord(**fields)  # type: ignore[arg-type]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "guided-talk.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened


@posix_only
def test_new_folder_and_files_are_owner_only(db_path: Path) -> None:
    with Store.open(db_path) as store:
        session_id = store.create_session("listen", "Listening", ["Ana", "Ben"])
        store.record_turn(session_id, make_turn(0))
        assert mode_of(db_path.parent) == 0o700
        for name in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
            assert name.exists(), name
            assert mode_of(name) == 0o600, name


@posix_only
def test_existing_open_folder_and_file_are_made_private(db_path: Path) -> None:
    db_path.parent.mkdir(mode=0o755)
    os.chmod(db_path.parent, 0o755)
    sqlite3.connect(db_path).close()
    os.chmod(db_path, 0o644)
    Store.open(db_path).close()
    assert mode_of(db_path.parent) == 0o700
    assert mode_of(db_path) == 0o600


@posix_only
def test_open_restores_the_umask(db_path: Path) -> None:
    before = os.umask(0o022)
    try:
        Store.open(db_path).close()
        assert os.umask(0o022) == 0o022
    finally:
        os.umask(before)


def test_session_round_trip(store: Store) -> None:
    session_id = store.create_session(
        "listen",
        "Listening",
        ["Ana", "Ben"],
        mode=SessionMode.COUPLE,
        settings={"voice": "en"},
        now=10.0,
    )
    store.record_turn(session_id, make_turn(0, transcript="Ça va, ü 日本"))
    store.record_turn(session_id, make_turn(1, transcript=None, status="not_transcribed"))
    found = ReflectionFindings(units=(IdeaUnit("I was sad", False, 0.1),), coverage=0.5)
    store.add_feedback(session_id, 0, found)
    store.add_rating(session_id, 0, "Ben", 4)

    detail = store.get_session(session_id)

    assert isinstance(detail, SessionDetail)
    assert detail.summary.participants == ("Ana", "Ben")
    assert detail.summary.started_at == 10.0
    assert (detail.summary.turn_count, detail.summary.next_index) == (2, 2)
    assert detail.settings == {"voice": "en"}
    first, second = detail.turns
    assert first.transcript == "Ça va, ü 日本"
    assert first.feedback == TurnFindings(reflection=found)
    assert first.ratings == {"Ben": 4}
    assert (second.transcript, second.status) == (None, "not_transcribed")
    assert not second.feedback


def test_record_turn_is_visible_to_another_connection_at_once(store: Store, db_path: Path) -> None:
    session_id = store.create_session("listen", "Listening", ["Ana", "Ben"])
    store.record_turn(session_id, make_turn(0, transcript="first words"))

    other = sqlite3.connect(db_path)
    try:
        rows = other.execute("SELECT idx, transcript FROM turns").fetchall()
        next_index = other.execute("SELECT next_index FROM sessions").fetchone()[0]
    finally:
        other.close()
    assert [(index, Codec().decode(text)) for index, text in rows] == [(0, "first words")]
    assert next_index == 1


def test_next_index_follows_the_last_recorded_turn(store: Store) -> None:
    session_id = store.create_session("listen", "Listening", ["Ana", "Ben"])
    assert store.get_session(session_id).summary.next_index == 0
    for index in range(3):
        store.record_turn(session_id, make_turn(index))
        assert store.get_session(session_id).summary.next_index == index + 1


def test_unfinished_sessions_lists_active_and_paused_newest_first(store: Store) -> None:
    paused = store.create_session("a", "A", ["Ana"], now=100.0)
    finished = store.create_session("b", "B", ["Ana"], now=200.0)
    active = store.create_session("c", "C", ["Ana"], now=300.0)
    store.set_status(paused, SessionStatus.PAUSED)
    store.set_status(finished, SessionStatus.FINISHED, now=250.0)

    assert [s.id for s in store.unfinished_sessions()] == [active, paused]
    assert store.get_session(finished).summary.ended_at == 250.0
    assert store.get_session(paused).summary.status == "paused"


def test_resuming_a_finished_session_clears_its_end(store: Store) -> None:
    session_id = store.create_session("a", "A", ["Ana"])
    store.set_status(session_id, SessionStatus.FINISHED, now=5.0)
    store.set_status(session_id, SessionStatus.ACTIVE)
    assert store.get_session(session_id).summary.ended_at is None


def test_list_sessions_newest_first_with_limit_and_counts(store: Store) -> None:
    ids = [store.create_session("a", f"A{n}", ["Ana", "Ben"], now=float(n)) for n in range(4)]
    store.record_turn(ids[3], make_turn(0))

    listed = store.list_sessions(limit=3)

    assert [s.id for s in listed] == ids[::-1][:3]
    assert listed[0].turn_count == 1
    assert all(s.participants == ("Ana", "Ben") for s in listed)


def test_bad_values_are_refused(store: Store) -> None:
    session_id = store.create_session("a", "A", ["Ana"])
    with pytest.raises(ValueError, match="turn status"):
        store.record_turn(session_id, make_turn(0, status="lost"))
    with pytest.raises(ValueError, match="session status"):
        store.set_status(session_id, "gone")  # type: ignore[arg-type]  # a bad value on purpose
    store.record_turn(session_id, make_turn(0))
    for value in (0, 6, True, 2.5):
        with pytest.raises(ValueError, match="1 to 5"):
            store.add_rating(session_id, 0, "Ana", value)  # type: ignore[arg-type]
    assert store.get_session(session_id).summary.turn_count == 1


def test_unknown_session_or_turn_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="No session"):
        store.record_turn("0123456789ab", make_turn(0))
    with pytest.raises(StoreError, match="No session"):
        store.set_status("0123456789ab", SessionStatus.PAUSED)
    session_id = store.create_session("a", "A", ["Ana"])
    with pytest.raises(StoreError, match="No turn 99"):
        store.add_feedback(session_id, 99, ReflectionFindings())
    with pytest.raises(StoreError, match="No turn 99"):
        store.add_rating(session_id, 99, "Ana", 3)
    store.record_turn(session_id, make_turn(0))
    store.set_status(session_id, SessionStatus.FINISHED)  # packed: the turn is found there
    store.add_rating(session_id, 0, "Ana", 3)
    with pytest.raises(StoreError, match="No turn 99"):
        store.add_rating(session_id, 99, "Ana", 3)


def test_feedback_and_ratings_replace_earlier_ones(store: Store) -> None:
    session_id = store.create_session("a", "A", ["Ana", "Ben"])
    store.record_turn(session_id, make_turn(0))
    store.add_feedback(session_id, 0, ReflectionFindings(coverage=0.1, kept=Kept.MEASURES))
    store.add_feedback(session_id, 0, ReflectionFindings(coverage=0.9, kept=Kept.MEASURES))
    store.add_feedback(session_id, 0, ExpressionFindings(words=2))
    store.add_rating(session_id, 0, "Ben", 2)
    store.add_rating(session_id, 0, "Ben", 5)

    (turn,) = store.get_session(session_id).turns

    assert turn.feedback == TurnFindings(
        ReflectionFindings(coverage=0.9, kept=Kept.MEASURES), ExpressionFindings(words=2)
    )
    assert turn.ratings == {"Ben": 5}


def test_prefix_lookup(store: Store) -> None:
    session_id = store.create_session("a", "A", ["Ana"])
    assert store.get_session(session_id[:4]).summary.id == session_id
    assert store.get_session(f" {session_id[:6].upper()} ").summary.id == session_id


def test_prefix_too_short_or_unknown(store: Store) -> None:
    session_id = store.create_session("a", "A", ["Ana"])
    with pytest.raises(StoreError, match="at least 4 characters"):
        store.get_session(session_id[:3])
    with pytest.raises(StoreError, match="No session id starts with 'zzzz'"):
        store.get_session("zzzz")


def test_ambiguous_prefix_names_the_candidates(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = iter(["abcd00000001", "abcd00000002"])
    monkeypatch.setattr("guided_talk.store.db.secrets.token_hex", lambda _n: next(ids))
    store.create_session("a", "A", ["Ana"])
    store.create_session("a", "A", ["Ana"])

    with pytest.raises(StoreError, match="more than one session") as raised:
        store.get_session("abcd")
    assert "abcd00000001" in str(raised.value)
    assert "abcd00000002" in str(raised.value)
    assert store.get_session("abcd00000002").summary.id == "abcd00000002"


def test_store_can_be_used_from_another_thread(store: Store) -> None:
    session_id = store.create_session("a", "A", ["Ana"])
    errors: list[BaseException] = []

    def record() -> None:
        try:
            store.record_turn(session_id, make_turn(0))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    worker = threading.Thread(target=record)
    worker.start()
    worker.join()
    assert errors == []
    assert store.get_session(session_id).summary.turn_count == 1


def test_data_survives_reopening(db_path: Path) -> None:
    with Store.open(db_path) as store:
        session_id = store.create_session("a", "A", ["Ana"])
        store.record_turn(session_id, make_turn(0, transcript="kept"))
    with Store.open(db_path) as store:
        assert store.get_session(session_id).turns[0].transcript == "kept"


@settings(max_examples=40, deadline=None)
@given(
    prompt=st.text(),
    transcript=st.none() | st.text(),
    participant=st.text(max_size=30),
    said=st.text(),
)
def test_any_text_round_trips(
    prompt: str, transcript: str | None, participant: str, said: str
) -> None:
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "db") as store:
        session_id = store.create_session("a", "A", [participant])
        turn = make_turn(0, transcript=transcript, prompt=prompt, participant=participant)
        store.record_turn(session_id, turn)
        found = ExpressionFindings(words=1, tips=(said,), rewrite=said)
        store.add_feedback(session_id, 0, found)
        detail = store.get_session(session_id)
    (stored,) = detail.turns
    assert (stored.prompt, stored.transcript, stored.participant) == (
        prompt,
        transcript,
        participant,
    )
    assert stored.feedback == TurnFindings(expression=found)
    assert detail.summary.participants == (participant,)


def test_a_shared_folder_keeps_its_permissions(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    Store.open(shared / "db.sqlite3").close()
    assert shared.stat().st_mode & 0o7777 == 0o1777
    assert (shared / "db.sqlite3").stat().st_mode & 0o777 == 0o600


def count_rows(db_path: Path, table: str) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_finishing_packs_the_turns_into_one_value(store: Store, db_path: Path) -> None:
    session_id = store.create_session("a", "A", ["Ana", "Ben"])
    for index in range(3):
        paused = 12.5 * index  # how long a pause held the turn
        turn = make_turn(index, transcript=f"words {index}", paused_seconds=paused)
        store.record_turn(session_id, turn)
        found = ReflectionFindings(coverage=index / 4, kept=Kept.MEASURES)
        store.add_feedback(session_id, index, found)
    store.add_rating(session_id, 2, "Ben", 4)
    before = store.get_session(session_id)

    store.set_status(session_id, SessionStatus.FINISHED, now=2e9)

    after = store.get_session(session_id)
    assert after.turns == before.turns
    assert [t.paused_seconds for t in after.turns] == [0.0, 12.5, 25.0]
    assert (after.summary.turn_count, after.summary.status) == (3, "finished")
    assert [count_rows(db_path, t) for t in ("turns", "feedback", "ratings")] == [0, 0, 0]
    assert count_rows(db_path, "archives") == 1


def test_a_packed_session_takes_late_ratings_findings_and_turns(store: Store) -> None:
    session_id = store.create_session("a", "A", ["Ana", "Ben"])
    store.record_turn(session_id, make_turn(0))
    store.record_turn(session_id, make_turn(1))
    store.set_status(session_id, SessionStatus.FINISHED)

    store.add_rating(session_id, 1, "Ana", 5)  # rated after the last turn ended
    store.add_feedback(session_id, 0, ExpressionFindings(words=3))
    store.set_status(session_id, SessionStatus.ACTIVE)  # carried on after all
    store.record_turn(session_id, make_turn(2))
    assert [t.index for t in store.get_session(session_id).turns] == [0, 1, 2]
    store.set_status(session_id, SessionStatus.FINISHED)

    detail = store.get_session(session_id)
    assert [t.index for t in detail.turns] == [0, 1, 2]
    assert detail.summary.turn_count == 3
    assert detail.turns[1].ratings == {"Ana": 5}
    assert detail.turns[0].feedback == TurnFindings(expression=ExpressionFindings(words=3))
