"""The sentence model (all-MiniLM-L6-v2 on CTranslate2), loaded from its real wheel."""

from __future__ import annotations

import numpy as np
import pytest

from guided_talk.feedback.encoder import SentenceEncoder
from guided_talk.feedback.minilm import MAX_PIECES, MAX_READ, WIDTH
from guided_talk.feedback.semantic import load_encoder

pytestmark = pytest.mark.model  # loads the sentence model

COMPLAINT = "I feel like you never listen to me when I talk about my day at work."
REFLECTION = "So you feel unheard when you tell me how your job went."
UNRELATED = "The train to the coast leaves at nine and the tickets are cheap."


@pytest.fixture(scope="module")
def model() -> SentenceEncoder:
    encoder = load_encoder()
    assert encoder is not None, "the default install ships the sentence model"
    return encoder


def test_a_paraphrase_is_closer_than_an_unrelated_sentence(model: SentenceEncoder) -> None:
    vectors = model.encode([COMPLAINT, REFLECTION, UNRELATED])
    assert vectors.shape == (3, WIDTH)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > 0.4
    assert vectors[0] @ vectors[2] < 0.2


def test_empty_and_blank_texts_give_zero_rows(model: SentenceEncoder) -> None:
    vectors = model.encode(["", "   ", COMPLAINT])
    assert not vectors[:2].any() and vectors[2].any()
    assert model.read(["", " \n "]) == [None, None]


def test_a_reading_agrees_with_the_sentence_vector(model: SentenceEncoder) -> None:
    reading = model.read([COMPLAINT])[0]
    assert reading is not None
    assert float(reading.sentence @ model.encode([COMPLAINT])[0]) > 0.9999
    assert len(reading.spans) == len(reading.hidden) == len(reading.content)
    for start, end in reading.spans:
        assert 0 <= start <= end <= len(COMPLAINT)
    pairs = zip(reading.spans, reading.content, strict=True)
    words = [COMPLAINT[a:b] for (a, b), keep in pairs if keep]
    assert "listen" in words and "me" not in words  # pieces of three letters or more


def test_a_span_is_pooled_in_context(model: SentenceEncoder) -> None:
    reading = model.read([COMPLAINT])[0]
    assert reading is not None
    start = COMPLAINT.index("you never listen")
    inside = reading.span_vector(start, start + len("you never listen to me"))
    assert inside is not None and abs(float(np.linalg.norm(inside)) - 1.0) < 1e-5
    assert reading.span_vector(len(COMPLAINT) + 5, len(COMPLAINT) + 9) is None


def test_long_texts_are_read_in_windows_up_to_the_limit(model: SentenceEncoder) -> None:
    long_text = " ".join(["we argued about the dishes again"] * 1200)
    reading = model.read([long_text])[0]
    assert reading is not None and len(reading.hidden) == MAX_READ > MAX_PIECES
    assert model.encode([long_text]).shape == (1, WIDTH)  # truncated, not an error


def test_other_scripts_and_emoji_are_read(model: SentenceEncoder) -> None:
    texts = ["Je me sens seul quand tu rentres tard.", "我很难过", "\U0001f642\U0001f494", "\x00"]
    vectors = model.encode(texts)
    assert np.isfinite(vectors).all()
    assert all(r is None or np.isfinite(r.hidden).all() for r in model.read(texts))
