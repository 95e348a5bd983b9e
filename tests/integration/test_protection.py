"""Passphrase protection: what people said is sealed at rest, and the passphrase is
never stored."""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import time
import zlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from textual.app import App
from textual.pilot import Pilot

from guided_talk.cli.main import main
from guided_talk.paths import database_path
from guided_talk.store import Locked, Store, StoreError, codec
from guided_talk.store.codec import (
    PLAIN_TAG,
    SEALED_TAG,
    Codec,
    key_from_passphrase,
    new_salt,
)
from guided_talk.tui.screens.passphrase import PassphraseScreen
from guided_talk.tui.screens.settings import SettingsScreen
from guided_talk.values import SessionStatus
from tests.support.builders import make_turn, quoting
from tests.support.disk import files_hold
from tests.support.tui_harness import app_with, screen_text

ZDICT_1_SHA256 = "4c6f26cc270969d07ae1bcd531cb6ec526a3267ffd73d93ab8f20b9b6944142d"
PASSPHRASE = "blue kettle at dawn"


def test_the_codec_round_trips_and_refuses_the_wrong_key() -> None:
    text = "Ça va? I felt unheard 日本 😢"
    plain, sealed = Codec(), Codec(key_from_passphrase(PASSPHRASE, new_salt()))
    assert plain.decode(plain.encode(text)) == text
    assert sealed.decode(sealed.encode(text)) == text
    assert plain.decode("written before compression") == "written before compression"
    assert plain.decode(None) is None and sealed.encode(None) is None
    with pytest.raises(Locked):
        plain.decode(sealed.encode(text))
    with pytest.raises(Locked):
        Codec(key_from_passphrase(PASSPHRASE, new_salt())).decode(sealed.encode(text))
    assert sealed.encode(text) != sealed.encode(text), "a fresh nonce every time"


def secret_session(store: Store) -> tuple[str, str]:
    words = f"the lighthouse keeper's secret {secrets.token_hex(6)}"
    session_id = store.create_session("listen", "Listening", ["Ana", "Ben"])
    store.record_turn(session_id, make_turn(0, words))
    store.add_feedback(session_id, 0, quoting(words))
    return session_id, words


def traces(db_path: Path, words: str) -> bool:
    """The words in the files, as plain text or in the compressed form."""
    compressed = (Codec().encode(words) or b"")[2:]
    return files_hold(db_path, words.encode()) or files_hold(db_path, compressed)


def test_protecting_seals_old_and_new_words_and_scrubs_the_plain_ones(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "guided-talk.sqlite3"
    with Store.open(db_path) as store:
        first, old_words = secret_session(store)
        assert traces(db_path, old_words)
        store.protect(PASSPHRASE)
        assert store.protected
        second, new_words = secret_session(store)
    assert not traces(db_path, old_words) and not traces(db_path, new_words)
    assert not files_hold(db_path, PASSPHRASE.encode()), "the passphrase is never stored"

    with pytest.raises(Locked, match="protected by a passphrase"):
        Store.open(db_path)
    with pytest.raises(Locked, match="does not open"):
        Store.open(db_path, "blue kettle at dusk")
    with Store.open(db_path, PASSPHRASE) as store:
        assert store.get_session(first).turns[0].transcript == f"{old_words}"
        assert store.get_session(second).turns[0].feedback.reflection == quoting(new_words)
        store.protect(None)
    with Store.open(db_path) as store:
        assert not store.protected
        assert store.get_session(first).turns[0].transcript == old_words


def test_changing_the_passphrase_locks_out_the_old_one(tmp_path: Path) -> None:
    db_path = tmp_path / "guided-talk.sqlite3"
    with Store.open(db_path) as store:
        session_id, words = secret_session(store)
        store.protect(PASSPHRASE)
        store.protect("a new one")
    with pytest.raises(Locked):
        Store.open(db_path, PASSPHRASE)
    with Store.open(db_path, "a new one") as store:
        assert store.get_session(session_id).turns[0].transcript == words


def test_rows_from_before_compression_still_read(tmp_path: Path) -> None:
    db_path = tmp_path / "guided-talk.sqlite3"
    with Store.open(db_path) as store:
        session_id, _ = secret_session(store)
    with sqlite3.connect(db_path) as conn:  # as an older version wrote them
        conn.execute("UPDATE turns SET transcript = 'plain old words'")
        conn.execute("""UPDATE feedback SET data_json = '{"notes": ["plain"], "units": []}'""")
    with Store.open(db_path) as store:
        turn = store.get_session(session_id).turns[0]
        store.protect(PASSPHRASE)
    assert turn.transcript == "plain old words"
    assert turn.feedback.reflection is not None and turn.feedback.reflection.notes == ("plain",)
    assert not files_hold(db_path, b"plain old words")


def test_the_cli_asks_for_the_passphrase_and_never_shows_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(database_path()) as store:
        session_id, words = secret_session(store)
        store.protect(PASSPHRASE)
    code = main(["export", session_id])
    out, err = capsys.readouterr()
    assert code == 1 and "protected by a passphrase" in err and "GUIDED_TALK_PASSPHRASE" in err
    assert words not in out and "Traceback" not in err

    monkeypatch.setenv("GUIDED_TALK_PASSPHRASE", "not it")
    assert main(["history"]) == 1
    assert "does not open" in capsys.readouterr().err

    monkeypatch.setenv("GUIDED_TALK_PASSPHRASE", PASSPHRASE)
    assert main(["export", session_id]) == 0
    assert words in capsys.readouterr().out
    assert main(["protect", "--remove"]) == 0
    monkeypatch.delenv("GUIDED_TALK_PASSPHRASE")
    assert main(["export", session_id]) == 0
    assert words in capsys.readouterr().out


async def settle(app: App[None], pilot: Pilot[None]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_app_unlocks_with_the_passphrase_and_can_set_a_new_one(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "guided-talk.sqlite3"
    with Store.open(db_path) as store:
        session_id, words = secret_session(store)
        store.protect(PASSPHRASE)
    app, _ = app_with(db_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PassphraseScreen) and app.store is None
        await pilot.press(*"wrong guess", "enter")
        await settle(app, pilot)  # the passphrase is checked in a thread
        assert "does not open" in screen_text(app) and app.store is None
        await pilot.press(*PASSPHRASE, "enter")
        await settle(app, pilot)
        assert app.store is not None and not isinstance(app.screen, PassphraseScreen)
        assert app.store.get_session(session_id).turns[0].transcript == words

        await app.push_screen(SettingsScreen())  # settings: change the passphrase
        await pilot.pause()
        assert "on: what was said is sealed" in screen_text(app)
        app.screen.query_one("#protect").press()
        await pilot.pause()
        await pilot.press(*"new words", "enter", *"new words", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    with pytest.raises(Locked):
        Store.open(db_path, PASSPHRASE)
    with Store.open(db_path, "new words") as store:
        assert store.get_session(session_id).turns[0].transcript == words


def test_finished_sessions_are_sealed_too(tmp_path: Path) -> None:
    db_path = tmp_path / "guided-talk.sqlite3"
    with Store.open(db_path) as store:
        session_id, words = secret_session(store)
        store.set_status(session_id, SessionStatus.FINISHED)
        with sqlite3.connect(db_path) as conn:
            (plain,) = conn.execute("SELECT body FROM archives").fetchone()
        store.protect(PASSPHRASE)
    with sqlite3.connect(db_path) as conn:
        (sealed,) = conn.execute("SELECT body FROM archives").fetchone()
    assert plain[:2] == PLAIN_TAG and sealed[:2] == SEALED_TAG
    assert not files_hold(db_path, plain[2:80])
    with Store.open(db_path, PASSPHRASE) as store:
        assert store.get_session(session_id).turns[0].transcript == words


def test_values_in_every_earlier_form_still_read() -> None:
    """z1 (zlib) and e1 (zlib, sealed) came before the preset dictionary."""
    text = "We agreed on Sundays for the long walk."
    key = key_from_passphrase(PASSPHRASE, new_salt())
    nonce = os.urandom(12)
    older = {
        b"z1" + zlib.compress(text.encode()),
        b"e1" + nonce + AESGCM(key).encrypt(nonce, zlib.compress(text.encode()), None),
    }
    for stored in older:
        assert Codec(key).decode(stored) == text
    assert Codec(key).decode(text) == text  # plain text, from before compression


def test_damaged_values_are_a_store_error_not_a_crash() -> None:
    stored = Codec().encode("The kettle, the list, the dog's walk.") or b""
    for damaged in (stored[:-3], stored[:2] + b"\x00" + stored[3:], b"q9" + stored[2:]):
        with pytest.raises(StoreError, match="damaged"):
            Codec().decode(damaged)


def test_the_compression_dictionary_is_frozen() -> None:
    """Stored values depend on its exact bytes; a new dictionary needs a new tag."""
    path = Path(codec.__file__).parent / "zdict-1.txt"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == ZDICT_1_SHA256


async def test_escape_waits_while_a_passphrase_is_being_tried(tmp_path: Path) -> None:
    """The attempt may already have unlocked the sessions: it must not be cut off."""
    tried: list[str] = []

    def slow_attempt(text: str) -> str | None:
        time.sleep(0.3)  # as long as a slow key derivation
        tried.append(text)
        return None

    results: list[bool | None] = []
    app, _ = app_with(tmp_path / "db.sqlite3")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await app.push_screen(PassphraseScreen("Passphrase?", slow_attempt), results.append)
        await pilot.press(*"kettle", "enter", "escape", "enter")
        await settle(app, pilot)
    assert tried == ["kettle"] and results == [True]
