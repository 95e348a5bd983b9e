"""Exports: a readable Markdown report, a stable JSON document, written safely."""

from __future__ import annotations

import json
import os
import stat
import sys
from datetime import datetime
from pathlib import Path

import pytest

from guided_talk.feedback.findings import Kept, ReflectionFindings
from guided_talk.store import (
    SessionDetail,
    Store,
    StoreError,
    TurnRecord,
    session_to_json,
    session_to_markdown,
    write_export,
)
from guided_talk.values import ListenerStyle, SessionStatus
from tests.support.sessions import seed
from tests.support.tui_harness import app_with

STARTED = 1_714_760_000.0  # early May 2024

#: A reflect-back as the store keeps it when the words are kept: its measures.
MEASURED = ReflectionFindings(
    coverage=0.83333, response_type="reflection", listener_style=ListenerStyle.MIRROR
).at_rest(keep_words=True)
assert MEASURED.kept == Kept.MEASURES


def make_turn(index: int, **changes: object) -> TurnRecord:
    fields: dict[str, object] = {
        "index": index,
        "round": 0,
        "phase_id": "share",
        "turn_id": "speak",
        "role": "speaker",
        "participant": "Ana",
        "prompt": "Tell Ben about your week.",
        "transcript": "I felt alone on Tuesday.",
        "started_at": STARTED + 10,
        "ended_at": STARTED + 100,
        "status": "done",
    }
    fields.update(changes)
    return TurnRecord(**fields)  # type: ignore[arg-type]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "guided-talk.sqlite3"


@pytest.fixture
def detail(db_path: Path) -> SessionDetail:
    with Store.open(db_path) as store:
        session_id = store.create_session(
            "listen", "Being Heard", ["Ana", "Bén"], settings={"voice": "en", "a": 1}, now=STARTED
        )
        store.record_turn(session_id, make_turn(0))
        store.add_feedback(session_id, 0, MEASURED)
        store.add_rating(session_id, 0, "Bén", 4)
        store.record_turn(
            session_id,
            make_turn(1, participant="Bén", role="listener", transcript=None, prompt="Reflect."),
        )
        store.record_turn(
            session_id, make_turn(2, participant="", transcript=None, status="not_transcribed")
        )
        store.set_status(session_id, SessionStatus.FINISHED, now=STARTED + 1800)
        return store.get_session(session_id)


def test_markdown_report(detail: SessionDetail) -> None:
    text = session_to_markdown(detail)
    start = datetime.fromtimestamp(STARTED)

    assert text.startswith("# Being Heard\n")
    assert f"{start:%A} {start.day} {start:%B %Y, %H:%M}" in text
    assert "**Who:** Ana, Bén" in text
    assert "## 1. share / speak" in text
    assert "**Ana** (speaker, 1 min 30 s)" in text
    assert "> Tell Ben about your week." in text
    assert "I felt alone on Tuesday." in text
    assert "Felt heard: Bén 4/5" in text
    assert "Feedback (reflection):\n- coverage: 0.833\n- listener_style: mirror" in text
    assert "*(not kept)*" in text
    assert "**Everyone** (speaker, 1 min 30 s, not transcribed)" in text
    assert "*(not transcribed)*" in text
    assert text.index("## 1.") < text.index("## 2.") < text.index("## 3.")


def test_json_document(detail: SessionDetail) -> None:
    text = session_to_json(detail)
    document = json.loads(text)

    assert list(document) == ["format", "version", "session", "settings", "turns"]
    assert (document["format"], document["version"]) == ("guided-talk/session", 1)
    assert document["session"]["id"] == detail.summary.id
    assert document["session"]["participants"] == ["Ana", "Bén"]
    assert list(document["settings"]) == ["a", "voice"]
    first = document["turns"][0]
    assert "row_id" not in first
    assert first["transcript"] == "I felt alone on Tuesday."
    assert first["feedback"] == {"reflection": MEASURED.to_stored()}
    assert first["ratings"] == {"Bén": 4}
    assert [turn["index"] for turn in document["turns"]] == [0, 1, 2]
    assert "Bén" in text  # not escaped
    assert text.endswith("}\n")
    assert session_to_json(detail) == text


@pytest.mark.parametrize(("fmt", "head"), [("md", "# Being Heard"), ("json", "{")])
def test_write_export_is_private(
    detail: SessionDetail, db_path: Path, tmp_path: Path, fmt: str, head: str
) -> None:
    target = tmp_path / f"report.{fmt}"
    target.write_text("old contents")

    written = write_export(detail, fmt, target, db_path)

    assert written == target
    assert target.read_text(encoding="utf-8").startswith(head)
    if sys.platform != "win32":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", f"report.{fmt}"]


def test_write_export_into_a_folder_uses_a_default_name(
    detail: SessionDetail, db_path: Path, tmp_path: Path
) -> None:
    written = write_export(detail, "json", tmp_path, db_path)
    day = datetime.fromtimestamp(STARTED).strftime("%Y-%m-%d")
    assert written == tmp_path / f"guided-talk-{day}-{detail.summary.id}.json"
    assert json.loads(written.read_text(encoding="utf-8"))["format"] == "guided-talk/session"


def test_write_export_refuses_the_database(detail: SessionDetail, db_path: Path) -> None:
    before = db_path.read_bytes()
    os.symlink(db_path, db_path.parent / "link.md")
    for target in (
        db_path,
        Path(f"{db_path}-wal"),
        Path(f"{db_path}-shm"),
        db_path.parent / ".." / "data" / db_path.name,
        db_path.parent / "link.md",
    ):
        with pytest.raises(StoreError, match="session database"):
            write_export(detail, "md", target, db_path)
    assert db_path.read_bytes() == before
    with Store.open(db_path) as store:
        assert store.get_session(detail.summary.id).summary.turn_count == 3


def test_write_export_refuses_a_hard_link_to_the_database(
    detail: SessionDetail, db_path: Path, tmp_path: Path
) -> None:
    alias = tmp_path / "alias.json"
    os.link(db_path, alias)
    with pytest.raises(StoreError, match="session database"):
        write_export(detail, "json", alias, db_path)


def test_write_export_errors(detail: SessionDetail, db_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        write_export(detail, "pdf", tmp_path / "x.pdf", db_path)
    with pytest.raises(StoreError, match="Could not write the export"):
        write_export(detail, "md", tmp_path / "missing" / "x.md", db_path)


async def test_history_exports_the_highlighted_session_with_its_feedback_in_full(
    tmp_path: Path,
) -> None:
    database = tmp_path / "db.sqlite3"
    seed(database)  # two finished sessions, stored as the runner stores them
    app, _ = app_with(database)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Exported to" in str(n.message) for n in app._notifications)
    (report,) = tmp_path.glob("guided-talk-*.md")
    text = report.read_text(encoding="utf-8")
    assert "units:" in text and "listener_words" in text  # worked out again from the words
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
