"""The learned reply classifier: which of twelve kinds a listener's reply is.

A linear model over the features of ``reply_features``, trained by
``scripts/train_reply_model.py`` on the project's own labelled corpus
(``scripts/reply_corpus/``; docs/REPLY_MODEL.md is its card). It runs with numpy
alone: a sum of the hashed features' weights, the dense row times its weights,
and a softmax. When the weights file is missing or damaged the word rules decide
alone (``load_reply_model`` returns None).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from guided_talk.feedback.reply_features import (
    DENSE_SIZE,
    HASH_BITS,
    ReplyInput,
    dense_features,
    hashed,
    named_features,
)

logger = logging.getLogger(__name__)

#: The finer labels, and the main type each one belongs to.
MAIN_OF_LABEL = {
    "simple_reflection": "reflection",
    "complex_reflection": "reflection",
    "open_question": "question",
    "closed_question": "question",
    "advice": "advice",
    "information": "advice",
    "criticism": "criticism",
    "defensiveness": "criticism",
    "reassurance": "other",
    "taking_over": "other",
    "validation": "other",
    "other": "other",
}
LABELS = tuple(MAIN_OF_LABEL)
#: Each label in plain words, for the screens and the command line.
LABEL_WORDS = {
    "simple_reflection": "a simple reflection",
    "complex_reflection": "a complex reflection",
    "open_question": "an open question",
    "closed_question": "a yes-or-no question",
    "advice": "advice",
    "information": "information",
    "criticism": "criticism",
    "defensiveness": "a counter-complaint",
    "reassurance": "reassurance that skips the feeling",
    "taking_over": "taking the topic over",
    "validation": "validation",
    "other": "something else",
}
WEIGHTS_FILE = "reply_model.npz"
#: Added to the logit of every label of the main type the word rules chose. The
#: corpus the model learns from is everyday talk between partners; the rules were
#: shaped on a wider range of supportive talk, and on counselling dialogue this
#: prior kept their strengths (chosen on the tune half of AnnoMI's dev set, with no
#: weight fitted to it; docs/BENCHMARKS.md).
RULES_PRIOR = 2.0
#: Added to the logits of the labels that do not listen: they are rarer in real talk
#: than in the corpus, where every label has the same weight (chosen the same way).
NOT_LISTENING_SHIFT = -2.0
NOT_LISTENING = ("criticism", "defensiveness", "reassurance", "taking_over")
_RULE_MAIN = {"rebuttal": "other"}


@dataclass(frozen=True)
class ReplyVerdict:
    """The classifier's view of one reply.

    Attributes:
        label: The most likely finer label (one of ``LABELS``).
        probabilities: Each label's probability, in ``LABELS`` order.
    """

    label: str
    probabilities: tuple[float, ...]

    @property
    def main(self) -> str:
        """The main type the label belongs to."""
        return MAIN_OF_LABEL[self.label]

    def of(self, *labels: str) -> float:
        """The summed probability of ``labels``."""
        return sum(p for name, p in zip(LABELS, self.probabilities, strict=True) if name in labels)

    def of_main(self, main: str) -> float:
        """The summed probability of every label of one main type."""
        return self.of(*(label for label, kind in MAIN_OF_LABEL.items() if kind == main))


class ReplyModel:
    """Linear weights over hashed named features and a dense row."""

    def __init__(
        self,
        sparse: npt.NDArray[np.float32],
        dense: npt.NDArray[np.float32],
        bias: npt.NDArray[np.float32],
    ) -> None:
        self.sparse, self.dense, self.bias = sparse, dense, bias

    def judge(self, given: ReplyInput) -> ReplyVerdict:
        """The verdict on one reply."""
        slots = hashed(named_features(given))
        logits = self.sparse[slots].sum(axis=0) + dense_features(given) @ self.dense + self.bias
        own = _softmax(logits)
        # The rules cannot tell an attack or a brush-off from other replies, so they
        # weigh less the surer the model is that the reply is one.
        trust = 1.0 - float(own[_NOT_LISTENING_MASK].sum())
        probabilities = _softmax(logits + trust * _rules_prior(given.rules.main) + _SHIFT)
        best = int(np.argmax(probabilities))
        return ReplyVerdict(LABELS[best], tuple(round(float(p), 4) for p in probabilities))


_NOT_LISTENING_MASK = np.array([label in NOT_LISTENING for label in LABELS])
_SHIFT = NOT_LISTENING_SHIFT * _NOT_LISTENING_MASK.astype(np.float32)


def _softmax(logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    odds = np.exp(logits - logits.max())
    return odds / odds.sum()  # type: ignore[no-any-return]


@cache
def _rules_prior(rules_main: str) -> npt.NDArray[np.float32]:
    main = _RULE_MAIN.get(rules_main, rules_main)
    return np.array(
        [RULES_PRIOR * (MAIN_OF_LABEL[label] == main) for label in LABELS], dtype=np.float32
    )


def weights_from(arrays: dict[str, npt.NDArray[np.float32]]) -> ReplyModel:
    """A model from its arrays, after checking every shape and value."""
    sparse, dense, bias = arrays["sparse"], arrays["dense"], arrays["bias"]
    labels = len(LABELS)
    if sparse.shape != (1 << HASH_BITS, labels) or dense.shape != (DENSE_SIZE, labels):
        raise ValueError("the reply model's weights do not fit its features")
    if bias.shape != (labels,) or not all(np.isfinite(a).all() for a in (sparse, dense, bias)):
        raise ValueError("the reply model's weights are damaged")
    return ReplyModel(sparse.astype(np.float32), dense.astype(np.float32), bias.astype(np.float32))


def load_reply_model() -> ReplyModel | None:
    """The shipped model, loaded once; None when its weights cannot be read."""
    with _LOADING:
        return _load()


_LOADING = threading.Lock()


def load_weights() -> ReplyModel:
    """Read and check the shipped weights (raises when they cannot be used)."""
    source = resources.files("guided_talk.feedback").joinpath(f"models/{WEIGHTS_FILE}")
    with source.open("rb") as handle, np.load(handle) as saved:
        return weights_from({name: saved[name] for name in ("sparse", "dense", "bias")})


@cache
def _load() -> ReplyModel | None:
    try:
        return load_weights()
    except Exception:  # a missing or broken weights file must never stop the feedback
        logger.warning(
            "The reply model could not be loaded; the word rules decide alone", exc_info=True
        )
        return None
