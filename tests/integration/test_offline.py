"""Offline by default: a whole session runs with every network connection refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO

pytestmark = pytest.mark.model  # a whole session through Whisper and the sentence model

SUPPORT = REPO / "tests" / "support"
NETGUARD = str(SUPPORT / "netguard")


def test_a_whole_session_runs_with_the_network_blocked(tmp_path: Path) -> None:
    log = tmp_path / "network.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([NETGUARD, os.environ.get("PYTHONPATH", "")]),
        "GUIDED_TALK_NETGUARD_LOG": str(log),
        "HF_HUB_OFFLINE": "",  # nothing may rely on being told to stay offline
    }
    done = subprocess.run(
        [sys.executable, str(SUPPORT / "offline_session.py"), str(tmp_path / "db.sqlite3")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "turns 3" in done.stdout
    assert "tired" in done.stdout.lower()  # speech really went through recognition
    assert "reflection" in done.stdout and "expression" in done.stdout
    assert not log.exists(), log.read_text()


def test_the_guard_itself_catches_a_connection(tmp_path: Path) -> None:
    log = tmp_path / "network.log"
    env = {**os.environ, "PYTHONPATH": NETGUARD, "GUIDED_TALK_NETGUARD_LOG": str(log)}
    code = (
        "import socket\n"
        "try:\n    socket.create_connection(('127.0.0.1', 9), 1)\nexcept OSError:\n    pass"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert "tried to connect" in log.read_text()
