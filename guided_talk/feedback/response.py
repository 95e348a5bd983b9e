"""Sort a listener's turn into response types: reflection, question, advice, ...

The turn is cut into segments (sentences, or clauses when there is no
punctuation; see ``forms``). Each segment gets one type; the turn's types are all
of them. Its main type is advice when a marker says so ("you should") or when
advice and plain information hold more than 70% as many words as the reflections;
else a question, else a reflection.
Question marks help but are not needed: questions are also known by their form
("do you", "what made", "... would you like"). A statement with no marker is
information when it neither speaks of the speaker nor echoes their words, and a
reflection otherwise; greetings and acknowledgements are ``other``.
"""

from __future__ import annotations

from functools import cache

from guided_talk.feedback.feelings import feelings_in, needs_in
from guided_talk.feedback.findings import ResponseFindings, Segment
from guided_talk.feedback.forms import closed_openers, grammar, segments, strip_discourse
from guided_talk.feedback.text import stem, stopwords, words
from guided_talk.feedback.wordlists import Hit, find, groups, phrase_at


@cache
def _asked_advice() -> frozenset[str]:
    return frozenset(groups("advice")["asked"])


def classify_segment(tokens: list[str], asked: bool) -> Segment:
    """The type of one segment."""
    text = " ".join(tokens)
    core = strip_discourse(tokens)
    if _rebuts(tokens):
        return Segment(text, "rebuttal")
    if len(core) <= SOCIAL_WORDS and _social(core):
        return Segment(text, "other")  # "Thanks, we'll see you next week."
    advice = _advice_hits(tokens, core)
    question = _question_kind(core, asked)
    if advice and _strong_reflection(core, advice[0].start - (len(tokens) - len(core))):
        advice = []
    if advice and (not question or any(h.entry in _asked_advice() for h in advice)):
        return Segment(text, "advice", _advice_kind(advice))
    if question:
        checking = any(h.group == "check_in" for h in find("stems", tokens))
        return Segment(text, "question", "check-in" if checking else question)
    if _social(core):
        return Segment(text, "other")
    if _self_statement(core):
        return Segment(text, "advice", "information", by_form=True)
    if not _strong_reflection(core, len(core)) and any(
        h.group == "tentative" for h in find("advice", core)
    ):
        return Segment(text, "advice", "advice", by_form=True)
    if _reflective_opening(core):
        return Segment(text, "reflection")
    return Segment(text, "other")


def _social(core: list[str]) -> bool:
    """Greetings, thanks and goodbyes ("thank you", "see you next week")."""
    return any(h.group == "social" for h in find("responses", core[:4]))


def _self_statement(core: list[str]) -> bool:
    """The listener talks about themselves or a shared plan ("I'll send you ...",
    "we can ...") rather than about what the speaker said."""
    if len(core) < SELF_WORDS or core[0] not in grammar("self_subjects"):
        return False  # "I think so." agrees, it tells nothing
    if any(phrase_at("responses", core, i, "reflection") for i in range(min(3, len(core)))):
        return False
    if any(h.group == "affirmation" for h in find("responses", core)):
        return False
    if _perceives_speaker(core):
        return False
    return not find("stems", core[:5])


def _perceives_speaker(core: list[str]) -> bool:
    """The listener says what they see or think of the speaker ("I know you tried",
    "I think that you're doing well"): about the speaker, so not information."""
    verb = 2 if core[1:2] in (["can"], ["really"], ["just"], ["do"]) else 1  # "I can see"
    if stem(core[verb]) not in _mental_verbs():
        return False
    after = core[verb + 1 : verb + 1 + PERCEIVED_WITHIN]
    return any(w in grammar("second_person") for w in after)


@cache
def _mental_verbs() -> frozenset[str]:
    return frozenset(stem(w) for w in grammar("mental_verbs"))


def _advice_hits(tokens: list[str], core: list[str]) -> list[Hit]:
    """Advice markers; an imperative counts only where the sentence opens with it."""
    opening = len(tokens) - len(core)
    hits = [h for h in find("advice", tokens) if h.group not in ("reflected_need", "tentative")]
    return [
        h for h in hits if h.group != "imperative" or (h.start == opening and h.said == h.entry)
    ]  # "Try to rest" advises; "trying to rest" describes


def _advice_kind(hits: list[Hit]) -> str:
    return "information" if all(h.group == "information" for h in hits) else "advice"


def _question_kind(core: list[str], asked: bool) -> str:
    """``open``, ``closed`` or empty when the segment is not a question."""
    if not core:
        return ""
    first = core[0]
    if first in grammar("wh") and len(core) > 1 and core[1] in grammar("subjects") and not asked:
        return ""  # "what you're saying is ...", "how you feel" are statements
    if first in grammar("wh") or first in grammar("wh_contracted") or _asks_openly(core):
        return "open"
    if (
        first in closed_openers()
        and len(core) > 1
        and core[1] in {*grammar("pronouns"), "the", "your"}
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
    hits = find("questions", core)
    return any(h.group == "open" and " " in h.entry and h.said == h.entry for h in hits)


def _reflective_opening(core: list[str]) -> bool:
    if any(phrase_at("responses", core, i, "reflection") for i in range(min(3, len(core)))):
        return True
    return any(
        t in grammar("second_person") and core[i + 1 : i + 2] != ["know"]
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


#: A reflection whose content words are mostly new (at least 60% of 5 or more) goes
#: beyond what was said: it counts as complex.
NEW_WORDS_SHARE = 0.6
NEW_WORDS_MIN = 5
#: A segment of no clear type that is this close to the speaker's words reflects them.
REFLECTIVE_COVERAGE = 0.4
#: A greeting or thanks of at most this many words is ``other`` whatever else it says.
SOCIAL_WORDS = 8
#: Shortest statement about the listener's own plans that counts as information.
SELF_WORDS = 5
#: A plain statement (no marker of any type) of this many words reflects...
STATEMENT_WORDS = 3
#: ... and so does a shorter one whose content words are mostly the speaker's.
ECHO_SHARE = 0.5
#: A statement this long that neither speaks to the listener ("you") nor echoes the
#: speaker tells something new: information.
INFORMATION_WORDS = 10
#: After "I know", "I think" ... a "you" this close makes the sentence about the speaker.
PERCEIVED_WITHIN = 2
#: Information guessed from form outweighs the turn's reflections when it holds more
#: than this share of their words: a listener who adds facts after a short summary is
#: mostly informing (chosen on the tune half of AnnoMI's dev set, see BENCHMARKS.md).
INFORMATION_OUTWEIGHS = 0.7
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
    said = frozenset(stem(w) for w in words(speaker))
    found = [_promote(s, coverage, said) for s in found]
    kinds = tuple(dict.fromkeys(_type_label(s) for s in found))
    substantive = {s.kind for s in found if s.kind in _SUBSTANTIVE and s.detail != "check-in"}
    main = _main_type(found)
    depth = _depth(listener, speaker, found) if "reflection" in kinds else ""
    details = [s.detail for s in found if s.kind == "question"]
    asked = next((d for d in details if d != "check-in"), details[0] if details else "")
    return ResponseFindings(main, kinds, len(substantive) > 1, depth, asked, tuple(found))


def _type_label(segment: Segment) -> str:
    return "check-in" if segment.detail == "check-in" else segment.kind


def _promote(segment: Segment, coverage: float, said: frozenset[str]) -> Segment:
    """A plain statement that is neither an aside nor an acknowledgement reflects.

    Counselling talk is full of short reflections with no "you" ("A new start.",
    "Security, then."): a statement of several words, or one whose content words
    mostly come from the speaker, is taken as a reflection.
    """
    if segment.kind != "other":
        return segment
    tokens = strip_discourse(segment.text.split())
    content = [stem(w) for w in tokens if w.replace("'", "") not in stopwords()]
    if not content or _is_aside(tokens) or _social(tokens):
        return segment
    if _only_acknowledges(tokens):
        return segment
    echoed = sum(c in said for c in content) / len(content)
    if echoed < ECHO_SHARE and len(tokens) >= INFORMATION_WORDS and coverage < REFLECTIVE_COVERAGE:
        return Segment(segment.text, "advice", "information", by_form=True)
    if echoed >= ECHO_SHARE or len(tokens) >= STATEMENT_WORDS:
        return Segment(segment.text, "reflection")
    if coverage >= REFLECTIVE_COVERAGE and len(tokens) >= 4:
        return Segment(segment.text, "reflection")
    return segment


def _only_acknowledges(tokens: list[str]) -> bool:
    """Every word belongs to an acknowledgement ("Okay, that sounds good.")."""
    hits = find("responses", tokens)
    covered = sum(len(h.entry.split()) for h in hits)
    return all(h.group == "acknowledgement" for h in hits) and covered == len(tokens)


def _is_aside(tokens: list[str]) -> bool:
    hits = find("responses", tokens)
    return any(h.group in ("affirmation", "structuring") for h in hits)


def _main_type(found: list[Segment]) -> str:
    """Advice first (it changes the conversation most), then a question, then a reflection.

    Advice guessed from form alone (information, the listener's own plans) wins only
    when it holds more than ``INFORMATION_OUTWEIGHS`` of the words of the turn's
    reflections. A check-in ("Did I get
    that?") after a reflection belongs to the reflection.
    """
    kinds = {s.kind for s in found}
    told = sum(len(s.text.split()) for s in found if s.kind == "advice")
    reflected = sum(len(s.text.split()) for s in found if s.kind == "reflection")
    if (
        any(s.kind == "advice" and not s.by_form for s in found)
        or told > INFORMATION_OUTWEIGHS * reflected
    ):
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
