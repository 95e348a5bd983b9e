"""What the runner needs from the speech and feedback layers, as small protocols.

The speech layer provides real implementations (TTS, microphone capture); the
hands-free demo provides scripted partners; the tests use either.
"""

from __future__ import annotations

from typing import Protocol

from guided_talk.feedback.findings import TurnFindings
from guided_talk.session.plan import PlannedTurn


class PromptReader(Protocol):
    """Reads prompts aloud."""

    async def read(self, text: str) -> None:
        """Speak ``text`` and return when done (or stopped)."""
        ...

    def stop(self) -> None:
        """Stop speaking at once."""
        ...

    def close(self) -> None:
        """Stop for good and release what speaking holds (a process, a device)."""
        ...


class TurnListener(Protocol):
    """Captures what one person says during a turn."""

    def begin(self, turn: PlannedTurn, started_at: float) -> None:
        """Start capturing for ``turn``."""
        ...

    def finished_at(self) -> float | None:
        """When the person stopped talking, once known (else ``None``)."""
        ...

    def hold(self, held: bool) -> None:
        """Stop listening for a pause (nothing heard then may reach a transcript),
        or listen again when the session carries on."""
        ...

    async def finish(self, turn: PlannedTurn, status: str) -> str | None:
        """Stop capturing and return the transcript, or ``None`` if there is none."""
        ...


class TurnAnalyzer(Protocol):
    """Turns a transcript into the findings of the turn's analyses."""

    def __call__(
        self, turn: PlannedTurn, transcript: str, reflected: str | None, *, seconds: float | None
    ) -> TurnFindings:
        """Run the turn's analyses.

        ``reflected`` is the text this turn reflects back; ``seconds`` how long the
        person spoke (for pace and fillers a minute).
        """
        ...
