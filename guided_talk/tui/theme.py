"""A high-contrast theme: white on black, yellow for focus and emphasis."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    warning="#ffaf00",
    error="#ff5f5f",
    success="#5fff5f",
    dark=True,
)
