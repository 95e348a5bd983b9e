"""Text helpers shared by the analyses: words, stems and idea units.

Speech recognition output may have no punctuation at all, so idea units are cut at
punctuation when there is some and at clause-joining words when there is not.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?;]+|\s[-\u2013\u2014]\s")  # stops, or a spaced dash
#: Words that usually open a new clause in unpunctuated speech.
_CLAUSE_JOINERS = frozenset({"and", "but", "because", "so", "then", "although", "though"})
_MIN_UNIT_WORDS = 4
_SUFFIXES = (
    "ingly",
    "edly",
    "fully",
    "ness",
    "ments",
    "ment",
    "ions",
    "ion",
    "ings",
    "ing",
    "ful",
    "ed",
    "es",
    "ly",
    "s",
)
_VOWELS = frozenset("aeiou")


#: Contractions as speech recognisers without punctuation write them ("youre").
_CONTRACTIONS = {
    "youre": "you're",
    "youve": "you've",
    "youd": "you'd",
    "youll": "you'll",
    "im": "i'm",
    "ive": "i've",
    "dont": "don't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "cant": "can't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "werent": "weren't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "thats": "that's",
    "whats": "what's",
    "theres": "there's",
    "theyre": "they're",
    "weve": "we've",
    "hes": "he's",
    "shes": "she's",
    "wont": "won't",
    "itll": "it'll",
    "ain't": "isn't",
}


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes kept inside a word ("don't"; "dont" becomes "don't")."""
    found = (w.lower().replace("\u2019", "'") for w in _WORD.findall(text.replace("\u2019", "'")))
    return [_CONTRACTIONS.get(w, w) for w in found]


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each of ``words(text)`` sits in the text: (start, end) offsets."""
    return [m.span() for m in _WORD.finditer(text.replace("\u2019", "'"))]


@cache
def stopwords() -> frozenset[str]:
    """The project's own list of words that carry little meaning."""
    raw = resources.files("guided_talk.feedback").joinpath("lexicons/stopwords.txt").read_text()
    lines = (line for line in raw.splitlines() if not line.startswith("#"))
    return frozenset(word for line in lines for word in line.split())


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light suffix-stripping stem, so "worried", "worries" and "worrying" meet."""
    word = word.lower()
    if len(word) > 4 and word.endswith(("ies", "ied")):
        word = word[:-3] + "y"
    for suffix in _SUFFIXES:
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            break
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS | {"l", "s"}:
        word = word[:-1]  # "upsetting" -> "upset"
    if len(word) > 3 and word[-1] == "e":
        word = word[:-1]  # "tense" and "tension" meet
    if len(word) > 3 and word[-1] == "y":
        word = word[:-1] + "i"
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


_I_WORDS = frozenset({"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"})
_YOU_WORDS = frozenset({"you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll"})
_WE_WORDS = frozenset({"we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd", "we'll"})


def pronoun_counts(tokens: list[str]) -> dict[str, int]:
    """How many I, you and we words a text holds ("you know" is not counted)."""
    counts = {"i": 0, "you": 0, "we": 0}
    for i, token in enumerate(tokens):
        if token in _I_WORDS:
            counts["i"] += 1
        elif token in _WE_WORDS:
            counts["we"] += 1
        elif token in _YOU_WORDS and not (token == "you" and tokens[i + 1 : i + 2] == ["know"]):
            counts["you"] += 1
    return counts
