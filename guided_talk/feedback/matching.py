"""Match each of the speaker's idea units to the listener's words.

A unit's capture score mixes four signals: how close the meaning of the unit (read
in the context of everything the speaker said) is to the whole reflection, the
share of the unit's content words the listener used (any form of the word), whether
a feeling the unit names came back in the same family, and how well the reply as a
whole stays with what was said (its sentence vector, and how much of the listener's
own wording has a close counterpart in the speaker's). Coverage is the mean capture
score over the units, weighted by how many content words they hold. Without the
sentence model, only the words and feelings count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from guided_talk.feedback.encoder import SentenceEncoder, TokenReading, Vectors
from guided_talk.feedback.feelings import feeling_families
from guided_talk.feedback.text import content_stems, idea_units, stem, words

#: Cosine of a unit and the reply that counts as half captured (MiniLM sentence
#: vectors: unrelated sentences sit near 0, a close paraphrase near 0.6), and how
#: steeply the semantic signal moves a unit from missed to captured.
SEMANTIC_MIDPOINT = 0.3
SEMANTIC_SLOPE = 5.0
#: Weight of the shared-word share (0..1) and of a matched feeling family.
LEXICAL_WEIGHT = 1.5
FEELING_WEIGHT = 1.0
#: Without sentence vectors: share of content words that counts as half captured.
LEXICAL_MIDPOINT = 0.34
#: Whole-reply agreement, as (weight, typical value of a real reflection): the two
#: turns' sentence cosine; how close the listener's words come, on average, to their
#: nearest word in the speaker's turn; the share of the listener's content words the
#: speaker used. Chosen on the tuning half of AnnoMI (docs/BENCHMARKS.md).
TURN_COSINE = (3.0, 0.3)
GROUNDING = (10.0, 0.35)
WORDS_FROM_SPEAKER = (2.0, 0.1)
#: A unit with a capture score at or above this is shown as captured. A unit's vector
#: is read in the context of its whole turn and shares some of the turn's meaning, so
#: a point left out of a close reply still scores 0.4-0.7; showing it as captured
#: needs clear evidence.
CAPTURED_AT = 0.7
#: A unit none of whose words or feelings came back is captured only when its
#: meaning is this close to the reply: read in the context of its turn, a point
#: the reply left out still borrows the closeness of the points it kept (0.6-0.65
#: for a left-out reason after a close mirror of the rest). Below it, its score
#: stays under the captured line.
UNSHARED_COSINE = 0.7
UNSHARED_CEILING = 0.6
#: Without the model, half captured is captured (the words alone do not blur).
CAPTURED_BY_WORDS_AT = 0.5
#: Longest listener clause shown beside a unit, in words.
MAX_SHOWN_WORDS = 24


@dataclass(frozen=True)
class UnitMatch:
    """One idea unit of the speaker and how the reflection met it.

    Attributes:
        text: The unit as the speaker said it.
        score: Capture score, 0..1.
        captured: ``score >= CAPTURED_AT`` (``CAPTURED_BY_WORDS_AT`` on words alone).
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


@dataclass(frozen=True)
class Matched:
    """How a reply met the speaker's turn.

    Attributes:
        units: Each of the speaker's idea units, in order.
        coverage: The weighted mean capture score (0..1; 0 when nothing was said).
        reply_vector: The reply's sentence vector, None without the model.
        turn_cosine: Cosine of the two turns' sentence vectors (0 without the model).
    """

    units: list[UnitMatch]
    coverage: float
    reply_vector: Vectors | None = None
    turn_cosine: float = 0.0


def match_units(speaker: str, listener: str, encoder: SentenceEncoder | None) -> Matched:
    """Score every idea unit of ``speaker`` against ``listener``."""
    # One space between words, so that idea units are substrings of the text read.
    speaker, listener = " ".join(speaker.split()), " ".join(listener.split())
    units = idea_units(speaker)
    if not units:
        return Matched([], 0.0)
    heard = words(listener)
    heard_pairs = [(w, stem(w)) for w in dict.fromkeys(heard)]
    heard_stems = {st for _, st in heard_pairs}
    clauses = idea_units(listener) or [listener]
    clause_stems = [{stem(w) for w in words(c)} for c in clauses]
    signals = _read_both(speaker, units, listener, clauses, heard, encoder)
    listener_families = feeling_families(heard)
    matches = []
    for i, unit in enumerate(units):
        stems = set(content_stems(unit))
        shared = stems & heard_stems
        lexical = len(shared) / len(stems) if stems else 0.0
        feeling = bool(feeling_families(words(unit)) & listener_families)
        similarity = signals.units[i] if signals else None
        if signals is None or similarity is None:
            score, best, bar = capture_score(lexical, None, feeling), -1, CAPTURED_BY_WORDS_AT
        else:
            score = capture_score(lexical, similarity, feeling, signals.agreement)
            if not (shared or feeling or similarity >= UNSHARED_COSINE):
                score = min(score, UNSHARED_CEILING)
            best, bar = signals.closest[i], CAPTURED_AT
        shown = _closest_clause(clauses, clause_stems, best, shared) if score > 0.2 else ""
        said = tuple(dict.fromkeys(w for w, st in heard_pairs if st in shared))
        matches.append(UnitMatch(unit, score, score >= bar, said, shown, len(stems)))
    if signals is None:
        return Matched(matches, coverage_of(matches))
    return Matched(matches, coverage_of(matches), signals.reply_vector, signals.turn_cosine)


def capture_score(
    lexical: float, semantic: float | None, feeling: bool, agreement: float = 0.0
) -> float:
    """Mix the signals into one 0..1 score (a logistic curve).

    ``agreement`` is the whole reply's share of the logit (see ``_read_both``).
    """
    if semantic is None:
        logit = 8.0 * (lexical - LEXICAL_MIDPOINT) + 2.0 * FEELING_WEIGHT * feeling
    else:
        logit = (
            SEMANTIC_SLOPE * (semantic - SEMANTIC_MIDPOINT)
            + LEXICAL_WEIGHT * (lexical - LEXICAL_MIDPOINT)
            + FEELING_WEIGHT * feeling
            + agreement
        )
    return round(1.0 / (1.0 + math.exp(-logit)), 4)


def credited(match: UnitMatch, restating: float, by_meaning: bool) -> UnitMatch:
    """The match with its score scaled by how much of the reply restates the speaker:
    a question or an attack on the same topic captures nothing."""
    if restating >= 1.0:
        return match
    score = round(match.score * restating, 4)
    bar = CAPTURED_AT if by_meaning else CAPTURED_BY_WORDS_AT
    return replace(match, score=score, captured=score >= bar)


def coverage_of(matches: list[UnitMatch]) -> float:
    """Mean capture score, weighted by content words; plain mean if none have any."""
    total = sum(m.weight for m in matches)
    if total == 0:
        return round(sum(m.score for m in matches) / len(matches), 4) if matches else 0.0
    return round(sum(m.score * m.weight for m in matches) / total, 4)


@dataclass(frozen=True)
class _Signals:
    """What the sentence model says about one speaker turn and one reply."""

    units: list[float | None]  # each unit's cosine with the reply (None: not read)
    closest: list[int]  # each unit's closest clause of the reply
    agreement: float  # the whole reply's share of every unit's logit
    reply_vector: Vectors
    turn_cosine: float


def _read_both(
    speaker: str,
    units: list[str],
    listener: str,
    clauses: list[str],
    heard: list[str],
    encoder: SentenceEncoder | None,
) -> _Signals | None:
    """Read both turns in context once, and derive every semantic signal from that."""
    if encoder is None or not heard:
        return None
    said, reply = encoder.read([speaker, listener])
    if said is None or reply is None:
        return None
    unit_vectors = _span_vectors(said, speaker, units)
    clause_vectors = np.stack(
        [
            v if v is not None else np.zeros_like(reply.sentence)
            for v in _span_vectors(reply, listener, clauses)
        ]
    )
    similarity = [None if v is None else float(v @ reply.sentence) for v in unit_vectors]
    closest = [
        -1 if v is None else int(np.argmax(np.einsum("jd,d->j", clause_vectors, v)))
        for v in unit_vectors
    ]
    listener_pieces = reply.unit[reply.content] if reply.content.any() else reply.unit
    # einsum, not @: a BLAS matrix product leaves OpenBLAS threads spinning on both
    # cores, and they slow the model's next reading by half (docs/BENCHMARKS.md).
    pairs = np.einsum("id,jd->ij", listener_pieces, said.unit)
    grounding = float(pairs.max(axis=1).mean())
    turn_cosine = float(said.sentence @ reply.sentence)
    listener_stems = set(content_stems(listener))
    from_speaker = len(listener_stems & set(content_stems(speaker))) / max(1, len(listener_stems))
    # A penalty only: a reply that wanders from what was said lowers every point, but
    # a close one adds nothing beyond each point's own evidence, so the points it left
    # out still show as missed.
    agreement = min(
        0.0,
        sum(
            weight * (value - typical)
            for (weight, typical), value in (
                (TURN_COSINE, turn_cosine),
                (GROUNDING, grounding),
                (WORDS_FROM_SPEAKER, from_speaker),
            )
        ),
    )
    return _Signals(similarity, closest, agreement, reply.sentence, turn_cosine)


def _span_vectors(reading: TokenReading, text: str, parts: list[str]) -> list[Vectors | None]:
    """Each part's vector, pooled from the reading of the whole text it came from.

    None for a part the reading does not reach (past its length limit).
    """
    rows: list[Vectors | None] = []
    position = 0
    for part in parts:
        start = text.find(part, position)
        if start < 0:
            rows.append(None)
            continue
        position = start + len(part)
        rows.append(reading.span_vector(start, position))
    return rows


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
