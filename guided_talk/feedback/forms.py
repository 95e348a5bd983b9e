"""Sentence forms: where a listener's turn splits into sentences and questions.

Speech recognition may give no punctuation at all, so questions are also found by
their form: a wh-word with an auxiliary ("what do you ..."), an auxiliary before its
subject ("... would you like ..."), or "do you" after a pause word. The closed word
classes come from ``lexicons/grammar.txt``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from guided_talk.feedback.text import words
from guided_talk.feedback.wordlists import groups

_SENTENCE = re.compile(r"[^.!?;]+[.!?;]*")
#: Words a sentence needs before a contracted wh-word ("what's") may start a question.
_MIN_SPLIT_WORDS = 3
#: Words a piece of unpunctuated speech needs before a pause word may end it.
_MIN_CLAUSE_WORDS = 4
#: Longest wh-phrase before its auxiliary ("how many drinks" + "would you").
_WH_PHRASE = 4
#: Two-word fillers skipped at the start of a sentence.
_FILLERS = frozenset({"you know", "i mean", "you see"})


@cache
def grammar(group: str) -> frozenset[str]:
    """A closed class of words from ``lexicons/grammar.txt``."""
    return frozenset(groups("grammar")[group])


@cache
def closed_openers() -> frozenset[str]:
    """Auxiliaries that open a yes/no question ("do", "is", "would" ...)."""
    return frozenset(groups("questions")["closed"])


def segments(text: str) -> list[tuple[list[str], bool]]:
    """Cut a turn into word lists, each with whether it ended in a question mark."""
    found: list[tuple[list[str], bool]] = []
    punctuated = any(mark in text for mark in ".?!")
    for sentence in _SENTENCE.findall(text):
        tokens = words(sentence)
        if not tokens:
            continue
        asked = sentence.rstrip().endswith("?")
        pieces = _split_at_questions(tokens, punctuated)
        found.extend((piece, asked and i == len(pieces) - 1) for i, piece in enumerate(pieces))
    return found


def _split_at_questions(tokens: list[str], punctuated: bool = True) -> list[list[str]]:
    """Split before a question that starts mid-sentence ("... what do you want").

    Without any punctuation an auxiliary before its subject starts one too ("...
    would you like"), and so does a pause word that usually opens a sentence
    ("... okay so ..."); with punctuation the marks already show where sentences are.
    """
    pieces: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        so_far = len(pieces[-1])
        asks = so_far > 0 and _question_start(tokens, i, so_far, punctuated)
        if asks or (not punctuated and _sentence_start(tokens, i, so_far)):
            pieces.append([])
        pieces[-1].append(token)
    return pieces


def _sentence_start(tokens: Sequence[str], i: int, so_far: int) -> bool:
    """In unpunctuated speech, a pause word that usually opens a new sentence."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    return (
        so_far >= _MIN_CLAUSE_WORDS
        and tokens[i] in grammar("sentence_openers")
        and nxt not in grammar("discourse")
        and nxt != ""
    )


def _question_start(tokens: Sequence[str], i: int, so_far: int, punctuated: bool) -> bool:
    """A wh-word with an auxiliary ("what do you"), or "do you" after a pause word."""
    first = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    before = tokens[i - 1] if i > 0 else ""
    if not punctuated and so_far >= _MIN_SPLIT_WORDS and _inverted(tokens, i):
        return True
    if before in grammar("not_before_question"):
        return False
    if first in grammar("wh"):
        return nxt in closed_openers() or (not punctuated and _inverts_after_wh(tokens, i + 1))
    if first in grammar("wh_contracted"):
        return nxt in grammar("subjects") or so_far >= _MIN_SPLIT_WORDS
    return first in grammar("auxiliaries") and nxt == "you" and before in grammar("discourse")


def _inverted(tokens: Sequence[str], i: int) -> bool:
    """An auxiliary before its subject ("... would you like", "... is that right")."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    before = tokens[i - 1] if i > 0 else ""
    if tokens[i] not in grammar("inverted") or nxt not in grammar("inverted_subjects"):
        return False
    if before in grammar("not_before_inversion"):
        return False
    after = tokens[i + 2 : i + 4]
    if nxt == "you" and after[:1] == ["know"] and tokens[i] in ("do", "did"):
        return after[1:] != [] and after[1] in grammar("after_you_know")  # a filler
    return True


def _inverts_after_wh(tokens: Sequence[str], start: int) -> bool:
    """A wh-phrase of a few words, then an auxiliary and its subject ("how many drinks
    would you", "what questions do you")."""
    for j in range(start, min(start + _WH_PHRASE, len(tokens) - 1)):
        if tokens[j] in grammar("subjects"):
            return False
        if tokens[j] in grammar("inverted") and tokens[j + 1] in grammar("inverted_subjects"):
            return True
    return False


def strip_discourse(tokens: list[str]) -> list[str]:
    """Drop pause words and two-word fillers ("so, um, you know, ...") at the start."""
    start = 0
    while start < len(tokens) - 1:
        if tokens[start] in grammar("discourse"):
            start += 1
        elif start < len(tokens) - 2 and " ".join(tokens[start : start + 2]) in _FILLERS:
            start += 2
        else:
            break
    return tokens[start:]
