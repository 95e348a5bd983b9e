"""Shared test set-up: every test gets its own data and config folders."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the app's data and config folders into the test's own tmp folder."""
    monkeypatch.setenv("GUIDED_TALK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GUIDED_TALK_CONFIG_DIR", str(tmp_path / "config"))
    yield tmp_path
