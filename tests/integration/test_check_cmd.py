"""``guided-talk check`` through the real audio stack, and on a machine with none."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from virtual_audio import VirtualAudio

from guided_talk.cli.main import main
from guided_talk.speech.audio import AudioClip
from guided_talk.speech.scoring import normalise
from guided_talk.speech.tts import Synthesizer

pytestmark = [pytest.mark.model, pytest.mark.audio]  # Whisper listens through PulseAudio


def test_check_plays_records_and_recognises(
    virtual_audio: VirtualAudio, capsys: pytest.CaptureFixture[str]
) -> None:
    synth = Synthesizer()
    words = synth.synthesize("Testing one two three.")
    synth.close()

    def speak_when_recording() -> None:
        time.sleep(6)  # after the test phrase has played
        virtual_audio.speak(AudioClip.silence(0.3) + words + AudioClip.silence(3.0))

    speaker = threading.Thread(target=speak_when_recording)
    speaker.start()
    code = main(["check"])
    speaker.join()
    out = capsys.readouterr().out
    assert code == 0, out
    assert "[ok]  Whisper model 'tiny.en' found" in out
    assert "[ok]  played the test phrase" in out
    assert "[ok]  microphone:" in out
    assert "[ok]  heard:" in out and "three" in normalise(out)


def test_check_without_devices_says_what_to_do() -> None:
    env = {**os.environ, "PULSE_SERVER": "unix:/nonexistent/socket"}
    done = subprocess.run(
        [sys.executable, "-m", "guided_talk", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    if "[ok]  microphone" in done.stdout:
        pytest.skip("this machine has a real microphone")
    assert done.returncode == 1
    assert "[fix] no microphone found" in done.stdout
    assert 'engine = "typed"' in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
