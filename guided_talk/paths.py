"""Where guided-talk keeps its files (XDG folders via platformdirs).

``GUIDED_TALK_DATA_DIR`` and ``GUIDED_TALK_CONFIG_DIR`` move them, which the tests
use to keep every run in its own temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "guided-talk"


def data_dir() -> Path:
    """Folder for the database and exports."""
    override = os.environ.get("GUIDED_TALK_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def config_dir() -> Path:
    """Folder for settings and the user's own exercises."""
    override = os.environ.get("GUIDED_TALK_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))


def database_path() -> Path:
    """The SQLite file that holds every session."""
    return data_dir() / "guided-talk.sqlite3"


def log_path() -> Path:
    """The private log file: what failed and where, for an engineer (never what was said).

    The terminal app also sends stderr here while it runs.
    """
    return data_dir() / "app.log"


def user_exercises_dir() -> Path:
    """Folder for custom exercises, which add to or override the built-in ones."""
    return config_dir() / "exercises"
