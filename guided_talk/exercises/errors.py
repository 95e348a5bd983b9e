"""Problems found while reading exercises, and the error that carries them.

A problem names the file and line, says what is wrong and what to do about it, so
a person editing an exercise can fix every mistake in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an exercise file.

    Attributes:
        source: The file (or other origin) the problem is in.
        line: 1-based line number, or ``None`` when no single line is to blame.
        message: What is wrong, as one plain sentence without a final full stop.
        hint: What to do about it.
    """

    source: str
    line: int | None
    message: str
    hint: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        text = f"{where}: {self.message.rstrip('.')}."
        return f"{text} {self.hint}" if self.hint else text


class ExerciseError(Exception):
    """Raised when an exercise cannot be read; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        # Passing the problems on keeps the error picklable (args rebuild it).
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)
