"""Sort a listener's turn into response types: reflection, question, advice, ...

The turn is cut into segments (sentences, or clauses when there is no
punctuation). Each segment gets one type; the turn's types are all of them, and its
main type follows a fixed order of precedence. Question marks help but are not
needed: questions are also known by how they open ("do you", "what made").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from guided_talk.feedback.feelings import feelings_in, needs_in
from guided_talk.feedback.text import stem, stopwords, words
from guided_talk.feedback.wordlists import Hit, find, groups, phrase_at

#: The main types a turn is sorted into (the jsonl interface's ``response_type``).
MAIN_TYPES = ("reflection", "question", "advice", "other")
#: Every type a segment can have; a rebuttal counts as ``other`` in the main type.
SEGMENT_TYPES = ("reflection", "question", "advice", "rebuttal", "other")

_SENTENCE = re.compile(r"[^.!?;]+[.!?;]*")
#: Words a sentence needs before a contracted wh-word ("what's") may start a question.
_MIN_SPLIT_WORDS = 3


@cache
def _grammar(group: str) -> frozenset[str]:
    """A closed class of words from ``lexicons/grammar.txt``."""
    return frozenset(groups("grammar")[group])


@dataclass(frozen=True)
class Segment:
    """One sentence or clause of the listener's turn and its type.

    Attributes:
        text: The words of the segment.
        kind: One of ``SEGMENT_TYPES``.
        detail: ``open``/``closed`` for a question, ``advice``/``information`` for
            advice, empty otherwise.
    """

    text: str
    kind: str
    detail: str = ""


@cache
def _closed_openers() -> frozenset[str]:
    return frozenset(groups("questions")["closed"])


@cache
def _asked_advice() -> frozenset[str]:
    return frozenset(groups("advice")["asked"])


def segments(text: str) -> list[tuple[list[str], bool]]:
    """Cut a turn into word lists, each with whether it ended in a question mark."""
    found: list[tuple[list[str], bool]] = []
    for sentence in _SENTENCE.findall(text):
        tokens = words(sentence)
        if not tokens:
            continue
        asked = sentence.rstrip().endswith("?")
        pieces = _split_at_questions(tokens)
        found.extend((piece, asked and i == len(pieces) - 1) for i, piece in enumerate(pieces))
    return found


def _split_at_questions(tokens: list[str]) -> list[list[str]]:
    """Split before a question that starts mid-sentence ("... what do you want")."""
    pieces: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        if pieces[-1] and _question_start(tokens, i, len(pieces[-1])):
            pieces.append([])
        pieces[-1].append(token)
    return pieces


def _question_start(tokens: Sequence[str], i: int, so_far: int) -> bool:
    """A wh-word with an auxiliary ("what do you"), or "do you" after a pause word."""
    first = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    before = tokens[i - 1] if i > 0 else ""
    if before in _grammar("not_before_question"):
        return False
    if first in _grammar("wh"):
        return nxt in _closed_openers()
    if first in _grammar("wh_contracted"):
        return nxt in _grammar("subjects") or so_far >= _MIN_SPLIT_WORDS
    return first in _grammar("auxiliaries") and nxt == "you" and before in _grammar("discourse")


def _strip_discourse(tokens: list[str]) -> list[str]:
    start = 0
    while start < len(tokens) - 1 and tokens[start] in _grammar("discourse"):
        start += 1
    return tokens[start:]


def classify_segment(tokens: list[str], asked: bool) -> Segment:
    """The type of one segment."""
    text = " ".join(tokens)
    core = _strip_discourse(tokens)
    if _rebuts(tokens):
        return Segment(text, "rebuttal")
    advice = _advice_hits(tokens, core)
    question = _question_kind(core, asked)
    if advice and _strong_reflection(core, advice[0].start - (len(tokens) - len(core))):
        advice = []
    if advice and (not question or any(h.entry in _asked_advice() for h in advice)):
        return Segment(text, "advice", _advice_kind(advice))
    if question:
        checking = any(h.group == "check_in" for h in find("stems", tokens))
        return Segment(text, "question", "check-in" if checking else question)
    if _reflective_opening(core):
        return Segment(text, "reflection")
    return Segment(text, "other")


def _advice_hits(tokens: list[str], core: list[str]) -> list[Hit]:
    """Advice markers; an imperative counts only where the sentence opens with it."""
    opening = len(tokens) - len(core)
    hits = [h for h in find("advice", tokens) if h.group != "reflected_need"]
    return [h for h in hits if h.group != "imperative" or h.start == opening]


def _advice_kind(hits: list[Hit]) -> str:
    return "information" if all(h.group == "information" for h in hits) else "advice"


def _question_kind(core: list[str], asked: bool) -> str:
    """``open``, ``closed`` or empty when the segment is not a question."""
    if not core:
        return ""
    first = core[0]
    if first in _grammar("wh") and len(core) > 1 and core[1] in _grammar("subjects") and not asked:
        return ""  # "what you're saying is ...", "how you feel" are statements
    if first in _grammar("wh") or first in _grammar("wh_contracted") or _asks_openly(core):
        return "open"
    if (
        first in _closed_openers()
        and len(core) > 1
        and core[1] in {*_grammar("pronouns"), "the", "your"}
    ):
        return "closed"
    if asked and not _strong_reflection(core, len(core)):
        return "closed"  # "Tomorrow?"; "You're tired?" is a reflection said as a check
    return ""


def _strong_reflection(core: list[str], advice_at: int) -> bool:
    """A reflect-back stem opens the segment before any advice marker."""
    for i in range(min(3, len(core), max(0, advice_at))):
        stem = phrase_at("responses", core, i, "reflection")
        if " " in stem and not stem.startswith(("you ", "your ")):
            return True
    return False


def _asks_openly(core: list[str]) -> bool:
    """An open invitation anywhere in the segment ("... tell me more about ...")."""
    return any(h.group == "open" and " " in h.entry for h in find("questions", core))


def _reflective_opening(core: list[str]) -> bool:
    if any(phrase_at("responses", core, i, "reflection") for i in range(min(3, len(core)))):
        return True
    return any(
        t in _grammar("second_person") and core[i + 1 : i + 2] != ["know"]
        for i, t in enumerate(core)
    )


def _rebuts(tokens: list[str]) -> bool:
    hits = [h for h in find("rebuttal", tokens) if h.group == "strong"]
    if hits:
        return True
    return (
        len(tokens) > 1
        and tokens[0] in {"but", "no", "actually"}
        and tokens[1] in {"i", "i'm", "i've", "that's", "that", "it's", "you"}
    )


@dataclass(frozen=True)
class ResponseFindings:
    """What kind of response a listener's turn was.

    Attributes:
        main: One of ``MAIN_TYPES``.
        types: Every segment type present, in order of first appearance; a check-in
            question ("Did I get that?") is listed as ``check-in``.
        mixed: More than one of reflection, question, advice and rebuttal (a check-in
            such as "Did I get that?" does not count as a question here).
        reflection_depth: ``complex``, ``simple`` or empty when no reflection.
        question_kind: ``open``, ``closed`` or empty when no question.
        segments: Each segment with its type.
    """

    main: str
    types: tuple[str, ...]
    mixed: bool
    reflection_depth: str
    question_kind: str
    segments: tuple[Segment, ...]


#: A reflection whose content words are mostly new (at least 60% of 5 or more) goes
#: beyond what was said: it counts as complex.
NEW_WORDS_SHARE = 0.6
NEW_WORDS_MIN = 5
#: A segment of no clear type that is this close to the speaker's words reflects them.
REFLECTIVE_COVERAGE = 0.4
_SUBSTANTIVE = ("reflection", "question", "advice", "rebuttal")


def classify_response(listener: str, coverage: float = 0.0, speaker: str = "") -> ResponseFindings:
    """Sort a listener's turn into response types.

    Args:
        listener: The listener's words.
        coverage: How much of the speaker's turn the listener captured (0..1); a
            statement that captures a lot is a reflection even without "you".
        speaker: The speaker's words, to tell a complex reflection from a simple one.
    """
    found = [classify_segment(tokens, asked) for tokens, asked in segments(listener)]
    found = [_promote(s, coverage) for s in found]
    kinds = tuple(dict.fromkeys(_type_label(s) for s in found))
    substantive = {s.kind for s in found if s.kind in _SUBSTANTIVE and s.detail != "check-in"}
    main = _main_type(found)
    depth = _depth(listener, speaker, found) if "reflection" in kinds else ""
    details = [s.detail for s in found if s.kind == "question"]
    asked = next((d for d in details if d != "check-in"), details[0] if details else "")
    return ResponseFindings(main, kinds, len(substantive) > 1, depth, asked, tuple(found))


def _type_label(segment: Segment) -> str:
    return "check-in" if segment.detail == "check-in" else segment.kind


def _promote(segment: Segment, coverage: float) -> Segment:
    if segment.kind != "other" or coverage < REFLECTIVE_COVERAGE:
        return segment
    tokens = segment.text.split()
    if len(tokens) < 4 or phrase_at("responses", tokens, 0) or _is_aside(tokens):
        return segment
    return Segment(segment.text, "reflection")


def _is_aside(tokens: list[str]) -> bool:
    hits = find("responses", tokens)
    return any(h.group in ("affirmation", "structuring") for h in hits)


def _main_type(found: list[Segment]) -> str:
    """Advice first (it changes the conversation most), then a question, then a reflection.

    A check-in ("Did I get that?") after a reflection belongs to the reflection.
    """
    kinds = {s.kind for s in found}
    if "advice" in kinds:
        return "advice"
    asked = [s for s in found if s.kind == "question"]
    if asked and not ("reflection" in kinds and all(s.detail == "check-in" for s in asked)):
        return "question"
    return "reflection" if "reflection" in kinds else "other"


def _depth(listener: str, speaker: str, found: list[Segment]) -> str:
    """``complex`` when the reflection adds a feeling, need or meaning not said outright."""
    said = words(speaker)
    heard = [w for s in found if s.kind == "reflection" for w in s.text.split()]
    said_families = {f.family for f in feelings_in(said)}
    if any(f.family not in said_families for f in feelings_in(heard)):
        return "complex"
    said_needs = {n.word for n in needs_in(said)}
    if any(n.word not in said_needs for n in needs_in(heard)):
        return "complex"
    meaning = [h for h in find("responses", heard) if h.group == "meaning"]
    if any(h.entry not in " ".join(said) for h in meaning):
        return "complex"
    return "complex" if said and _novelty(said, heard) >= NEW_WORDS_SHARE else "simple"


def _novelty(said: list[str], heard: list[str]) -> float:
    """Share of the reflection's content words the speaker did not use (0 if too few)."""
    new = {stem(w) for w in heard if w.replace("'", "") not in stopwords()}
    if len(new) < NEW_WORDS_MIN:
        return 0.0
    return len(new - {stem(w) for w in said}) / len(new)
