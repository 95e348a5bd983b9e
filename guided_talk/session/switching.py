"""Who takes a turn down: switching between listening and typing mid-session.

``SessionRunner`` is built on this; the methods here need only the runner's
engine, clock, listener and the turn being listened to.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from guided_talk.session.clock import Clock
from guided_talk.session.engine import Engine, State
from guided_talk.session.events import AnyEvent, Notice
from guided_talk.session.plan import PlannedTurn
from guided_talk.session.ports import TurnListener
from guided_talk.values import TurnStatus

logger = logging.getLogger(__name__)


class ListenerSwitching:
    """The runner's part that swaps its listener (typed input for one turn, say)."""

    engine: Engine
    clock: Clock
    listener: TurnListener | None
    on_event: Callable[[AnyEvent], None]
    transcribe_timeout: float
    _listening: PlannedTurn | None
    _spoken: TurnListener | None  # the listener set aside while one turn is typed
    _typing_for: PlannedTurn | None  # the turn that typing was chosen for
    _background: set[asyncio.Task[None]]
    _changed: asyncio.Event

    def typing_ended(self, turn: PlannedTurn) -> None:
        """After ``turn`` is collected: listen again if typing was for that turn."""
        if self._spoken is not None and self._typing_for is turn:
            self.listener, self._spoken, self._typing_for = self._spoken, None, None

    @property
    def listening_to(self) -> PlannedTurn | None:
        """The turn being listened to right now, if any."""
        return self._listening

    @property
    def typing_this_turn(self) -> bool:
        """The person chose to type this turn (``type_this_turn``)."""
        return self._spoken is not None

    def type_this_turn(self, typed: TurnListener) -> None:
        """Take this turn's words from ``typed``; the next turn is listened to again."""
        if self._spoken is None:
            self._spoken = self.listener
            self._typing_for = self.engine.current
            self.switch_listener(typed)

    def speak_this_turn(self) -> None:
        """Go back to listening now, after ``type_this_turn``."""
        spoken, self._spoken = self._spoken, None
        if spoken is not None:
            self.switch_listener(spoken)

    def switch_listener(self, listener: TurnListener) -> None:
        """Listen with ``listener`` (typed input, say) from now on.

        Mid-turn, the new listener takes over the rest of the turn and the old one
        is stopped in the background (its microphone closed, its words dropped).
        Call it from the event loop the session runs on.
        """
        old, turn = self.listener, self._listening
        if turn is None:
            self.listener = listener
            return
        try:
            listener.begin(turn, self.clock.now())
        except Exception as error:  # no microphone just now: keep listening as before
            logger.warning("Could not switch how the turn is taken down", exc_info=True)
            self.on_event(Notice(f"That did not work ({error}); carry on as before."))
            return
        self.listener = listener
        if self.engine.state is State.PAUSED:
            listener.hold(True)  # switched during a pause: still nothing is taken down
        if old is not None:
            task = asyncio.get_running_loop().create_task(self._drop(old, turn))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        self._changed.set()

    async def _drop(self, listener: TurnListener, turn: PlannedTurn) -> None:
        """Stop a listener that was replaced mid-turn; its result is not wanted."""
        try:
            await asyncio.wait_for(
                listener.finish(turn, TurnStatus.SKIPPED), self.transcribe_timeout
            )
        except Exception:  # it was being replaced because it failed; nothing to add
            logger.info("A replaced listener failed as it stopped", exc_info=True)
            return
