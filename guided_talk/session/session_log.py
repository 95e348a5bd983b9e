"""An in-memory record of a session as it happens, for review when nothing is saved.

With the "keep nothing" privacy choice there is no database row to review, so the
screen builds the same ``SessionDetail`` the store would, from the runner's events.
"""

from __future__ import annotations

import time
from dataclasses import replace

from guided_talk.feedback.findings import TurnFindings
from guided_talk.session.events import AnyEvent, CaptureReady, FeedbackReady, TurnEnded
from guided_talk.store import SessionDetail, SessionSummary, StoredTurn
from guided_talk.values import SessionMode, SessionStatus


class SessionLog:
    """Collects turns, transcripts, findings and ratings by plan index."""

    def __init__(
        self, title: str, people: list[str], mode: SessionMode = SessionMode.COUPLE
    ) -> None:
        self.title = title
        self.mode = mode
        self.people = tuple(people)
        self.session_id: str | None = None
        self.started_at = time.time()
        self.turns: dict[int, StoredTurn] = {}

    def record(self, event: AnyEvent) -> None:
        """Fold one runner event into the record."""
        if isinstance(event, TurnEnded):
            planned = event.turn
            # Engine times are on the session clock; only durations are used here.
            self.turns[planned.index] = StoredTurn(
                index=planned.index,
                round=planned.round,
                phase_id=planned.phase.id,
                turn_id=planned.turn.id,
                role=planned.turn.role,
                participant="" if planned.shared else planned.person,
                prompt=event.prompt,
                transcript=None,
                started_at=event.started_at,
                ended_at=event.ended_at,
                status=event.status,
                paused_seconds=event.paused_seconds,
                feedback=TurnFindings(),
                ratings={},
            )
        elif isinstance(event, CaptureReady) and event.turn.index in self.turns:
            turn = self.turns[event.turn.index]
            self.turns[event.turn.index] = replace(turn, transcript=event.transcript)
        elif isinstance(event, FeedbackReady) and event.turn.index in self.turns:
            turn = self.turns[event.turn.index]
            self.turns[event.turn.index] = replace(turn, feedback=event.findings)

    def rate(self, index: int, rater: str, value: int) -> None:
        """Keep a "did they get it?" rating."""
        if index in self.turns:
            turn = self.turns[index]
            self.turns[index] = replace(turn, ratings={**turn.ratings, rater: value})

    def detail(self) -> SessionDetail:
        """The session as the store would return it."""
        turns = tuple(self.turns[i] for i in sorted(self.turns))
        summary = SessionSummary(
            id="(not saved)",
            exercise_id="",
            exercise_title=self.title,
            mode=self.mode,
            status=SessionStatus.FINISHED,
            started_at=self.started_at,
            ended_at=time.time(),
            participants=self.people,
            turn_count=len(turns),
            next_index=len(turns),
        )
        return SessionDetail(summary=summary, turns=turns, settings={})
