"""Shared test set-up: every test gets its own data and config folders, and its marks.

Marks (registered in pyproject.toml) are given by folder and by fixture here, and
by ``pytestmark`` or a decorator in the files that need one beyond these:

- everything under tests/tui is ``tui``; everything under tests/integration is
  ``slow`` (processes, servers, models, whole sessions);
- a test using ``virtual_audio`` is ``audio`` and ``slow``, one using ``whisper``
  is ``model``, one using ``whisper_batch`` is ``model`` and ``slow``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# scripts/ holds programs run as files (``python3 scripts/bench_load.py``), not a
# package. A few tests reuse them (``virtual_audio``, ``bench_load``,
# ``bench_feedback``), so this folder, and only this one, goes on the import path.
# Everything under tests/ is a package and is imported as ``tests.support...``.
sys.path.insert(0, str(Path(__file__).parent.parent / "scripts"))


TESTS = Path(__file__).parent
#: Marks for every test in a folder directly under tests/.
FOLDER_MARKS: dict[str, tuple[str, ...]] = {"tui": ("tui",), "integration": ("slow",)}
#: Marks for every test that uses a fixture.
FIXTURE_MARKS: dict[str, tuple[str, ...]] = {
    "virtual_audio": ("audio", "slow"),
    "whisper": ("model",),
    "whisper_batch": ("model", "slow"),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the folder it sits in and the fixtures it uses."""
    for item in items:
        names: set[str] = set()
        if item.path.is_relative_to(TESTS):
            names.update(FOLDER_MARKS.get(item.path.relative_to(TESTS).parts[0], ()))
        for fixture in getattr(item, "fixturenames", ()):
            names.update(FIXTURE_MARKS.get(fixture, ()))
        for name in sorted(names - {mark.name for mark in item.iter_markers()}):
            item.add_marker(name)


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the app's data and config folders into the test's own tmp folder."""
    monkeypatch.setenv("GUIDED_TALK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GUIDED_TALK_CONFIG_DIR", str(tmp_path / "config"))
    yield tmp_path


@pytest.fixture(scope="session")
def virtual_audio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A private PulseAudio server with a virtual microphone (skips where absent)."""
    from virtual_audio import start_virtual_audio

    audio = start_virtual_audio(tmp_path_factory.mktemp("pulse"))
    if audio is None:
        pytest.skip("PulseAudio is not installed here (.ci/run installs it)")
    previous = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = audio.server
    yield audio
    audio.stop()
    if previous is None:
        os.environ.pop("PULSE_SERVER", None)
    else:
        os.environ["PULSE_SERVER"] = previous


@pytest.fixture(scope="session")
def whisper() -> object:
    """The default recogniser, loaded once for the whole test run."""
    from guided_talk.speech.recognizers import make_recognizer

    recognizer = make_recognizer("whisper")
    recognizer.load()
    return recognizer
