"""Clear-expression analysis on the project's own hand-written statements."""

from __future__ import annotations

import json

import pytest

from guided_talk.feedback.expression import analyze_expression
from guided_talk.feedback.findings import ExpressionFindings
from guided_talk.feedback.habits import ABSOLUTIST, fillers_in, pace_band
from guided_talk.feedback.text import words

CLEAR = (
    "I feel worried when the bills come and we have not talked about them, because I need "
    "to feel safe. Would you be willing to sit down with me on Sunday?"
)


def check_shape(findings: ExpressionFindings) -> None:
    data = findings.to_json()
    json.dumps(data)
    assert set(findings.slots) == {"feeling", "situation", "need", "request"}
    assert findings.feeling_kind in ("feeling", "faux", "thought", "none")
    assert findings.pace in ("", "slow", "ok", "fast")
    assert 1 <= len(findings.tips) <= 3
    assert set(findings.pronouns) == {"i", "you", "we"}
    for value in (findings.pace_wpm, findings.fillers_per_minute):
        assert value is None or value >= 0


def test_a_clear_statement_has_all_four_parts() -> None:
    findings = analyze_expression(CLEAR)
    check_shape(findings)
    assert findings.slots["feeling"] == "worried"
    assert findings.slots["situation"].startswith("the bills come")
    assert findings.slots["need"] == "to feel safe"
    assert findings.slots["request"] == "sit down with me on Sunday"
    assert findings.rewrite == "" and findings.feeling_kind == "feeling"


def test_a_thought_dressed_as_a_feeling() -> None:
    findings = analyze_expression("I feel that you never listen to me.")
    check_shape(findings)
    assert findings.feeling_kind == "thought" and findings.thought_dressed_as_feeling
    assert "you never" in findings.blame and "never" in findings.absolutist_words
    assert findings.tips[0].startswith('"I feel that ..."')


def test_a_faux_feeling_points_to_the_feeling_underneath() -> None:
    findings = analyze_expression("I feel ignored when you are on your phone.")
    assert findings.feeling_kind == "faux" and findings.faux_feelings == ("ignored",)
    assert "underneath" in findings.tips[0]


def test_the_rewrite_keeps_the_persons_own_words() -> None:
    findings = analyze_expression("I get so tense when the dishes pile up after dinner.")
    assert findings.slots["feeling"] == "tense"
    assert findings.rewrite.startswith("I feel tense when the dishes pile up after dinner,")
    assert "[what matters to you]" in findings.rewrite


def test_a_wish_for_us_is_a_request() -> None:
    findings = analyze_expression("I would like us to keep one evening a week for the two of us.")
    assert findings.slots["request"] == "keep one evening a week for the two of us"
    assert findings.slots["need"] == ""


def test_you_statements_and_blame() -> None:
    findings = analyze_expression("You are always late. You don't care. It's your fault.")
    assert findings.you_statements == 2
    assert "your fault" in findings.blame and "always" in findings.absolutist_words
    assert any("blame" in tip for tip in findings.tips)


def test_the_nineteen_absolutist_words() -> None:
    assert len(ABSOLUTIST) == 19


def test_hedges_fillers_and_pace() -> None:
    text = "um so maybe I kind of feel like, um, a bit sad I guess, you know"
    findings = analyze_expression(text, seconds=6)
    assert {"maybe", "kind of", "a bit", "i guess"} <= set(findings.hedges)
    assert findings.fillers.count("um") == 2 and "you know" in findings.fillers
    assert findings.pace_wpm == pytest.approx(len(words(text)) * 10, abs=0.1)
    assert findings.fillers_per_minute is not None and findings.fillers_per_minute > 8


def test_like_is_a_filler_only_when_it_cannot_be_a_verb() -> None:
    assert fillers_in(words("I like you and it feels like home")) == ()
    assert fillers_in(words("it was like so hard")) == ("like",)


@pytest.mark.parametrize(("wpm", "band"), [(None, ""), (90, "slow"), (140, "ok"), (200, "fast")])
def test_pace_bands(wpm: float | None, band: str) -> None:
    assert pace_band(wpm) == band


def test_no_timing_means_no_pace() -> None:
    findings = analyze_expression(CLEAR)
    assert findings.pace_wpm is None and findings.pace == "" and findings.fillers_per_minute is None
    assert analyze_expression(CLEAR, seconds=0.5).pace_wpm is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Fine.",
        "je me sens seul quand tu rentres tard",
        "😢😢 I feel 😢 sad 😢",
        "i feel worried when the bills come because i need to feel safe would you sit with me",
        "eye fill whirred wen the bills calm",
        " ".join(["I feel sad when you leave."] * 2000),
    ],
)
def test_odd_text_never_raises(text: str) -> None:
    check_shape(analyze_expression(text, seconds=30))


def test_no_punctuation_still_finds_the_parts() -> None:
    findings = analyze_expression(CLEAR.replace(",", "").replace(".", "").replace("?", "").lower())
    assert findings.slots["feeling"] == "worried" and findings.slots["request"]
