"""Read audio files (WAV, FLAC, MP3, OGG Vorbis) into AudioClips with miniaudio.

miniaudio ships its decoders in its wheel, so no system library is needed. Long
files can be read piece by piece in bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from guided_talk.speech.audio import SAMPLE_RATE, AudioClip

#: Piece length when streaming a long file.
STREAM_SECONDS = 30.0


class AudioFileError(Exception):
    """A file cannot be read as audio; the message says why, in plain words."""


def check_file(path: Path) -> None:
    """Fail early, kindly, for a missing file, a folder or an empty file."""
    if not path.exists():
        raise AudioFileError(f"{path}: no such file")
    if path.is_dir():
        raise AudioFileError(f"{path}: is a folder, not an audio file")
    if path.stat().st_size == 0:
        raise AudioFileError(f"{path}: the file is empty")


def read_audio(path: Path) -> AudioClip:
    """The whole file as one 16 kHz mono clip.

    Raises:
        AudioFileError: When the file is missing, empty or not audio.
    """
    return AudioClip(b"".join(clip.pcm for clip in stream_audio(path)))


def stream_audio(path: Path, seconds: float = STREAM_SECONDS) -> Iterator[AudioClip]:
    """Yield the file in pieces of about ``seconds``, converting as it goes.

    Raises:
        AudioFileError: When the file is missing, empty or not audio.
    """
    import miniaudio

    check_file(path)
    frames = int(seconds * SAMPLE_RATE)
    try:
        info = miniaudio.get_file_info(str(path))
        if info.num_frames == 0:
            raise AudioFileError(f"{path}: the audio has no samples (zero length)")
        pieces = miniaudio.stream_file(
            str(path),
            output_format=miniaudio.SampleFormat.SIGNED16,
            nchannels=1,
            sample_rate=SAMPLE_RATE,
            frames_to_read=frames,
        )
        for piece in pieces:
            yield AudioClip(piece.tobytes())
    except miniaudio.DecodeError as error:
        raise AudioFileError(
            f"{path}: not an audio file guided-talk can read (WAV, FLAC, MP3 or OGG)"
        ) from error
    except OSError as error:
        raise AudioFileError(f"{path}: could not be read ({error.strerror})") from error
