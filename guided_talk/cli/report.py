"""A plain-text feedback report for one stored session."""

from __future__ import annotations

from collections import defaultdict

from guided_talk.store import SessionDetail, StoredTurn


def print_report(detail: SessionDetail) -> None:
    """Print talk time per person, then what each reflect-back captured and missed."""
    print(f"\nFeedback: {detail.summary.exercise_title}")
    print("-" * 60)
    _talk_time(detail.turns)
    for turn in detail.turns:
        reflection = turn.feedback.get("reflection")
        if reflection:
            _reflection(turn, reflection)
        expression = turn.feedback.get("expression")
        if expression and expression.get("tips"):
            tips = expression["tips"]
            assert isinstance(tips, list)
            print(f"\n{turn.participant}'s statement: {len(tips)} thing(s) to try")
            for tip in tips:
                print(f"  * {tip}")


def _talk_time(turns: tuple[StoredTurn, ...]) -> None:
    seconds: dict[str, float] = defaultdict(float)
    for turn in turns:
        if turn.participant and turn.transcript is not None:
            seconds[turn.participant] += turn.ended_at - turn.started_at
    total = sum(seconds.values())
    for person, spoken in sorted(seconds.items()):
        share = spoken / total if total else 0.0
        print(f"{person}: {spoken / 60:.1f} min of recorded talk ({share:.0%})")


def _reflection(turn: StoredTurn, findings: dict[str, object]) -> None:
    coverage = findings.get("coverage", 0.0)
    assert isinstance(coverage, float | int)
    rating = ", ".join(f"{who} rated it {value}/5" for who, value in turn.ratings.items())
    print(
        f"\n{turn.participant}'s reflect-back ({turn.turn_id}): covered {coverage:.0%}"
        + (f"; {rating}" if rating else "")
    )
    units = findings.get("units", [])
    assert isinstance(units, list)
    for unit in units:
        mark = "captured" if unit["captured"] else "missed  "
        print(f"  [{mark}] {unit['text']}")
