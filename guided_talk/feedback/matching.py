"""Match each of the speaker's idea units to the listener's words.

A unit's capture score mixes three signals: how close the meaning of the unit is
to the whole reflection (sentence vectors, when a backend is installed), the
share of the unit's content words the listener used (any form of the word), and
whether a feeling the unit names came back in the same family. Coverage is the
mean capture score over the units, weighted by how many content words they hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from guided_talk.feedback.feelings import feeling_families
from guided_talk.feedback.semantic import SentenceEncoder
from guided_talk.feedback.text import content_stems, idea_units, stem, words

#: Similarity of a unit to a reflection that counts as half captured (cosine of mean
#: static vectors: unrelated sentences sit near 0, a close paraphrase near 0.6).
SEMANTIC_MIDPOINT = 0.3
#: How steeply the semantic signal moves a unit from missed to captured.
SEMANTIC_SLOPE = 10.0
#: Weight of the shared-word share (0..1) and of a matched feeling family.
LEXICAL_WEIGHT = 3.0
FEELING_WEIGHT = 1.0
#: Without sentence vectors: share of content words that counts as half captured.
LEXICAL_MIDPOINT = 0.34
#: In a reply of this many clauses or more (a summary), a unit may also match the
#: single closest clause; in shorter replies the whole reply is compared.
SUMMARY_CLAUSES = 3
#: How much of the closest clause's extra similarity counts.
CLAUSE_LIFT = 0.5
#: A unit with a capture score at or above this is shown as captured.
CAPTURED_AT = 0.5
#: Longest listener clause shown beside a unit, in words.
MAX_SHOWN_WORDS = 24


@dataclass(frozen=True)
class UnitMatch:
    """One idea unit of the speaker and how the reflection met it.

    Attributes:
        text: The unit as the speaker said it.
        score: Capture score, 0..1.
        captured: ``score >= CAPTURED_AT``.
        matched: The listener's words that share a stem with the unit.
        listener_words: The listener's clause that comes closest to the unit.
        weight: How many content words the unit holds (0 for "yeah").
    """

    text: str
    score: float
    captured: bool
    matched: tuple[str, ...]
    listener_words: str
    weight: int


def match_units(
    speaker: str, listener: str, encoder: SentenceEncoder | None
) -> tuple[list[UnitMatch], float]:
    """Score every idea unit of ``speaker`` against ``listener``.

    Returns:
        The units in order and the coverage (0..1; 0 when nothing was said).
    """
    units = idea_units(speaker)
    if not units:
        return [], 0.0
    heard = words(listener)
    heard_pairs = [(w, stem(w)) for w in dict.fromkeys(heard)]
    heard_stems = {st for _, st in heard_pairs}
    clauses = idea_units(listener) or [listener]
    clause_stems = [{stem(w) for w in words(c)} for c in clauses]
    semantic = _similarities(units, listener, clauses, encoder)
    listener_families = feeling_families(heard)
    matches = []
    for i, unit in enumerate(units):
        stems = set(content_stems(unit))
        shared = stems & heard_stems
        lexical = len(shared) / len(stems) if stems else 0.0
        feeling = bool(feeling_families(words(unit)) & listener_families)
        whole, best = (semantic[0][i], semantic[1][i]) if semantic else (None, -1)
        score = capture_score(lexical, whole, feeling)
        shown = _closest_clause(clauses, clause_stems, best, shared) if score > 0.2 else ""
        said = tuple(dict.fromkeys(w for w, st in heard_pairs if st in shared))
        matches.append(UnitMatch(unit, score, score >= CAPTURED_AT, said, shown, len(stems)))
    return matches, coverage_of(matches)


def capture_score(lexical: float, semantic: float | None, feeling: bool) -> float:
    """Mix the signals into one 0..1 score (a logistic curve)."""
    if semantic is None:
        logit = 8.0 * (lexical - LEXICAL_MIDPOINT) + 2.0 * FEELING_WEIGHT * feeling
    else:
        logit = (
            SEMANTIC_SLOPE * (semantic - SEMANTIC_MIDPOINT)
            + LEXICAL_WEIGHT * (lexical - LEXICAL_MIDPOINT)
            + FEELING_WEIGHT * feeling
        )
    return round(1.0 / (1.0 + math.exp(-logit)), 4)


def coverage_of(matches: list[UnitMatch]) -> float:
    """Mean capture score, weighted by content words; plain mean if none have any."""
    total = sum(m.weight for m in matches)
    if total == 0:
        return round(sum(m.score for m in matches) / len(matches), 4) if matches else 0.0
    return round(sum(m.score * m.weight for m in matches) / total, 4)


def _similarities(
    units: list[str], listener: str, clauses: list[str], encoder: SentenceEncoder | None
) -> tuple[list[float], list[int]] | None:
    """Each unit's similarity to the whole reflection, and its closest clause."""
    if encoder is None or not words(listener):
        return None
    vectors = encoder.encode([*units, listener, *clauses])
    unit_vectors = vectors[: len(units)]
    whole = unit_vectors @ vectors[len(units)]
    by_clause = unit_vectors @ vectors[len(units) + 1 :].T
    long_reply = len(clauses) >= SUMMARY_CLAUSES
    lift = np.maximum(0.0, by_clause.max(axis=1) - whole) * CLAUSE_LIFT if long_reply else 0.0
    closest = whole + lift
    return [float(x) for x in closest], [int(j) for j in np.argmax(by_clause, axis=1)]


def _closest_clause(
    clauses: list[str], clause_stems: list[set[str]], best: int, shared: set[str]
) -> str:
    """The listener's clause to show beside a unit: most shared words, else closest."""
    if shared:
        counts = [len(stems & shared) for stems in clause_stems]
        best = counts.index(max(counts))
    if not 0 <= best < len(clauses):
        return ""
    clause = clauses[best].split()
    shown = " ".join(clause[:MAX_SHOWN_WORDS])
    return shown + (" ..." if len(clause) > MAX_SHOWN_WORDS else "")
