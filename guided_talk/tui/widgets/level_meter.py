"""A live input level while recording, in text so it needs no colour to read."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

FLOOR_DBFS = -60.0
WIDTH = 30


def meter_text(level_dbfs: float, recording: bool) -> str:
    """``mic [#####.....]`` scaled from -60 dBFS to 0."""
    if not recording:
        return "mic  off"
    share = 0.0 if level_dbfs <= FLOOR_DBFS else min(1.0, 1 - level_dbfs / FLOOR_DBFS)
    filled = round(share * WIDTH)
    return f"mic  [{'#' * filled}{'.' * (WIDTH - filled)}]"


class LevelMeter(Static):
    """Shows the microphone level; updated by a timer, never from the audio thread."""

    level: reactive[float] = reactive(FLOOR_DBFS)
    recording: reactive[bool] = reactive(False)

    def render(self) -> str:
        """The meter as text."""
        return meter_text(self.level, self.recording)
