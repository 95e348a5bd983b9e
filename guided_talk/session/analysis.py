"""Running the feedback analyses: for the runner as a turn ends, and again for a
stored session when it is shown (the store keeps the words and the measures, not
the details that can be worked out from them; see feedback/privacy.py)."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import replace
from functools import partial

from guided_talk.feedback.expression import analyze_expression
from guided_talk.feedback.reflection import analyze_reflection
from guided_talk.session.plan import PlannedTurn
from guided_talk.session.ports import TurnAnalyzer
from guided_talk.store import SessionDetail, StoredTurn


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
        JSON-ready dicts; nothing here raises for any text. A reflection records
        which turns it reflected (``reflects``), so it can be worked out again.
    """
    return _analyze(
        turn.turn.analyses, transcript, reflected, turn.reflects, listener_style, seconds
    )


def turn_analyzer(listener_style: str = "paraphrase") -> TurnAnalyzer:
    """``analyze_turn`` with an exercise's listener style bound, for the runner."""
    return partial(analyze_turn, listener_style=listener_style)


def worked_out(detail: SessionDetail) -> SessionDetail:
    """The session with each turn's findings in full, worked out again from its words.

    Turns whose words were not kept, and findings already stored in full, are left
    as they are. The stored measures win over the ones worked out again, so the
    review agrees with the history's trends even after the analyses change.
    """
    said = {turn.index: turn.transcript for turn in detail.turns if turn.transcript}
    turns = tuple(_turn_worked_out(turn, said) for turn in detail.turns)
    return replace(detail, turns=turns)


def _turn_worked_out(turn: StoredTurn, said: dict[int, str]) -> StoredTurn:
    if not turn.transcript or not turn.feedback:
        return turn
    stored = turn.feedback
    redone: dict[str, dict[str, object]] = {}
    reflection = stored.get("reflection")
    if reflection is not None and "units" not in reflection:
        reflects = _indices(reflection.get("reflects"))
        reflected = " ".join(said[i] for i in reflects if i in said)
        style = reflection.get("listener_style")
        if reflected:
            redone |= _analyze(
                ["reflection"],
                turn.transcript,
                reflected,
                reflects,
                style if isinstance(style, str) else "paraphrase",  # unknown: paraphrase
                None,
            )
    expression = stored.get("expression")
    if expression is not None and "tips" not in expression:
        seconds = turn.ended_at - turn.started_at
        redone |= _analyze(["expression"], turn.transcript, None, (), "paraphrase", seconds)
    if not redone:
        return turn
    # In the form the store hands back (lists, not tuples), so views treat both alike.
    redone = json.loads(json.dumps(redone))
    merged = {**stored}
    for kind, found in redone.items():
        kept = {k: v for k, v in stored[kind].items() if k != "slots"}  # slots: the words
        merged[kind] = {**found, **kept}
    return replace(turn, feedback=merged)


def _analyze(
    analyses: Collection[str],
    transcript: str,
    reflected: str | None,
    reflects: Sequence[int],
    listener_style: str,
    seconds: float | None,
) -> dict[str, dict[str, object]]:
    findings: dict[str, dict[str, object]] = {}
    if "reflection" in analyses and reflected:
        found = analyze_reflection(reflected, transcript, listener_style).as_dict()
        findings["reflection"] = {**found, "reflects": list(reflects)}
    if "expression" in analyses:
        findings["expression"] = analyze_expression(transcript, seconds).as_dict()
    return findings


def _indices(value: object) -> list[int]:
    """The turn numbers in a stored ``reflects`` list (anything else is ignored)."""
    if not isinstance(value, list):
        return []
    return [i for i in value if isinstance(i, int) and not isinstance(i, bool)]
