"""Word error rate: both sides normalised the same way before counting."""

from __future__ import annotations

from guided_talk.speech.scoring import normalise, word_error_rate


def test_spoken_spellings_and_held_hesitations_are_one_word() -> None:
    assert normalise("Umm, I'm gonna say uhh 12 things, erm, mmm") == (
        ["um", "i'm", "going", "to", "say", "uh", "twelve", "things", "um", "hm"]
    )


def test_errors_are_counted_per_reference_word() -> None:
    assert word_error_rate("we walk on sundays", "we walked on sundays") == 0.25
    assert word_error_rate("", "") == 0.0
    assert word_error_rate("", "anything") == 1.0
    assert word_error_rate("uhh okay", "uh okay") == 0.0
