"""``guided-talk transcribe`` on real engines and real files, with no mocks.

Bad inputs and the generated-audio tests need nothing outside the repository. The
recognition tests use recorded speech from ``shared/data/speech`` beside the
repository and are skipped where it is missing. Whisper runs in few CLI calls (one
batch per module) so the model is loaded only a handful of times.
"""

from __future__ import annotations

import io
import json
import socket
import wave
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from guided_talk.cli.main import main
from guided_talk.cli.transcribe_cmd import is_silent
from guided_talk.speech.audio import SAMPLE_RATE, AudioClip
from guided_talk.speech.decode import read_audio
from guided_talk.speech.scoring import normalise
from tests.support.paths import SHARED_SPEECH

pytestmark = pytest.mark.model  # loads Whisper

SPEECH = SHARED_SPEECH
ONE_TWO_THREE = SPEECH / "one_two_three.wav"
JFK = SPEECH / "jfk.flac"
FIREFOX_MP3 = SPEECH / "common_voice_en_22058266.mp3"

needs_speech = pytest.mark.skipif(
    not (ONE_TWO_THREE.is_file() and JFK.is_file() and FIREFOX_MP3.is_file()),
    reason="recorded speech in shared/data/speech is not available",
)


@dataclass
class Result:
    """What one CLI call returned and printed."""

    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Result:
    """Run the CLI in-process and capture what it printed."""
    code = main(["transcribe", *argv])
    out, err = capsys.readouterr()
    return Result(code, out, err)


def run_quietly(*argv: str) -> Result:
    """Run the CLI in-process outside a test function (for module fixtures)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["transcribe", *argv])
    return Result(code, out.getvalue(), err.getvalue())


def write_wav(path: Path, clip: AudioClip) -> Path:
    """Write ``clip`` as a 16 kHz mono 16-bit WAV file."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(clip.pcm)
    return path


def tone(seconds: float, hertz: float = 440.0) -> AudioClip:
    """A quiet sine tone."""
    times = np.arange(int(seconds * SAMPLE_RATE), dtype=np.float32) / SAMPLE_RATE
    return AudioClip.from_float((0.2 * np.sin(2 * np.pi * hertz * times)).astype(np.float32))


def words(text: str) -> str:
    """Lower case, digits as words, punctuation gone, single spaces."""
    return " ".join(normalise(text))


def bad_file(kind: str, folder: Path) -> Path:
    """One of the inputs that cannot be transcribed."""
    path = folder / f"{kind}.wav"
    if kind == "folder":
        path.mkdir()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "not-audio":
        path = folder / "notes.mp3"
        path.write_text("these are shopping notes, not sound\n" * 20, encoding="utf-8")
    elif kind == "zero-length":
        write_wav(path, AudioClip(b""))  # a valid header and no frames
    return path


BAD_INPUTS = {
    "missing": "no such file",
    "folder": "is a folder",
    "empty": "the file is empty",
    "not-audio": "not an audio file",
    "zero-length": "no samples",
}


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_bad_input_gets_one_clear_line(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = bad_file(kind, tmp_path)
    result = run(capsys, str(path))
    assert result.code == 1
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"guided-talk: {path}: ")
    assert BAD_INPUTS[kind] in lines[0]
    assert "Traceback" not in result.err


def test_every_bad_input_in_one_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(bad_file(kind, tmp_path)) for kind in sorted(BAD_INPUTS)]
    result = run(capsys, *paths)
    assert result.code == 1
    assert len(result.err.splitlines()) == len(BAD_INPUTS)


def test_good_file_still_done_after_a_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_wav(tmp_path / "tone.wav", AudioClip.silence(0.5) + tone(1.0))
    junk = bad_file("not-audio", tmp_path)
    result = run(capsys, str(junk), str(good))
    assert result.code == 1
    assert result.out.startswith(f"{good}:")
    assert len(result.out.splitlines()) == 1
    assert result.err.splitlines() == [
        f"guided-talk: {junk}: not an audio file guided-talk can read (WAV, FLAC, MP3 or OGG)"
    ]


def test_long_file_is_streamed_and_timed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = write_wav(tmp_path / "long.wav", AudioClip.silence(65.0))
    result = run(capsys, "--format", "jsonl", str(long))
    assert result.code == 0, result.err
    assert json.loads(result.out) == {"file": str(long), "text": "", "seconds": 65.0}


def test_silence_is_skipped_but_quiet_speech_is_not() -> None:
    assert is_silent(AudioClip.silence(30.0))
    assert is_silent(AudioClip.from_float(np.full(SAMPLE_RATE, 0.0005, dtype=np.float32)))
    whisper_level = tone(0.1).to_float() * 0.04  # about -42 dBFS, like whispered speech
    assert not is_silent(AudioClip.silence(29.9) + AudioClip.from_float(whisper_level))


def test_online_engine_refused_without_consent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*_args: Any) -> None:
        raise AssertionError("the network was touched")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    good = write_wav(tmp_path / "tone.wav", tone(1.0))
    result = run(capsys, "--engine", "google", str(good))
    assert result.code == 1
    assert result.out == ""
    assert "sends your audio to an online service" in result.err
    assert "--allow-online" in result.err
    assert result.err.startswith("guided-talk: ")


def test_unknown_model_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_wav(tmp_path / "tone.wav", tone(1.0))
    not_a_model = tmp_path / "no-model"
    not_a_model.mkdir()
    result = run(capsys, "--model", str(not_a_model), str(good))
    assert result.code == 1
    assert "is not a Whisper model" in result.err
    assert "\nhint: " in result.err
    assert "Traceback" not in result.err


@pytest.fixture(scope="module")
def whisper_batch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One Whisper run over WAV, FLAC, MP3, a two-piece file and a missing file."""
    if not (ONE_TWO_THREE.is_file() and JFK.is_file() and FIREFOX_MP3.is_file()):
        pytest.skip("recorded speech in shared/data/speech is not available")
    folder = tmp_path_factory.mktemp("batch")
    speech = read_audio(ONE_TWO_THREE)
    # The second "one two three" starts after the first 30-second piece.
    long = write_wav(
        folder / "two_pieces.wav",
        speech + AudioClip.silence(31.0 - speech.seconds) + speech + AudioClip.silence(1.0),
    )
    missing = folder / "missing.flac"
    files = [ONE_TWO_THREE, JFK, FIREFOX_MP3, missing, long]
    result = run_quietly("--format", "jsonl", *map(str, files))
    records = {Path(line["file"]).name: line for line in map(json.loads, result.out.splitlines())}
    yield {"result": result, "records": records, "missing": missing}


@needs_speech
def test_batch_continues_and_exits_1(whisper_batch: dict[str, Any]) -> None:
    result: Result = whisper_batch["result"]
    assert result.code == 1
    assert result.err.splitlines() == [f"guided-talk: {whisper_batch['missing']}: no such file"]
    assert len(whisper_batch["records"]) == 4


@needs_speech
def test_jsonl_shape(whisper_batch: dict[str, Any]) -> None:
    for record in whisper_batch["records"].values():
        assert set(record) == {"file", "text", "seconds"}
        assert isinstance(record["text"], str) and record["text"]
        assert isinstance(record["seconds"], float)
        assert record["seconds"] == round(record["seconds"], 2)
    assert whisper_batch["records"]["jfk.flac"]["seconds"] == pytest.approx(11.0, abs=0.1)


@needs_speech
def test_wav_flac_and_mp3_recognised(whisper_batch: dict[str, Any]) -> None:
    records = whisper_batch["records"]
    assert words(records["one_two_three.wav"]["text"]) == "one two three"
    assert "ask not what your country can do for you" in words(records["jfk.flac"]["text"])
    assert "fire" in words(records[FIREFOX_MP3.name]["text"])
    assert records[FIREFOX_MP3.name]["seconds"] == pytest.approx(2.35, abs=0.05)


@needs_speech
def test_pieces_are_joined(whisper_batch: dict[str, Any]) -> None:
    record = whisper_batch["records"]["two_pieces.wav"]
    assert words(record["text"]).count("one two three") == 2
    assert record["seconds"] == pytest.approx(34.75, abs=0.01)


@pytest.mark.slow
@needs_speech
def test_text_format(capsys: pytest.CaptureFixture[str]) -> None:
    single = run(capsys, "--engine", "sphinx", str(ONE_TWO_THREE))
    assert single.code == 0 and single.out == "one two three\n"
    several = run(capsys, "--engine", "sphinx", str(ONE_TWO_THREE), str(ONE_TWO_THREE))
    assert several.code == 0
    assert several.out.splitlines() == [f"{ONE_TWO_THREE}: one two three"] * 2
