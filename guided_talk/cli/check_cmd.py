"""``guided-talk check``: is speech working here, and if not, exactly what to do."""

from __future__ import annotations

import argparse
import threading
import time
from typing import Any

from guided_talk.cli.errors import EXIT_ERROR, EXIT_OK
from guided_talk.settings import load_settings, settings_path
from guided_talk.speech.audio import AudioClip
from guided_talk.speech.models import ModelNotFound, model_path
from guided_talk.speech.playback import Player
from guided_talk.speech.recognizers import RecognitionError, make_recognizer
from guided_talk.speech.sources import AudioDeviceError, MicrophoneSource, capture_devices
from guided_talk.speech.tts import SpeechUnavailable, Synthesizer, VoiceSettings

TEST_PHRASE = "This is guided talk. If you can hear me, your speakers work."
RECORD_SECONDS = 3.0
#: A microphone may take this long to wake before it sends its first sound.
OPENING_SECONDS = 5.0
#: Quieter than this, speech cannot be made out (a whisper peaks near -42 dBFS).
QUIET_DBFS = -50.0


def add_parser(commands: Any) -> None:
    """Register ``check``."""
    parser = commands.add_parser("check", help="test the voice, microphone and recognition")
    parser.add_argument("--voices", action="store_true", help="list the voices to choose from")
    parser.add_argument("--no-record", action="store_true", help="skip the 3-second recording")
    parser.set_defaults(handler=run_check)


def mark(ok: bool) -> str:
    """A text mark, so that meaning never rests on colour."""
    return "[ok]  " if ok else "[fix] "


def run_check(args: argparse.Namespace) -> int:
    """Check each part in turn and print one line per finding."""
    settings, problems = load_settings()
    for problem in problems:
        print(f"{mark(False)}settings: {problem}")
    recognition, voice = settings.recognition, settings.voice
    print(f"Settings file: {settings_path()}")
    print(
        f"Recognition: {recognition.engine}"
        + (f", model {recognition.model}" if recognition.engine == "whisper" else "")
    )
    results = [
        check_model(recognition.engine, recognition.model),
        check_voice(VoiceSettings(voice.voice, voice.rate, voice.volume), args.voices),
    ]
    microphones = capture_devices()
    results.append(check_microphones(microphones))
    if microphones and not args.no_record:
        results.append(
            check_recording(recognition.engine, recognition.model, recognition.microphone)
        )
    return EXIT_OK if all(results) else EXIT_ERROR


def check_model(engine: str, model: str) -> bool:
    """Is the recognition model installed?"""
    if engine != "whisper":
        print(f"{mark(True)}engine {engine} needs no model file")
        return True
    try:
        print(f"{mark(True)}Whisper model '{model}' found in {model_path(model)}")
        return True
    except ModelNotFound as error:
        print(f"{mark(False)}{error}")
        return False


def check_voice(settings: VoiceSettings, list_voices: bool) -> bool:
    """Render and play the test phrase; say which voice is used."""
    synth = Synthesizer()
    try:
        voices = synth.voices()
        if list_voices:
            for voice in voices:
                print(f"      voice id {voice.id!r}: {voice.name}")
        clip = synth.synthesize(TEST_PHRASE, settings)
    except SpeechUnavailable as error:
        print(
            f"{mark(False)}text-to-speech: {error}. Prompts will be shown on screen; "
            "on Debian or Ubuntu, `sudo apt install espeak-ng` may help"
        )
        return False
    finally:
        synth.close()
    name = settings.voice or "the default voice"
    print(
        f"{mark(True)}text-to-speech works ({len(voices)} voices; using {name}, "
        f"{settings.rate} words a minute)"
    )
    try:
        Player().play(clip)
    except AudioDeviceError as error:
        print(
            f"{mark(False)}playback: {error}. Connect speakers or headphones; prompts "
            "will be shown on screen until then"
        )
        return False
    print(f'{mark(True)}played the test phrase: "{TEST_PHRASE}"')
    return True


def check_microphones(names: list[str]) -> bool:
    """List capture devices."""
    if not names:
        print(
            f"{mark(False)}no microphone found. Plug one in (or allow this terminal to use "
            'it), or set engine = "typed" under [recognition] to type instead'
        )
        return False
    for name in names:
        print(f"{mark(True)}microphone: {name}")
    return True


def check_recording(engine: str, model: str, microphone: str) -> bool:
    """Record a few seconds, show the level and what was recognised."""
    try:
        recognizer = make_recognizer(engine, model)
    except RecognitionError as error:
        print(f"{mark(False)}{error}")
        return False
    chunks: list[bytes] = []
    lock = threading.Lock()

    def keep(chunk: bytes) -> None:
        with lock:
            chunks.append(chunk)

    source = MicrophoneSource(microphone or None)
    print(f"Say something now: recording {RECORD_SECONDS:.0f} seconds...", flush=True)
    try:
        source.start(keep)
        # Opening a microphone is not recording: wait for the seconds of sound
        # promised, up to a bound for one that never wakes.
        deadline = time.monotonic() + RECORD_SECONDS + OPENING_SECONDS
        while time.monotonic() < deadline:
            with lock:
                heard = AudioClip(b"".join(chunks)).seconds
            if heard >= RECORD_SECONDS:
                break
            time.sleep(0.05)
    except AudioDeviceError as error:
        print(f"{mark(False)}{error}")
        return False
    finally:
        source.stop()
    clip = AudioClip(b"".join(chunks))
    return report_recording(clip, recognizer)


def report_recording(clip: AudioClip, recognizer: Any, wanted: float = RECORD_SECONDS) -> bool:
    """Length, level and transcript of the recording; each problem says what to do."""
    long_enough = clip.seconds >= wanted * 0.9
    level = clip.level_dbfs()
    loud_enough = level >= QUIET_DBFS
    shown = "silent" if level == float("-inf") else f"level {level:.0f} dBFS"
    print(
        f"{mark(long_enough and loud_enough)}recorded {clip.seconds:.1f} of {wanted:.0f} s, {shown}"
    )
    if not long_enough:
        print(
            "      The microphone sent less sound than asked for: it may have stopped or be "
            "slow to wake. Try again, or choose another microphone in Settings."
        )
    if not loud_enough:
        print(
            "      That is too quiet to hear words: check the microphone is not muted, "
            "move closer, or raise the input volume."
        )
    try:
        text = recognizer.transcribe(clip)
    except (RecognitionError, ModelNotFound) as error:
        print(f"{mark(False)}recognition: {error}")
        return False
    if not text:
        print(
            f"{mark(False)}heard no words: say a sentence aloud while it records, then check again"
        )
        return False
    print(f'{mark(True)}heard: "{text}"')
    return long_enough and loud_enough
