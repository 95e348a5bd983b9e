"""Cut live audio into stretches that end at the pauses a person makes.

A stretch ends at a real pause, never inside a word: Whisper heard on a piece that
stops mid-word guesses at the broken word ("switched off" heard as "which tough").
Someone who talks on without a full pause gets their phrase closed at the next
short dip once it is long, and at the quietest moment of its last second once it is
very long, so that recognition can keep up while they talk.

The stretches cover the whole stream: each holds everything since the one before,
the quiet too. Laid end to end they are the turn exactly as recorded, so nothing
the voice detector fails to call speech (a whisper, a held "ummm") is lost, and
Whisper hears pauses as pauses.
"""

from __future__ import annotations

import numpy as np

from guided_talk.speech.audio import SAMPLE_WIDTH, AudioClip, loudest_dbfs
from guided_talk.speech.sustained import SustainedVoice
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
#: ... and one this long is cut at its quietest moment of the last second; audio
#: with no phrase in it is handed on once it is this long, too.
LONGEST_PHRASE_SECONDS = 15.0
#: Audio kept after the last voiced frame, so that soft word endings are not clipped.
PADDING_SECONDS = 0.2
#: Trailing audio with no phrase in it is dropped when its loudest moment stays
#: below this (whispering peaks near -42 dBFS in the measured clips).
QUIET_DBFS = -50.0

_FRAME_BYTES = FRAME * SAMPLE_WIDTH


def _frames(seconds: float) -> int:
    return max(1, round(seconds / FRAME_SECONDS))


class PhraseCutter:
    """Feed it audio as it comes; it returns each stretch once its phrase is over."""

    def __init__(self, detector: VoiceDetector | None = None) -> None:
        self.detector = detector or VoiceDetector()
        self._pending = b""  # bytes that do not yet fill a frame
        self._before: list[bytes] = []  # frames since the last stretch, before a phrase
        self._phrase: list[bytes] = []  # from the first voiced frame on
        self._chances: list[float] = []
        self._quiet = 0  # quiet frames at the end of the phrase
        self._sustained = SustainedVoice()
        #: Whether the latest audio fed held voice, speech or a held sound near the
        #: person's level (for ending a turn on silence).
        self.voiced = False

    def feed(self, pcm: bytes) -> list[AudioClip]:
        """Take more audio; return the stretches it completed (usually none)."""
        pcm = self._pending + pcm
        whole = len(pcm) // _FRAME_BYTES * _FRAME_BYTES
        self._pending = pcm[whole:]
        chances = self.detector.feed(pcm[:whole])
        done: list[AudioClip] = []
        self.voiced = False
        for number, chance in enumerate(chances.tolist()):
            frame = pcm[number * _FRAME_BYTES : (number + 1) * _FRAME_BYTES]
            if self._sustained.hears(frame, chance):
                self.voiced = True  # a held "ummm": still talking, not yet a pause
            stretch = self._take(frame, chance)
            if stretch is not None:
                done.append(stretch)
        return done

    def flush(self) -> AudioClip | None:
        """The rest of the audio when it ends, unless that is only quiet."""
        rest = AudioClip(b"".join(self._before + self._phrase) + self._pending)
        had_phrase = bool(self._phrase)
        self._before, self._phrase, self._chances, self._pending = [], [], [], b""
        if had_phrase or (rest.seconds >= 0.1 and loudest_dbfs(rest) >= QUIET_DBFS):
            return rest
        return None

    def _take(self, frame: bytes, chance: float) -> AudioClip | None:
        if not self._phrase:
            if chance >= SPEECH_AT:
                self._phrase, self._chances, self._quiet = [frame], [chance], 0
                self.voiced = True
                return None
            self._before.append(frame)
            if len(self._before) >= _frames(LONGEST_PHRASE_SECONDS):
                return self._hand_on(len(self._before), [])
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
            keep = len(self._phrase) - self._quiet + _frames(PADDING_SECONDS)
            return self._hand_on(len(self._before) + keep, [])
        if length >= LONGEST_PHRASE_SECONDS:
            window = _frames(1.0)
            start = len(self._chances) - window
            cut = start + int(np.argmin(self._chances[start:])) + 1
            return self._hand_on(len(self._before) + cut, self._chances[cut:])
        return None

    def _hand_on(self, frames: int, still_speaking: list[float]) -> AudioClip:
        """Return the first ``frames`` frames since the last stretch.

        What follows them is either quiet before the next phrase or, when a long
        phrase was cut, the rest of that phrase (whose chances are ``still_speaking``).
        """
        held = self._before + self._phrase
        stretch = AudioClip(b"".join(held[:frames]))
        rest = held[frames:]
        if still_speaking:
            self._before, self._phrase, self._chances = [], rest, still_speaking
        else:
            self._before, self._phrase, self._chances = rest, [], []
        self._quiet = 0
        return stretch
