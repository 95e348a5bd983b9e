"""The sentence encoder the matching uses: its protocol and what it reads out.

Kept apart from the model that implements it (``minilm.py``) and from the loader
(``semantic.py``), so each imports this and neither imports the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class TokenReading:
    """A text read in context: one vector per word piece, and where each piece sits.

    Attributes:
        hidden: The encoder's output for each piece, in order (not normalised).
        unit: The same rows scaled to unit length, for piece-to-piece similarity.
        spans: Each piece's (start, end) character offsets in the text.
        content: True for pieces that are a word of three or more letters.
        edges: Mean of the start and end markers' outputs, added to every pooled span
            as the model's own sentence pooling does.
        sentence: The whole text's unit-length sentence vector.
    """

    hidden: Vectors
    unit: Vectors
    spans: tuple[tuple[int, int], ...]
    content: npt.NDArray[np.bool_]
    edges: Vectors
    sentence: Vectors

    @cached_property
    def _bounds(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        bounds = np.asarray(self.spans, dtype=np.int64).reshape(-1, 2)
        return bounds[:, 0], bounds[:, 1]

    def span_vector(self, start: int, end: int) -> Vectors | None:
        """The unit-length vector of the pieces inside ``[start, end)``, in context."""
        starts, ends = self._bounds
        inside = (ends > starts) & (starts >= start) & (ends <= end)
        count = int(inside.sum())
        if not count:
            return None
        pooled = (self.hidden[inside].sum(axis=0) + 2 * self.edges) / (count + 2)
        norm = float(np.linalg.norm(pooled))
        return (pooled / norm).astype(np.float32) if norm > 0 else None


class SentenceEncoder(Protocol):
    """Turns texts into unit-length vectors whose dot product is their similarity."""

    name: str

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One row per text; an empty text gives a row of zeros."""
        ...

    def read(self, texts: Sequence[str]) -> list[TokenReading | None]:
        """Each text read in context (None for a text with no word pieces)."""
        ...


def backend_name(encoder: SentenceEncoder | None) -> str:
    """A short label for reports: which signals the scores came from."""
    return f"overlap+{encoder.name}" if encoder is not None else "overlap"
