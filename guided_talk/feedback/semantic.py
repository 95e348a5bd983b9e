"""Sentence similarity for matching a reflection to what was said.

The default encoder is all-MiniLM-L6-v2, a small contextual model run with numpy
alone (``minilm.py``); its files come in a registry wheel, so nothing is downloaded
at run time and torch is never needed. When the model is missing or damaged the
analyses fall back to word overlap alone (``load_encoder`` returns None).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Protocol

import numpy as np
import numpy.typing as npt

#: Set to ``0`` to switch the sentence model off (overlap only), e.g. to compare.
ENV_SWITCH = "GUIDED_TALK_EMBEDDINGS"

Vectors = npt.NDArray[np.float32]

logger = logging.getLogger(__name__)


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


def load_encoder() -> SentenceEncoder | None:
    """The default encoder, loaded once; None when it cannot be had (overlap only).

    The warm-up and a review may ask at the same time, from two threads: the first
    loads, the other waits for it.
    """
    with _LOADING:
        return _load_encoder()


_LOADING = threading.Lock()


@cache
def _load_encoder() -> SentenceEncoder | None:
    from guided_talk.feedback import minilm  # here, not at the top: minilm imports this module

    if os.environ.get(ENV_SWITCH, "1") == "0":
        return None
    folder = minilm.model_folder()
    if folder is None:
        return None
    try:
        return minilm.load_minilm(folder)
    except Exception:  # a broken optional model, however it breaks, must never stop the feedback
        logger.warning(
            "The sentence model in %s could not be loaded; feedback uses word overlap alone",
            folder,
            exc_info=True,
        )
        return None


def backend_name(encoder: SentenceEncoder | None) -> str:
    """A short label for reports: which signals the scores came from."""
    return f"overlap+{encoder.name}" if encoder is not None else "overlap"
