"""Reflect-back analysis: what the listener captured of the speaker's words, and how.

``analyze_reflection`` marks each of the speaker's idea units captured or missed
(with the listener's words beside it), gives a coverage from 0 to 1, sorts the
response into types, compares feelings, finds listening stems and measures how much
was copied word for word. Mirroring exercises accept close repetition; paraphrase
exercises encourage the listener's own words.
"""

from __future__ import annotations

from collections.abc import Iterable

from guided_talk.feedback.encoder import SentenceEncoder, backend_name
from guided_talk.feedback.feelings import Named, feelings_in
from guided_talk.feedback.findings import FeelingMatch, IdeaUnit, ReflectionFindings
from guided_talk.feedback.matching import UnitMatch, coverage_of, credited, match_units
from guided_talk.feedback.notes import reflection_notes
from guided_talk.feedback.reply_model import load_reply_model
from guided_talk.feedback.reply_type import type_reply
from guided_talk.feedback.text import words
from guided_talk.feedback.wordlists import find
from guided_talk.values import ListenerStyle, choice

#: Shortest run of words copied from the speaker that counts as parroting.
PARROT_RUN = 3
_STEM_GROUPS = ("mirror", "check_in", "validation", "empathy")


def analyze_reflection(
    speaker: str,
    listener: str,
    listener_style: str = ListenerStyle.PARAPHRASE,
    *,
    encoder: SentenceEncoder | None,
) -> ReflectionFindings:
    """Compare a listener's reflect-back with what the speaker said.

    Args:
        speaker: What the speaker said.
        listener: The listener's reply.
        listener_style: ``mirror`` or ``paraphrase`` (anything else: paraphrase).
        encoder: The sentence encoder to match meaning with (``load_encoder()`` for
            the default one), or None to match on word overlap alone.

    Returns:
        The findings; nothing raises for any text, and every field is present.
    """
    style = choice(ListenerStyle, listener_style, ListenerStyle.PARAPHRASE)
    matched = match_units(speaker, listener, encoder)
    typed = type_reply(speaker, listener, matched, load_reply_model())
    response = typed.response
    matches = [credited(m, typed.restating, encoder is not None) for m in matched.units]
    coverage = coverage_of(matches)
    feelings = compare_feelings(speaker, listener)
    stems = listening_stems(listener)
    parroting = parroting_share(speaker, listener)
    units = tuple(_unit(m) for m in matches)
    notes = reflection_notes(units, response, feelings, stems, parroting, style, typed.label)
    return ReflectionFindings(
        units=units,
        coverage=coverage,
        response_type=response.main,
        reply_label=typed.label,
        response_types=response.types,
        mixed=response.mixed,
        reflection_depth=response.reflection_depth,
        question_kind=response.question_kind,
        segments=response.segments,
        feelings=feelings,
        stems=stems,
        parroting=parroting,
        listener_style=style,
        backend=backend_name(encoder),
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


def _families(named: list[Named]) -> frozenset[str]:
    return frozenset(n.family for n in named)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
