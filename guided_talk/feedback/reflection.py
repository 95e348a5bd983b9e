"""Reflect-back analysis: what the listener captured of the speaker's words, and how.

``analyze_reflection`` marks each of the speaker's idea units captured or missed
(with the listener's words beside it), gives a coverage from 0 to 1, sorts the
response into types, compares feelings, finds listening stems and measures how much
was copied word for word. Mirroring exercises accept close repetition; paraphrase
exercises encourage the listener's own words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from guided_talk.feedback.feelings import Named, feelings_in
from guided_talk.feedback.matching import UnitMatch, match_units
from guided_talk.feedback.notes import reflection_notes
from guided_talk.feedback.response import ResponseFindings, classify_response
from guided_talk.feedback.semantic import SentenceEncoder, backend_name, load_encoder
from guided_talk.feedback.text import words
from guided_talk.feedback.wordlists import find

#: ``mirror`` accepts close repetition; ``paraphrase`` asks for the listener's own words.
LISTENER_STYLES = ("mirror", "paraphrase")
#: Shortest run of words copied from the speaker that counts as parroting.
PARROT_RUN = 3
_STEM_GROUPS = ("mirror", "check_in", "validation", "empathy")


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
    matched: tuple[str, ...]
    listener_words: str


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

    speaker: tuple[str, ...]
    listener: tuple[str, ...]
    matched: tuple[str, ...]
    missed: tuple[str, ...]
    guessed: tuple[str, ...]


@dataclass(frozen=True)
class ReflectionFindings:
    """How well a reflection covered what the speaker said, and what kind it was.

    Attributes:
        units: The speaker's idea units, each captured or missed.
        coverage: Weighted share of the speaker's points captured, 0..1.
        response_type: Main type: reflection, question, advice or other.
        response_types: Every type found (adds ``rebuttal``), in order.
        mixed: The turn mixes reflection, question, advice or rebuttal.
        reflection_depth: ``simple``, ``complex`` or empty.
        question_kind: ``open``, ``closed``, ``check-in`` or empty.
        segments: Each sentence or clause of the reply with its type.
        feelings: Feelings named on each side and how they matched.
        stems: Listening stems used, by kind (mirror, check_in, ...).
        parroting: Share of the listener's words copied in runs of 3 or more.
        listener_style: ``mirror`` or ``paraphrase``.
        backend: Which signals the matching used.
        notes: Up to three short, kind suggestions.
    """

    units: tuple[IdeaUnit, ...]
    coverage: float
    response_type: str
    response_types: tuple[str, ...]
    mixed: bool
    reflection_depth: str
    question_kind: str
    segments: tuple[dict[str, str], ...]
    feelings: FeelingMatch
    stems: dict[str, tuple[str, ...]]
    parroting: float
    listener_style: str
    backend: str
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """Plain data for the store and JSON output."""
        return asdict(self)


def analyze_reflection(
    speaker: str,
    listener: str,
    listener_style: str = "paraphrase",
    encoder: SentenceEncoder | bool | None = True,
) -> ReflectionFindings:
    """Compare a listener's reflect-back with what the speaker said.

    Args:
        speaker: What the speaker said.
        listener: The listener's reply.
        listener_style: ``mirror`` or ``paraphrase`` (anything else: paraphrase).
        encoder: A sentence encoder, ``True`` for the default one, or ``None`` or
            ``False`` for word overlap only.

    Returns:
        The findings; nothing raises for any text, and every field is present.
    """
    style = listener_style if listener_style in LISTENER_STYLES else "paraphrase"
    chosen = load_encoder() if encoder is True else (encoder or None)
    matches, coverage = match_units(speaker, listener, chosen)
    response = classify_response(listener, coverage, speaker)
    feelings = compare_feelings(speaker, listener)
    stems = listening_stems(listener)
    parroting = parroting_share(speaker, listener)
    units = tuple(_unit(m) for m in matches)
    notes = reflection_notes(units, response, feelings, stems, parroting, style)
    return ReflectionFindings(
        units=units,
        coverage=coverage,
        response_type=response.main,
        response_types=response.types,
        mixed=response.mixed,
        reflection_depth=response.reflection_depth,
        question_kind=response.question_kind,
        segments=_segments(response),
        feelings=feelings,
        stems=stems,
        parroting=parroting,
        listener_style=style,
        backend=backend_name(chosen),
        notes=notes,
    )


def compare_feelings(speaker: str, listener: str) -> FeelingMatch:
    """Feelings named by the speaker and named or guessed by the listener."""
    said, heard = feelings_in(words(speaker)), feelings_in(words(listener))
    said_families, heard_families = _families(said), _families(heard)
    return FeelingMatch(
        speaker=_unique(f.word for f in said),
        listener=_unique(f.word for f in heard),
        matched=_unique(f.word for f in said if f.family in heard_families),
        missed=_unique(f.word for f in said if f.family not in heard_families),
        guessed=_unique(f.word for f in heard if f.family not in said_families),
    )


def listening_stems(listener: str) -> dict[str, tuple[str, ...]]:
    """Mirroring, check-in, validation and empathy stems in the listener's words."""
    found: dict[str, list[str]] = {group: [] for group in _STEM_GROUPS}
    for hit in find("stems", words(listener)):
        found.setdefault(hit.group, []).append(hit.said)
    return {group: _unique(items) for group, items in found.items()}


def parroting_share(speaker: str, listener: str) -> float:
    """Share of the listener's words inside runs of 3+ words copied from the speaker."""
    said, heard = words(speaker), words(listener)
    if len(heard) < PARROT_RUN or len(said) < PARROT_RUN:
        return 0.0
    runs = {tuple(said[i : i + PARROT_RUN]) for i in range(len(said) - PARROT_RUN + 1)}
    copied = [False] * len(heard)
    for i in range(len(heard) - PARROT_RUN + 1):
        if tuple(heard[i : i + PARROT_RUN]) in runs:
            copied[i : i + PARROT_RUN] = [True] * PARROT_RUN
    return round(sum(copied) / len(heard), 4)


def _unit(match: UnitMatch) -> IdeaUnit:
    return IdeaUnit(match.text, match.captured, match.score, match.matched, match.listener_words)


def _segments(response: ResponseFindings) -> tuple[dict[str, str], ...]:
    return tuple({"text": s.text, "type": s.kind, "detail": s.detail} for s in response.segments)


def _families(named: list[Named]) -> frozenset[str]:
    return frozenset(n.family for n in named)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
