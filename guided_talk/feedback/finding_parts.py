"""The small parts findings are made of: idea units, feelings, reply segments.

Each part knows its JSON form (``to_json``) and how to read it back
(``from_stored``); ``findings.py`` builds the findings from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum

from guided_talk.feedback.stored_values import mapping_of, number_of, text_of, texts_of

#: The main types a reply is sorted into (the jsonl interface's ``response_type``).
MAIN_TYPES = ("reflection", "question", "advice", "criticism", "other")
#: Every type a segment can have; a rebuttal counts as ``other`` in the main type.
SEGMENT_TYPES = ("reflection", "question", "advice", "rebuttal", "criticism", "other")
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

    def to_json(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "text": self.text,
            "captured": self.captured,
            "score": self.score,
            "matched": list(self.matched),
            "listener_words": self.listener_words,
        }

    @classmethod
    def from_stored(cls, data: Mapping[str, object]) -> IdeaUnit:
        """A unit back from stored data."""
        return cls(
            text=text_of(data.get("text")),
            captured=data.get("captured") is True,
            score=number_of(data.get("score")),
            matched=texts_of(data.get("matched")),
            listener_words=text_of(data.get("listener_words")),
        )


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

    def to_json(self) -> dict[str, object]:
        """JSON-ready data."""
        return {f.name: list(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_stored(cls, value: object) -> FeelingMatch:
        """Feelings back from stored data."""
        data = mapping_of(value)
        return cls(**{f.name: texts_of(data.get(f.name)) for f in fields(cls)})


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

    def to_json(self) -> dict[str, object]:
        """JSON-ready data (the type is stored as ``type``)."""
        return {"text": self.text, "type": self.kind, "detail": self.detail}

    @classmethod
    def from_stored(cls, data: Mapping[str, object]) -> Segment:
        """A segment back from stored data."""
        kind = text_of(data.get("type")) or "other"
        return cls(text_of(data.get("text")), kind, text_of(data.get("detail")))


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


def kept_of(data: Mapping[str, object], detail_key: str) -> Kept:
    """How much a stored finding holds: a mark for scores only; otherwise in full
    when its details (``detail_key``) are there, else the measures alone."""
    if data.get("kept") == Kept.SCORES:
        return Kept.SCORES
    return Kept.ALL if detail_key in data else Kept.MEASURES
