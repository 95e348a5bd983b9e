"""A whole session on the default engines, for the offline test: real TTS, speech
played from a clip into the real capture path, Whisper, feedback and the store."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for tests.support

from guided_talk.session.analysis import analyze_turn
from guided_talk.session.clock import MonotonicClock
from guided_talk.session.engine import Engine
from guided_talk.session.runner import SessionRunner
from guided_talk.speech.listener import SpeechTurnListener
from guided_talk.speech.reader import VoiceReader
from guided_talk.speech.recognizers import make_recognizer
from guided_talk.speech.sources import ClipSource
from guided_talk.speech.tts import Synthesizer
from guided_talk.store import Store
from tests.support.builders import listening_exercise

SAID = "I felt tired after work this week and I would like a quiet evening together."


def main(database: str) -> None:
    synth = Synthesizer()
    person = synth.synthesize(SAID)
    exercise = listening_exercise(rounds=1, warn_before=())
    exercise = replace(
        exercise,
        phases=tuple(
            replace(p, turns=tuple(replace(t, seconds=8) for t in p.turns)) for p in exercise.phases
        ),
    )
    clock = MonotonicClock()
    store = Store.open(Path(database))
    session_id = store.create_session(exercise.id, exercise.title, ["Ana", "Ben"])
    listener = SpeechTurnListener(lambda: ClipSource(person), make_recognizer("whisper"))
    runner = SessionRunner(
        Engine(exercise, ["Ana", "Ben"], clock),
        clock,
        store=store,
        session_id=session_id,
        reader=VoiceReader(synth),
        listener=listener,
        analyzer=analyze_turn,
    )
    asyncio.run(runner.run())
    detail = store.get_session(session_id)
    print("turns", len(detail.turns))
    print("words", " | ".join(t.transcript or "" for t in detail.turns))
    print("feedback", sorted({f.KIND for t in detail.turns for f in t.feedback.each()}))
    synth.close()


if __name__ == "__main__":
    main(sys.argv[1])
