"""The log: every broad catch leaves a traceback there, and nothing anyone said.

Each test writes the real log file in its own data folder (conftest points
GUIDED_TALK_DATA_DIR at the test's tmp folder). The failing engines, readers and
analysers are stand-ins for faults a test machine cannot produce on demand.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guided_talk.feedback import minilm, semantic
from guided_talk.logs import close_logging, configure_logging
from guided_talk.paths import log_path
from guided_talk.session.clock import FastForwardClock
from guided_talk.session.engine import Engine
from guided_talk.session.plan import PlannedTurn
from guided_talk.session.runner import SessionRunner
from guided_talk.session.scripted import ScriptedPartners
from guided_talk.store import Store
from tests.support.builders import listening_exercise
from tests.support.paths import REPO

pytestmark = pytest.mark.model  # loads, and damages, the sentence model

#: Words and names no code or message of the project contains.
SAID = "zanzibarquux"
NAMES = ("Orlandine", "Thessaly")
DAMAGED = "the weights file is cut short"


@pytest.fixture
def log() -> Iterator[Path]:
    """The app's log file, set up as at start-up, and closed after the test."""
    path = configure_logging()
    yield path
    close_logging()


def test_a_failed_model_load_is_logged_with_its_traceback(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def damaged(folder: Path) -> Any:
        raise ValueError(DAMAGED)  # the message is not on this line, to be sure

    monkeypatch.setattr(minilm, "model_folder", lambda: tmp_path)
    monkeypatch.setattr(minilm, "load_minilm", damaged)
    semantic._load_encoder.cache_clear()
    try:
        assert semantic.load_encoder() is None, "feedback goes on with word overlap"
    finally:
        semantic._load_encoder.cache_clear()
    written = log.read_text(encoding="utf-8")
    assert "WARNING guided_talk.feedback.semantic: The sentence model" in written
    assert "Traceback (most recent call last)" in written
    assert "in _load_encoder" in written and "in damaged" in written
    assert "ValueError" in written and "cut short" not in written, "the message is left out"
    assert log.stat().st_mode & 0o777 == 0o600


class SaysThenFails(ScriptedPartners):
    """Partners whose first turn is heard and whose next turn's recognition fails."""

    def __init__(self, clock: FastForwardClock) -> None:
        super().__init__(clock)
        self.turns = 0

    async def finish(self, turn: PlannedTurn, status: str) -> str | None:
        self.turns += 1
        if self.turns > 1:
            raise RuntimeError(f"lost the end of '{SAID} again'")
        return f"I said {SAID} to {NAMES[1]} twice"


def failing_analyzer(turn: PlannedTurn, transcript: str, reflected: str | None, **_: Any) -> Any:
    raise ValueError(f"no idea units in {transcript!r}")


def test_no_words_or_names_reach_the_log_when_a_session_fails(log: Path, tmp_path: Path) -> None:
    clock = FastForwardClock()
    exercise = listening_exercise(rounds=1)
    store = Store.open(tmp_path / "db.sqlite3")
    session_id = store.create_session(exercise.id, exercise.title, NAMES)
    runner = SessionRunner(
        Engine(exercise, NAMES, clock),
        clock,
        store=store,
        session_id=session_id,
        listener=SaysThenFails(clock),
        analyzer=failing_analyzer,
    )
    asyncio.run(runner.run())
    store.close()
    written = log.read_text(encoding="utf-8")
    for what in ("could not be transcribed", "could not be worked out"):
        assert what in written, f"the log says what failed: {what}"
    assert written.count("Traceback (most recent call last)") >= 2
    assert SAID not in written
    assert not any(name in written for name in NAMES)


CRASHING_APP = """
import sys
sys.path.insert(0, {root!r})
from tests.support.tui_harness import test_services
from guided_talk.logs import configure_logging
from pathlib import Path
from guided_talk.tui import app as app_module
from guided_talk.tui.app import GuidedTalkApp
from guided_talk.tui.run import stderr_to_log


class Crashing(GuidedTalkApp):
    CSS_PATH = str(Path(app_module.__file__).parent / GuidedTalkApp.CSS_PATH)

    def on_mount(self) -> None:
        partner_said = "{said}"
        raise RuntimeError(f"stopped at {{partner_said[:0]}}")


app = Crashing(test_services({database!r})[0])
with stderr_to_log(configure_logging()):
    app.run(headless=True)
print(app.return_code)
"""


def test_the_crash_dump_in_the_log_holds_no_frame_locals(tmp_path: Path) -> None:
    script = CRASHING_APP.format(
        root=str(REPO), said=SAID, database=str(tmp_path / "db.sqlite3")
    )
    child = tmp_path / "crashing_app.py"  # Textual wants an app class to have a file
    child.write_text(script, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(child)],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
        check=False,
    )
    assert done.stdout.strip() == "1", done.stderr
    written = log_path().read_text(encoding="utf-8")
    assert "CRITICAL guided_talk.tui.app: The app stopped on an unexpected error" in written
    assert "Traceback (most recent call last)" in written and "in on_mount" in written
    assert SAID not in written, "no frame's locals are in the log"
    assert "Traceback" not in done.stderr
