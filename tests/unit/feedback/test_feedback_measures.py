"""Session measures: a pure function over turn findings, timings and ratings."""

from __future__ import annotations

import json

import pytest

from guided_talk.feedback.findings import TurnFindings
from guided_talk.feedback.measures import TurnSummary, band, session_measures
from guided_talk.feedback.reflection import analyze_reflection
from guided_talk.feedback.semantic import load_encoder

pytestmark = pytest.mark.model  # loads the sentence model

DEFAULT_ENCODER = load_encoder()

SAID = "I feel worried about my job. My boss keeps changing the deadlines."


def reflect(person: str, listener: str, rating: float | None = None, turn: str = "") -> TurnSummary:
    findings = TurnFindings(reflection=analyze_reflection(SAID, listener, encoder=DEFAULT_ENCODER))
    return TurnSummary(person, 30.0, listener, findings, rating, turn)


def test_bands_follow_miti_thresholds() -> None:
    assert band(None, (1, 2)) == ""
    assert band(0.5, (1, 2)) == "below"
    assert band(1.0, (1, 2)) == "fair"
    assert band(2.0, (1, 2)) == "good"


def test_reflections_to_questions_and_complex_share() -> None:
    turns = [
        TurnSummary("Alex", 60.0, SAID),
        reflect("Sam", "So you're worried about your job. Did I get that?"),
        reflect("Sam", "It sounds like you feel powerless because the deadlines keep moving."),
        reflect("Sam", "What would help most?"),
    ]
    measures = session_measures(turns)
    sam = measures.listening_by_person["Sam"]
    assert (sam.reflections, sam.questions) == (2, 1)  # the check-in is not a question
    assert sam.reflections_per_question == 2.0 and sam.ratio_band == "good"
    assert sam.complex_share == 0.5 and sam.complex_band == "good"
    assert "Alex" not in measures.listening_by_person
    json.dumps(measures.as_dict())


def test_advice_before_understanding_is_counted_until_understanding_is_shown() -> None:
    turns = [
        reflect("Sam", "You should look for another job.", turn="first"),
        reflect("Sam", "So your boss keeps changing the deadlines and you feel worried.", 5),
        reflect("Sam", "Maybe you could talk to your boss.", turn="later"),
    ]
    listening = session_measures(turns).listening_by_person["Sam"]
    assert listening.advice_before_understanding == ("first",)


def test_talk_share_pronouns_and_ratings() -> None:
    turns = [
        TurnSummary("Alex", 90.0, "I think we should talk. I miss you."),
        reflect("Sam", "You miss us talking.", rating=4, turn="mirror"),
    ]
    turns[1] = TurnSummary("Sam", 30.0, turns[1].transcript, turns[1].findings, 4, "mirror")
    measures = session_measures(turns)
    assert measures.talk_share == {"Alex": 0.75, "Sam": 0.25}
    assert measures.pronouns["Alex"] == {"i": 2, "you": 1, "we": 1}
    assert sum(measures.pronoun_shares["Alex"].values()) == 1.0
    (rated,) = measures.ratings
    assert rated["person"] == "Sam" and rated["rating"] == 4
    assert isinstance(rated["coverage"], float)


def test_an_empty_session() -> None:
    measures = session_measures([])
    assert measures.talk_share == {} and measures.listening.reflections == 0
    assert measures.listening.ratio_band == "" and measures.listening.complex_share is None


def test_old_or_stripped_findings_do_not_break_the_measures() -> None:
    stored = TurnFindings.from_stored({"reflection": {"coverage": "n/a", "response_type": 3}})
    odd = TurnSummary("Sam", -5.0, "", stored, None)
    measures = session_measures([odd, TurnSummary("", 10.0)])
    assert measures.talk_seconds == {"Sam": 0.0}
    assert measures.listening.reflections == 0
