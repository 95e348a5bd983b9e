"""Short, kind suggestions written from the findings (at most three per turn)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from guided_talk.feedback.findings import (
    ExpressionFindings,
    FeelingMatch,
    IdeaUnit,
    ResponseFindings,
)
from guided_talk.feedback.perspective import said_back
from guided_talk.values import ListenerStyle

MAX_NOTES = 3
#: Parroting above this in a paraphrase exercise earns a gentle nudge.
PARROTING_NUDGE = 0.6
_QUOTE_WORDS = 12


#: What to say about a reply that does not listen, by its label; a suggestion built
#: from the partner's own words follows.
_NOT_LISTENING_NOTES = {
    "criticism": "This sounds like a judgement of your partner, not what they said.",
    "defensiveness": "Your side can come later; for now, show what you heard.",
    "reassurance": "Comfort lands better once the feeling is named.",
    "taking_over": "Your own story can wait; keep the focus on your partner for now.",
}


def reflection_notes(
    units: Sequence[IdeaUnit],
    response: ResponseFindings,
    feelings: FeelingMatch,
    stems: Mapping[str, tuple[str, ...]],
    parroting: float,
    style: ListenerStyle,
    label: str = "",
) -> tuple[str, ...]:
    """What went well and one or two things to try, most useful first."""
    notes: list[str] = []
    if label in _NOT_LISTENING_NOTES:
        notes.append(_NOT_LISTENING_NOTES[label] + _try_saying(units, feelings))
    elif response.main == "advice" or (
        "advice" in response.types
        and any(s.kind == "advice" and not s.by_form for s in response.segments)
    ):
        # only advice said with a marker ("you should"); plain information is not nudged
        notes.append("Advice can wait until your partner feels understood; reflect first.")
    elif "rebuttal" in response.types:
        notes.append("Your side can come later; for now, show what you heard.")
    missed = [u for u in units if not u.captured and u.matched == () and len(u.text.split()) > 2]
    if label in _NOT_LISTENING_NOTES:
        pass  # the suggestion above already says the point back
    elif units and missed and len(missed) < len(units):
        notes.append(f'You might go back to: "{quote(missed[0].text)}"')
    elif units and missed:
        notes.append("Try saying back the main point in a sentence, then ask if you got it.")
    if feelings.missed:
        notes.append(f'Your partner said "{feelings.missed[0]}"; naming that feeling back helps.')
    if style == ListenerStyle.PARAPHRASE and parroting >= PARROTING_NUDGE:
        notes.append("Much of this was word for word; try your own words for the same point.")
    if style == ListenerStyle.MIRROR and not stems.get("check_in"):
        notes.append('End with a check: "Did I get that? Is there more?"')
    if not notes and units and all(u.captured for u in units) and response.main == "reflection":
        notes.append("You caught every point. Well done.")
    return tuple(notes[:MAX_NOTES])


def _try_saying(units: Sequence[IdeaUnit], feelings: FeelingMatch) -> str:
    """ " Try: 'It sounds like ...'" from the partner's point that names a feeling
    (else their first point), said from the listener's side."""
    named = [u for u in units if any(f in u.text.lower().split() for f in feelings.speaker)]
    if not units:
        return ""
    point = (named or list(units))[0]
    return f' Try: "It sounds like {quote(said_back(point.text), 16)}."'


def _capital_i(text: str) -> str:
    return re.sub(r"\bi\b", "I", text)


def quote(text: str, limit: int = _QUOTE_WORDS) -> str:
    """The first few words of a text, marked when cut."""
    parts = text.split()
    return " ".join(parts[:limit]) + (" ..." if len(parts) > limit else "")


_PLACEHOLDER_FEELINGS = "hurt, lonely or scared"
#: Hedges and fillers that earn a tip once there are this many.
MANY_HEDGES = 3
MANY_FILLERS_PER_MINUTE = 8.0


def expression_tips(findings: ExpressionFindings) -> tuple[str, ...]:
    """What a statement could do next, most useful first (at most three)."""
    tips: list[str] = []
    slots = findings.slots
    if findings.feeling_kind == "thought":
        tips.append(
            f'"{_capital_i(findings.thoughts[0])} ..." names a thought; '
            'try a feeling word: "I feel lonely".'
        )
    elif findings.feeling_kind == "faux":
        tips.append(
            f'"{findings.faux_feelings[0]}" says what you think they did; the feeling '
            f"underneath might be {_PLACEHOLDER_FEELINGS}."
        )
    elif findings.feeling_kind == "none":
        tips.append('Name the feeling itself: "I feel ..." with one word such as tense or sad.')
    if findings.blame or findings.you_statements > 1:
        said = f'"{findings.blame[0]}"' if findings.blame else 'Starting with "you"'
        tips.append(f'{said} can sound like blame; try starting with "I".')
    if findings.absolutist_words:
        word = findings.absolutist_words[0]
        tips.append(f'Words like "{word}" sound like a verdict; describe one moment instead.')
    if not slots["need"]:
        tips.append('Say what matters to you: "because I need ...".')
    if not slots["request"]:
        tips.append('Ask for one doable thing: "Would you be willing to ...?"')
    tips.extend(_delivery_tips(findings))
    if not tips:
        tips.append("Feeling, situation, need and request are all there. Clear and kind.")
    return tuple(tips[:MAX_NOTES])


def _delivery_tips(findings: ExpressionFindings) -> list[str]:
    tips = []
    if findings.pace == "fast":
        tips.append(f"You spoke at {findings.pace_wpm:.0f} words a minute; a slower pace helps.")
    elif findings.pace == "slow":
        tips.append(
            f"You spoke at {findings.pace_wpm:.0f} words a minute; that's fine if it felt right."
        )
    if len(findings.hedges) >= MANY_HEDGES:
        tips.append(f'A few softeners ("{findings.hedges[0]}"); you can say it plainly.')
    rate = findings.fillers_per_minute
    if rate is not None and rate >= MANY_FILLERS_PER_MINUTE:
        tips.append(f"About {rate:.0f} fillers a minute; a short pause works just as well.")
    return tips
