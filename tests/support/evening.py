"""One app run through a whole evening of mirroring dialogues, driven by Pilot.

The real app, its real speech (prompts read aloud to virtual speakers, the
microphone captured, Whisper), the real clock and the real SQLite file. The
virtual microphone (PulseAudio's pipe source) stands in for two people in a room:
each turn, a recorded sentence is played into it (the shared clips where they are
beside the project, else sentences the app's own voice says). Used by the soak
test and by scripts/bench_evening.py, which measures memory over the same evening.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from collections.abc import Callable

from textual.pilot import Pilot
from virtual_audio import VirtualAudio

from guided_talk.session.engine import Engine, State
from guided_talk.session.plan import PlannedTurn
from guided_talk.speech.audio import AudioClip
from guided_talk.speech.decode import read_audio
from guided_talk.speech.tts import Synthesizer, VoiceSettings
from guided_talk.tui.app import GuidedTalkApp
from guided_talk.tui.screens.rating import RatingScreen
from guided_talk.tui.screens.review import ReviewScreen
from guided_talk.tui.screens.session import SessionScreen
from tests.support.paths import SHARED_SPEECH
from tests.support.tui_harness import open_exercise

SESSIONS = 3
#: Said into the microphone while the session is paused: none of it may be kept.
PAUSE_WORDS = "purple lanterns drift over the quiet harbour"
TYPED = "I typed this because the room was loud"
#: What happens on each turn of a session, by its place in the session (the rest
#: are spoken and ended with e).
PLAN = {2: "pause", 5: "typed", 8: "skip", 11: "time-out"}


def clips() -> list[tuple[str, AudioClip]]:
    """Real recorded sentences when they are here, else the app's own voice (named)."""
    manifest = SHARED_SPEECH / "manifest.json"
    if manifest.exists():
        listed = json.loads(manifest.read_text())["clips"]
        # Whispering is a test of recognition, not of the loop: it is left out here.
        voiced = [c["file"] for c in listed if c.get("style") != "whispered"]
        found = [(name, read_audio(SHARED_SPEECH / name)) for name in voiced]
        return [(name, clip) for name, clip in found if 1.5 <= clip.seconds <= 12]
    synth = Synthesizer()
    try:
        return [
            (text, synth.synthesize(text, VoiceSettings(rate=150)))
            for text in (
                "When plans change at the last minute I feel anxious.",
                "So you feel anxious when plans change late. Is there more?",
                "I would like us to keep one evening a week for the two of us.",
            )
        ]
    finally:
        synth.close()


def pause_words() -> AudioClip:
    synth = Synthesizer()
    try:
        return synth.synthesize(PAUSE_WORDS, VoiceSettings(rate=150))
    finally:
        synth.close()


def own_clients(audio: VirtualAudio) -> int:
    """This process's connections to the audio server."""
    listed = subprocess.run(
        ["pactl", "--server", audio.server, "list", "clients"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return listed.count(f'application.process.id = "{os.getpid()}"')


async def until(pilot: Pilot[None], done: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "the app did not get there in time"
        await pilot.pause(0.1)


def moved_on(engine: Engine, turn: PlannedTurn) -> Callable[[], bool]:
    return lambda: engine.current is not turn


class Evening:
    """Drives one app through the sessions, keeping count of what was said."""

    def __init__(self, app: GuidedTalkApp, pilot: Pilot[None], audio: VirtualAudio) -> None:
        self.app, self.pilot, self.audio = app, pilot, audio
        self.sentences = clips()
        self.said = 0
        self.spoken: dict[str, set[int]] = {}  # session id -> turns spoken or typed
        self.played: dict[tuple[str, int], str] = {}  # what was said into each turn

    async def speak(self, clip: AudioClip) -> None:
        await asyncio.to_thread(self.audio.speak, clip)

    def screen(self) -> SessionScreen:
        assert isinstance(self.app.screen, SessionScreen)
        return self.app.screen

    def turn_ready(self) -> bool:
        """A rating to give, the review, or a turn whose countdown runs."""
        screen = self.app.screen
        if isinstance(screen, RatingScreen | ReviewScreen):
            return True
        runner = screen.runner if isinstance(screen, SessionScreen) else None
        if runner is None or runner.engine.current is None:
            return False
        turn = runner.engine.current
        listened = runner.listening_to is turn
        return runner.engine.state is State.RUNNING and (listened or not turn.turn.capture)

    async def session(self, pause_clip: AudioClip) -> str:
        await open_exercise(self.pilot, self.app, 0, "Mirroring dialogue")
        await self.pilot.press("enter")
        await until(self.pilot, lambda: isinstance(self.app.screen, SessionScreen))
        await until(self.pilot, lambda: self.screen().runner is not None)
        session_id = self.screen().log_book.session_id or ""
        spoken = self.spoken.setdefault(session_id, set())
        place = 0
        while True:
            await until(self.pilot, self.turn_ready)
            if isinstance(self.app.screen, ReviewScreen):
                return session_id
            if isinstance(self.app.screen, RatingScreen):
                await self.pilot.press("4")
                await self.pilot.pause(0.3)
                continue
            runner = self.screen().runner
            assert runner is not None and runner.engine.current is not None
            turn = runner.engine.current
            if not turn.turn.capture or turn.shared:
                await self.pilot.pause(1.2)
                await self.pilot.press("e")
            else:
                place += 1
                said = await self.take_turn(PLAN.get(place, "speak"), pause_clip)
                if said:
                    spoken.add(turn.index)
                    self.played[(session_id, turn.index)] = said
            await until(self.pilot, moved_on(runner.engine, turn))

    async def take_turn(self, how: str, pause_clip: AudioClip) -> str:
        """One captured turn; what was given (spoken or typed), or "" for none."""
        if how == "skip":
            await self.pilot.press("s")
            return ""
        if how == "typed":
            await self.pilot.press("i")
            await self.pilot.press(*TYPED, "enter")
            return "typed"
        name, sentence = self.sentences[self.said % len(self.sentences)]
        self.said += 1
        if how in ("pause", "time-out"):
            await self.pilot.press("p" if how == "pause" else "t")
            await self.speak(pause_clip)  # the other partner talks during the pause
            await self.pilot.press("p")
        await self.speak(AudioClip.silence(0.3) + sentence)
        await self.pilot.pause(1.2)  # past the grace, and the last words recognised
        await self.pilot.press("e")
        return f"{how}: {name}"
