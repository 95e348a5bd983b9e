"""Reflect-back analysis on the project's own hand-written cases."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from guided_talk.feedback import minilm, semantic
from guided_talk.feedback.encoder import SentenceEncoder
from guided_talk.feedback.findings import MAIN_TYPES, SEGMENT_TYPES, ReflectionFindings
from guided_talk.feedback.matching import CAPTURED_AT, CAPTURED_BY_WORDS_AT
from guided_talk.feedback.reflection import analyze_reflection, parroting_share
from guided_talk.feedback.response import classify_response
from guided_talk.feedback.semantic import ENV_SWITCH, load_encoder

pytestmark = pytest.mark.model  # loads the sentence model

SPEAKER = (
    "I feel so worried about my job. My boss keeps changing the deadlines, "
    "and then I come home exhausted and snap at you."
)
DEFAULT_ENCODER = load_encoder()
ENCODERS = [DEFAULT_ENCODER, None]  # the default backend, and overlap only


def check_shape(findings: ReflectionFindings) -> None:
    """Every field present, in range, and the whole thing JSON-ready."""
    data = findings.to_json()
    json.dumps(data)
    assert 0.0 <= findings.coverage <= 1.0
    assert 0.0 <= findings.parroting <= 1.0
    assert findings.response_type in MAIN_TYPES
    assert all(t in (*SEGMENT_TYPES, "check-in") for t in findings.response_types)
    assert findings.reflection_depth in ("", "simple", "complex")
    assert findings.question_kind in ("", "open", "closed", "check-in")
    assert findings.listener_style in ("mirror", "paraphrase")
    assert len(findings.notes) <= 3
    for unit in findings.units:
        assert 0.0 <= unit.score <= 1.0
        # The bar is CAPTURED_AT with the model, CAPTURED_BY_WORDS_AT on words alone.
        assert unit.score >= CAPTURED_BY_WORDS_AT if unit.captured else unit.score < CAPTURED_AT
    assert set(findings.stems) >= {"mirror", "check_in", "validation", "empathy"}


@pytest.mark.parametrize("encoder", ENCODERS)
def test_a_verbatim_repeat_captures_everything(encoder: SentenceEncoder | None) -> None:
    findings = analyze_reflection(SPEAKER, SPEAKER, "mirror", encoder=encoder)
    check_shape(findings)
    assert findings.coverage > 0.9 and all(u.captured for u in findings.units)
    assert findings.parroting == 1.0


def test_parroting_is_fine_in_mirroring_but_nudged_in_paraphrase() -> None:
    mirror = analyze_reflection(
        SPEAKER, SPEAKER + " Did I get that?", "mirror", encoder=DEFAULT_ENCODER
    )
    paraphrase = analyze_reflection(SPEAKER, SPEAKER, "paraphrase", encoder=DEFAULT_ENCODER)
    assert not any("word for word" in n for n in mirror.notes)
    assert any("word for word" in n for n in paraphrase.notes)


@pytest.mark.parametrize("encoder", ENCODERS)
def test_an_empty_reflection_captures_nothing(encoder: SentenceEncoder | None) -> None:
    findings = analyze_reflection(SPEAKER, "", encoder=encoder)
    check_shape(findings)
    assert findings.coverage < 0.2 and not any(u.captured for u in findings.units)
    assert findings.response_type == "other"


@pytest.mark.parametrize("encoder", ENCODERS)
def test_a_reflection_about_something_else_scores_low(encoder: SentenceEncoder | None) -> None:
    good = analyze_reflection(
        SPEAKER, "So work is worrying you and you come home worn out.", encoder=DEFAULT_ENCODER
    )
    off = analyze_reflection(
        SPEAKER, "The garden needs watering before the weekend trip.", encoder=DEFAULT_ENCODER
    )
    check_shape(off)
    assert off.coverage < 0.3 < good.coverage


def test_captured_units_show_the_listeners_words() -> None:
    findings = analyze_reflection(
        SPEAKER,
        "So you're anxious about work because the deadlines keep changing.",
        encoder=DEFAULT_ENCODER,
    )
    deadlines = next(u for u in findings.units if "deadlines" in u.text)
    assert deadlines.captured and "deadlines keep changing" in deadlines.listener_words
    assert "deadlines" in deadlines.matched


def test_a_one_word_speaker_turn() -> None:
    findings = analyze_reflection("Fine.", "So you're fine.", encoder=DEFAULT_ENCODER)
    check_shape(findings)
    assert len(findings.units) == 1


def test_a_ten_thousand_word_transcript() -> None:
    chooser = random.Random(4)
    vocabulary = SPEAKER.replace(".", "").replace(",", "").split()
    long = " ".join(chooser.choice(vocabulary) for _ in range(10_000))
    for speaker, listener in [(long, "So you are worried."), ("I am worried.", long)]:
        check_shape(analyze_reflection(speaker, listener, encoder=DEFAULT_ENCODER))


@pytest.mark.parametrize(
    ("speaker", "listener"),
    [
        ("Je suis très inquiet pour mon travail.", "Tu es inquiet pour ton travail."),
        ("私は仕事が心配です", "仕事が心配なんですね"),
        ("Ich bin müde 😴 und traurig 😢", "Du bist müde 😴"),
        ("🙂🙂🙂", "😢"),
        ("I'm worried 😟 about money 💸", "So money 💸 worries you? 😟"),
        ("   \n\t ", "   "),
        ("...?!", "?"),
    ],
)
def test_other_languages_emoji_and_blanks_never_raise(speaker: str, listener: str) -> None:
    check_shape(analyze_reflection(speaker, listener, encoder=DEFAULT_ENCODER))


def test_recognition_errors_still_match_most_words() -> None:
    heard = "so your worried about you're job and the dead lines keep chang ing"
    findings = analyze_reflection(SPEAKER, heard, encoder=DEFAULT_ENCODER)
    check_shape(findings)
    assert findings.coverage > 0.3


def test_no_punctuation_at_all() -> None:
    speaker = SPEAKER.replace(".", "").replace(",", "").lower()
    listener = "so you're worried about your job what would help most"
    findings = analyze_reflection(speaker, listener, encoder=DEFAULT_ENCODER)
    check_shape(findings)
    assert len(findings.units) >= 2
    assert "question" in findings.response_types and "reflection" in findings.response_types
    assert findings.mixed


@pytest.mark.parametrize(
    ("listener", "main", "detail"),
    [
        ("So you feel worried about your job.", "reflection", ""),
        ("What was the hardest part?", "question", "open"),
        ("Did your boss say why?", "question", "closed"),
        ("You should just talk to your boss.", "advice", ""),
        ("Have you tried making a list?", "advice", ""),
        ("That's not true, I never snap at you.", "other", ""),
        ("Mm-hmm. Okay.", "other", ""),
        ("Thank you, see you next week.", "other", ""),
        ("Thanks for telling me.", "other", ""),
        ("You keep telling me you're fine.", "reflection", ""),
        ("I'll send you the leaflet and we can go through it next time.", "advice", ""),
        ("A fresh start, then.", "reflection", ""),
        ("okay that sounds hard is it like that every day", "question", "closed"),
        ("right so how many hours would you say you sleep", "question", "open"),
        ("so it was a long day you know at work", "reflection", ""),
        ("If you cut down in the evening, you'll sleep better.", "advice", ""),
    ],
)
def test_response_types(listener: str, main: str, detail: str) -> None:
    found = classify_response(listener)
    assert found.main == main
    if detail:
        assert found.question_kind == detail


def test_rebuttal_and_mixed_turns_are_named() -> None:
    found = classify_response("But I did call you. You should plan better.")
    assert "rebuttal" in found.types and "advice" in found.types and found.mixed


def test_a_check_in_belongs_to_the_reflection() -> None:
    findings = analyze_reflection(
        SPEAKER, "So work has you worried. Did I get that? Is there more?", encoder=DEFAULT_ENCODER
    )
    assert findings.response_type == "reflection" and not findings.mixed
    assert "check-in" in findings.response_types
    assert findings.stems["check_in"] == ("did i get that", "is there more")


def test_complex_reflection_adds_a_feeling_not_said() -> None:
    said = "My boss keeps changing the deadlines."
    simple = analyze_reflection(
        said, "Your boss keeps changing the deadlines.", encoder=DEFAULT_ENCODER
    )
    deeper = analyze_reflection(
        said, "It sounds like you feel powerless and frustrated at work.", encoder=DEFAULT_ENCODER
    )
    assert simple.reflection_depth == "simple"
    assert deeper.reflection_depth == "complex"
    assert "frustrated" in deeper.feelings.guessed


def test_feelings_meet_by_family() -> None:
    findings = analyze_reflection(
        SPEAKER, "So you're anxious about work and tired.", encoder=DEFAULT_ENCODER
    )
    assert "worried" in findings.feelings.matched and "exhausted" in findings.feelings.matched
    missed = analyze_reflection(
        SPEAKER, "So your boss keeps changing the deadlines.", encoder=DEFAULT_ENCODER
    )
    assert "worried" in missed.feelings.missed
    assert any("worried" in note for note in missed.notes)


def test_feeling_words_need_a_cue_when_they_are_often_something_else() -> None:
    findings = analyze_reflection(
        "Please sit down and close the door.", "Okay.", encoder=DEFAULT_ENCODER
    )
    assert findings.feelings.speaker == ()
    assert analyze_reflection("I feel so down.", "", encoder=DEFAULT_ENCODER).feelings.speaker == (
        "down",
    )


def test_mirroring_without_a_check_in_gets_a_gentle_reminder() -> None:
    findings = analyze_reflection(
        SPEAKER, "So you're worried about your job.", "mirror", encoder=DEFAULT_ENCODER
    )
    assert any("Did I get that" in note for note in findings.notes)


def test_parroting_counts_runs_of_three_words() -> None:
    assert parroting_share("we went to the park today", "you went to the park") == 0.8
    assert parroting_share("a b", "a b") == 0.0


def test_overlap_only_when_embeddings_are_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_SWITCH, "0")
    semantic._load_encoder.cache_clear()
    try:
        findings = analyze_reflection(SPEAKER, "So work worries you.", encoder=load_encoder())
        assert findings.backend == "overlap"
        check_shape(findings)
    finally:
        monkeypatch.delenv(ENV_SWITCH)
        semantic._load_encoder.cache_clear()


def test_an_unknown_style_counts_as_paraphrase() -> None:
    assert (
        analyze_reflection("a", "b", "shouting", encoder=DEFAULT_ENCODER).listener_style
        == "paraphrase"
    )


@pytest.mark.parametrize("damage", ["missing", "other weights"])
def test_a_broken_sentence_model_falls_back_to_overlap(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, damage: str
) -> None:
    if damage == "other weights":  # same file name, not the model we checked
        (tmp_path / "model.safetensors").write_bytes(b"not the model")
    monkeypatch.setattr(minilm, "model_folder", lambda: tmp_path)
    semantic._load_encoder.cache_clear()
    try:
        assert load_encoder() is None
        assert (
            analyze_reflection(SPEAKER, "So work worries you.", encoder=load_encoder()).backend
            == "overlap"
        )
    finally:
        monkeypatch.undo()
        semantic._load_encoder.cache_clear()
