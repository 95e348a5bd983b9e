"""Typed words instead of speech, for a machine with no microphone (or by choice)."""

from __future__ import annotations

import threading


class TypedListener:
    """A ``TurnListener`` whose "transcript" is what the person typed in the turn.

    The screen calls ``submit`` with the text; ``submit(..., done=True)`` also ends
    the turn, the way Enter does.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._done_at: float | None = None
        self._lock = threading.Lock()

    def begin(self, turn: object, started_at: float) -> None:
        """Start a fresh turn."""
        with self._lock:
            self._parts = []
            self._done_at = None

    def submit(self, text: str, at: float | None = None) -> None:
        """Add typed text; with ``at`` (a clock time) the turn ends then."""
        with self._lock:
            if text.strip():
                self._parts.append(text.strip())
            if at is not None:
                self._done_at = at

    def hold(self, held: bool) -> None:
        """Typing needs no holding: a pause takes no words down by itself."""

    def finished_at(self) -> float | None:
        """When the person pressed Enter to finish, if they did."""
        return self._done_at

    async def finish(self, turn: object, status: str) -> str | None:
        """Everything typed in the turn."""
        with self._lock:
            text = " ".join(self._parts)
            self._done_at = None
        return text or None
