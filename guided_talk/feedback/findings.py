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
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import ClassVar

from guided_talk.values import ListenerStyle, choice

#: The main types a reply is sorted into (the jsonl interface's ``response_type``).
MAIN_TYPES = ("reflection", "question", "advice", "other")
#: Every type a segment can have; a rebuttal counts as ``other`` in the main type.
SEGMENT_TYPES = ("reflection", "question", "advice", "rebuttal", "other")
#: The parts of a clear statement, in the order they are said.
STATEMENT_PARTS = ("feeling", "situation", "need", "request")


class Kept(StrEnum):
    """How much of a finding a value holds."""

    ALL = "all"  # worked out from the words just now
    MEASURES = "measures"  # the trends' measures; the rest can be worked out again
    SCORES = "scores"  # numbers, yes/no values and labels: no words at all


@dataclass(frozen=True)
class IdeaUnit:
    """One of the speaker's points and whether the reflection captured it.

    Attributes:
        text: The unit as the speaker said it.
        captured: Whether the reflection got it.
        score: How sure we are it was captured, 0..1.
        matched: The listener's words that share a stem with the unit.
        listener_words: The listener's clause that comes closest to it.
    """

    text: str
    captured: bool
    score: float
    matched: tuple[str, ...] = ()
    listener_words: str = ""


@dataclass(frozen=True)
class FeelingMatch:
    """Feelings on each side. Words meet by family ("worried" matches "anxious").

    Attributes:
        speaker: Feeling words the speaker used.
        listener: Feeling words the listener used or guessed.
        matched: The speaker's feeling words the listener named back (any family word).
        missed: The speaker's feeling words the listener did not name back.
        guessed: The listener's feeling words of a family the speaker did not name.
    """

    speaker: tuple[str, ...] = ()
    listener: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    guessed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Segment:
    """One sentence or clause of the listener's reply and its type.

    Attributes:
        text: The words of the segment.
        kind: One of ``SEGMENT_TYPES``.
        detail: ``open``/``closed``/``check-in`` for a question,
            ``advice``/``information`` for advice, empty otherwise.
        by_form: The type was guessed from the sentence's form alone (a statement
            about the listener: "I'll send you ..."), with no marker word. It only
            shapes the notes written as the reply is analysed, so it is not kept.
    """

    text: str
    kind: str
    detail: str = ""
    by_form: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class ResponseFindings:
    """What kind of response a listener's reply was.

    Attributes:
        main: One of ``MAIN_TYPES``.
        types: Every segment type present, in order of first appearance; a check-in
            question ("Did I get that?") is listed as ``check-in``.
        mixed: More than one of reflection, question, advice and rebuttal (a check-in
            does not count as a question here).
        reflection_depth: ``complex``, ``simple`` or empty when no reflection.
        question_kind: ``open``, ``closed`` or empty when no question.
        segments: Each segment with its type.
    """

    main: str
    types: tuple[str, ...]
    mixed: bool
    reflection_depth: str
    question_kind: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class ReflectionFindings:
    """How well a reflect-back covered what the speaker said, and what kind it was.

    Attributes:
        units: The speaker's idea units, each captured or missed.
        coverage: Weighted share of the speaker's points captured, 0..1.
        response_type: Main type, one of ``MAIN_TYPES``.
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
        "response_type",
        "response_types",
    )

    units: tuple[IdeaUnit, ...] = ()
    coverage: float = 0.0
    response_type: str = "other"
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
            "units": [_unit_json(u) for u in self.units],
            "coverage": self.coverage,
            "response_type": self.response_type,
            "response_types": list(self.response_types),
            "mixed": self.mixed,
            "reflection_depth": self.reflection_depth,
            "question_kind": self.question_kind,
            "segments": [
                {"text": s.text, "type": s.kind, "detail": s.detail} for s in self.segments
            ],
            "feelings": {
                f.name: list(getattr(self.feelings, f.name)) for f in fields(FeelingMatch)
            },
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
            response_types=self.response_types,
            reflection_depth=self.reflection_depth,
            listener_style=self.listener_style,
            reflects=self.reflects,
            kept=Kept.MEASURES,
        )

    def to_stored(self) -> dict[str, object]:
        """The JSON data kept on disk for this value (``from_stored`` reads it back)."""
        data = self.to_json()
        if self.kept == Kept.MEASURES:
            return {key: data[key] for key in self.MEASURES}
        if self.kept == Kept.SCORES:
            return _without_words(data) | {"kept": str(Kept.SCORES)}
        return data

    def with_measures_of(self, stored: ReflectionFindings) -> ReflectionFindings:
        """This finding with ``stored``'s measures, which win over ones worked out again."""
        return replace(self, **{name: getattr(stored, name) for name in self.MEASURES})

    @classmethod
    def from_stored(cls, data: Mapping[str, object]) -> ReflectionFindings:
        """A finding back from any shape ever stored; unreadable parts take their defaults."""
        kept = _kept_of(data, "units")
        feelings = data.get("feelings")
        return cls(
            units=tuple(_unit_of(u) for u in _items(data.get("units")) if isinstance(u, Mapping)),
            coverage=_number(data.get("coverage")),
            response_type=_text(data.get("response_type")) or "other",
            response_types=_texts(data.get("response_types")),
            mixed=data.get("mixed") is True,
            reflection_depth=_text(data.get("reflection_depth")),
            question_kind=_text(data.get("question_kind")),
            segments=tuple(
                _segment_of(s) for s in _items(data.get("segments")) if isinstance(s, Mapping)
            ),
            feelings=_feelings_of(feelings if isinstance(feelings, Mapping) else {}),
            stems=_stems_of(data.get("stems")),
            parroting=_number(data.get("parroting")),
            listener_style=choice(
                ListenerStyle, data.get("listener_style"), ListenerStyle.PARAPHRASE
            ),
            backend=_text(data.get("backend")),
            notes=_texts(data.get("notes")),
            reflects=_indices(data.get("reflects")),
            kept=kept,
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
        data = self.to_json()
        if self.kept == Kept.ALL:
            return data
        parts = data.pop("parts")
        data["slots"] = parts
        if self.kept == Kept.MEASURES:
            return {
                "fillers_per_minute": data["fillers_per_minute"],
                "pace_wpm": data["pace_wpm"],
                "slots": parts,
            }
        return _without_words(data) | {"slots": parts, "kept": str(Kept.SCORES)}

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
            words=_whole(data.get("words")),
            slots={k: v for k, v in said.items() if isinstance(v, str)},
            parts={k: bool(v) for k, v in said.items()},
            feeling_kind=_text(data.get("feeling_kind")) or "none",
            feelings=_texts(data.get("feelings")),
            faux_feelings=_texts(data.get("faux_feelings")),
            thoughts=_texts(data.get("thoughts")),
            you_statements=_whole(data.get("you_statements")),
            blame=_texts(data.get("blame")),
            absolutist_words=_texts(data.get("absolutist_words")),
            hedges=_texts(data.get("hedges")),
            fillers=_texts(data.get("fillers")),
            fillers_per_minute=_maybe_number(data.get("fillers_per_minute")),
            pace_wpm=_maybe_number(data.get("pace_wpm")),
            pace=_text(data.get("pace")),
            pronouns=(
                {str(k): _whole(v) for k, v in pronouns.items()}
                if isinstance(pronouns, Mapping)
                else {}
            ),
            rewrite=_text(data.get("rewrite")),
            names_a_feeling=data.get("names_a_feeling") is True,
            thought_dressed_as_feeling=data.get("thought_dressed_as_feeling") is True,
            states_a_need=data.get("states_a_need") is True,
            tips=_texts(data.get("tips")),
            kept=_kept_of(data, "tips"),
        )


Finding = ReflectionFindings | ExpressionFindings
_KINDS: dict[str, type[ReflectionFindings] | type[ExpressionFindings]] = {
    ReflectionFindings.KIND: ReflectionFindings,
    ExpressionFindings.KIND: ExpressionFindings,
}
#: The kinds of finding there are, as the store names them.
FINDING_KINDS = tuple(_KINDS)


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


def finding_from_stored(kind: str, data: Mapping[str, object]) -> Finding | None:
    """One finding of a named kind back from stored data (None for an unknown kind)."""
    reader = _KINDS.get(kind)
    return reader.from_stored(data) if reader is not None else None


# --- keeping only scores -------------------------------------------------------------


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


def _without_words(data: Mapping[str, object]) -> dict[str, object]:
    """Drops every empty text and empty list, so a scores-only value stays small."""
    kept: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            value = _without_words(value)
        elif isinstance(value, list):
            value = [_without_words(v) if isinstance(v, Mapping) else v for v in value]
        if value != "" and value != []:
            kept[key] = value
    return kept


# --- reading stored data (anything a hand or an older version may have left) -------


def _kept_of(data: Mapping[str, object], detail_key: str) -> Kept:
    if data.get("kept") == Kept.SCORES:
        return Kept.SCORES
    return Kept.ALL if detail_key in data else Kept.MEASURES


def _unit_json(unit: IdeaUnit) -> dict[str, object]:
    return {
        "text": unit.text,
        "captured": unit.captured,
        "score": unit.score,
        "matched": list(unit.matched),
        "listener_words": unit.listener_words,
    }


def _unit_of(data: Mapping[str, object]) -> IdeaUnit:
    return IdeaUnit(
        text=_text(data.get("text")),
        captured=data.get("captured") is True,
        score=_number(data.get("score")),
        matched=_texts(data.get("matched")),
        listener_words=_text(data.get("listener_words")),
    )


def _segment_of(data: Mapping[str, object]) -> Segment:
    return Segment(
        _text(data.get("text")), _text(data.get("type")) or "other", _text(data.get("detail"))
    )


def _feelings_of(data: Mapping[str, object]) -> FeelingMatch:
    return FeelingMatch(**{f.name: _texts(data.get(f.name)) for f in fields(FeelingMatch)})


def _stems_of(value: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        return {}
    return {str(group): _texts(said) for group, said in value.items()}


def _items(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _texts(value: object) -> tuple[str, ...]:
    return tuple(v for v in _items(value) if isinstance(v, str))


def _maybe_number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def _number(value: object) -> float:
    return _maybe_number(value) or 0.0


def _whole(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _indices(value: object) -> tuple[int, ...]:
    return tuple(i for i in _items(value) if isinstance(i, int) and not isinstance(i, bool))
