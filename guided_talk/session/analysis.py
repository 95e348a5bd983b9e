"""The runner's ``TurnAnalyzer``: runs the feedback analyses a turn asks for."""

from __future__ import annotations

from functools import partial

from guided_talk.feedback.expression import analyze_expression
from guided_talk.feedback.reflection import analyze_reflection
from guided_talk.session.plan import PlannedTurn
from guided_talk.session.ports import TurnAnalyzer


def analyze_turn(
    turn: PlannedTurn,
    transcript: str,
    reflected: str | None,
    listener_style: str = "paraphrase",
    seconds: float | None = None,
) -> dict[str, dict[str, object]]:
    """Findings for each analysis the turn asks for, keyed by analysis name.

    Args:
        turn: The planned turn; ``turn.turn.analyses`` names the analyses to run.
        transcript: What was said in this turn.
        reflected: What this turn reflects back (the speaker's words), if any.
        listener_style: The exercise's ``listener_style``: ``mirror`` accepts close
            repetition, ``paraphrase`` encourages the listener's own words.
        seconds: How long the person spoke, when known (pace, fillers per minute).

    Returns:
        JSON-ready dicts; nothing here raises for any text.
    """
    findings: dict[str, dict[str, object]] = {}
    if "reflection" in turn.turn.analyses and reflected:
        findings["reflection"] = analyze_reflection(reflected, transcript, listener_style).as_dict()
    if "expression" in turn.turn.analyses:
        findings["expression"] = analyze_expression(transcript, seconds).as_dict()
    return findings


def turn_analyzer(listener_style: str = "paraphrase") -> TurnAnalyzer:
    """``analyze_turn`` with an exercise's listener style bound, for the runner."""
    return partial(analyze_turn, listener_style=listener_style)
