"""A large countdown of the time left in a turn."""

from __future__ import annotations

from textual.widgets import Digits


def clock_text(seconds: float) -> str:
    """``m:ss`` for the time left (never negative)."""
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


class Countdown(Digits):
    """Big digits; the ``-warning`` class marks the last seconds of a turn."""

    DEFAULT_CSS = """
    Countdown {
        width: auto;
        text-style: bold;
    }
    Countdown.-warning {
        color: $warning;
    }
    Countdown.-paused {
        color: $text-muted;
    }
    """

    def show(self, seconds: float, warning: bool, paused: bool) -> None:
        """Update the digits and state classes."""
        self.update(clock_text(seconds))
        self.set_class(warning, "-warning")
        self.set_class(paused, "-paused")
