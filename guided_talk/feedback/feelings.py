"""Feelings, faux feelings and needs named in a text.

Feelings are grouped into families (joy, fear, anger, ...) so a listener who says
"anxious" has matched a speaker who said "worried". Words that are often something
else ("sit down", "close the door") count only after a cue such as "feel" or "so".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from guided_talk.feedback.text import stem
from guided_talk.feedback.wordlists import NO_GROUP, find, groups

_CUE_WINDOW = 3  # how many words before a word its cue may stand


@dataclass(frozen=True)
class Named:
    """A feeling, faux feeling or need found in a text.

    Attributes:
        word: The words as said ("worried", "taken for granted").
        family: The feeling family, ``faux`` or ``need``.
        position: Index of the first word in the text's word list.
    """

    word: str
    family: str
    position: int


@cache
def _cue_needed() -> frozenset[str]:
    return frozenset(groups("feelings").get("cue_needed", ()))


@cache
def _not_feelings() -> frozenset[str]:
    return frozenset(groups("feelings").get("not_feelings", ()))


@cache
def _cues(kind: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(stem(w) for w in cue.split()) for cue in groups("cues")[kind])


def _cued(tokens: Sequence[str], position: int, kind: str) -> bool:
    """Whether a cue of ``kind`` ends within a few words before ``position``."""
    stems = [stem(t) for t in tokens[max(0, position - _CUE_WINDOW - 2) : position]]
    for cue in _cues(kind):
        for end in range(len(stems), max(0, len(stems) - _CUE_WINDOW), -1):
            if tuple(stems[end - len(cue) : end]) == cue:
                return True
    return False


def feelings_in(tokens: Sequence[str]) -> list[Named]:
    """Real feeling words, with their family (faux feelings are not included)."""
    found = []
    for hit in find("feelings", tokens):
        if hit.group in ("cue_needed", "not_feelings", NO_GROUP) or hit.said in _not_feelings():
            continue
        if hit.entry in _cue_needed() and not _cued(tokens, hit.start, "feeling"):
            continue
        found.append(Named(hit.said, hit.group, hit.start))
    return found


def faux_feelings_in(tokens: Sequence[str]) -> list[Named]:
    """Words that blame while sounding like feelings ("ignored", "betrayed")."""
    return [
        Named(hit.said, "faux", hit.start)
        for hit in find("faux_feelings", tokens)
        if _cued(tokens, hit.start, "faux_feeling")
    ]


def needs_in(tokens: Sequence[str]) -> list[Named]:
    """Needs named after a cue such as "I need" or "what matters to me is"."""
    return [
        Named(hit.said, "need", hit.start)
        for hit in find("needs", tokens)
        if _cued(tokens, hit.start, "need")
    ]


def feeling_families(tokens: Sequence[str]) -> frozenset[str]:
    """The feeling families named in a text."""
    return frozenset(named.family for named in feelings_in(tokens))
