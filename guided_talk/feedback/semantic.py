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
from functools import cache

from guided_talk.feedback import minilm
from guided_talk.feedback.encoder import SentenceEncoder

logger = logging.getLogger(__name__)

#: Set to ``0`` to switch the sentence model off (overlap only), e.g. to compare.
ENV_SWITCH = "GUIDED_TALK_EMBEDDINGS"


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
