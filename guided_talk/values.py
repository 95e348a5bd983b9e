"""Named values: every closed set of choices the layers pass to each other.

Each is a ``StrEnum``, so a value is also its plain string (in TOML, JSON and the
database) while mypy catches a wrong one. Any layer may import this module.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar


class Privacy(StrEnum):
    """What a session keeps on disk."""

    TRANSCRIPTS = "transcripts"  # the words, timings and the findings' measures
    SCORES = "scores"  # numbers, yes/no values and fixed labels; no words
    NOTHING = "nothing"  # nothing at all: the session runs from memory


class SessionMode(StrEnum):
    """Who the session is for."""

    COUPLE = "couple"
    WORKSHOP = "workshop"
    SOLO = "solo"
    DEMO = "demo"  # a hands-free run with scripted partners, not a person's practice


class SessionStatus(StrEnum):
    """Where a stored session stands. ``paused`` covers a time-out and a quit."""

    ACTIVE = "active"
    PAUSED = "paused"
    FINISHED = "finished"


class TurnStatus(StrEnum):
    """How a turn ended."""

    DONE = "done"
    ENDED_EARLY = "ended_early"
    SKIPPED = "skipped"
    #: Speech was captured but recognition failed or was switched off.
    NOT_TRANSCRIBED = "not_transcribed"


class PauseReason(StrEnum):
    """Why a session stopped for a while. A time-out and a quit save the place."""

    PAUSE = "pause"
    TIME_OUT = "time-out"
    QUIT = "quit"


class ListenerStyle(StrEnum):
    """How a listener is asked to reflect back."""

    MIRROR = "mirror"  # close repetition is the point
    PARAPHRASE = "paraphrase"  # the listener's own words are encouraged


class RecognitionEngine(StrEnum):
    """Where spoken words become text."""

    WHISPER = "whisper"
    SPHINX = "sphinx"
    TYPED = "typed"
    GOOGLE = "google"  # online: used only when the settings allow it


#: Ratings run from 1 (did not feel heard) to 5.
RATING_RANGE = range(1, 6)

#: Words a minute the voice may read at (the settings file and the settings screen).
VOICE_RATE_RANGE = (60, 400)


E = TypeVar("E", bound=StrEnum)


def choice(kind: type[E], value: object, default: E) -> E:
    """``value`` as a member of ``kind``, or ``default`` when it is not one."""
    if not isinstance(value, str):
        return default
    try:
        return kind(value)
    except (ValueError, TypeError):
        return default
