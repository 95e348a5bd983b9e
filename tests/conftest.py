"""Shared test set-up: every test gets its own data and config folders."""

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
