"""Clear-expression checks on a statement of feelings and needs.

A clear statement has four parts: a feeling ("I feel worried"), a situation ("when
the bills come"), a need ("because I need to feel safe") and a request ("Would you
be willing to ...?"). ``analyze_expression`` finds which are there, what gets in
the way (thoughts dressed as feelings, blame, absolutes, hedges, fillers, pace) and
fills a rewrite template with the person's own words where it can.
"""

from __future__ import annotations

import re
from dataclasses import replace

from guided_talk.feedback.feelings import faux_feelings_in, feelings_in, needs_in
from guided_talk.feedback.findings import ExpressionFindings
from guided_talk.feedback.habits import (
    ABSOLUTIST,
    fillers_in,
    pace_band,
    per_minute,
    words_per_minute,
)
from guided_talk.feedback.notes import expression_tips
from guided_talk.feedback.text import pronoun_counts, words
from guided_talk.feedback.wordlists import find

_CLAUSE = r"([^.,;!?]{1,120})"
_SITUATION = re.compile(
    r"\b(?:when|whenever|each time|every time|after)\b"
    + _CLAUSE
    + r"|\b(?:feel|felt|feeling|am|i'm|get|got)\s+(?:\w+\s+){1,2}?about\b"
    + _CLAUSE,
    re.IGNORECASE,
)
_NEED = re.compile(
    r"\bI(?:\s+really)?\s+(?:need|want|would like|'d like|wish|miss|value)\b" + _CLAUSE,
    re.IGNORECASE,
)
_I_WORDS = frozenset({"i", "i'm", "i've", "i'd", "i'll"})
_REQUEST = re.compile(
    r"\b(?:would|could|can|will) you(?: be willing to| please)?\b"
    + _CLAUSE
    + r"|\b(?:I'd|I would) (?:like|love it if) (?:you|us|we)(?: to)?\b"
    + _CLAUSE,
    re.IGNORECASE,
)


def analyze_expression(text: str, seconds: float | None = None) -> ExpressionFindings:
    """Look for an I-statement's parts and the habits that make a statement land badly.

    Args:
        text: What the person said.
        seconds: How long they spoke, when known (for pace and fillers per minute).
    """
    tokens = words(text)
    feelings = tuple(dict.fromkeys(f.word for f in feelings_in(tokens)))
    faux = tuple(dict.fromkeys(f.word for f in faux_feelings_in(tokens)))
    thoughts = tuple(h.said for h in find("expression", tokens) if h.group == "thought")
    kind = "thought" if thoughts else "faux" if faux else "feeling" if feelings else "none"
    slots = _slots(text, tokens, feelings)
    fillers = fillers_in(tokens)
    pace = words_per_minute(len(tokens), seconds)
    findings = ExpressionFindings(
        words=len(tokens),
        slots=slots,
        parts={part: bool(said) for part, said in slots.items()},
        feeling_kind=kind,
        feelings=feelings,
        faux_feelings=faux,
        thoughts=thoughts,
        you_statements=_you_statements(text),
        blame=tuple(h.said for h in find("expression", tokens) if h.group == "blame"),
        absolutist_words=tuple(w for w in tokens if w in ABSOLUTIST),
        hedges=tuple(h.said for h in find("hedges", tokens)),
        fillers=fillers,
        fillers_per_minute=per_minute(len(fillers), seconds),
        pace_wpm=pace,
        pace=pace_band(pace),
        pronouns=pronoun_counts(tokens),
        rewrite="",
        names_a_feeling=bool(feelings),
        thought_dressed_as_feeling=bool(thoughts),
        states_a_need=bool(slots["need"]),
        tips=(),
    )
    return replace(
        findings, rewrite=rewrite_template(findings, text), tips=expression_tips(findings)
    )


def _slots(text: str, tokens: list[str], feelings: tuple[str, ...]) -> dict[str, str]:
    needs = needs_in(tokens)
    need = _first(_NEED, text) or (needs[0].word if needs else "")
    request = _first(_REQUEST, text)
    if not request and any(h.group == "request" for h in find("expression", tokens)):
        request = "(asked)"
    situation = _own_clause(_first(_SITUATION, text))
    return {
        "feeling": feelings[0] if feelings else "",
        "situation": situation,
        "need": "" if need.lower().startswith("you ") or _same_ask(need, request) else need,
        "request": request,
    }


def _same_ask(need: str, request: str) -> bool:
    """An "I would like us to X" is one request, not also a need."""
    return bool(request) and re.sub(r"^(?:us|we) to ", "", need, flags=re.IGNORECASE) == request


def _own_clause(said: str) -> str:
    """The situation up to where the speaker starts a new "I ..." clause."""
    parts = said.split()
    cut = next((i for i, w in enumerate(parts) if i >= 2 and w.lower() in _I_WORDS), len(parts))
    return " ".join(parts[:cut])


def _first(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    if not match:
        return ""
    said = next((g for g in match.groups() if g), "")
    return " ".join(said.split())


def _you_statements(text: str) -> int:
    """Sentences whose first word is "you" (after "and", "but", "well" ...)."""
    count = 0
    for sentence in re.split(r"[.!?;]+", text):
        lead = [w for w in words(sentence) if w not in {"and", "but", "so", "well", "like"}]
        if lead and lead[0] in {"you", "you're", "you've", "you'll"}:
            count += 1
    return count


def rewrite_template(findings: ExpressionFindings, text: str = "") -> str:
    """The statement as "I feel ... when ..., because I need .... Would you ...?",
    in the person's own words; only a part they did not say is left as a gap, with
    a hint. A you-statement ("You always leave the dishes") gives the moment, without
    its verdict words ("when you leave the dishes")."""
    slots = findings.slots
    complete = all(slots.values()) and findings.feeling_kind == "feeling"
    if complete and not findings.blame and not findings.absolutist_words:
        return ""
    feeling = _AS_FELT.get(slots["feeling"], slots["feeling"])
    feeling = feeling or "[one feeling word, such as hurt, worried or lonely]"
    situation = _without_verdict(slots["situation"]) or _moment_from_you(text)
    need = slots["need"] or "[what matters to you]"
    request = slots["request"] if slots["request"] not in ("", "(asked)") else ""
    return (
        f"I feel {feeling} when {situation or '[one moment you both saw]'}, "
        f"because I need {need}. "
        f"Would you be willing to {request or '[one thing your partner could do]'}?"
    )


#: Words that describe what causes a feeling, as the feeling itself ("it's
#: embarrassing" -> "I feel embarrassed").
_AS_FELT = {
    "embarrassing": "embarrassed",
    "frustrating": "frustrated",
    "annoying": "annoyed",
    "irritating": "irritated",
    "upsetting": "upset",
    "exhausting": "exhausted",
    "overwhelming": "overwhelmed",
    "worrying": "worried",
    "depressing": "low",
    "disappointing": "disappointed",
    "frightening": "frightened",
    "scary": "scared",
    "draining": "drained",
    "confusing": "confused",
    "boring": "bored",
    "stressful": "stressed",
    "painful": "hurt",
    "heartbreaking": "heartbroken",
    "surprising": "surprised",
    "sick of": "fed up",
    "tired of": "fed up",
}
#: Verdict words dropped from a moment said back ("you always leave" -> "you leave").
_VERDICT = re.compile(
    r"\b(?:always|constantly|forever|every single time|all the time|once again|again)\b\s*",
    re.IGNORECASE,
)
_NEVER = re.compile(r"\bnever\b", re.IGNORECASE)
_YOU_LEAD = re.compile(r"^(?:(?:and|but|so|well|like|honestly|seriously),?\s+)*you\b", re.I)


def _without_verdict(said: str) -> str:
    """A moment without "always" and the like; "never" becomes "don't"."""
    plain = _NEVER.sub("don't", _VERDICT.sub("", said))
    return " ".join(plain.split()).strip(" ,")


def _moment_from_you(text: str) -> str:
    """The first sentence that starts with "you", as a moment: "you leave the dishes
    for me" from "You always leave the dishes for me and I'm sick of it."."""
    for sentence in re.split(r"[.!?;]+", text):
        sentence = sentence.strip()
        lead = _YOU_LEAD.match(sentence)
        if lead is None:
            continue
        said = _without_verdict(sentence[lead.start() :])
        said = re.split(r",|\s(?:and|but)\s+(?:i|i'm|it|it's|that)\b", said, flags=re.I)[0]
        said = re.sub(r"^(?:and|but|so|well|like|honestly|seriously),?\s+", "", said, flags=re.I)
        said = _own_clause(said)
        if len(said.split()) >= 3:
            return said[0].lower() + said[1:]
    return ""
