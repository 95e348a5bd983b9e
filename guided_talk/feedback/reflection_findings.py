"""What a reflect-back analysis finds: ``ReflectionFindings`` (see ``findings.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import ClassVar

from guided_talk.feedback.finding_parts import (
    FeelingMatch,
    IdeaUnit,
    Kept,
    Segment,
    kept_of,
)
from guided_talk.feedback.stored_values import (
    indices_of,
    items_of,
    mapping_of,
    number_of,
    text_of,
    texts_of,
    without_words,
)
from guided_talk.values import ListenerStyle, choice


@dataclass(frozen=True)
class ReflectionFindings:
    """How well a reflect-back covered what the speaker said, and what kind it was.

    Attributes:
        units: The speaker's idea units, each captured or missed.
        coverage: Weighted share of the speaker's points captured, 0..1.
        response_type: Main type, one of ``MAIN_TYPES``.
        reply_label: The finer label the reply classifier gave (``simple_reflection``,
            ``criticism``, ``reassurance`` ...), empty when it was not run.
        response_types: Every type found (adds ``rebuttal`` and ``check-in``), in order.
        mixed: The reply mixes reflection, question, advice or rebuttal.
        reflection_depth: ``simple``, ``complex`` or empty.
        question_kind: ``open``, ``closed``, ``check-in`` or empty.
        segments: Each sentence or clause of the reply with its type.
        feelings: Feelings named on each side and how they matched.
        stems: Listening stems used, by kind (mirror, check_in, ...).
        parroting: Share of the listener's words copied in runs of 3 or more.
        listener_style: How the exercise asked the listener to reflect.
        backend: Which signals the matching used.
        notes: Up to three short, kind suggestions.
        reflects: Plan positions of the turns this reply reflected.
        kept: How much of the finding this value holds.
    """

    KIND: ClassVar[str] = "reflection"
    #: Kept at rest with the words: what the trends read and what working the rest
    #: out again needs.
    MEASURES: ClassVar[tuple[str, ...]] = (
        "coverage",
        "listener_style",
        "reflection_depth",
        "reflects",
        "reply_label",
        "response_type",
        "response_types",
    )

    units: tuple[IdeaUnit, ...] = ()
    coverage: float = 0.0
    response_type: str = "other"
    reply_label: str = ""
    response_types: tuple[str, ...] = ()
    mixed: bool = False
    reflection_depth: str = ""
    question_kind: str = ""
    segments: tuple[Segment, ...] = ()
    feelings: FeelingMatch = field(default_factory=FeelingMatch)
    stems: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    parroting: float = 0.0
    listener_style: ListenerStyle = ListenerStyle.PARAPHRASE
    backend: str = ""
    notes: tuple[str, ...] = ()
    reflects: tuple[int, ...] = ()
    kept: Kept = Kept.ALL

    @property
    def reflected(self) -> bool:
        """The reply held a reflection (whatever else it held)."""
        return "reflection" in (self.response_types or (self.response_type,))

    @property
    def asked(self) -> bool:
        """The reply asked a real question (a check-in such as "Is there more?" is not one)."""
        return "question" in (self.response_types or (self.response_type,))

    def to_json(self) -> dict[str, object]:
        """Everything, as JSON-ready data (the command line's and exports' shape)."""
        return {
            "units": [u.to_json() for u in self.units],
            "coverage": self.coverage,
            "response_type": self.response_type,
            "reply_label": self.reply_label,
            "response_types": list(self.response_types),
            "mixed": self.mixed,
            "reflection_depth": self.reflection_depth,
            "question_kind": self.question_kind,
            "segments": [s.to_json() for s in self.segments],
            "feelings": self.feelings.to_json(),
            "stems": {group: list(said) for group, said in self.stems.items()},
            "parroting": self.parroting,
            "listener_style": str(self.listener_style),
            "backend": self.backend,
            "notes": list(self.notes),
            "reflects": list(self.reflects),
        }

    def at_rest(self, keep_words: bool) -> ReflectionFindings:
        """The part of this finding that is stored (see the module's docstring)."""
        if not keep_words:
            return _scores_of_reflection(self)
        if self.kept != Kept.ALL:
            return self
        return ReflectionFindings(
            coverage=self.coverage,
            response_type=self.response_type,
            reply_label=self.reply_label,
            response_types=self.response_types,
            reflection_depth=self.reflection_depth,
            listener_style=self.listener_style,
            reflects=self.reflects,
            kept=Kept.MEASURES,
        )

    def to_stored(self) -> dict[str, object]:
        """The JSON data kept on disk for this value (``from_stored`` reads it back)."""
        if self.kept == Kept.MEASURES:  # most of what is stored: built directly, in key order
            return {
                "coverage": self.coverage,
                "listener_style": str(self.listener_style),
                "reflection_depth": self.reflection_depth,
                "reflects": list(self.reflects),
                "reply_label": self.reply_label,
                "response_type": self.response_type,
                "response_types": list(self.response_types),
            }
        data = self.to_json()
        if self.kept == Kept.SCORES:
            return without_words(data) | {"kept": str(Kept.SCORES)}
        return data

    def with_measures_of(self, stored: ReflectionFindings) -> ReflectionFindings:
        """This finding with ``stored``'s measures, which win over ones worked out again
        (a measure an older version did not keep stays as worked out)."""
        kept = {name: getattr(stored, name) for name in self.MEASURES}
        if not stored.response_types:
            del kept["response_types"]
        return replace(self, **kept)

    @classmethod
    def from_stored(cls, data: Mapping[str, object]) -> ReflectionFindings:
        """A finding back from any shape ever stored; unreadable parts take their defaults."""
        kept = kept_of(data, "units")
        return cls(
            units=tuple(
                IdeaUnit.from_stored(u)
                for u in items_of(data.get("units"))
                if isinstance(u, Mapping)
            ),
            coverage=number_of(data.get("coverage")),
            response_type=text_of(data.get("response_type")) or "other",
            reply_label=text_of(data.get("reply_label")),
            response_types=texts_of(data.get("response_types")),
            mixed=data.get("mixed") is True,
            reflection_depth=text_of(data.get("reflection_depth")),
            question_kind=text_of(data.get("question_kind")),
            segments=tuple(
                Segment.from_stored(s)
                for s in items_of(data.get("segments"))
                if isinstance(s, Mapping)
            ),
            feelings=FeelingMatch.from_stored(data.get("feelings")),
            stems={g: texts_of(said) for g, said in mapping_of(data.get("stems")).items()},
            parroting=number_of(data.get("parroting")),
            listener_style=choice(
                ListenerStyle, data.get("listener_style"), ListenerStyle.PARAPHRASE
            ),
            backend=text_of(data.get("backend")),
            notes=texts_of(data.get("notes")),
            reflects=indices_of(data.get("reflects")),
            kept=kept,
        )


def _scores_of_reflection(found: ReflectionFindings) -> ReflectionFindings:
    return replace(
        found,
        units=tuple(IdeaUnit("", u.captured, u.score) for u in found.units),
        segments=tuple(Segment("", s.kind, s.detail, s.by_form) for s in found.segments),
        feelings=FeelingMatch(),
        stems={},
        notes=(),
        kept=Kept.SCORES,
    )
