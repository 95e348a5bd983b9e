"""Cut live speech into phrases at the pauses a person makes.

A phrase ends at a real pause, never inside a word: Whisper heard on a piece that
stops mid-word guesses at the broken word ("switched off" heard as "which tough").
Someone who talks on without a full pause gets their phrase closed at the next
short dip once it is long, and at the quietest moment of its last second once it is
very long, so that recognition can keep up while they talk.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from guided_talk.speech.audio import SAMPLE_WIDTH, AudioClip
from guided_talk.speech.voice_activity import (
    FRAME,
    FRAME_SECONDS,
    QUIET_BELOW,
    SPEECH_AT,
    VoiceDetector,
)

#: Quiet that closes a phrase.
PAUSE_SECONDS = 0.5
#: A phrase this long closes at a shorter dip...
LONG_PHRASE_SECONDS = 8.0
SHORT_DIP_SECONDS = 0.2
#: ... and one this long is cut at its quietest moment of the last second.
LONGEST_PHRASE_SECONDS = 15.0
#: Audio kept before the first voiced frame and after the last one, so that soft
#: word onsets and endings are not clipped.
PADDING_SECONDS = 0.2

_FRAME_BYTES = FRAME * SAMPLE_WIDTH


def _frames(seconds: float) -> int:
    return max(1, round(seconds / FRAME_SECONDS))


class PhraseCutter:
    """Feed it audio as it comes; it returns each phrase once the phrase is over."""

    def __init__(self, detector: VoiceDetector | None = None) -> None:
        self.detector = detector or VoiceDetector()
        self._pending = b""  # bytes that do not yet fill a frame
        self._before: deque[bytes] = deque(maxlen=_frames(PADDING_SECONDS))
        self._phrase: list[bytes] = []
        self._chances: list[float] = []
        self._quiet = 0  # quiet frames at the end of the phrase
        #: Whether the latest audio fed held voice (for ending a turn on silence).
        self.voiced = False

    @property
    def speaking(self) -> bool:
        """A phrase has begun and not yet ended."""
        return bool(self._phrase)

    def feed(self, pcm: bytes) -> list[AudioClip]:
        """Take more audio; return the phrases it completed (usually none)."""
        pcm = self._pending + pcm
        whole = len(pcm) // _FRAME_BYTES * _FRAME_BYTES
        self._pending = pcm[whole:]
        chances = self.detector.feed(pcm[:whole])
        done: list[AudioClip] = []
        self.voiced = False
        for number, chance in enumerate(chances.tolist()):
            frame = pcm[number * _FRAME_BYTES : (number + 1) * _FRAME_BYTES]
            phrase = self._take(frame, chance)
            if phrase is not None:
                done.append(phrase)
        return done

    def flush(self) -> AudioClip | None:
        """The phrase still open when the audio ends, if any."""
        if not self._phrase:
            return None
        return self._close(len(self._phrase))

    def _take(self, frame: bytes, chance: float) -> AudioClip | None:
        if not self._phrase:
            if chance < SPEECH_AT:
                self._before.append(frame)
                return None
            self._phrase = [*self._before, frame]
            self._chances = [0.0] * len(self._before) + [chance]
            self._before.clear()
            self._quiet = 0
            self.voiced = True
            return None
        self._phrase.append(frame)
        self._chances.append(chance)
        if chance >= QUIET_BELOW:
            self._quiet = 0
            self.voiced = True
            return None
        self._quiet += 1
        length = len(self._phrase) * FRAME_SECONDS
        if self._quiet >= _frames(PAUSE_SECONDS) or (
            length >= LONG_PHRASE_SECONDS and self._quiet >= _frames(SHORT_DIP_SECONDS)
        ):
            return self._close(len(self._phrase) - self._quiet + _frames(PADDING_SECONDS))
        if length >= LONGEST_PHRASE_SECONDS:
            return self._cut_at_quietest()
        return None

    def _close(self, keep: int) -> AudioClip:
        """End the phrase after ``keep`` frames; later frames pad the next one."""
        keep = min(keep, len(self._phrase))
        phrase = AudioClip(b"".join(self._phrase[:keep]))
        self._before.extend(self._phrase[keep:])
        self._phrase, self._chances, self._quiet = [], [], 0
        return phrase

    def _cut_at_quietest(self) -> AudioClip:
        """Split a phrase that runs on at the least voiced frame of its last second."""
        window = _frames(1.0)
        start = len(self._chances) - window
        cut = start + int(np.argmin(self._chances[start:])) + 1
        phrase = AudioClip(b"".join(self._phrase[:cut]))
        self._phrase, self._chances = self._phrase[cut:], self._chances[cut:]
        self._quiet = 0
        return phrase
