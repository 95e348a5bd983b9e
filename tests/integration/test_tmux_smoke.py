"""Run ``guided-talk`` in tmux as a person would: keys in, screen read back."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def tmux(*args: str) -> str:
    done = subprocess.run(["tmux", *args], capture_output=True, text=True, check=False)
    return done.stdout


def wait_for(session: str, text: str, seconds: float = 30) -> str:
    """Poll the pane until ``text`` shows (or fail with what is on screen)."""
    deadline = time.monotonic() + seconds
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.3)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def test_start_an_exercise_and_quit_cleanly(tmp_path: Path) -> None:
    session = f"gt-smoke-{time.monotonic_ns()}"
    env = (
        f"GUIDED_TALK_DATA_DIR={tmp_path / 'data'} GUIDED_TALK_CONFIG_DIR={tmp_path / 'cfg'} "
        "PULSE_SERVER=unix:/nonexistent TERM=xterm-256color"
    )
    command = f"env {env} {shlex.quote(sys.executable)} -m guided_talk; echo EXITED $?; sleep 30"
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    try:
        wait_for(session, "Couple session")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Exercises for two")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "Set up:")
        tmux("send-keys", "-t", session, "Enter")
        screen = wait_for(session, "Partner A  (")
        assert "Practice, not therapy" in screen
        tmux("send-keys", "-t", session, "p")
        wait_for(session, "Paused")
        tmux("send-keys", "-t", session, "q")
        wait_for(session, "Continue:")
        tmux("send-keys", "-t", session, "C-q")
        screen = wait_for(session, "EXITED")
        assert "EXITED 0" in screen and "Traceback" not in screen
    finally:
        tmux("kill-session", "-t", session)
