"""Clocks the engine reads time from: the real monotonic one, or a fake for tests."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    """What the engine and runner need from a clock."""

    def now(self) -> float:
        """Seconds on a monotonic scale."""
        ...

    async def sleep_until(self, moment: float) -> None:
        """Return once ``now()`` has reached ``moment`` (at once if it has)."""
        ...


class MonotonicClock:
    """The real clock: ``time.monotonic`` and asyncio sleeps."""

    def now(self) -> float:
        """Seconds since an arbitrary fixed point."""
        return time.monotonic()

    async def sleep_until(self, moment: float) -> None:
        """Sleep on the event loop until ``moment``."""
        delay = moment - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)


class FakeClock:
    """A clock that only moves when a test moves it (a fake for tests).

    ``sleep_until`` waits until ``advance`` carries time past the moment, so a
    test decides exactly when each deadline arrives.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def now(self) -> float:
        """The current fake time."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward and wake every sleeper whose moment has come."""
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += seconds
        for moment, future in list(self._sleepers):
            if moment <= self._now and not future.done():
                future.set_result(None)

    async def sleep_until(self, moment: float) -> None:
        """Wait for ``advance`` to reach ``moment``."""
        if moment <= self._now:
            await asyncio.sleep(0)
            return
        entry = (moment, asyncio.get_running_loop().create_future())
        self._sleepers.append(entry)
        try:
            await entry[1]
        finally:
            self._sleepers.remove(entry)


class FastForwardClock(FakeClock):
    """A fake clock that jumps straight to any moment slept until.

    The hands-free demo and the runner tests use it to compress a session's
    minutes into moments while keeping every timestamp consistent.
    """

    async def sleep_until(self, moment: float) -> None:
        """Jump to ``moment`` and let other tasks run once."""
        if moment > self.now():
            self.advance(moment - self.now())
        await asyncio.sleep(0)
