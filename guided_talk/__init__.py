"""guided-talk: voice-guided conversation exercises in the terminal."""

import logging

__version__ = "0.1.0"

# A library's one handler: records go nowhere until the CLI or the TUI sets up the
# log file, and never fall through to Python's last-resort printing on stderr.
logging.getLogger(__name__).addHandler(logging.NullHandler())
