"""Hear a person still talking where the voice detector hears no speech.

Silero takes a long "ummm" or a drawn-out last word for silence: measured on the
disfluent clips, a held filler gave 1.7 s of frames below its quiet mark while the
sound stayed 20 dB above the room. Someone thinking aloud like that has not
finished, so the silence clock must not run. A frame counts as sustained voice
when it is near the person's own speaking level, well above the room's quiet, and
held longer than a click or a knock. Before the detector has heard any speech at
all (it can miss a whole falsetto sentence: its verdict on one measured clip moved
between 0.22 and 0.68 with where the frames fell), a held sound counts only when
it stands well clear of the room.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from guided_talk.speech.audio import level_dbfs
from guided_talk.speech.voice_activity import FRAME_SECONDS, SPEECH_AT

#: Within this much of the person's usual speech level...
BELOW_SPEECH_DB = 25.0
#: ... this far above the quietest tenth of the last ten seconds ...
ABOVE_FLOOR_DB = 15.0
#: ... and held this long.
HELD_SECONDS = 0.15
#: With no speech heard yet, a held sound must be this far above the room's quiet
#: and this loud to count.
CLEAR_OF_ROOM_DB = 25.0
CLEAR_DBFS = -50.0
#: How quickly the speech level follows new speech (per voiced frame).
_SPEECH_WEIGHT = 0.05
SILENT_DBFS = -120.0
_FLOOR_FRAMES = round(10.0 / FRAME_SECONDS)
_HELD_FRAMES = max(1, round(HELD_SECONDS / FRAME_SECONDS))


class SustainedVoice:
    """Feed it each frame with the detector's speech chance; it says whether the
    person is still sounding."""

    def __init__(self) -> None:
        self._levels: deque[float] = deque(maxlen=_FLOOR_FRAMES)
        self._speech_db: float | None = None
        self._held = 0

    def hears(self, frame: bytes, chance: float) -> bool:
        """Whether this frame is part of a sound held near the speaking level."""
        # Digital silence is -inf, which a percentile cannot take.
        level = max(level_dbfs(frame), SILENT_DBFS)
        self._levels.append(level)
        if chance >= SPEECH_AT:
            if self._speech_db is None:
                self._speech_db = level
            else:
                self._speech_db += _SPEECH_WEIGHT * (level - self._speech_db)
        floor = float(np.percentile(self._levels, 10))
        if self._speech_db is None:  # no speech heard yet: nothing to compare with
            near = level >= max(floor + CLEAR_OF_ROOM_DB, CLEAR_DBFS)
        else:
            near = level >= max(self._speech_db - BELOW_SPEECH_DB, floor + ABOVE_FLOOR_DB)
        self._held = self._held + 1 if near else 0
        return self._held >= _HELD_FRAMES
