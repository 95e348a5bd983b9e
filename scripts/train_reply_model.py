#!/usr/bin/env python3
"""Train the reply classifier on the project's own labelled corpus.

Reads ``scripts/reply_corpus/corpus.jsonl`` (written by ``build_reply_corpus.py``
from the scenes and patterns beside it), builds each reply's features exactly as
the app does (``guided_talk.feedback.reply_type.reply_input``), fits a multinomial
logistic regression (scikit-learn, a training-time dependency only: the ``train``
extra) and writes the weights to ``guided_talk/feedback/models/reply_model.npz``,
which the app reads with numpy alone.

It first scores the settings on scenes held out of training (every fifth topic),
then fits on the whole corpus. The fit is deterministic: the same corpus gives the
same weights.

    python scripts/build_reply_corpus.py && python scripts/train_reply_model.py
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse as sp
from sklearn.linear_model import LogisticRegression

from guided_talk.feedback.encoder import SentenceEncoder
from guided_talk.feedback.matching import match_units
from guided_talk.feedback.reply_features import (
    DENSE_SIZE,
    HASH_BITS,
    ReplyInput,
    dense_features,
    hashed,
    named_features,
)
from guided_talk.feedback.reply_model import LABELS, MAIN_OF_LABEL, WEIGHTS_FILE
from guided_talk.feedback.reply_type import reply_input
from guided_talk.feedback.response import classify_response
from guided_talk.feedback.semantic import load_encoder

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "scripts" / "reply_corpus" / "corpus.jsonl"
WEIGHTS = ROOT / "guided_talk" / "feedback" / "models" / WEIGHTS_FILE
#: Inverse strength of the weights' L2 penalty.
DEFAULT_C = 1.0
#: Share of replies also taught without the sentence vector, so the model still
#: works when the sentence model cannot be loaded.
WITHOUT_VECTOR = 0.15
SEED = 7


def read_corpus(path: Path) -> list[dict[str, str]]:
    """The corpus rows (topic, speaker, reply, label)."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def inputs_for(speaker: str, listener: str, encoder: SentenceEncoder | None) -> ReplyInput:
    """The classifier's input for one pair, as the app builds it."""
    matched = match_units(speaker, listener, encoder)
    rules = classify_response(listener, matched.coverage, speaker)
    return reply_input(speaker, listener, matched, rules)


def matrix(given: Sequence[ReplyInput]) -> sp.csr_matrix:
    """Hashed named features (counts) beside the dense rows."""
    rows, cols = [], []
    for i, item in enumerate(given):
        slots = hashed(named_features(item))
        rows.extend([i] * len(slots))
        cols.extend(slots.tolist())
    counts = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)),
        shape=(len(given), 1 << HASH_BITS),
    )
    dense = np.stack([dense_features(item) for item in given])
    return sp.hstack([counts, sp.csr_matrix(dense)], format="csr")


def training_inputs(
    rows: Sequence[dict[str, str]], encoder: SentenceEncoder | None
) -> tuple[list[ReplyInput], list[str]]:
    """Every row's input, plus a share again without the sentence vector."""
    chooser = random.Random(SEED)
    given, labels = [], []
    for row in rows:
        item = inputs_for(row["speaker"], row["reply"], encoder)
        given.append(item)
        labels.append(row["label"])
        if encoder is not None and chooser.random() < WITHOUT_VECTOR:
            given.append(replace(inputs_for(row["speaker"], row["reply"], None)))
            labels.append(row["label"])
    return given, labels


def fit(features: sp.csr_matrix, labels: Sequence[str], c: float) -> LogisticRegression:
    """A balanced multinomial logistic regression."""
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    model.fit(features, list(labels))
    return model


def arrays_of(model: LogisticRegression) -> dict[str, npt.NDArray[np.float32]]:
    """The weights in the app's layout: labels in ``LABELS`` order."""
    order = [list(model.classes_).index(label) for label in LABELS]
    coef = model.coef_[order].T.astype(np.float32)
    size = 1 << HASH_BITS
    assert coef.shape[0] == size + DENSE_SIZE
    return {
        "sparse": coef[:size],
        "dense": coef[size:],
        "bias": model.intercept_[order].astype(np.float32),
    }


def held_out_scores(
    rows: Sequence[dict[str, str]], encoder: SentenceEncoder | None, c: float
) -> None:
    """Accuracy on the labels and on the main types, for topics left out of training."""
    topics = sorted({row["topic"] for row in rows})
    held = set(topics[::5])
    train = [r for r in rows if r["topic"] not in held]
    test = [r for r in rows if r["topic"] in held]
    given, labels = training_inputs(train, encoder)
    model = fit(matrix(given), labels, c)
    guess = model.predict(matrix([inputs_for(r["speaker"], r["reply"], encoder) for r in test]))
    gold = [r["label"] for r in test]
    exact = np.mean([g == p for g, p in zip(gold, guess, strict=True)])
    main = np.mean([MAIN_OF_LABEL[g] == MAIN_OF_LABEL[p] for g, p in zip(gold, guess, strict=True)])
    print(
        f"held-out topics ({len(held)} of {len(topics)}, {len(test)} replies): "
        f"label accuracy {exact:.3f}, main type accuracy {main:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--c", type=float, default=DEFAULT_C, help="inverse L2 strength")
    parser.add_argument("--skip-check", action="store_true", help="fit only")
    args = parser.parse_args()
    rows = read_corpus(CORPUS)
    encoder = load_encoder()
    if encoder is None:
        raise SystemExit("The sentence model could not be loaded; it is needed to train.")
    if not args.skip_check:
        held_out_scores(rows, encoder, args.c)
    given, labels = training_inputs(rows, encoder)
    model = fit(matrix(given), labels, args.c)
    WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
    arrays = arrays_of(model)
    np.savez_compressed(
        WEIGHTS, sparse=arrays["sparse"], dense=arrays["dense"], bias=arrays["bias"]
    )
    print(f"{len(given)} examples, {len(LABELS)} labels -> {WEIGHTS}")


if __name__ == "__main__":
    main()
