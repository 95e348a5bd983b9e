"""``guided-talk transcribe``: recorded speech to text, on this computer by default.

The engine is built and its model loaded once for the whole batch. Each file is
read in 30-second pieces, so a three-hour recording needs no more memory than a
short one. A file that cannot be read gets one line on stderr and the rest of the
batch still runs; the exit code is 1 at the end if any file failed.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guided_talk.cli.errors import EXIT_ERROR, EXIT_OK, CliError, report
from guided_talk.speech.audio import SAMPLE_RATE, SAMPLE_WIDTH, AudioClip, level_dbfs
from guided_talk.speech.decode import STREAM_SECONDS, AudioFileError, stream_audio
from guided_talk.speech.models import DEFAULT_MODEL, ModelNotFound
from guided_talk.speech.recognizers import (
    OFFLINE_ENGINES,
    ONLINE_ENGINES,
    RecognitionError,
    Recognizer,
    make_recognizer,
)

FORMATS = ("text", "jsonl")
ENGINE_HINT = "try --engine sphinx, or --model tiny.en, both of which stay on this computer"
#: A piece whose loudest 100 ms stays below this holds no speech: whispered speech
#: peaks near -42 dBFS, a quiet room's floor is far lower. With the filler prompt
#: Whisper needs most of real time to return nothing for a silent piece, so it is
#: skipped (docs/BENCHMARKS.md).
QUIET_DBFS = -60.0
FRAME_BYTES = SAMPLE_RATE // 10 * SAMPLE_WIDTH


def add_parser(commands: Any) -> None:
    """Register ``transcribe``."""
    parser = commands.add_parser(
        "transcribe",
        help="turn recorded speech (WAV, FLAC, MP3, OGG) into text",
        description="Turn recorded speech into text. Offline unless you choose an online "
        "engine and pass --allow-online.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="audio files")
    parser.add_argument(
        "--engine",
        choices=OFFLINE_ENGINES + ONLINE_ENGINES,
        default="whisper",
        help="speech engine (default whisper; google sends audio online)",
    )
    parser.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        help="Whisper model: base (default), tiny.en, or a model folder",
    )
    parser.add_argument(
        "--allow-online",
        action="store_true",
        help="confirm that an online engine may send your audio off this computer",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.set_defaults(handler=transcribe_files)


@dataclass
class Transcript:
    """The text of one file and how long its audio is."""

    path: Path
    text: str
    seconds: float


class BatchEngine:
    """One recognizer for the whole batch, loaded on first use and never again.

    Loading waits for the first readable audio, so a batch of unreadable files
    fails fast without loading a model.
    """

    def __init__(self, recognizer: Recognizer) -> None:
        self.recognizer = recognizer
        self.loaded = False

    def transcribe_file(self, path: Path) -> Transcript:
        """Transcribe ``path`` piece by piece and join the pieces' text.

        Raises:
            AudioFileError: When the file cannot be read as audio.
            CliError: When the engine fails.
        """
        texts: list[str] = []
        seconds = 0.0
        for piece in stream_audio(path, STREAM_SECONDS):
            seconds += piece.seconds
            if is_silent(piece):
                continue
            self._load_once()
            try:
                text = self.recognizer.transcribe(piece, " ".join(texts))
            except RecognitionError as error:
                raise CliError(str(error), ENGINE_HINT) from error
            if text:
                texts.append(text)
        return Transcript(path, " ".join(texts), seconds)

    def _load_once(self) -> None:
        if self.loaded:
            return
        try:
            self.recognizer.load()
        except ModelNotFound as error:
            raise CliError(
                str(error), "or pick another with --model (base, tiny.en or a model folder)"
            ) from error
        except RecognitionError as error:
            raise CliError(str(error), ENGINE_HINT) from error
        except (RuntimeError, ValueError) as error:  # a damaged model folder
            raise CliError(
                f"the speech model could not be loaded ({error})",
                "check the folder given to --model, or use --model base",
            ) from error
        self.loaded = True


def is_silent(clip: AudioClip) -> bool:
    """True when no 100 ms stretch of ``clip`` reaches ``QUIET_DBFS``."""
    pcm = clip.pcm
    return all(
        level_dbfs(pcm[start : start + FRAME_BYTES]) < QUIET_DBFS
        for start in range(0, len(pcm), FRAME_BYTES)
    )


def build_engine(args: argparse.Namespace) -> BatchEngine:
    """The engine asked for, refusing an online one without consent."""
    try:
        recognizer = make_recognizer(args.engine, args.model, allow_online=args.allow_online)
    except RecognitionError as error:
        hint = (
            "add --allow-online if that is what you want"
            if args.engine in ONLINE_ENGINES
            else ENGINE_HINT
        )
        raise CliError(str(error), hint) from error
    return BatchEngine(recognizer)


def format_transcript(transcript: Transcript, output: str, single: bool) -> str:
    """One output line for a transcribed file."""
    if output == "jsonl":
        record = {
            "file": str(transcript.path),
            "text": transcript.text,
            "seconds": round(transcript.seconds, 2),
        }
        return json.dumps(record, ensure_ascii=False)
    return transcript.text if single else f"{transcript.path}: {transcript.text}"


def transcribe_files(args: argparse.Namespace) -> int:
    """Transcribe every file, printing each result as soon as it is ready."""
    engine = build_engine(args)
    single = len(args.files) == 1
    failed = 0
    for path in args.files:
        try:
            transcript = engine.transcribe_file(path)
        except AudioFileError as error:
            report(str(error))
            failed += 1
            continue
        except OSError as error:
            report(f"{path}: could not be read ({error.strerror or error})")
            failed += 1
            continue
        print(format_transcript(transcript, args.format, single), flush=True)
    return EXIT_ERROR if failed else EXIT_OK
