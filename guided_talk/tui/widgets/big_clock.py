"""A projector-sized clock for workshops, drawn from a 5x7 block font and scaled
to the space it is given."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

_FONT = {
    "0": ("#####", "#   #", "#   #", "#   #", "#   #", "#   #", "#####"),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": ("#####", "    #", "    #", "#####", "#    ", "#    ", "#####"),
    "3": ("#####", "    #", "    #", " ####", "    #", "    #", "#####"),
    "4": ("#   #", "#   #", "#   #", "#####", "    #", "    #", "    #"),
    "5": ("#####", "#    ", "#    ", "#####", "    #", "    #", "#####"),
    "6": ("#####", "#    ", "#    ", "#####", "#   #", "#   #", "#####"),
    "7": ("#####", "    #", "    #", "   # ", "  #  ", "  #  ", "  #  "),
    "8": ("#####", "#   #", "#   #", "#####", "#   #", "#   #", "#####"),
    "9": ("#####", "#   #", "#   #", "#####", "    #", "    #", "#####"),
    ":": ("     ", "  #  ", "  #  ", "     ", "  #  ", "  #  ", "     "),
}
GLYPH_ROWS = 7
GLYPH_WIDTH = 6  # five columns and a gap


def big_lines(text: str, scale: int) -> list[str]:
    """The text in block letters, each pixel ``scale`` wide and tall."""
    rows: list[str] = []
    for row in range(GLYPH_ROWS):
        line = "".join(_FONT.get(ch, _FONT["0"])[row] + " " for ch in text)
        wide = "".join(("█" if px == "#" else " ") * scale for px in line)
        rows.extend([wide] * scale)
    return rows


class BigClock(Widget):
    """Centred block digits; ``-warning`` marks the last seconds."""

    DEFAULT_CSS = """
    BigClock {
        height: 1fr;
        min-height: 7;
        content-align: center middle;
        text-style: bold;
    }
    BigClock.-warning {
        color: $warning;
    }
    """

    text: reactive[str] = reactive("0:00")

    def render(self) -> Text:
        """As large as fits."""
        width = max(1, self.size.width)
        height = max(1, self.size.height)
        columns = len(self.text) * GLYPH_WIDTH
        scale = max(1, min(width // max(1, columns), height // GLYPH_ROWS))
        return Text("\n".join(big_lines(self.text, scale)), justify="center")
