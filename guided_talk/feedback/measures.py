"""Session measures: a pure function over every turn's findings, timing and rating.

Bands follow MITI 4.2.1 (a clinicians' coding manual, used here as a guide):
reflections-to-questions 1:1 is fair and 2:1 good; complex reflections 40% of all
reflections is fair and 50% good.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from guided_talk.feedback.findings import ReflectionFindings, TurnFindings
from guided_talk.feedback.text import pronoun_counts, words

#: (fair, good) thresholds.
RATIO_BANDS = (1.0, 2.0)
COMPLEX_BANDS = (0.4, 0.5)
#: A reflection with this coverage, or a rating of 4 or 5, shows understanding.
UNDERSTOOD_COVERAGE = 0.5
UNDERSTOOD_RATING = 4


@dataclass(frozen=True)
class TurnSummary:
    """What the measures need from one turn.

    Attributes:
        person: Who took the turn.
        seconds: How long it lasted.
        transcript: What was said ("" when nothing was kept).
        findings: What the analyses found (as much as was kept).
        rating: The reflected person's "did they get it?" (1-5), if given.
        turn_id: A label for the turn in reports.
    """

    person: str
    seconds: float
    transcript: str = ""
    findings: TurnFindings = field(default_factory=TurnFindings)
    rating: float | None = None
    turn_id: str = ""


@dataclass(frozen=True)
class ListeningMeasures:
    """One listener's (or everyone's) reflect-backs, with MITI-style bands.

    Attributes:
        reflections: Turns that reflected.
        questions: Turns that asked a question (check-ins such as "Is there more?"
            are not counted).
        reflections_per_question: None when no question was asked.
        ratio_band: ``good``, ``fair``, ``below`` or "" with no reflections or questions.
        complex_share: Complex reflections among reflections, or None.
        complex_band: ``good``, ``fair``, ``below`` or "".
        advice_before_understanding: Turns that gave advice before the listener had
            shown understanding (a well-covered reflection or a rating of 4-5).
    """

    reflections: int = 0
    questions: int = 0
    reflections_per_question: float | None = None
    ratio_band: str = ""
    complex_share: float | None = None
    complex_band: str = ""
    advice_before_understanding: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionMeasures:
    """Measures over a whole session.

    Attributes:
        listening: Everyone's reflect-backs together.
        listening_by_person: The same, per listener.
        talk_share: Each person's share of the talk time, 0..1.
        talk_seconds: Each person's talk time in seconds.
        pronouns: Each person's I / you / we counts.
        pronoun_shares: The same as shares of the three, 0..1.
        ratings: Each rated reflection: who, turn, coverage and the rating beside it.
    """

    listening: ListeningMeasures
    listening_by_person: dict[str, ListeningMeasures]
    talk_share: dict[str, float]
    talk_seconds: dict[str, float]
    pronouns: dict[str, dict[str, int]]
    pronoun_shares: dict[str, dict[str, float]]
    ratings: tuple[dict[str, object], ...]

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return asdict(self)


def session_measures(turns: Sequence[TurnSummary]) -> SessionMeasures:
    """Work out every session measure from the turns, in the order they happened."""
    people = list(dict.fromkeys(t.person for t in turns if t.person))
    seconds = {
        p: round(sum(max(0.0, t.seconds) for t in turns if t.person == p), 2) for p in people
    }
    total = sum(seconds.values())
    pronouns = {p: _pronouns([t for t in turns if t.person == p]) for p in people}
    reflecting = [t for t in turns if t.findings.reflection is not None]
    return SessionMeasures(
        listening=listening_measures(reflecting),
        listening_by_person={
            p: listening_measures([t for t in reflecting if t.person == p])
            for p in people
            if any(t.person == p for t in reflecting)
        },
        talk_share={p: round(s / total, 4) if total else 0.0 for p, s in seconds.items()},
        talk_seconds=seconds,
        pronouns=pronouns,
        pronoun_shares={p: _shares(c) for p, c in pronouns.items()},
        ratings=tuple(_rating(t) for t in reflecting if t.rating is not None),
    )


def listening_measures(turns: Sequence[TurnSummary]) -> ListeningMeasures:
    """R:Q ratio, complex share and early advice over reflect-back turns."""
    reflections = questions = complex_count = 0
    early_advice: list[str] = []
    understood: set[str] = set()
    for turn in turns:
        found = turn.findings.reflection
        if found is None:
            continue
        if found.reflected:
            reflections += 1
            complex_count += found.reflection_depth == "complex"
        if found.asked:  # check-ins are listed as "check-in", not counted
            questions += 1
        advised = "advice" in (found.response_types or (found.response_type,))
        if advised and turn.person not in understood:
            early_advice.append(turn.turn_id or turn.person)
        if _shows_understanding(turn, found):
            understood.add(turn.person)
    ratio = round(reflections / questions, 3) if questions else None
    share = round(complex_count / reflections, 3) if reflections else None
    return ListeningMeasures(
        reflections=reflections,
        questions=questions,
        reflections_per_question=ratio,
        ratio_band=_ratio_band(reflections, questions),
        complex_share=share,
        complex_band=band(share, COMPLEX_BANDS),
        advice_before_understanding=tuple(early_advice),
    )


def band(value: float | None, thresholds: tuple[float, float]) -> str:
    """``good``, ``fair`` or ``below`` against (fair, good) thresholds; "" for None."""
    if value is None:
        return ""
    fair, good = thresholds
    return "good" if value >= good else "fair" if value >= fair else "below"


def _ratio_band(reflections: int, questions: int) -> str:
    if questions == 0:
        return "good" if reflections else ""
    return band(reflections / questions, RATIO_BANDS)


def _shows_understanding(turn: TurnSummary, found: ReflectionFindings) -> bool:
    covered = found.coverage >= UNDERSTOOD_COVERAGE
    rated = turn.rating is not None and turn.rating >= UNDERSTOOD_RATING
    return covered or rated


def _rating(turn: TurnSummary) -> dict[str, object]:
    found = turn.findings.reflection
    coverage = found.coverage if found is not None else None
    return {
        "person": turn.person,
        "turn": turn.turn_id,
        "coverage": coverage,
        "rating": turn.rating,
    }


def _pronouns(turns: Sequence[TurnSummary]) -> dict[str, int]:
    totals = {"i": 0, "you": 0, "we": 0}
    for turn in turns:
        for key, count in pronoun_counts(words(turn.transcript)).items():
            totals[key] += count
    return totals


def _shares(counts: Mapping[str, int]) -> dict[str, float]:
    total = sum(counts.values())
    return {k: round(v / total, 4) if total else 0.0 for k, v in counts.items()}
