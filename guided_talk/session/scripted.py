"""Scripted partners: a ``TurnListener`` for two people who say prepared lines.

The hands-free demo plays a whole exercise with them, and the tests stand them in
for two people at a microphone. Each line is "said" at a steady pace, so a turn ends
when its line is done, on whatever clock the session runs.
"""

from __future__ import annotations

from guided_talk.session.clock import Clock
from guided_talk.session.plan import PlannedTurn

#: About 156 words a minute, inside the 100-165 wpm band speaking coaches suggest.
WORDS_PER_SECOND = 2.6

#: What the scripted partners say, one list per round, by turn id. Written for the demo.
SCRIPT: tuple[dict[str, list[str]], ...] = (
    {
        "share": [
            "This week work piled up and I came home tired every night. "
            "I felt like I had nothing left for us.",
            "When we skipped our Sunday walk I missed it more than I said. "
            "It is the time I feel closest to you.",
            "I would like us to keep one evening a week for the two of us, even a short one.",
        ],
        "mirror": [
            "So you're saying work piled up and you came home tired every night, "
            "like there was nothing left for us. Did I get that?",
            "You missed our Sunday walk more than you said, because that is when you feel "
            "closest to me. Is there more?",
            "You would like one evening a week kept for the two of us. Did I get it?",
        ],
        "summary": [
            "So this week was heavy with work and you were worn out, you missed our walk "
            "because that is when you feel close to me, and you want one evening a week for us. "
            "You make sense to me because we have had so little time. "
            "I imagine you might feel lonely. Is that right?"
        ],
    },
    {
        "share": [
            "I have been worried about my sister since her move and I keep it to myself.",
            "When I bring it up I feel like I am repeating myself, so I go quiet instead.",
            "I need to know it is fine to talk about her, even when nothing changes.",
        ],
        "mirror": [
            "You've been worried about your sister since she moved, and you keep it inside. "
            "Did I get that?",
            "You go quiet when it comes up. Is there more?",
            "So you're saying you need to know it's fine to talk about her with me. "
            "Did I get that?",
        ],
        "summary": [
            "You have been carrying worry about your sister on your own, you go quiet because "
            "you feel you are repeating yourself, and you need to know talking about her is "
            "welcome. That makes sense to me. I imagine you feel alone with it. Is that right?"
        ],
    },
)
#: For exercises without a script of their own: a gentle statement and a reflection.
FALLBACK = {
    "statement": "I feel tense about the dishes piling up after dinner, and I need us to "
    "share the clearing up. Would you be willing to take turns each evening?",
    "reflection": "So you feel tense when the dishes pile up and you would like us to take "
    "turns clearing up. Did I get that?",
}


class ScriptedPartners:
    """A ``TurnListener`` whose two partners say prepared lines at a steady pace."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._used: dict[tuple[int, str], int] = {}
        self._line = ""
        self._done_at: float | None = None

    def begin(self, turn: PlannedTurn, started_at: float) -> None:
        """Pick the line for this turn; the partner stops when it is said."""
        self._line = self._next_line(turn)
        speaking = len(self._line.split()) / WORDS_PER_SECOND
        self._done_at = started_at + min(speaking, turn.turn.seconds)

    def finished_at(self) -> float | None:
        """When the partner finishes the line."""
        return self._done_at

    def hold(self, held: bool) -> None:
        """A scripted partner waits out a pause; the line is said all the same."""

    async def finish(self, turn: PlannedTurn, status: str) -> str | None:
        """What the partner said."""
        self._done_at = None
        return self._line or None

    def _next_line(self, turn: PlannedTurn) -> str:
        script = SCRIPT[turn.round % len(SCRIPT)]
        lines = script.get(turn.turn.id)
        if not lines:
            kind = "reflection" if "reflection" in turn.turn.analyses else "statement"
            return FALLBACK[kind]
        key = (turn.round, turn.turn.id)
        position = self._used.get(key, 0)
        self._used[key] = position + 1
        return lines[position % len(lines)]
