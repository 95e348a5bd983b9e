"""The reply's type, decided by the learned classifier with the word rules beside it.

The rules (``response``) cut the reply into segments and type each one; the
classifier (``reply_model``) reads the whole reply and names its kind. The
classifier decides the main type and the finer label; a second type the rules found
is listed beside a reflection, a question or advice only when the classifier gives
it some weight (a question, advice) or the words say the speaker's points back (a
reflection), and never beside a reply that does not listen. Without the
classifier's weights the rules decide alone.

How much of the reply restates the speaker (``restating``, 0..1) is what coverage
may credit: a question, advice or an attack that shares the topic restates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from guided_talk.feedback.finding_parts import ResponseFindings
from guided_talk.feedback.matching import Matched
from guided_talk.feedback.reply_features import ReplyInput, without_check_ending
from guided_talk.feedback.reply_model import NOT_LISTENING, ReplyModel, ReplyVerdict
from guided_talk.feedback.response import classify_response

#: A question or advice the rules found is listed beside the main type when the
#: classifier gives its labels at least this probability.
SECOND_TYPE_AT = 0.2
#: A reflection the rules found is listed beside a question or advice when the reply
#: meets at least this much of what was said ("So you're worried about your job,
#: what would help?"): the classifier names one kind per reply, the words show both.
SECOND_REFLECTION_COVERAGE = 0.4
#: For a reply that is not mainly a reflection, the classifier's probability of a
#: reflection at which it would count as restating in full (below it, in proportion).
FULL_RESTATING_AT = 0.75
#: A reply that says nearly all of the speaker's words back mirrors them, whatever
#: its person ("I feel so worried ..." said back word for word, as mirroring asks).
MIRROR_COVERAGE = 0.9
_SECONDARY = ("reflection", "question", "advice")


@dataclass(frozen=True)
class ReplyType:
    """What kind of reply it was, and how much of it restates the speaker.

    Attributes:
        response: The types, segments, depth and question kind.
        label: The finer label (``reply_model.LABELS``), or empty without the model.
        restating: How much of the reply says the speaker's words back, 0..1.
    """

    response: ResponseFindings
    label: str
    restating: float


def type_reply(
    speaker: str, listener: str, matched: Matched, model: ReplyModel | None
) -> ReplyType:
    """Decide the reply's type from the rules and, when loaded, the classifier."""
    rules = classify_response(listener, matched.coverage, speaker)
    if model is None:  # the rules alone cannot tell an attack from a restatement
        return ReplyType(rules, "", 1.0)
    verdict = model.judge(reply_input(speaker, listener, matched, rules))
    if matched.coverage >= MIRROR_COVERAGE and verdict.main not in ("reflection", "criticism"):
        verdict = ReplyVerdict("simple_reflection", verdict.probabilities)  # a mirror
    merged = _merged(rules, verdict, matched.coverage)
    return ReplyType(merged, verdict.label, _restating(rules, verdict))


def reply_input(
    speaker: str, listener: str, matched: Matched, rules: ResponseFindings
) -> ReplyInput:
    """What the classifier is given (the training script builds it the same way)."""
    trimmed, checked = without_check_ending(listener)
    return ReplyInput(
        speaker=speaker,
        reply=trimmed,
        checked=checked,
        asked=trimmed.rstrip().endswith("?"),
        rules=rules,
        coverage=matched.coverage,
        vector=matched.reply_vector,
        turn_cosine=matched.turn_cosine,
    )


def _merged(rules: ResponseFindings, verdict: ReplyVerdict, coverage: float) -> ResponseFindings:
    main = verdict.main
    types = [main]
    for kind in rules.types:
        if kind == "check-in" or (
            main in _SECONDARY and kind != main and _also(kind, verdict, coverage)
        ):
            types.append(kind)
    types = list(dict.fromkeys(types))
    substantive = [t for t in types if t in (*_SECONDARY, "criticism")]
    depth = ""
    if "reflection" in types:
        simple, complex_ = verdict.of("simple_reflection"), verdict.of("complex_reflection")
        depth = "complex" if complex_ > simple else "simple"
    asked = rules.question_kind
    if main == "question":
        open_, closed = verdict.of("open_question"), verdict.of("closed_question")
        asked = "open" if open_ >= closed else "closed"
    elif "question" not in types:
        asked = "check-in" if "check-in" in types else ""
    return replace(
        rules,
        main=main,
        types=tuple(types),
        mixed=len(substantive) > 1,
        reflection_depth=depth,
        question_kind=asked,
    )


def _also(kind: str, verdict: ReplyVerdict, coverage: float) -> bool:
    """Whether a type the rules found belongs beside the classifier's main type."""
    if kind == "reflection":
        return coverage >= SECOND_REFLECTION_COVERAGE
    return kind in _SECONDARY and verdict.of_main(kind) >= SECOND_TYPE_AT


def _restating(rules: ResponseFindings, verdict: ReplyVerdict) -> float:
    """The classifier's weight on a reflection, or, for a reply that mixes a
    reflection with something else, the share of its words the rules saw reflect;
    an attack or a brush-off restates nothing however it is worded."""
    listening = 1.0 - verdict.of(*NOT_LISTENING)
    if verdict.main == "reflection":
        return 1.0
    reflecting = verdict.of_main("reflection") + verdict.of("validation") / 2
    mixed = _rules_restating(rules) * listening if verdict.main != "criticism" else 0.0
    return round(min(1.0, max(reflecting / FULL_RESTATING_AT, mixed)), 4)


def _rules_restating(rules: ResponseFindings) -> float:
    """Share of the reply's words in segments the rules call reflections."""
    total = sum(len(s.text.split()) for s in rules.segments)
    reflected = sum(len(s.text.split()) for s in rules.segments if s.kind == "reflection")
    return reflected / total if total else 0.0
