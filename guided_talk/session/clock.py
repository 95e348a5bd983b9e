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
    """A clock that only moves when told to, so timed sessions run instantly.

    Used by the tests and by the hands-free demo, which compresses a session's
    minutes into moments. ``sleep_until`` jumps straight to the moment asked for.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start

    def now(self) -> float:
        """The current fake time."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += seconds

    async def sleep_until(self, moment: float) -> None:
        """Jump to ``moment`` and let other tasks run once."""
        self._now = max(self._now, moment)
        await asyncio.sleep(0)
