"""Writes to the store, in order, kept and retried when the disk is full.

A session goes on in memory when a write fails: the write waits in the queue and
is tried again, before any later one, the next time something is saved.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from guided_talk.store import Store, StoreError

#: One write to the store.
StoreWrite = Callable[[Store], None]

UNSAVED_NOW = (
    "Could not save to the database ({error}). The session goes on and is kept in "
    "memory; saving will be tried again after each turn."
)
SAVED_AGAIN = "Saving works again: everything up to now is saved."


class SaveQueue:
    """Runs store writes one after another; a failed one blocks those after it."""

    def __init__(self, store: Store, on_notice: Callable[[str], None]) -> None:
        self.store = store
        self.on_notice = on_notice
        self.unsaved: list[StoreWrite] = []
        self._lock = threading.Lock()  # called from worker threads and from the screen

    def save(self, write: StoreWrite) -> None:
        """Run ``write`` after any that failed before; a failure is kept for later.

        The first failure becomes a notice; once the backlog is written, another
        notice says so. Nothing here ever raises into the session.
        """
        with self._lock:
            was_behind = bool(self.unsaved)
            self.unsaved.append(write)
            while self.unsaved:
                try:
                    self.unsaved[0](self.store)
                except (StoreError, OSError) as error:
                    if not was_behind:
                        self.on_notice(UNSAVED_NOW.format(error=error))
                    return
                self.unsaved.pop(0)
            if was_behind:
                self.on_notice(SAVED_AGAIN)

    def retry(self) -> bool:
        """Try the writes that failed again; True when nothing is left unsaved."""
        if self.unsaved:
            self.save(lambda store: None)
        return not self.unsaved


def once_recorded(recorded: set[int], index: int, write: StoreWrite) -> StoreWrite:
    """A write about turn ``index``, run once the turn itself (queued before it) is
    saved; for a turn that was never recorded it does nothing."""

    def run(store: Store) -> None:
        if index in recorded:
            write(store)

    return run
