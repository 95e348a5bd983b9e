"""End to end through a real audio server: a recording goes into a virtual
microphone, and the app's own capture and recognition must hear it."""

from __future__ import annotations

import asyncio
import subprocess
import threading
import time

from virtual_audio import VirtualAudio

from guided_talk.speech.audio import AudioClip
from guided_talk.speech.decode import read_audio
from guided_talk.speech.listener import SpeechTurnListener
from guided_talk.speech.playback import Player
from guided_talk.speech.reader import VoiceReader
from guided_talk.speech.recognizers import Recognizer
from guided_talk.speech.scoring import word_error_rate
from guided_talk.speech.sources import MicrophoneSource, capture_devices
from guided_talk.speech.tts import Synthesizer
from tests.support.paths import SHARED_SPEECH

JFK = (
    "and so my fellow americans ask not what your country can do for you "
    "ask what you can do for your country"
)


def speech_clip() -> tuple[AudioClip, str]:
    """The JFK recording when ../shared exists, else a sentence our TTS makes."""
    if (SHARED_SPEECH / "jfk.flac").exists():
        return read_audio(SHARED_SPEECH / "jfk.flac"), JFK
    text = "I would like us to keep one evening a week for the two of us."
    synth = Synthesizer()
    try:
        return synth.synthesize(text), text
    finally:
        synth.close()


def test_the_virtual_microphone_is_listed(virtual_audio: VirtualAudio) -> None:
    assert any("fifo" in name.lower() or "virtual" in name.lower() for name in capture_devices())


def test_microphone_capture_and_recognition(
    virtual_audio: VirtualAudio, whisper: Recognizer
) -> None:
    clip, reference = speech_clip()
    said = AudioClip.silence(1.0) + clip + AudioClip.silence(1.0)
    levels: list[float] = []
    listener = SpeechTurnListener(MicrophoneSource, whisper, on_level=levels.append)
    listener.begin(None, 0.0)
    virtual_audio.speak(said)  # real time, like a person talking
    text = listener.finish_blocking()
    assert text is not None
    assert word_error_rate(reference, text) <= 0.20, text
    assert max(levels) > -30 > min(levels)  # the level meter saw speech and silence
    assert listener.captured.seconds >= clip.seconds


def test_device_that_stops_mid_turn_keeps_what_was_said(
    virtual_audio: VirtualAudio, whisper: Recognizer
) -> None:
    clip, _ = speech_clip()
    problems: list[str] = []

    class Unplugged(MicrophoneSource):
        """A microphone that goes silent for good after a few seconds (unplugged)."""

        def start(self, sink: object) -> None:
            began = time.monotonic()

            def until_unplugged(chunk: bytes) -> None:
                if time.monotonic() - began < 4.0:
                    sink(chunk)  # type: ignore[operator]

            super().start(until_unplugged)

    listener = SpeechTurnListener(Unplugged, whisper, on_problem=problems.append)
    listener.begin(None, 0.0)
    feeder = threading.Thread(target=virtual_audio.speak, args=(AudioClip.silence(0.5) + clip,))
    feeder.start()
    time.sleep(6.5)
    text = listener.finish_blocking()
    feeder.join()
    assert problems and "microphone stopped" in problems[0]
    assert text, "what was said before the device stopped is kept"


def test_prompt_playback_stops_within_200_ms(virtual_audio: VirtualAudio) -> None:
    notices: list[str] = []
    reader = VoiceReader(on_notice=notices.append)
    try:

        async def speak_then_stop() -> float:
            task = asyncio.create_task(
                reader.read(
                    "This is a long prompt that goes on for a good while, so that there is "
                    "plenty of time to stop it part of the way through the sentence."
                )
            )
            await asyncio.sleep(2.5)
            stopped_at = time.monotonic()
            reader.stop()
            await task
            return time.monotonic() - stopped_at

        assert asyncio.run(speak_then_stop()) < 0.2
        assert reader.available, notices
    finally:
        reader.close()


def test_playback_runs_to_the_end_when_not_stopped(virtual_audio: VirtualAudio) -> None:
    assert Player().play(AudioClip.silence(0.3)) is True


def audio_clients(audio: VirtualAudio) -> int:
    """How many clients the audio server has (this process's connections among them)."""
    listed = subprocess.run(
        ["pactl", "--server", audio.server, "list", "clients", "short"],
        capture_output=True,
        text=True,
        check=True,
    )
    return len(listed.stdout.strip().splitlines())


def test_turns_and_prompts_leave_no_audio_connection_open(virtual_audio: VirtualAudio) -> None:
    """Every turn opens the microphone and every prompt the speakers: an evening of
    them must not pile up connections until the server refuses everyone."""
    capture_devices()
    before = audio_clients(virtual_audio)
    for _ in range(12):
        microphone = MicrophoneSource()
        microphone.start(lambda chunk: None)
        time.sleep(0.05)
        microphone.stop()
        Player().play(AudioClip.silence(0.05))
        capture_devices()
    assert audio_clients(virtual_audio) == before
