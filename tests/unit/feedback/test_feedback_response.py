"""Response-type rules, each with hand-written example sentences."""

from __future__ import annotations

import pytest

from guided_talk.feedback.response import classify_response


@pytest.mark.parametrize(
    "listener",
    [
        "I know you've been trying really hard lately.",
        "I think you're more tired than you let on.",
        "i can see you care a lot about her",
    ],
)
def test_saying_what_the_listener_sees_in_the_speaker_is_not_information(listener: str) -> None:
    assert classify_response(listener).main == "reflection"


@pytest.mark.parametrize(
    "listener",
    [
        "I'll call the clinic tomorrow and book a time for both of you.",
        "I know a group that meets on Thursdays near the station.",
    ],
)
def test_the_listeners_own_plans_and_knowledge_are_still_information(listener: str) -> None:
    assert classify_response(listener).main == "advice"


@pytest.mark.parametrize("listener", ["Okay. That sounds good.", "fair enough that's fine"])
def test_an_acknowledgement_of_several_words_is_not_a_reflection(listener: str) -> None:
    assert classify_response(listener).main == "other"


def test_facts_nearly_as_long_as_the_summary_make_the_turn_information() -> None:
    found = classify_response(
        "You've had a really hard week with the kids. I'll send you the forms tonight by email."
    )
    assert found.main == "advice"


def test_a_short_aside_after_a_long_reflection_leaves_it_a_reflection() -> None:
    found = classify_response(
        "So you've had a really hard week with the kids and no time at all for yourself. "
        "I'll send the forms tonight."
    )
    assert found.main == "reflection"
