"""A machine with no sound card and no audio server: typed input, on-screen prompts,
one notice each, and nothing written over the terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CARDS = Path("/proc/asound/cards")
SCRIPT = """
import asyncio
from guided_talk.speech.kit import SpeechChoices, make_listener, make_reader
from guided_talk.speech.typed import TypedListener
notices = []
listener = make_listener(SpeechChoices(), notices.append)
assert isinstance(listener, TypedListener), listener
reader = make_reader(SpeechChoices(), notices.append)
asyncio.run(reader.read("Speaker, share a piece of what is on your mind."))
asyncio.run(reader.read("A second prompt says nothing more."))
assert not reader.available
reader.close()
print("\\n".join(notices))
"""


@pytest.mark.skipif(
    CARDS.exists() and "no soundcards" not in CARDS.read_text(),
    reason="this machine has a sound card, so 'no device' cannot be shown here",
)
def test_no_devices_means_typed_input_and_on_screen_prompts() -> None:
    env = {"PULSE_SERVER": "unix:/nonexistent/socket", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    notices = done.stdout.splitlines()
    assert notices[0] == "No microphone was found, so you can type what you would say instead."
    assert notices[1].startswith("Prompts will be shown on screen only: no speaker")
    assert len(notices) == 2, "each notice is given once"
    assert done.stderr == "", "nothing may be written over the terminal"


def test_typed_listener_collects_what_was_typed() -> None:
    import asyncio

    from guided_talk.speech.typed import TypedListener

    typed = TypedListener()
    typed.begin(None, 0.0)
    typed.submit("I felt left out")
    typed.submit("  ")
    typed.submit("when plans changed", at=12.5)
    assert typed.finished_at() == 12.5
    assert asyncio.run(typed.finish(None, "done")) == "I felt left out when plans changed"
    typed.begin(None, 20.0)
    assert asyncio.run(typed.finish(None, "done")) is None
