"""How the CLI reports problems: one plain sentence and a hint, on stderr."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from guided_talk.paths import log_path

logger = logging.getLogger(__name__)

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
    """Log the technical details of an unexpected error; return the log file."""
    logger.critical("A command stopped on an unexpected error", exc_info=error)
    return log_path()
