"""Word error rate, with the same text normalisation on both sides.

Used by the speech tests, ``guided-talk check`` and ``scripts/bench_asr.py``.
"""

from __future__ import annotations

import re

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_SPELLINGS = (
    (r"\bgonna\b", "going to"),
    (r"\bwanna\b", "want to"),
    (r"\b(?:hmm+|mm+|mhm)\b", "hm"),
    (r"\berm\b", "um"),
    # Drawn-out hesitations are the same word however long they were held.
    (r"\bu+m+\b", "um"),
    (r"\bu+h+\b", "uh"),
)


def _number_words(match: re.Match[str]) -> str:
    digits = match.group()
    value = int(digits)
    if value < len(_ONES):
        return f" {_ONES[value]} "
    return " " + " ".join(_ONES[int(d)] for d in digits) + " "


def normalise(text: str) -> list[str]:
    """Lower case, digits as words, common spoken spellings unified, no punctuation."""
    text = text.lower().replace("-", " ")
    for pattern, replacement in _SPELLINGS:
        text = re.sub(pattern, replacement, text)
    text = re.sub(r"\d+", _number_words, text)
    return re.sub(r"[^a-z' ]", " ", text).split()


def word_errors(reference: list[str], hypothesis: list[str]) -> int:
    """Substitutions, insertions and deletions (Levenshtein distance over words)."""
    row = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, 1):
        diagonal, row[0] = row[0], i
        for j, hyp_word in enumerate(hypothesis, 1):
            current = min(row[j] + 1, row[j - 1] + 1, diagonal + (ref_word != hyp_word))
            diagonal, row[j] = row[j], current
    return row[-1]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Errors per reference word (0 when both are empty)."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return word_errors(ref, hyp) / len(ref)
