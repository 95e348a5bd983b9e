"""The parts around the reply classifier: check endings, saying words back, the
weights file, feelings that are only verbs, and a rewrite from a you-statement."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from guided_talk.feedback import reply_model
from guided_talk.feedback.expression import analyze_expression
from guided_talk.feedback.feelings import feelings_in
from guided_talk.feedback.matching import match_units
from guided_talk.feedback.perspective import said_back
from guided_talk.feedback.reply_features import DENSE_SIZE, HASH_BITS, without_check_ending
from guided_talk.feedback.reply_type import type_reply
from guided_talk.feedback.text import words


@pytest.mark.parametrize(
    ("reply", "kept", "checked"),
    [
        ("So you felt hurt. Did I get that?", "So you felt hurt", True),
        ("so you felt hurt did i get that right", "so you felt hurt", True),
        ("You're tired of it, is that right?", "You're tired of it", True),
        ("Is there more?", "Is there more?", False),  # nothing before it: kept as it is
        ("What would help?", "What would help?", False),
    ],
)
def test_the_exercise_check_question_is_taken_off(reply: str, kept: str, checked: bool) -> None:
    assert without_check_ending(reply) == (kept, checked)


def test_words_are_said_back_from_the_listener_side() -> None:
    said = said_back("I felt hurt when you made plans without asking me")
    assert said == "you felt hurt when I made plans without asking you"
    assert said_back("My mum calls you every day") == "your mum calls me every day"


def test_verbs_that_share_a_stem_with_a_feeling_are_not_feelings() -> None:
    text = "You made plans and I had hoped we would go, I hope so. I was mad and hopeful."
    assert [f.word for f in feelings_in(words(text))] == ["mad", "hopeful"]


def test_a_blaming_statement_is_rewritten_from_its_own_moment() -> None:
    found = analyze_expression("You always leave the dishes for me and it's exhausting.")
    assert found.rewrite.startswith("I feel exhausted when you leave the dishes for me, ")
    assert "always" not in found.rewrite
    assert "[what matters to you]" in found.rewrite  # only the missing parts are gaps


def test_never_becomes_a_moment_not_a_verdict() -> None:
    found = analyze_expression("You never listen to me.")
    assert "when you don't listen to me" in found.rewrite


def test_the_shipped_weights_load_and_fit_the_features() -> None:
    assert reply_model.load_reply_model() is not None


def test_damaged_weights_are_refused_with_a_clear_reason() -> None:
    size = DENSE_SIZE
    labels = len(reply_model.LABELS)
    bad = np.zeros((10, labels), dtype=np.float32)
    dense = np.zeros((size, labels), dtype=np.float32)
    with pytest.raises(ValueError, match="do not fit"):
        reply_model.weights_from(
            {"sparse": bad, "dense": dense, "bias": np.zeros(labels, dtype=np.float32)}
        )
    sparse = np.full((1 << HASH_BITS, labels), np.nan, dtype=np.float32)
    with pytest.raises(ValueError, match="damaged"):
        reply_model.weights_from(
            {"sparse": sparse, "dense": dense, "bias": np.zeros(labels, dtype=np.float32)}
        )


def test_the_weights_file_round_trips(tmp_path: Path) -> None:
    source = Path(reply_model.__file__).parent / "models" / reply_model.WEIGHTS_FILE
    with np.load(source) as saved:
        arrays = {name: saved[name] for name in ("sparse", "dense", "bias")}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, sparse=arrays["sparse"], dense=arrays["dense"], bias=arrays["bias"])
    buffer.seek(0)
    with np.load(buffer) as again:
        model = reply_model.weights_from({name: again[name] for name in arrays})
    assert model.bias.shape == (len(reply_model.LABELS),)


def test_without_the_weights_the_rules_decide_alone() -> None:
    speaker = "I felt hurt when you made plans without asking me."
    listener = "So you felt hurt when I made plans without asking you."
    typed = type_reply(speaker, listener, match_units(speaker, listener, None), None)
    assert (typed.label, typed.restating) == ("", 1.0)
    assert typed.response.main == "reflection"
