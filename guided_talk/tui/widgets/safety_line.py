"""The line on every exercise screen about past hurts and where to find help."""

from __future__ import annotations

from textual.widgets import Static

SAFETY_TEXT = (
    "Practice, not therapy. If an old hurt comes up, either of you can pause (p) at any "
    "time. A couples counsellor can help with what feels too big; if home is not safe, "
    "call your local emergency number or a helpline (findahelpline.com lists them)."
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
