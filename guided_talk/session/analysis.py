"""Running the feedback analyses: for the runner as a turn ends, and again for a
stored session when it is shown (the store keeps the words and the measures, not
the details that can be worked out from them; see feedback/findings.py)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from functools import partial

from guided_talk.feedback.expression import analyze_expression
from guided_talk.feedback.findings import Kept, TurnFindings
from guided_talk.feedback.reflection import analyze_reflection
from guided_talk.feedback.semantic import load_encoder
from guided_talk.session.plan import PlannedTurn
from guided_talk.session.ports import TurnAnalyzer
from guided_talk.store import SessionDetail, StoredTurn
from guided_talk.values import ListenerStyle


def analyze_turn(
    turn: PlannedTurn,
    transcript: str,
    reflected: str | None,
    listener_style: ListenerStyle = ListenerStyle.PARAPHRASE,
    seconds: float | None = None,
) -> TurnFindings:
    """Findings for each analysis the turn asks for.

    Args:
        turn: The planned turn; ``turn.turn.analyses`` names the analyses to run.
        transcript: What was said in this turn.
        reflected: What this turn reflects back (the speaker's words), if any.
        listener_style: The exercise's listener style: ``mirror`` accepts close
            repetition, ``paraphrase`` encourages the listener's own words.
        seconds: How long the person spoke, when known (pace, fillers per minute).

    Returns:
        The findings; nothing here raises for any text. A reflection records which
        turns it reflected (``reflects``), so it can be worked out again.
    """
    return _analyze(
        turn.turn.analyses, transcript, reflected, turn.reflects, listener_style, seconds
    )


def turn_analyzer(listener_style: ListenerStyle = ListenerStyle.PARAPHRASE) -> TurnAnalyzer:
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
    found = turn.feedback
    stored = found.reflection
    if stored is not None and stored.kept == Kept.MEASURES:
        reflected = " ".join(said[i] for i in stored.reflects if i in said)
        if reflected:
            redone = _analyze(
                ["reflection"], turn.transcript, reflected, stored.reflects, stored.listener_style
            ).reflection
            if redone is not None:
                found = found.with_finding(redone.with_measures_of(stored))
    statement = found.expression
    if statement is not None and statement.kept == Kept.MEASURES:
        seconds = turn.spoken_seconds
        redone_statement = analyze_expression(turn.transcript, seconds)
        found = found.with_finding(redone_statement.with_measures_of(statement))
    return turn if found is turn.feedback else replace(turn, feedback=found)


def _analyze(
    analyses: Collection[str],
    transcript: str,
    reflected: str | None,
    reflects: Sequence[int],
    listener_style: ListenerStyle,
    seconds: float | None = None,
) -> TurnFindings:
    findings = TurnFindings()
    if "reflection" in analyses and reflected:
        found = analyze_reflection(reflected, transcript, listener_style, encoder=load_encoder())
        findings = findings.with_finding(replace(found, reflects=tuple(reflects)))
    if "expression" in analyses:
        findings = findings.with_finding(analyze_expression(transcript, seconds))
    return findings
