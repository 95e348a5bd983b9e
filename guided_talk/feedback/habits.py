"""Speaking habits: absolutist words, fillers and pace."""

from __future__ import annotations

from collections.abc import Sequence

from guided_talk.feedback.wordlists import find

#: The 19 absolutist words of Al-Mosaiwi & Johnstone (2018), a published list of facts.
ABSOLUTIST = frozenset(
    {
        "absolutely",
        "all",
        "always",
        "complete",
        "completely",
        "constant",
        "constantly",
        "definitely",
        "entire",
        "ever",
        "every",
        "everyone",
        "everything",
        "full",
        "must",
        "never",
        "nothing",
        "totally",
        "whole",
    }
)
#: Speaker Coach's comfortable band, words per minute.
PACE_BAND = (100.0, 165.0)
#: Shortest stretch of speech whose pace or filler rate is worth reporting.
MIN_TIMED_SECONDS = 5.0
#: "like" is a verb or a comparison after these words ("I like", "feels like").
_LIKE_AFTER = frozenset(
    {
        "i",
        "you",
        "we",
        "they",
        "he",
        "she",
        "would",
        "i'd",
        "you'd",
        "we'd",
        "feel",
        "feels",
        "felt",
        "feeling",
        "look",
        "looks",
        "looked",
        "sound",
        "sounds",
        "seem",
        "seems",
        "just",
        "much",
        "more",
        "don't",
        "didn't",
        "doesn't",
        "not",
        "really",
        "things",
        "something",
        "anything",
        "nothing",
        "what",
    }
)
#: ... and before these ("like a dream", "like to", "like you").
_LIKE_BEFORE = frozenset(
    {
        "to",
        "a",
        "an",
        "the",
        "this",
        "that",
        "it",
        "you",
        "me",
        "him",
        "her",
        "them",
        "us",
        "i",
        "we",
        "they",
        "my",
        "your",
        "his",
        "their",
        "our",
        "someone",
        "something",
        "when",
        "how",
        "what",
        "if",
        "these",
        "those",
        "being",
        "having",
    }
)


def fillers_in(tokens: Sequence[str]) -> tuple[str, ...]:
    """Fillers from the list, plus "like" where it cannot be a verb or a comparison."""
    found = [hit.said for hit in find("fillers", tokens)]
    for i, token in enumerate(tokens):
        if token != "like":
            continue
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if before not in _LIKE_AFTER and after not in _LIKE_BEFORE:
            found.append("like")
    return tuple(found)


def words_per_minute(word_count: int, seconds: float | None) -> float | None:
    """Pace, or None when timing is unknown or too short to say."""
    if seconds is None or not seconds >= MIN_TIMED_SECONDS or word_count == 0:
        return None
    return round(word_count * 60.0 / seconds, 1)


def per_minute(count: int, seconds: float | None) -> float | None:
    """A count per minute, or None when timing is unknown or too short."""
    if seconds is None or not seconds >= MIN_TIMED_SECONDS:
        return None
    return round(count * 60.0 / seconds, 2)


def pace_band(wpm: float | None) -> str:
    """``slow``, ``ok`` or ``fast`` against 100-165 wpm; "" when unknown."""
    if wpm is None:
        return ""
    low, high = PACE_BAND
    return "slow" if wpm < low else "fast" if wpm > high else "ok"
