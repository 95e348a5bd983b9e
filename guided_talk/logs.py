"""The app's log: one private file in the data folder, set up once at start-up.

The CLI and the TUI call ``configure_logging`` when they start; every other module
only asks for ``logging.getLogger(__name__)`` and never adds a handler.

The log is for an engineer and must never hold what partners said. Our own log
calls never pass transcripts or prompts; on top of that the formatter writes each
exception's type and the frames it passed through (file, line, function, code), but
not its message, which may quote a transcript, and never a frame's local variables.
"""

from __future__ import annotations

import io
import logging
import os
import traceback
from pathlib import Path
from types import TracebackType

from guided_talk.paths import log_path

#: The name our one handler goes by, so that configuring again replaces it.
HANDLER_NAME = "guided-talk-log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Stands in for an exception's message in the log.
LEFT_OUT = "(message left out of the log: it may quote what was said)"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


class PrivateFileHandler(logging.FileHandler):
    """Appends to a 0600 file in a 0700 folder, made when the first record comes.

    A log that cannot be written is dropped without a word: it must never put a
    traceback of its own on the screen.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path, mode="a", encoding="utf-8", delay=True)

    def _open(self) -> io.TextIOWrapper:
        path = Path(self.baseFilename)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(descriptor, "a", encoding="utf-8", errors="replace")

    def handleError(self, record: logging.LogRecord) -> None:
        """Drop a record that could not be written."""


class PrivateFormatter(logging.Formatter):
    """Writes tracebacks as frames and exception types only (see the module text)."""

    def format(self, record: logging.LogRecord) -> str:
        """Format ``record``, never reusing a traceback another handler cached on it."""
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: ExcInfo) -> str:
        """The traceback of ``ei`` and its causes, without messages or locals."""
        error = ei[1]
        return frames_only(error) if error is not None else ""


def frames_only(error: BaseException) -> str:
    """A traceback like Python's, oldest cause first, with each message left out."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    blocks = []
    for link in reversed(chain):
        kind = type(link)
        name = kind.__qualname__
        if kind.__module__ != "builtins":
            name = f"{kind.__module__}.{name}"
        frames = "".join(traceback.format_tb(link.__traceback__))
        blocks.append(f"Traceback (most recent call last):\n{frames}{name}: {LEFT_OUT}")
    return "\n\nwhich led to:\n\n".join(blocks)


def configure_logging(path: Path | None = None) -> Path:
    """Send the app's log records to ``path`` (the log file in the data folder).

    Safe to call again: the handler is replaced only when the file changes. Records
    from guided-talk are kept from INFO up, other libraries' from WARNING up.

    Args:
        path: The file to write; by default ``paths.log_path()``.

    Returns:
        The log file (it is made when the first record is written).
    """
    path = path or log_path()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            if getattr(handler, "baseFilename", None) == os.path.abspath(path):
                return path
            root.removeHandler(handler)
            handler.close()
    handler = PrivateFileHandler(path)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(PrivateFormatter(FORMAT))
    root.addHandler(handler)
    logging.getLogger("guided_talk").setLevel(logging.INFO)
    return path


def close_logging() -> None:
    """Remove the handler and close its file (tests, and a clean exit)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
