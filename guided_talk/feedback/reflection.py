"""Reflect-back analysis: which of the speaker's points the listener captured."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from guided_talk.feedback.text import content_stems, idea_units

#: Share of a unit's content words the reflection must touch to count as captured.
CAPTURE_THRESHOLD = 0.34


@dataclass(frozen=True)
class IdeaUnit:
    """One of the speaker's points and whether the reflection captured it."""

    text: str
    captured: bool
    matched: tuple[str, ...]


@dataclass(frozen=True)
class ReflectionFindings:
    """How well a reflection covered what the speaker said."""

    units: tuple[IdeaUnit, ...]
    coverage: float

    def as_dict(self) -> dict[str, object]:
        """Plain data for the store and JSON output."""
        return asdict(self)


def analyze_reflection(speaker: str, listener: str) -> ReflectionFindings:
    """Mark each of the speaker's idea units captured or missed by the listener.

    Args:
        speaker: What the speaker said.
        listener: The listener's reflect-back.

    Returns:
        The units, and coverage: the share of units captured (0 for no units).
    """
    heard = set(content_stems(listener))
    units = []
    for text in idea_units(speaker):
        stems = set(content_stems(text))
        matched = tuple(sorted(stems & heard))
        captured = bool(stems) and len(matched) / len(stems) >= CAPTURE_THRESHOLD
        units.append(IdeaUnit(text, captured, matched))
    scored = [u for u in units if content_stems(u.text)]
    coverage = sum(u.captured for u in scored) / len(scored) if scored else 0.0
    return ReflectionFindings(tuple(units), round(coverage, 3))
