"""Forgetting a session leaves no byte of its words in the database files."""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

import pytest

from guided_talk.store import Store, StoreError
from guided_talk.values import SessionStatus
from tests.support.builders import make_turn, quoting
from tests.support.disk import files_hold


def unique_sentence() -> bytes:
    return f"The heron by the lake remembers {secrets.token_hex(8)}.".encode()


def add_session(store: Store, sentence: bytes, turns: int = 3) -> str:
    """A session whose transcripts, feedback and participant hold ``sentence``."""
    text = sentence.decode()
    session_id = store.create_session("listen", "Listening", ["Ana", text])
    for index in range(turns):
        store.record_turn(session_id, make_turn(index, f"{text} ({index})"))
        store.add_feedback(session_id, index, quoting(text))
        store.add_rating(session_id, index, text, 4)
    return session_id


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "guided-talk.sqlite3"


def test_forget_scrubs_the_session_and_keeps_the_others(db_path: Path) -> None:
    forgotten, kept = unique_sentence(), unique_sentence()
    with Store.open(db_path) as store:
        session_id = add_session(store, forgotten)
        kept_id = add_session(store, kept)
        assert files_hold(db_path, forgotten)

        assert store.forget(session_id[:5]) == session_id

        assert not files_hold(db_path, forgotten)
        with pytest.raises(StoreError, match="No session"):
            store.get_session(session_id)
        assert [s.id for s in store.list_sessions()] == [kept_id]
        assert len(store.get_session(kept_id).turns) == 3
    assert not files_hold(db_path, forgotten)
    assert files_hold(db_path, kept)


def test_forget_all_scrubs_every_session(db_path: Path) -> None:
    sentences = [unique_sentence() for _ in range(3)]
    with Store.open(db_path) as store:
        for sentence in sentences:
            add_session(store, sentence)
        assert all(files_hold(db_path, sentence) for sentence in sentences)

        assert store.forget_all() == 3

        assert store.list_sessions() == []
        assert not any(files_hold(db_path, sentence) for sentence in sentences)
    assert not any(files_hold(db_path, sentence) for sentence in sentences)


def test_forgotten_text_stays_gone_after_reopening_and_writing(db_path: Path) -> None:
    sentence = unique_sentence()
    with Store.open(db_path) as store:
        store.forget(add_session(store, sentence, turns=20))
    with Store.open(db_path) as store:
        add_session(store, unique_sentence())
    assert not files_hold(db_path, sentence)


def test_forget_unknown_session_deletes_nothing(db_path: Path) -> None:
    with Store.open(db_path) as store:
        session_id = add_session(store, unique_sentence())
        with pytest.raises(StoreError, match="No session id starts with"):
            store.forget("ffff0000")
        with pytest.raises(StoreError, match="at least 4"):
            store.forget("")
        assert [s.id for s in store.list_sessions()] == [session_id]


def test_forgetting_a_finished_session_scrubs_its_packed_value(db_path: Path) -> None:
    with Store.open(db_path) as store:
        session_id = add_session(store, unique_sentence())
        store.set_status(session_id, SessionStatus.FINISHED)
        with sqlite3.connect(db_path) as conn:
            (packed,) = conn.execute("SELECT body FROM archives").fetchone()
        assert files_hold(db_path, packed[2:80])

        store.forget(session_id)

        assert not files_hold(db_path, packed[2:80])
    assert not files_hold(db_path, packed[2:80])
