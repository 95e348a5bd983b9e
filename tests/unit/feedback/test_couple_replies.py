"""Obvious replies between partners, each sorted as a couples coach would sort it.

Every case is checked as written and as a recogniser without punctuation gives it,
with the real sentence model and the shipped reply classifier.
"""

from __future__ import annotations

import re

import pytest

from guided_talk.feedback.reflection import analyze_reflection
from guided_talk.feedback.semantic import load_encoder

SATURDAY = (
    "I felt hurt when you made plans for Saturday without asking me, because I'd hoped "
    "we'd spend it together."
)
DISHES = (
    "I'm exhausted coming home to a sink full of dishes every night. I need us to share "
    "the kitchen work."
)
WORK = "Work has been awful. My manager keeps adding projects and I'm scared I'll burn out."
MONEY = "Seeing that big charge on the card made me anxious. I want us to decide big buys together."
MUM = "When your mum criticises my cooking and you say nothing, I feel alone."
PHONE = "You were on your phone all through dinner and I felt ignored."

# (speaker, reply, main type, finer label or "" for any label of that type)
CASES = [
    (
        SATURDAY,
        "So you felt hurt when I made plans for Saturday without asking you, because "
        "you hoped we would spend it together.",
        "reflection",
        "",
    ),
    (
        SATURDAY,
        "So you felt hurt when I made plans for Saturday without asking you.",
        "reflection",
        "",
    ),
    (SATURDAY, "You should just tell me earlier next time.", "advice", "advice"),
    (SATURDAY, "Why are you always so sensitive?", "criticism", "criticism"),
    (SATURDAY, "Why are you always so sensitive about money?", "criticism", "criticism"),
    (
        SATURDAY,
        "You felt hurt that I booked Saturday without you. Did I get that?",
        "reflection",
        "",
    ),
    (SATURDAY, "What were you hoping we would do on Saturday?", "question", "open_question"),
    (SATURDAY, "Don't worry about it, it's only one Saturday.", "other", "reassurance"),
    (
        SATURDAY,
        "That happened to me too, my brother did the same thing at Christmas.",
        "other",
        "taking_over",
    ),
    (
        SATURDAY,
        "Well, you went out with your sister last month without asking me.",
        "criticism",
        "defensiveness",
    ),
    (SATURDAY, "Do you want me to cancel the plans?", "question", "closed_question"),
    (
        DISHES,
        "You're worn out from doing the dishes every night, and you want us to share it.",
        "reflection",
        "",
    ),
    (DISHES, "You always make a big deal out of the dishes.", "criticism", "criticism"),
    (DISHES, "Just leave them until the morning.", "advice", "advice"),
    (DISHES, "I do plenty around here.", "criticism", "defensiveness"),
    (DISHES, "What would a fair split look like to you?", "question", "open_question"),
    (DISHES, "It makes sense that you're exhausted.", "other", "validation"),
    (
        WORK,
        "It sounds like work is wearing you down and you're frightened of burning out.",
        "reflection",
        "",
    ),
    (WORK, "You need to tell your manager you can't take any more.", "advice", "advice"),
    (WORK, "Oh come on, it'll be fine, don't stress about it.", "other", "reassurance"),
    (WORK, "My manager did exactly that to me last year.", "other", "taking_over"),
    (WORK, "What's the hardest part of the week for you?", "question", "open_question"),
    (WORK, "Is it the new project?", "question", "closed_question"),
    (
        MONEY,
        "You got anxious when you saw the charge, and you want us to decide big purchases "
        "together.",
        "reflection",
        "",
    ),
    (MONEY, "You're so paranoid about money, it's exhausting.", "criticism", "criticism"),
    (
        MONEY,
        "Well, you bought a bike in the spring without telling me.",
        "criticism",
        "defensiveness",
    ),
    (MONEY, "Why don't you set up a separate account for fun money?", "advice", "advice"),
    (MUM, "You feel alone when my mum criticises your cooking and I stay quiet.", "reflection", ""),
    (MUM, "Just laugh it off, she means well.", "advice", "advice"),
    (MUM, "You're being touchy about my family again.", "criticism", "criticism"),
    (PHONE, "You felt ignored because I was on my phone during dinner.", "reflection", ""),
    (PHONE, "You felt ignored when I was on my phone at dinner. Is there more?", "reflection", ""),
    (
        DISHES,
        "You're exhausted and you need us to share the kitchen work, is that right?",
        "reflection",
        "",
    ),
    (PHONE, "What about you? You watch videos at the table all the time.", "criticism", ""),
]


def unpunctuated(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text).lower().split())


@pytest.fixture(scope="module")
def encoder():  # type: ignore[no-untyped-def]
    loaded = load_encoder()
    assert loaded is not None, "the sentence model ships with the app"
    return loaded


@pytest.mark.model
@pytest.mark.parametrize("view", ["written", "unpunctuated"])
@pytest.mark.parametrize(("speaker", "reply", "main", "label"), CASES)
def test_an_obvious_reply_is_sorted_as_a_coach_would(
    encoder: object, speaker: str, reply: str, main: str, label: str, view: str
) -> None:
    if view == "unpunctuated":
        speaker, reply = unpunctuated(speaker), unpunctuated(reply)
    found = analyze_reflection(speaker, reply, encoder=encoder)  # type: ignore[arg-type]
    assert (found.response_type, found.reply_label if label else "") == (main, label)
    if main != "reflection" and label != "validation":
        assert found.coverage <= 0.3
        assert not any(u.captured for u in found.units)
        assert not any("Well done" in note for note in found.notes)
    if main == "reflection":
        assert "question" not in found.response_types  # a check is not a question
