"""What the feedback finds, as typed values, from the analyzer to the screen and the store.

Findings travel as these frozen dataclasses everywhere. A finding turns into plain
JSON data in two ways only: ``to_json`` (everything, for exports and the command
line) and ``to_stored`` (what is kept on disk), and comes back in one way,
``from_stored``, which accepts every shape earlier versions stored.

What is kept at rest (``at_rest``):

- keep what was said: the measures the history's trends use (``MEASURES``); the
  rest, such as idea units, quoted words and notes, is worked out again from the
  stored words when a session is shown (``Kept.MEASURES``);
- keep only scores: numbers, yes/no values and fixed labels, never a person's
  words (``Kept.SCORES``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from guided_talk.feedback.expression_findings import ExpressionFindings
from guided_talk.feedback.finding_parts import (
    MAIN_TYPES,
    SEGMENT_TYPES,
    STATEMENT_PARTS,
    FeelingMatch,
    IdeaUnit,
    Kept,
    ResponseFindings,
    Segment,
)
from guided_talk.feedback.reflection_findings import ReflectionFindings

__all__ = [
    "MAIN_TYPES",
    "SEGMENT_TYPES",
    "STATEMENT_PARTS",
    "ExpressionFindings",
    "FeelingMatch",
    "Finding",
    "IdeaUnit",
    "Kept",
    "ReflectionFindings",
    "ResponseFindings",
    "Segment",
    "TurnFindings",
]


Finding = ReflectionFindings | ExpressionFindings
_KINDS: dict[str, type[ReflectionFindings] | type[ExpressionFindings]] = {
    ReflectionFindings.KIND: ReflectionFindings,
    ExpressionFindings.KIND: ExpressionFindings,
}


@dataclass(frozen=True)
class TurnFindings:
    """Everything the feedback found about one turn (each kind at most once)."""

    reflection: ReflectionFindings | None = None
    expression: ExpressionFindings | None = None

    def __bool__(self) -> bool:
        return self.reflection is not None or self.expression is not None

    def each(self) -> tuple[Finding, ...]:
        """The findings present, reflection first."""
        return tuple(f for f in (self.reflection, self.expression) if f is not None)

    def with_finding(self, finding: Finding) -> TurnFindings:
        """These findings with ``finding`` added, or replacing one of its kind."""
        if isinstance(finding, ReflectionFindings):
            return replace(self, reflection=finding)
        return replace(self, expression=finding)

    def at_rest(self, keep_words: bool) -> TurnFindings:
        """What of each finding is stored."""
        return TurnFindings(
            self.reflection.at_rest(keep_words) if self.reflection else None,
            self.expression.at_rest(keep_words) if self.expression else None,
        )

    def to_json(self) -> dict[str, dict[str, object]]:
        """Every finding in full, keyed by kind."""
        return {f.KIND: f.to_json() for f in self.each()}

    def to_stored(self) -> dict[str, dict[str, object]]:
        """Every finding as stored, keyed by kind."""
        return {f.KIND: f.to_stored() for f in self.each()}

    @classmethod
    def from_stored(cls, data: Mapping[str, object]) -> TurnFindings:
        """Findings back from stored data keyed by kind; unknown kinds are left out."""
        found = cls()
        for kind, value in data.items():
            reader = _KINDS.get(kind)
            if reader is not None and isinstance(value, Mapping):
                found = found.with_finding(reader.from_stored(value))
        return found
