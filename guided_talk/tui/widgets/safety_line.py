"""The line on every exercise screen about past hurts and where to find help."""

from __future__ import annotations

from textual.widgets import Static

SAFETY_TEXT = (
    "Practice, not therapy. Anyone can pause (p) at any time. For old hurts, a couples "
    "counsellor can help; if home is not safe, F1 shows where to find help."
)


class SafetyLine(Static):
    """A quiet, always-visible reminder."""

    DEFAULT_CSS = """
    SafetyLine {
        color: $text-muted;
        padding: 0 1;
        height: auto;
    }
    """

    def __init__(self) -> None:
        super().__init__(SAFETY_TEXT, id="safety-line")
