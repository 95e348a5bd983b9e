"""Text helpers shared by the analyses: words, stems and idea units.

Speech recognition output may have no punctuation at all, so idea units are cut at
punctuation when there is some and at clause-joining words when there is not.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?;]+|\s[-\u2013\u2014]\s")  # stops, or a spaced dash
#: Words that usually open a new clause in unpunctuated speech.
_CLAUSE_JOINERS = frozenset({"and", "but", "because", "so", "then", "although", "though"})
_MIN_UNIT_WORDS = 4
_SUFFIXES = ("ingly", "edly", "ness", "ment", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s")


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes kept inside a word ("don't")."""
    return [w.lower() for w in _WORD.findall(text)]


@cache
def stopwords() -> frozenset[str]:
    """The project's own list of words that carry little meaning."""
    raw = resources.files("guided_talk.feedback").joinpath("lexicons/stopwords.txt").read_text()
    lines = (line for line in raw.splitlines() if not line.startswith("#"))
    return frozenset(word for line in lines for word in line.split())


def stem(word: str) -> str:
    """A light suffix-stripping stem, so "worried" and "worrying" meet."""
    word = word.replace("'", "")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order."""
    stop = stopwords()
    return [stem(w) for w in words(text) if w.replace("'", "") not in stop and len(w) > 1]


def idea_units(text: str) -> list[str]:
    """Split a turn into clause-sized idea units."""
    units: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        units.extend(_split_clauses(sentence.strip(" ,")))
    return [u for u in units if u]


def _split_clauses(sentence: str) -> list[str]:
    tokens = sentence.split()
    clauses: list[list[str]] = [[]]
    for token in tokens:
        bare = token.lower().strip(",")
        if bare in _CLAUSE_JOINERS and len(clauses[-1]) >= _MIN_UNIT_WORDS:
            clauses.append([])
        clauses[-1].append(token)
    merged: list[list[str]] = []
    for clause in clauses:
        if merged and len(clause) < _MIN_UNIT_WORDS:
            merged[-1].extend(clause)
        else:
            merged.append(clause)
    return [" ".join(c).strip(" ,") for c in merged if c]
