"""The speech process's scratch folder (in RAM) goes when the app is killed, too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support.paths import REPO

CHILD = """
import sys
from guided_talk.speech.tts import Synthesizer
synth = Synthesizer()
synth.synthesize("A short prompt.")
print(synth._scratch, flush=True)
sys.stdin.read()  # wait here to be killed
"""


def test_a_killed_app_leaves_no_scratch_folder_behind() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert child.stdout is not None
    scratch = Path(child.stdout.readline().strip())
    assert scratch.is_dir()
    os.kill(child.pid, signal.SIGKILL)  # no cleanup code of the app's can run
    child.wait(timeout=10)
    deadline = time.monotonic() + 10
    while scratch.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not scratch.exists()
