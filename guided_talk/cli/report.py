"""A plain-text feedback report for one stored session: kind, specific and short."""

from __future__ import annotations

from guided_talk.feedback.findings import STATEMENT_PARTS, ExpressionFindings, ReflectionFindings
from guided_talk.feedback.measures import ListeningMeasures, SessionMeasures, session_measures
from guided_talk.feedback.reply_model import LABEL_WORDS
from guided_talk.session.progress import turn_summary
from guided_talk.store import SessionDetail, StoredTurn

_RULE = "-" * 60
_SHOWN_UNITS = 6
_SHOWN_TIPS = 2
_FEELING_LABELS = (
    ("matched", "named back"),
    ("missed", "not named back yet"),
    ("guessed", "guessed"),
)


def print_report(detail: SessionDetail) -> None:
    """Print the session measures, then each reflect-back and statement in turn."""
    print(f"\nFeedback: {detail.summary.exercise_title}")
    print(_RULE)
    measures = session_measures([turn_summary(t) for t in detail.turns])
    _talk_time(measures)
    _listening(measures)
    for turn in detail.turns:
        if turn.feedback.reflection is not None:
            _reflection(turn, turn.feedback.reflection)
        if turn.feedback.expression is not None:
            _expression(turn, turn.feedback.expression)


def _talk_time(measures: SessionMeasures) -> None:
    for person, seconds in measures.talk_seconds.items():
        if seconds <= 0:
            continue
        share = measures.talk_share.get(person, 0.0)
        shares = measures.pronoun_shares.get(person, {})
        balance = " / ".join(f"{v:.0%}" for v in shares.values()) if any(shares.values()) else ""
        print(
            f"{person}: {seconds / 60:.1f} min of recorded talk ({share:.0%})"
            + (f"; I / you / we words: {balance}" if balance else "")
        )


def _listening(measures: SessionMeasures) -> None:
    for person, listening in measures.listening_by_person.items():
        line = _listening_line(listening)
        if line:
            print(f"{person} as listener: {line}")


def _listening_line(m: ListeningMeasures) -> str:
    parts = []
    if m.reflections or m.questions:
        per = (
            f"{m.reflections_per_question:.1f} per question"
            if m.reflections_per_question is not None
            else "no questions"
        )
        counts = f"{_plural(m.reflections, 'reflection')}, {per}"
        hint = "" if m.reflections_per_question is None else "; 2 per question is good"
        parts.append(f"{counts} ({_band(m.ratio_band)}{hint})")
    if m.complex_share is not None:
        parts.append(
            f"{m.complex_share:.0%} added a feeling or meaning "
            f"({_band(m.complex_band)}; half is good)"
        )
    if m.advice_before_understanding:
        times = _plural(len(m.advice_before_understanding), "time")
        parts.append(f"advice before understanding {times}")
    return "; ".join(parts)


def _band(band: str) -> str:
    return {"below": "room to grow"}.get(band, band)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _reflection(turn: StoredTurn, findings: ReflectionFindings) -> None:
    rating = ", ".join(f"{who} rated it {value}/5" for who, value in turn.ratings.items())
    kind = _response_kind(findings)
    print(
        f"\n{turn.participant}'s reflect-back ({turn.turn_id}): covered {findings.coverage:.0%}"
        + (f", {kind}" if kind else "")
        + (f"; {rating}" if rating else "")
    )
    for unit in findings.units[:_SHOWN_UNITS]:
        if not unit.text:
            continue
        mark = "captured" if unit.captured else "missed  "
        heard = unit.listener_words
        print(f"  [{mark}] {unit.text}" + (f'  <- "{heard}"' if heard and unit.captured else ""))
    said = [
        f"{label}: {', '.join(getattr(findings.feelings, key))}"
        for key, label in _FEELING_LABELS
        if getattr(findings.feelings, key)
    ]
    if said:
        print(f"  feelings {'; '.join(said)}")
    for note in findings.notes:
        print(f"  * {note}")


def _response_kind(findings: ReflectionFindings) -> str:
    main = findings.response_type
    if main == "reflection" and findings.reflection_depth:
        main = f"a {findings.reflection_depth} reflection"
    elif main in ("question", "advice"):
        main = f"mostly {main}"
    elif main == "criticism" or findings.reply_label in ("reassurance", "taking_over"):
        main = LABEL_WORDS.get(findings.reply_label, main)
    else:
        main = ""
    types = [t for t in findings.response_types if t != "other"]
    if findings.mixed and len(types) > 1:
        main += f" (mixes {' and '.join(types)})"
    return main.strip()


def _expression(turn: StoredTurn, findings: ExpressionFindings) -> None:
    found = [n for n in STATEMENT_PARTS if findings.parts.get(n)]
    tips = findings.tips
    if not found and not tips:
        return
    missing = [n for n in STATEMENT_PARTS if n not in found]
    has = f"has {', '.join(found)}" if found else "has none of the four parts yet"
    could = f"; could add {', '.join(missing)}" if found and missing else ""
    print(f"\n{turn.participant}'s statement ({turn.turn_id}): {has}{could}")
    for tip in tips[:_SHOWN_TIPS]:
        print(f"  * {tip}")
    if findings.rewrite:
        print(f"  try: {findings.rewrite}")
