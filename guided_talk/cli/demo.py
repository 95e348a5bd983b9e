"""``guided-talk demo``: a whole exercise, hands-free, with two scripted partners.

Time is compressed (a fast-forward clock), so a 15-minute exercise plays out in a
moment while every timestamp stays true to the schedule. The session is saved like
any other and a feedback report is printed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from typing import Any

from guided_talk.cli.errors import EXIT_OK, CliError
from guided_talk.cli.exercises_cmd import find_exercise
from guided_talk.cli.history_cmd import open_store
from guided_talk.cli.report import print_report
from guided_talk.session.analysis import worked_out
from guided_talk.session.clock import Clock, FastForwardClock
from guided_talk.session.events import AnyEvent, CaptureReady, Notice, PhaseStarted, TurnStarted
from guided_talk.session.plan import PlannedTurn
from guided_talk.session.runner import SessionRunner
from guided_talk.session.scripted import ScriptedPartners
from guided_talk.session.session_log import SessionLog
from guided_talk.session.starter import (
    SessionRequest,
    SpeechMakers,
    StartedSession,
    start_session,
)
from guided_talk.speech.recognizers import RecognitionError, Recognizer, make_recognizer
from guided_talk.speech.tts import SpeechUnavailable, Synthesizer, VoiceSettings
from guided_talk.values import SessionMode


class VoicedPartners(ScriptedPartners):
    """Scripted partners who really speak: each line is rendered with that partner's
    own synthetic voice and read back by the speech recogniser, so the words that
    reach the feedback are what recognition heard, not the script."""

    def __init__(self, clock: Clock, people: Sequence[str], recognizer: Recognizer) -> None:
        super().__init__(clock)
        self.synthesizer = Synthesizer()
        self.recognizer = recognizer
        english = [v for v in self.synthesizer.voices() if "english" in v.name.lower()]
        picks = english[:1] + english[-1:] if len(english) > 1 else english or []
        self.voices = {
            person: VoiceSettings(picks[i % len(picks)].id if picks else "", rate=150 + 15 * i)
            for i, person in enumerate(people)
        }
        self._person = ""

    def begin(self, turn: PlannedTurn, started_at: float) -> None:
        """Note who speaks; the script picks the line."""
        self._person = turn.person
        super().begin(turn, started_at)

    async def finish(self, turn: PlannedTurn, status: str) -> str | None:
        """Speak the line and hear it back."""
        line = await super().finish(turn, status)
        if not line:
            return None
        voice = self.voices.get(self._person, VoiceSettings())
        clip = await asyncio.to_thread(self.synthesizer.synthesize, line, voice)
        return await asyncio.to_thread(self.recognizer.transcribe, clip) or None


class SilentReader:
    """A ``PromptReader`` for the demo: prompts are printed, not spoken."""

    async def read(self, text: str) -> None:
        """Nothing to wait for."""

    def stop(self) -> None:
        """Nothing to stop."""

    def close(self) -> None:
        """Nothing to release."""


def add_parser(commands: Any) -> None:
    """Register ``demo``."""
    parser = commands.add_parser("demo", help="watch a whole exercise run hands-free")
    parser.add_argument("--exercise", default="mirroring-dialogue", help="exercise id")
    parser.add_argument("--names", nargs=2, default=("Alex", "Sam"), metavar=("A", "B"))
    parser.add_argument("--quiet", action="store_true", help="print only the report")
    parser.add_argument(
        "--voices",
        action="store_true",
        help="partners speak with two synthetic voices, heard back by speech recognition",
    )
    parser.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """Run the exercise, save it, print the report."""
    exercise = find_exercise(args.exercise)
    people: Sequence[str] = args.names
    clock = FastForwardClock()
    listener = ScriptedPartners(clock)
    if args.voices:
        try:
            listener = VoicedPartners(clock, people, make_recognizer("whisper"))
        except (RecognitionError, SpeechUnavailable) as error:
            raise CliError(
                f"the voices could not be set up: {error}",
                "run `guided-talk check`, or leave out --voices",
            ) from error
    with open_store() as store:
        request = SessionRequest(exercise, tuple(people), mode=SessionMode.DEMO)
        speech = SpeechMakers(reader=SilentReader, listener=lambda: listener)
        started = start_session(request, clock, store=store, speech=speech)
        try:
            log = _play(started, clock, people, quiet=args.quiet)
        finally:
            if isinstance(listener, VoicedPartners):
                listener.synthesizer.close()
        if started.session_id is None:  # not saved (a full disk): the report from memory
            print_report(log.detail())
            return EXIT_OK
        session_id = started.session_id
        print_report(worked_out(store.get_session(session_id)))
    print(f"\nSaved as session {session_id}. `guided-talk export {session_id[:6]}` shows it again.")
    return EXIT_OK


def _play(started: StartedSession, clock: Clock, people: Sequence[str], quiet: bool) -> SessionLog:
    """Run the session to its end, narrated; its record in memory comes back."""
    runner = started.runner
    log = SessionLog(runner.engine.exercise.title, list(people), SessionMode.DEMO)
    narrator = _Narrator(runner, clock.now(), quiet=quiet)

    def on_event(event: AnyEvent) -> None:
        log.record(event)
        narrator(event)

    runner.on_event = on_event
    for notice in started.notices:
        print(f"note: {notice}")
    asyncio.run(runner.run())
    return log


class _Narrator:
    """Prints the session as it unfolds and gives the scripted ratings."""

    def __init__(self, runner: SessionRunner, origin: float, quiet: bool) -> None:
        self._runner = runner
        self._origin = origin
        self._quiet = quiet

    def __call__(self, event: AnyEvent) -> None:
        if isinstance(event, Notice):
            print(f"note: {event.message}")
        elif isinstance(event, CaptureReady):
            self._captured(event)
        elif not self._quiet and isinstance(event, PhaseStarted):
            part = f", part {event.repetition + 1} of {event.phase.repeat}"
            print(
                f"\n== {event.phase.title} (round {event.round + 1}"
                f"{part if event.phase.repeat > 1 else ''}) =="
            )
        elif not self._quiet and isinstance(event, TurnStarted):
            print(f"[{self._stamp(event.opened_at)}] {event.turn.person}: {event.prompt}")

    def _captured(self, event: CaptureReady) -> None:
        turn = event.turn
        if event.transcript and not self._quiet:
            print(f"    {turn.person} says: {event.transcript}")
        if turn.turn.ask_rating and turn.reflects:
            rater = self._runner.engine.plan[turn.reflects[-1]].person
            self._runner.rate(turn.index, rater, 4)

    def _stamp(self, moment: float) -> str:
        seconds = int(moment - self._origin)
        return f"{seconds // 60:02d}:{seconds % 60:02d}"
