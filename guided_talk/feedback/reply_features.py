"""What the reply classifier reads of a reply: its words, its form, the rules'
verdict and how close it stays to what the speaker said.

The same function builds the features when the model is trained
(``scripts/train_reply_model.py``) and when it runs, so the two never drift apart.
Words and form become named features hashed into a fixed number of slots; the
sentence vector and the closeness measures are a short dense row.
"""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from guided_talk.feedback.finding_parts import ResponseFindings
from guided_talk.feedback.text import content_stems, word_spans, words
from guided_talk.feedback.wordlists import groups

#: Named features are hashed into 2**HASH_BITS slots.
HASH_BITS = 15
#: Length of the sentence vector (all-MiniLM-L6-v2).
VECTOR_SIZE = 384
#: Dense values after the vector: has a vector, turn cosine, coverage, share of the
#: reply's content words the speaker used, log length.
EXTRA_SIZE = 5
DENSE_SIZE = VECTOR_SIZE + EXTRA_SIZE
_LENGTH_BINS = (2, 5, 10, 20)
_PRONOUNS = {
    "i": "i",
    "i'm": "i",
    "me": "i",
    "my": "i",
    "you": "you",
    "you're": "you",
    "your": "you",
    "we": "we",
    "we're": "we",
    "us": "we",
    "our": "we",
}


@dataclass(frozen=True)
class ReplyInput:
    """Everything the classifier is given about one reply.

    Attributes:
        speaker: What the speaker said.
        reply: The listener's reply, its check-question ending already taken off.
        checked: Whether the reply ended with the exercise's check-question.
        asked: Whether the (remaining) reply ends with a question mark.
        rules: What the word rules made of the reply.
        coverage: How much of the speaker's turn the reply's words and meaning met.
        vector: The reply's unit-length sentence vector, or None without the model.
        turn_cosine: Cosine of the two turns' sentence vectors (0 without the model).
    """

    speaker: str
    reply: str
    checked: bool
    asked: bool
    rules: ResponseFindings
    coverage: float
    vector: npt.NDArray[np.float32] | None
    turn_cosine: float


def without_check_ending(reply: str) -> tuple[str, bool]:
    """The reply without a closing check-question ("..., did I get that?").

    A reply that is nothing but the check-question is kept as it is.
    """
    tokens = words(reply)
    for ending in _check_endings():
        size = len(ending)
        if len(tokens) > size and tuple(tokens[-size:]) == ending:
            return _cut_words(reply, len(tokens) - size), True
    return reply, False


def _cut_words(text: str, keep: int) -> str:
    """The text up to the end of its ``keep``-th word."""
    return text[: word_spans(text)[keep - 1][1]] if keep else ""


@cache
def _check_endings() -> tuple[tuple[str, ...], ...]:
    endings = {tuple(e.split()) for e in groups("questions")["check_ending"]}
    return tuple(sorted(endings, key=len, reverse=True))


def named_features(given: ReplyInput) -> list[str]:
    """The reply's words (1-3 grams with its edges), form and the rules' verdict."""
    tokens = words(given.reply)
    padded = ["<s>", *tokens, "</s>"]
    names = [f"w:{w}" for w in tokens]
    names += [f"b:{a} {b}" for a, b in itertools.pairwise(padded)]
    names += [f"t:{a} {b} {c}" for a, b, c in zip(padded, padded[1:], padded[2:], strict=False)]
    names += [f"first:{' '.join(tokens[:2])}", f"last:{' '.join(tokens[-2:])}"]
    names.append(f"len:{sum(len(tokens) > b for b in _LENGTH_BINS)}")
    for person in ("i", "you", "we"):
        count = sum(_PRONOUNS.get(t) == person for t in tokens)
        names.append(f"pron:{person}:{min(count, 3)}")
    names += ["asked"] if given.asked else []
    names += ["checked"] if given.checked else []
    rules = given.rules
    names += [f"rule:main:{rules.main}", f"rule:depth:{rules.reflection_depth}"]
    names += [f"rule:asks:{rules.question_kind}"]
    names += [f"rule:type:{t}" for t in rules.types]
    if rules.segments:
        names += [f"rule:first:{rules.segments[0].kind}", f"rule:last:{rules.segments[-1].kind}"]
    return names


def hashed(names: list[str]) -> npt.NDArray[np.int64]:
    """Each name's slot (a stable hash, the same on every machine and run)."""
    mask = (1 << HASH_BITS) - 1
    return np.fromiter((zlib.crc32(n.encode()) & mask for n in names), np.int64, len(names))


def dense_features(given: ReplyInput) -> npt.NDArray[np.float32]:
    """The sentence vector (zeros without the model) and the closeness measures."""
    row = np.zeros(DENSE_SIZE, dtype=np.float32)
    if given.vector is not None:
        row[:VECTOR_SIZE] = given.vector
        row[VECTOR_SIZE] = 1.0
    reply_stems = set(content_stems(given.reply))
    from_speaker = len(reply_stems & set(content_stems(given.speaker))) / max(1, len(reply_stems))
    row[VECTOR_SIZE + 1] = given.turn_cosine
    row[VECTOR_SIZE + 2] = given.coverage
    row[VECTOR_SIZE + 3] = from_speaker
    row[VECTOR_SIZE + 4] = np.log1p(len(words(given.reply))) / 4
    return row
