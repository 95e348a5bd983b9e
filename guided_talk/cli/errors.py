"""How the CLI reports problems: one plain sentence and a hint, on stderr."""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

from guided_talk.paths import data_dir

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A failure the user can act on.

    Args:
        message: What happened, in one plain sentence.
        hint: What to do about it.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def report(message: str, hint: str = "") -> None:
    """Print an error the way every command does."""
    print(f"guided-talk: {message}", file=sys.stderr)
    if hint:
        print(f"hint: {hint}", file=sys.stderr)


def save_crash_report(error: BaseException) -> Path:
    """Write the technical details of an unexpected error to a private file."""
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / "crash.log"
    details = "".join(traceback.format_exception(error))
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as log:
        log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n{details}\n")
    return path
