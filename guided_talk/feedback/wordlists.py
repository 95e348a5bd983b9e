"""The project's own word lists, read from ``feedback/lexicons/*.txt``.

A list file holds comma-separated words or short phrases, ``#`` comments and
optional ``[group]`` headers. Entries are lower case; a phrase is matched as a
run of whole words, so "so you" never matches inside "also your".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from guided_talk.feedback.text import stem, words

#: Group name for entries that come before any ``[group]`` header.
NO_GROUP = ""


@cache
def groups(name: str) -> dict[str, tuple[str, ...]]:
    """The entries of ``lexicons/<name>.txt``, keyed by group, in file order."""
    raw = resources.files("guided_talk.feedback").joinpath(f"lexicons/{name}.txt").read_text()
    found: dict[str, list[str]] = {NO_GROUP: []}
    current = NO_GROUP
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            found.setdefault(current, [])
            continue
        found[current].extend(" ".join(words(e)) for e in line.split(",") if words(e))
    return {group: tuple(entries) for group, entries in found.items() if entries}


@cache
def entries(name: str) -> tuple[str, ...]:
    """Every entry of a list, whatever its group."""
    return tuple(e for group in groups(name).values() for e in group)


@dataclass(frozen=True)
class Hit:
    """One place a list entry occurs in a text.

    Attributes:
        entry: The list entry (lower case).
        group: The ``[group]`` it belongs to.
        start: Index of its first word in the text's word list.
        said: The words as they appear in the text.
    """

    entry: str
    group: str
    start: int
    said: str


@cache
def _stemmed_index(name: str) -> dict[tuple[str, ...], tuple[str, str]]:
    index: dict[tuple[str, ...], tuple[str, str]] = {}
    for group, items in groups(name).items():
        for item in items:
            index.setdefault(tuple(stem(w) for w in item.split()), (item, group))
    return index


@cache
def _longest(name: str) -> int:
    return max((len(key) for key in _stemmed_index(name)), default=1)


def find(name: str, tokens: Sequence[str]) -> list[Hit]:
    """Every non-overlapping occurrence of a list's entries, longest first.

    Args:
        name: The list (file name without ``.txt``).
        tokens: The text as lower-case words (``text.words``).

    Returns:
        Hits in text order. Words are compared by stem, so forms of a word meet.
    """
    index = _stemmed_index(name)
    stems = [stem(t) for t in tokens]
    hits: list[Hit] = []
    position = 0
    while position < len(stems):
        for size in range(min(_longest(name), len(stems) - position), 0, -1):
            key = tuple(stems[position : position + size])
            if key in index:
                entry, group = index[key]
                said = " ".join(tokens[position : position + size])
                hits.append(Hit(entry, group, position, said))
                position += size
                break
        else:
            position += 1
    return hits


def phrase_at(name: str, tokens: Sequence[str], start: int, group: str | None = None) -> str:
    """The longest entry of ``name`` (optionally of one group) starting at ``start``."""
    index = _stemmed_index(name)
    stems = [stem(t) for t in tokens[start : start + _longest(name)]]
    for size in range(len(stems), 0, -1):
        hit = index.get(tuple(stems[:size]))
        if hit and (group is None or hit[1] == group):
            return hit[0]
    return ""
