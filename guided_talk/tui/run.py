"""Run the app for a person at a terminal, with stderr kept off the screen.

C libraries (audio backends, speech engines) may write to stderr from their own
threads; in a full-screen app that would scribble over the display. While the app
runs, file descriptor 2 goes to a private log file in the data folder instead, and
Textual (which draws on stderr) is handed a copy of the terminal's descriptor.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from guided_talk.logs import configure_logging
from guided_talk.paths import log_path


@contextlib.contextmanager
def stderr_to_log(path: Path) -> Iterator[None]:
    """Point fd 2 at ``path`` (0600) for the duration."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    log = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    saved = os.dup(2)
    original = sys.__stderr__
    terminal = os.fdopen(os.dup(saved), "w", encoding="utf-8", errors="replace")
    vars(sys)["__stderr__"] = terminal  # Textual's driver draws here
    os.dup2(log, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        vars(sys)["__stderr__"] = original
        terminal.close()
        os.close(saved)
        os.close(log)


def run_app() -> int:
    """Build and run the app; 0 when it closed normally."""
    from guided_talk.tui.app import make_app

    log = configure_logging(log_path())
    app = make_app()
    with stderr_to_log(log):
        app.run()
    if app.return_code in (None, 0):
        return 0
    print(  # stderr is the terminal again here
        f"guided-talk: the app stopped on an unexpected error\n"
        f"hint: what was saved is kept; details (never what was said) are in {log}",
        file=sys.stderr,
    )
    return 1
