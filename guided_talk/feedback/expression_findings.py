"""What a statement analysis finds: ``ExpressionFindings`` (see ``findings.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import ClassVar

from guided_talk.feedback.finding_parts import (
    STATEMENT_PARTS,
    Kept,
    kept_of,
)
from guided_talk.feedback.stored_values import (
    maybe_number,
    text_of,
    texts_of,
    whole_of,
    without_words,
)


@dataclass(frozen=True)
class ExpressionFindings:
    """What a statement did well and what could be clearer.

    Attributes:
        words: How many words were said.
        slots: The I-statement parts found, as said ("" when missing): feeling,
            situation, need, request.
        parts: Which of those parts were said (kept when the words are not).
        feeling_kind: ``feeling``, ``faux`` (blames while sounding like a feeling),
            ``thought`` ("I feel that you ...") or ``none``.
        feelings: Feeling words used.
        faux_feelings: Faux-feeling words used ("ignored", "betrayed").
        thoughts: "I feel that/like ..." phrases.
        you_statements: Sentences led by "you" (often heard as blame).
        blame: Blaming phrases ("your fault", "you always").
        absolutist_words: Words from the published list of 19.
        hedges: Softeners ("maybe", "kind of").
        fillers: Fillers ("um", "you know").
        fillers_per_minute: Fillers per minute (None when timing is unknown).
        pace_wpm: Words per minute (None when timing is unknown).
        pace: ``slow``, ``ok``, ``fast`` against 100-165 wpm, or "" when unknown.
        pronouns: Counts of I, you and we words.
        rewrite: The statement as a template, filled with the person's words; "" when
            all four parts are already there and nothing gets in the way.
        names_a_feeling: A real feeling word was said.
        thought_dressed_as_feeling: "I feel that you ..." was said.
        states_a_need: A need was said.
        tips: Up to three short, kind suggestions.
        kept: How much of the finding this value holds.
    """

    KIND: ClassVar[str] = "expression"
    MEASURES: ClassVar[tuple[str, ...]] = ("fillers_per_minute", "pace_wpm", "parts")

    words: int = 0
    slots: Mapping[str, str] = field(default_factory=dict)
    parts: Mapping[str, bool] = field(default_factory=dict)
    feeling_kind: str = "none"
    feelings: tuple[str, ...] = ()
    faux_feelings: tuple[str, ...] = ()
    thoughts: tuple[str, ...] = ()
    you_statements: int = 0
    blame: tuple[str, ...] = ()
    absolutist_words: tuple[str, ...] = ()
    hedges: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()
    fillers_per_minute: float | None = None
    pace_wpm: float | None = None
    pace: str = ""
    pronouns: Mapping[str, int] = field(default_factory=dict)
    rewrite: str = ""
    names_a_feeling: bool = False
    thought_dressed_as_feeling: bool = False
    states_a_need: bool = False
    tips: tuple[str, ...] = ()
    kept: Kept = Kept.ALL

    @property
    def share_of_parts(self) -> float:
        """How many of the four parts of a clear statement were said, 0..1."""
        return sum(bool(self.parts.get(p)) for p in STATEMENT_PARTS) / len(STATEMENT_PARTS)

    def to_json(self) -> dict[str, object]:
        """Everything, as JSON-ready data (the command line's and exports' shape)."""
        data: dict[str, object] = {}
        for item in fields(self):
            if item.name != "kept":
                value = getattr(self, item.name)
                data[item.name] = (
                    list(value)
                    if isinstance(value, tuple)
                    else dict(value)
                    if isinstance(value, Mapping)
                    else value
                )
        return data

    def at_rest(self, keep_words: bool) -> ExpressionFindings:
        """The part of this finding that is stored (see the module's docstring)."""
        if not keep_words:
            return _scores_of_expression(self)
        if self.kept != Kept.ALL:
            return self
        return ExpressionFindings(
            parts=self.parts,
            fillers_per_minute=self.fillers_per_minute,
            pace_wpm=self.pace_wpm,
            kept=Kept.MEASURES,
        )

    def to_stored(self) -> dict[str, object]:
        """The JSON data kept on disk for this value (``from_stored`` reads it back).

        Which parts were said is stored as ``slots`` of yes/no values, the shape
        every earlier version kept.
        """
        if self.kept == Kept.MEASURES:  # most of what is stored: built directly, in key order
            return {
                "fillers_per_minute": self.fillers_per_minute,
                "pace_wpm": self.pace_wpm,
                "slots": dict(self.parts),
            }
        data = self.to_json()
        if self.kept == Kept.ALL:
            return data
        parts = data.pop("parts")
        data["slots"] = parts
        return without_words(data) | {"slots": parts, "kept": str(Kept.SCORES)}

    def with_measures_of(self, stored: ExpressionFindings) -> ExpressionFindings:
        """This finding with ``stored``'s measures, which win over ones worked out again."""
        return replace(self, **{name: getattr(stored, name) for name in self.MEASURES})

    @classmethod
    def from_stored(cls, data: Mapping[str, object]) -> ExpressionFindings:
        """A finding back from any shape ever stored; unreadable parts take their defaults."""
        slots = data.get("slots")
        said = {str(k): v for k, v in slots.items()} if isinstance(slots, Mapping) else {}
        pronouns = data.get("pronouns")
        return cls(
            words=whole_of(data.get("words")),
            slots={k: v for k, v in said.items() if isinstance(v, str)},
            parts={k: bool(v) for k, v in said.items()},
            feeling_kind=text_of(data.get("feeling_kind")) or "none",
            feelings=texts_of(data.get("feelings")),
            faux_feelings=texts_of(data.get("faux_feelings")),
            thoughts=texts_of(data.get("thoughts")),
            you_statements=whole_of(data.get("you_statements")),
            blame=texts_of(data.get("blame")),
            absolutist_words=texts_of(data.get("absolutist_words")),
            hedges=texts_of(data.get("hedges")),
            fillers=texts_of(data.get("fillers")),
            fillers_per_minute=maybe_number(data.get("fillers_per_minute")),
            pace_wpm=maybe_number(data.get("pace_wpm")),
            pace=text_of(data.get("pace")),
            pronouns=(
                {str(k): whole_of(v) for k, v in pronouns.items()}
                if isinstance(pronouns, Mapping)
                else {}
            ),
            rewrite=text_of(data.get("rewrite")),
            names_a_feeling=data.get("names_a_feeling") is True,
            thought_dressed_as_feeling=data.get("thought_dressed_as_feeling") is True,
            states_a_need=data.get("states_a_need") is True,
            tips=texts_of(data.get("tips")),
            kept=kept_of(data, "tips"),
        )


def _scores_of_expression(found: ExpressionFindings) -> ExpressionFindings:
    return replace(
        found,
        slots={},
        feelings=(),
        faux_feelings=(),
        thoughts=(),
        blame=(),
        absolutist_words=(),
        hedges=(),
        fillers=(),
        rewrite="",
        tips=(),
        kept=Kept.SCORES,
    )
