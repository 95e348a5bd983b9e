"""The runner wires the engine to speech, feedback and the store with asyncio.

It reads each prompt aloud, starts the countdown when the prompt is done, listens
during captured turns, commits every finished turn before the next prompt is read,
runs the turn's analyses and passes every event to ``on_event`` (the screen, the
demo printer or a test). Nothing here imports Textual.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable

from guided_talk.feedback.findings import Finding
from guided_talk.session.clock import Clock
from guided_talk.session.engine import EXTEND_SECONDS, Engine, State
from guided_talk.session.events import (
    AnyEvent,
    CaptureReady,
    FeedbackReady,
    Notice,
    PromptSpoken,
    SessionEnded,
    SessionPaused,
    SessionResumed,
    TurnEnded,
    TurnStarted,
)
from guided_talk.session.plan import PlannedTurn
from guided_talk.session.ports import PromptReader, TurnAnalyzer, TurnListener
from guided_talk.session.saving import SaveQueue, StoreWrite, once_recorded
from guided_talk.session.switching import ListenerSwitching
from guided_talk.session.wording import NOT_TRANSCRIBED, UNSAVED_AT_END
from guided_talk.store import Store, TurnRecord
from guided_talk.values import PauseReason, SessionStatus, TurnStatus

logger = logging.getLogger(__name__)
EventSink = Callable[[AnyEvent], None]

#: A key to end a turn pressed this soon after the turn opened was meant for the
#: turn before (it ran out just as the key was pressed), so it is not taken.
END_GRACE_SECONDS = 1.0
#: How often a turn listened to is checked for its speaker having finished.
LOOK_AGAIN = 0.25
#: Seconds to wait for the last words of a turn to be recognised before giving up.
TRANSCRIBE_TIMEOUT = 30.0


class SessionRunner(ListenerSwitching):
    """Runs one session to its end, a pause that quits, or a stop."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        *,
        store: Store | None = None,
        session_id: str | None = None,
        reader: PromptReader | None = None,
        listener: TurnListener | None = None,
        analyzer: TurnAnalyzer | None = None,
        keep_transcripts: bool = True,
        on_event: EventSink | None = None,
        transcripts: dict[int, str] | None = None,
        transcribe_timeout: float = TRANSCRIBE_TIMEOUT,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.store = store if session_id else None
        self.session_id = session_id or ""
        self.reader = reader
        self.listener = listener
        self.analyzer = analyzer
        self.keep_transcripts = keep_transcripts
        self.on_event = on_event or (lambda event: None)
        self.transcripts: dict[int, str] = dict(transcripts or {})
        self.transcribe_timeout = transcribe_timeout
        self._background: set[asyncio.Task[None]] = set()
        # Turns saved so far; findings and ratings are only written for these.
        self.recorded: set[int] = set()
        # Writes that failed (a full disk, say) are kept in order and retried before
        # the next write, so the session goes on in memory and nothing is dropped.
        say = lambda text: self.on_event(Notice(text))  # noqa: E731
        self._queue = SaveQueue(self.store, say) if self.store is not None else None
        self._listening: PlannedTurn | None = None
        self._spoken: TurnListener | None = None
        self._typing_for: PlannedTurn | None = None
        self._prompted: PlannedTurn | None = None  # the turn whose prompt has begun
        self._prompted_at = 0.0
        self._changed = asyncio.Event()
        self._stopped = False
        # Engine times are monotonic; the store keeps wall-clock times.
        self._wall_offset = time.time() - clock.now()

    async def run(self) -> None:
        """Drive the session until it ends or ``stop()`` is called."""
        await self._handle(self.engine.start())
        while self.engine.state is not State.ENDED and not self._stopped:
            await self._wait()
            await self._handle([*self._speaker_finished(), *self.engine.tick()])

    def stop(self) -> None:
        """Leave ``run()`` at the next chance (after a quit, say)."""
        self._stopped = True
        self._changed.set()

    async def leave(self) -> None:
        """Stop, and close the microphone of a turn left unfinished (a quit).

        Its words are not kept: the turn runs again when the session resumes.
        """
        self.stop()
        turn, self._listening = self._listening, None
        if turn is not None and self.listener is not None:
            await self._drop(self.listener, turn)

    def close(self) -> None:
        """Release the prompt reader (its speech process); call once the session is over."""
        if self.reader is not None:
            self.reader.close()

    async def pause(self, by: str, reason: PauseReason = PauseReason.PAUSE) -> None:
        """Pause now; speech stops at once. ``time-out`` and ``quit`` save the place."""
        await self._act(self.engine.pause(by, reason))

    async def resume(self, by: str) -> None:
        """Carry on after a pause."""
        await self._act(self.engine.resume(by))

    async def end_turn(self, grace: bool = True) -> bool:
        """The person is done before the time is up.

        Args:
            grace: Leave a turn that opened less than ``END_GRACE_SECONDS`` ago
                running: a key pressed then was meant for the turn before. Typed
                words sent with Enter need no grace.

        Returns:
            False when the key was not taken.
        """
        if grace and not self._seen_for(END_GRACE_SECONDS):
            return False
        await self._act(self.engine.end_turn())
        return True

    async def skip(self) -> bool:
        """Move past the current turn (one press, even while its prompt is read).

        Returns:
            False when the turn's prompt has not begun yet (the key was meant for
            the turn before, still being saved): nothing is skipped.
        """
        if not self._seen_for(0.0):
            return False
        if self.reader is not None:
            self.reader.stop()
        await self._act(self.engine.skip())
        return True

    def _seen_for(self, seconds: float) -> bool:
        """The current turn's prompt began at least ``seconds`` ago."""
        seen = self._prompted is not None and self._prompted is self.engine.current
        return seen and self.clock.now() - self._prompted_at >= seconds

    async def extend(self, seconds: int = EXTEND_SECONDS) -> None:
        """Give the current turn more time."""
        await self._act(self.engine.extend(seconds))

    def rate(self, index: int, rater: str, value: int) -> None:
        """Record the reflected person's "did they get it?" (1-5) for turn ``index``."""
        if self.store is not None:
            self._save(
                once_recorded(
                    self.recorded,
                    index,
                    lambda store: store.add_rating(self.session_id, index, rater, value),
                )
            )

    @property
    def unsaved(self) -> list[StoreWrite]:
        """The writes still waiting for the disk, oldest first."""
        return self._queue.unsaved if self._queue is not None else []

    def retry_saving(self) -> bool:
        """Try the writes that failed again; True when nothing is left unsaved."""
        return self._queue.retry() if self._queue is not None else True

    async def _act(self, events: Iterable[AnyEvent]) -> None:
        await self._handle(events)
        self._changed.set()

    async def _wait(self) -> None:
        """Sleep until the next deadline, the speaker falling silent, or an action."""
        moments = [self.engine.next_deadline()]
        if self._listening is not None and self.listener is not None:
            finished = self.listener.finished_at()
            # Not known yet (no word heard so far): look again soon, so a turn that
            # ends on silence ends on time once the person has spoken.
            moments.append(finished if finished is not None else self.clock.now() + LOOK_AGAIN)
        due = [m for m in moments if m is not None]
        self._changed.clear()
        waits: list[asyncio.Future[object]] = [asyncio.ensure_future(self._changed.wait())]
        if due:
            waits.append(asyncio.ensure_future(self.clock.sleep_until(min(due))))
        _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()

    def _speaker_finished(self) -> list[AnyEvent]:
        if self._listening is None or self.listener is None:
            return []
        finished = self.listener.finished_at()
        if finished is None or finished > self.clock.now():
            return []
        return list(self.engine.end_turn())

    async def _handle(self, events: Iterable[AnyEvent]) -> None:
        """Process events in order; follow-up events go before the rest."""
        pending = list(events)
        while pending:
            event = pending.pop(0)
            self.on_event(event)
            pending[:0] = await self._follow_up(event)

    async def _follow_up(self, event: AnyEvent) -> list[AnyEvent]:
        if isinstance(event, TurnStarted):
            return await self._read_prompt(event)
        if isinstance(event, PromptSpoken):
            self._begin_listening(event)
        elif isinstance(event, TurnEnded):
            return await self._close_turn(event)
        elif isinstance(event, SessionPaused):
            await self._on_pause(event)
        elif isinstance(event, SessionResumed) and self.listener is not None:
            self.listener.hold(False)
        elif isinstance(event, SessionEnded) and self.store is not None:
            await asyncio.to_thread(
                self._save, lambda store: store.set_status(self.session_id, SessionStatus.FINISHED)
            )
            if self.unsaved:
                return [Notice(UNSAVED_AT_END)]
        return []

    async def _read_prompt(self, event: TurnStarted) -> list[AnyEvent]:
        if self.engine.current is not event.turn:
            return []  # skipped or ended before its prompt came up: not read at all
        self._prompted, self._prompted_at = event.turn, self.clock.now()
        if self.reader is None:
            return list(self.engine.prompt_finished(at=event.opened_at))
        try:
            await self.reader.read(event.prompt)
        except Exception as error:  # speech must never stop a session
            logger.warning("A prompt could not be read aloud", exc_info=True)
            notice = Notice(f"The prompt could not be read aloud ({error}); it is on screen.")
            return [notice, *self._prompt_done(event)]  # the turn starts all the same
        return self._prompt_done(event)

    def _prompt_done(self, event: TurnStarted) -> list[AnyEvent]:
        """Start the countdown, unless the turn was skipped or ended while its
        prompt was read (the next turn's countdown is not this prompt's to start)."""
        if self.engine.current is not event.turn:
            return []
        return list(self.engine.prompt_finished())

    def _begin_listening(self, event: PromptSpoken) -> None:
        turn = event.turn
        if self.listener is None or not turn.turn.capture or turn.shared:
            return
        try:
            self.listener.begin(turn, event.deadline - turn.turn.seconds)
        except Exception as error:  # no microphone must not stop the session
            logger.warning("Recording could not start for a turn", exc_info=True)
            self.on_event(Notice(f"Nothing can be recorded for this turn ({error})."))
            return
        self._listening = turn

    async def _on_pause(self, event: SessionPaused) -> None:
        if self.listener is not None:
            self.listener.hold(True)  # first: not one more word is taken down
        if self.reader is not None:
            self.reader.stop()
        if event.reason in (PauseReason.TIME_OUT, PauseReason.QUIT) and self.store is not None:
            await asyncio.to_thread(
                self._save, lambda store: store.set_status(self.session_id, SessionStatus.PAUSED)
            )

    async def _close_turn(self, event: TurnEnded) -> list[AnyEvent]:
        """Collect the transcript, commit the turn, then analyse it."""
        transcript = await self._collect(event)
        self.typing_ended(event.turn)
        turn = event.turn
        if transcript:
            self.transcripts[turn.index] = transcript
        # The commit (an fsync) and the analyses run off the event loop, so the
        # screen never stalls; the next prompt still waits for both.
        await asyncio.to_thread(self._record, event, transcript)
        follow: list[AnyEvent] = [CaptureReady(turn, transcript)]
        if transcript and self.analyzer is not None and turn.turn.analyses:
            spoken = event.spoken_seconds
            follow.extend(await asyncio.to_thread(self._analyse, turn, transcript, spoken))
        return follow

    async def _collect(self, event: TurnEnded) -> str | None:
        if self._listening is not event.turn or self.listener is None:
            return None
        self._listening = None
        finishing = self.listener.finish(event.turn, event.status)
        try:
            return await asyncio.wait_for(finishing, self.transcribe_timeout)
        except TimeoutError:  # a hung recogniser must not hold the session
            logger.warning("Recognition took longer than %.0f s", self.transcribe_timeout)
            reason = f"recognition took longer than {self.transcribe_timeout:.0f} seconds"
        except Exception as error:  # a failed recogniser must not lose the turn
            logger.warning("A turn could not be transcribed", exc_info=True)
            reason = str(error)
        self.on_event(Notice(NOT_TRANSCRIBED.format(reason=reason)))
        return None

    def _record(self, event: TurnEnded, transcript: str | None) -> None:
        if self.store is None:
            return
        turn = event.turn
        captured = turn.turn.capture and not turn.shared
        status = event.status
        if (
            captured
            and transcript is None
            and status != TurnStatus.SKIPPED
            and self.listener is not None
        ):
            status = TurnStatus.NOT_TRANSCRIBED
        record = TurnRecord(
            index=turn.index,
            round=turn.round,
            phase_id=turn.phase.id,
            turn_id=turn.turn.id,
            role=turn.turn.role,
            participant="" if turn.shared else turn.person,
            prompt=event.prompt,
            transcript=transcript if self.keep_transcripts else None,
            started_at=event.started_at + self._wall_offset,
            ended_at=event.ended_at + self._wall_offset,
            status=status,
            paused_seconds=event.paused_seconds,
        )

        def commit(store: Store) -> None:
            store.record_turn(self.session_id, record)
            self.recorded.add(turn.index)

        self._save(commit)

    def _analyse(self, turn: PlannedTurn, transcript: str, seconds: float) -> list[AnyEvent]:
        assert self.analyzer is not None
        said = [self.transcripts[i] for i in turn.reflects if i in self.transcripts]
        reflected = " ".join(said) or None
        try:
            findings = self.analyzer(turn, transcript, reflected, seconds=seconds)
        except Exception as error:  # feedback is a bonus; the session goes on
            logger.warning("Feedback for a turn could not be worked out", exc_info=True)
            return [Notice(f"Feedback for this turn could not be worked out ({error}).")]
        if self.store is not None:
            for finding in findings.at_rest(self.keep_transcripts).each():
                self._save(
                    once_recorded(self.recorded, turn.index, self._feedback(turn.index, finding))
                )
        return [FeedbackReady(turn, findings)]

    def _feedback(self, index: int, finding: Finding) -> StoreWrite:
        """Stores one analysis (a closure per finding, not a shared loop variable)."""
        return lambda store: store.add_feedback(self.session_id, index, finding)

    def _save(self, write: StoreWrite) -> None:
        assert self._queue is not None
        self._queue.save(write)
