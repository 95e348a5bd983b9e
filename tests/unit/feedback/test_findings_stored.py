"""Findings read back from what earlier versions stored."""

from __future__ import annotations

from guided_talk.feedback.findings import Kept, ReflectionFindings, TurnFindings


def test_measures_stored_before_response_types_were_kept_still_read() -> None:
    older = {"coverage": 0.5, "response_type": "reflection", "reflects": [1]}
    stored = ReflectionFindings.from_stored(older)
    assert stored.kept is Kept.MEASURES and stored.response_types == ()
    assert stored.reflected  # judged from the main type alone
    redone = ReflectionFindings(response_types=("reflection", "check-in"), coverage=0.9)
    merged = redone.with_measures_of(stored)
    assert merged.coverage == 0.5, "the stored measure wins"
    assert merged.response_types == ("reflection", "check-in"), "one it never kept does not"


def test_unknown_kinds_and_unreadable_values_are_left_out_not_raised() -> None:
    found = TurnFindings.from_stored(
        {"reflection": {"coverage": "n/a", "units": [3, {"text": 4}]}, "mood": {"x": 1}}
    )
    assert found.reflection is not None and found.reflection.coverage == 0.0
    assert [u.text for u in found.reflection.units] == [""]
    assert found.expression is None
