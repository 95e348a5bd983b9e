"""The runner's ``TurnAnalyzer``: runs the feedback analyses a turn asks for."""

from __future__ import annotations

from guided_talk.feedback.expression import analyze_expression
from guided_talk.feedback.reflection import analyze_reflection
from guided_talk.session.plan import PlannedTurn


def analyze_turn(
    turn: PlannedTurn, transcript: str, reflected: str | None
) -> dict[str, dict[str, object]]:
    """Findings for each analysis the turn asks for, keyed by analysis name."""
    findings: dict[str, dict[str, object]] = {}
    if "reflection" in turn.turn.analyses and reflected:
        findings["reflection"] = analyze_reflection(reflected, transcript).as_dict()
    if "expression" in turn.turn.analyses:
        findings["expression"] = analyze_expression(transcript).as_dict()
    return findings
