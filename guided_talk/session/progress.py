"""Progress over time: per person, one value per session for each measure.

Computed from stored sessions (their turns and findings), oldest first, so a screen
can draw a trend line for each partner.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from statistics import mean

from guided_talk.feedback.measures import TurnSummary, listening_measures
from guided_talk.store import SessionDetail, StoredTurn

#: Measures shown as trends, with a short label and how to print a value.
MEASURES: dict[str, tuple[str, str]] = {
    "coverage": ("reflect-back coverage", "{:.0%}"),
    "complex_share": ("complex reflections", "{:.0%}"),
    "reflections_per_question": ("reflections per question", "{:.1f}"),
    "i_statement": ("I-statement parts", "{:.0%}"),
    "fillers_per_minute": ("fillers a minute", "{:.1f}"),
    "pace_wpm": ("words a minute", "{:.0f}"),
    "talk_share": ("share of talk time", "{:.0%}"),
}
Trends = dict[str, dict[str, list[float]]]


def progress(sessions: Iterable[SessionDetail]) -> Trends:
    """``person -> measure -> values``, one value per session the person had data in."""
    trends: Trends = defaultdict(lambda: defaultdict(list))
    ordered = sorted(sessions, key=lambda detail: detail.summary.started_at)
    for detail in ordered:
        for person, values in session_measures(detail.turns).items():
            for name, value in values.items():
                trends[person][name].append(value)
    return {person: dict(values) for person, values in trends.items()}


def session_measures(turns: tuple[StoredTurn, ...]) -> dict[str, dict[str, float]]:
    """Each person's measures in one session (only those with data)."""
    by_person: dict[str, list[StoredTurn]] = defaultdict(list)
    for turn in turns:
        if turn.participant:
            by_person[turn.participant].append(turn)
    talk = {
        p: sum(t.spoken_seconds for t in ts if t.transcript) for p, ts in by_person.items()
    }
    total_talk = sum(talk.values())
    result: dict[str, dict[str, float]] = {}
    for person, own in by_person.items():
        values = _person_measures(own)
        if total_talk > 0 and talk[person] > 0:
            values["talk_share"] = talk[person] / total_talk
        if values:
            result[person] = values
    return result


def turn_summary(turn: StoredTurn) -> TurnSummary:
    """What the session measures need from a stored turn."""
    rating = sum(turn.ratings.values()) / len(turn.ratings) if turn.ratings else None
    return TurnSummary(
        person=turn.participant,
        seconds=turn.spoken_seconds if turn.transcript is not None else 0.0,
        transcript=turn.transcript or "",
        findings=turn.feedback,
        rating=rating,
        turn_id=turn.turn_id,
    )


def _person_measures(turns: list[StoredTurn]) -> dict[str, float]:
    reflections = [t.feedback.reflection for t in turns if t.feedback.reflection]
    statements = [t.feedback.expression for t in turns if t.feedback.expression]
    values: dict[str, float] = {}
    if reflections:
        values["coverage"] = mean(r.coverage for r in reflections)
    listening = listening_measures([turn_summary(t) for t in turns if t.feedback.reflection])
    if listening.complex_share is not None:
        values["complex_share"] = listening.complex_share
    if listening.reflections_per_question is not None:
        values["reflections_per_question"] = listening.reflections_per_question
    parts = [st for st in statements if st.parts]
    if parts:
        values["i_statement"] = mean(st.share_of_parts for st in parts)
    fillers = [st.fillers_per_minute for st in statements if st.fillers_per_minute is not None]
    if fillers:
        values["fillers_per_minute"] = mean(fillers)
    pace = [st.pace_wpm for st in statements if st.pace_wpm is not None]
    if pace:
        values["pace_wpm"] = mean(pace)
    return values


#: One marker per person in a chart, so no one's line depends on colour.
MARKERS = "●▲■◆"
OVERLAP = "✱"


def chart(series: dict[str, list[float]], fmt: str, width: int = 30, height: int = 4) -> list[str]:
    """A small line plot of each person's values, newest on the right.

    Each person gets a marker from ``MARKERS``; where two meet the point is
    ``OVERLAP``. The first lines carry the top and bottom of the scale.

    Returns:
        ``height`` lines, each a value label and the plotted row.
    """
    shown = {person: values[-width:] for person, values in series.items() if values}
    if not shown:
        return []
    everything = [v for values in shown.values() for v in values]
    low, high = min(everything), max(everything)
    span = high - low or 1.0
    grid = [[" "] * width for _ in range(height)]
    for marker, values in zip(MARKERS, shown.values(), strict=False):
        start = width - len(values)
        for offset, value in enumerate(values):
            row = height - 1 - round((value - low) / span * (height - 1))
            cell = grid[row][start + offset]
            grid[row][start + offset] = marker if cell in (" ", marker) else OVERLAP
    labels = [fmt.format(high), *[""] * (height - 2), fmt.format(low)][:height]
    return [f"{label:>6} ┤{''.join(row)}" for label, row in zip(labels, grid, strict=True)]
