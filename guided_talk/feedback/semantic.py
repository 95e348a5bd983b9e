"""Sentence similarity backends for matching a reflection to what was said.

The default backend averages static word vectors: the WordLlama "l2_supercat"
256-dimension table and tokenizer that ship inside the ``wordllama`` wheel (MIT).
Only numpy, ``tokenizers`` and ``safetensors`` are used to read them; the
``wordllama`` package itself is never imported, so nothing is downloaded and no
logging is configured behind our back. When the files are missing the analyses fall
back to word overlap alone (``load_encoder`` returns None).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

#: Set to ``0`` to switch embeddings off (overlap only), e.g. to compare backends.
ENV_SWITCH = "GUIDED_TALK_EMBEDDINGS"
_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_MAX_TOKENS = 4096  # a 10,000-word turn is embedded from its first few thousand tokens

Vectors = npt.NDArray[np.float32]


class SentenceEncoder(Protocol):
    """Turns texts into unit-length vectors whose dot product is their similarity."""

    name: str

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One row per text; an empty text gives a row of zeros."""
        ...


class StaticEmbeddings:
    """Mean-pooled static token vectors (no neural network at run time)."""

    def __init__(self, table: Vectors, tokenizer: Any, name: str) -> None:
        self.name = name
        self._table = table
        self._tokenizer = tokenizer

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Average each text's token vectors, then scale to unit length."""
        rows = np.zeros((len(texts), self._table.shape[1]), dtype=np.float32)
        for i, text in enumerate(texts):
            ids = self._tokenizer.encode(text, add_special_tokens=False).ids[:_MAX_TOKENS]
            if ids:
                ids = np.clip(np.asarray(ids), 0, self._table.shape[0] - 1)
                rows[i] = self._table[ids].mean(axis=0)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        unit: Vectors = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
        return unit


def wordllama_folder() -> Path | None:
    """Where the ``wordllama`` package is installed, found without importing it."""
    try:
        spec = importlib.util.find_spec("wordllama")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def load_static_embeddings(folder: Path) -> StaticEmbeddings:
    """Read the WordLlama table and tokenizer from an installed package folder.

    Raises:
        OSError: If a file is missing or unreadable.
        ImportError: If ``tokenizers`` or ``safetensors`` is not installed.
    """
    tokenizers: Any = importlib.import_module("tokenizers")
    safetensors_numpy: Any = importlib.import_module("safetensors.numpy")
    tokenizer = tokenizers.Tokenizer.from_file(str(folder / _TOKENIZER))
    table = safetensors_numpy.load_file(str(folder / _WEIGHTS))["embedding.weight"]
    return StaticEmbeddings(np.asarray(table, dtype=np.float32), tokenizer, "wordllama-256")


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
    if os.environ.get(ENV_SWITCH, "1") == "0":
        return None
    folder = wordllama_folder()
    if folder is None:
        return None
    try:
        return load_static_embeddings(folder)
    except Exception:  # a broken optional model must never stop the feedback
        return None


def backend_name(encoder: SentenceEncoder | None) -> str:
    """A short label for reports: which signals the scores came from."""
    return f"overlap+{encoder.name}" if encoder is not None else "overlap"
