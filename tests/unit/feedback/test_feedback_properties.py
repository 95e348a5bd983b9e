"""Property tests: every analyzer takes any text and returns complete, in-range findings.

A few hundred examples each by default; ``GUIDED_TALK_FULL_TESTS=1`` runs 10,000.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guided_talk.feedback.expression import analyze_expression
from guided_talk.feedback.findings import (
    MAIN_TYPES,
    ExpressionFindings,
    ReflectionFindings,
    TurnFindings,
)
from guided_talk.feedback.measures import TurnSummary, session_measures
from guided_talk.feedback.reflection import analyze_reflection
from guided_talk.feedback.response import classify_response
from guided_talk.feedback.semantic import load_encoder
from guided_talk.feedback.text import idea_units, stem, words
from tests.support.fuzzing import FUZZ

pytestmark = pytest.mark.model  # loads the sentence model

PROPERTY = FUZZ

#: Words the analyzers look for, so random text hits their rules, not only misses.
VOCABULARY = [
    "I", "you", "we", "feel", "felt", "that", "like", "so", "you're", "saying", "did", "get",
    "is", "there", "more", "what", "how", "should", "try", "but", "not", "true", "actually",
    "worried", "sad", "ignored", "need", "would", "willing", "always", "never", "um", "uh",
    "when", "because", "kind", "of", "maybe", "work", "the", "dishes", "?", ".", ",", "!",
    "😢", "travail", "très", "心配", "don't", "can't", "it's", "Did I get that?",
]  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(VOCABULARY), max_size=60).map(" ".join),
    st.lists(st.sampled_from(VOCABULARY) | st.text(max_size=8), max_size=40).map(" ".join),
)
DEFAULT_ENCODER = load_encoder()
#: Keys whose text values are labels from a fixed set, never a person's words: all
#: that a finding may keep under the "keep only scores" setting.
LABEL_KEYS = frozenset(
    {"backend", "detail", "feeling_kind", "kept", "listener_style", "pace", "question_kind"}
    | {"reflection_depth", "reply_label", "response_type", "response_types", "type"}
)


@PROPERTY
@given(speaker=TEXT, listener=TEXT, style=st.sampled_from(["mirror", "paraphrase", "?"]))
def test_reflection_findings_are_complete_and_in_range(
    speaker: str, listener: str, style: str
) -> None:
    findings = analyze_reflection(speaker, listener, style, encoder=DEFAULT_ENCODER)
    data = json.loads(json.dumps(findings.to_json()))
    assert 0.0 <= data["coverage"] <= 1.0 and 0.0 <= data["parroting"] <= 1.0
    assert data["response_type"] in MAIN_TYPES
    assert all(0.0 <= u["score"] <= 1.0 for u in data["units"])
    assert len(data["notes"]) <= 3
    kept = findings.at_rest(keep_words=False).to_stored()  # no words, only fixed labels
    assert json.dumps(kept)
    assert all(key in LABEL_KEYS for key in keys_of_text(kept))
    for form in (findings, findings.at_rest(True), findings.at_rest(False)):
        assert ReflectionFindings.from_stored(json.loads(json.dumps(form.to_stored()))) == form


def keys_of_text(value: object, key: str = "") -> list[str]:
    """The key above every piece of text anywhere inside ``value``."""
    if isinstance(value, str):
        return [key]
    if isinstance(value, dict):
        return [k for inner, item in value.items() for k in keys_of_text(item, inner)]
    if isinstance(value, list | tuple):
        return [k for item in value for k in keys_of_text(item, key)]
    return []


@PROPERTY
@given(text=TEXT, seconds=st.none() | st.floats(allow_nan=True, allow_infinity=True))
def test_expression_findings_are_complete_and_in_range(text: str, seconds: float | None) -> None:
    findings = analyze_expression(text, seconds)
    data = json.loads(json.dumps(findings.to_json()))
    assert set(data["slots"]) == {"feeling", "situation", "need", "request"}
    assert 1 <= len(data["tips"]) <= 3
    assert data["pace"] in ("", "slow", "ok", "fast")
    assert data["words"] == len(words(text))
    for key in ("pace_wpm", "fillers_per_minute"):
        assert data[key] is None or data[key] >= 0
    kept = findings.at_rest(keep_words=False).to_stored()
    assert all(key in LABEL_KEYS for key in keys_of_text(kept))
    for form in (findings, findings.at_rest(True), findings.at_rest(False)):
        assert ExpressionFindings.from_stored(json.loads(json.dumps(form.to_stored()))) == form


@PROPERTY
@given(listener=TEXT, coverage=st.floats(0.0, 1.0), speaker=TEXT)
def test_response_types_are_always_one_of_the_main_types(
    listener: str, coverage: float, speaker: str
) -> None:
    found = classify_response(listener, coverage, speaker)
    assert found.main in MAIN_TYPES
    assert found.mixed == (
        len({s.kind for s in found.segments if s.kind != "other" and s.detail != "check-in"}) > 1
    )


@PROPERTY
@given(text=TEXT)
def test_text_helpers_never_lose_or_invent_words(text: str) -> None:
    units = idea_units(text)
    assert sum(len(words(u)) for u in units) == len(words(text))
    assert all(stem(w) for w in words(text))


@PROPERTY
@given(
    turns=st.lists(
        st.tuples(
            st.sampled_from(["Alex", "Sam", ""]),
            st.floats(-10, 1000, allow_nan=False),
            TEXT,
            TEXT,
            st.none() | st.integers(1, 5),
        ),
        max_size=8,
    )
)
def test_session_measures_take_any_turns(
    turns: list[tuple[str, float, str, str, int | None]],
) -> None:
    summaries = [
        TurnSummary(
            person,
            seconds,
            listener,
            # Overlap only: the sentence model is property-tested above; this is about
            # the session measures, and 10,000 sessions of model calls would be slow.
            TurnFindings(reflection=analyze_reflection(speaker, listener, encoder=None)),
            rating,
        )
        for person, seconds, speaker, listener, rating in turns
    ]
    measures = session_measures(summaries)
    data = json.loads(json.dumps(measures.as_dict()))
    assert all(0.0 <= share <= 1.0 for share in data["talk_share"].values())
    total = sum(data["talk_share"].values())
    assert total == 0.0 or abs(total - 1.0) < 1e-3
    for listening in [data["listening"], *data["listening_by_person"].values()]:
        assert listening["ratio_band"] in ("", "below", "fair", "good")
        share = listening["complex_share"]
        assert share is None or 0.0 <= share <= 1.0
