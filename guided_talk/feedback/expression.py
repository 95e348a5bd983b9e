"""Clear-expression checks on a statement of feelings and needs."""

from __future__ import annotations

import itertools
import re
from dataclasses import asdict, dataclass

from guided_talk.feedback.text import words

#: The 19 absolutist words of Al-Mosaiwi & Johnstone (2018), a published list of facts.
ABSOLUTIST = frozenset(
    {
        "absolutely",
        "all",
        "always",
        "complete",
        "completely",
        "constant",
        "constantly",
        "definitely",
        "entire",
        "ever",
        "every",
        "everyone",
        "everything",
        "full",
        "must",
        "never",
        "nothing",
        "totally",
        "whole",
    }
)
_I_FEEL = re.compile(r"\bi\s+(?:feel|felt|am feeling|was feeling)\b", re.IGNORECASE)
_FEEL_THAT_YOU = re.compile(r"\bi\s+feel\s+(?:that|like)\s+you\b", re.IGNORECASE)
_NEED = re.compile(r"\bi\s+(?:need|would like|want|would love|hope)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ExpressionFindings:
    """What a statement did well and what could be clearer."""

    words: int
    names_a_feeling: bool
    thought_dressed_as_feeling: bool
    states_a_need: bool
    you_statements: int
    absolutist_words: tuple[str, ...]
    tips: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """Plain data for the store and JSON output."""
        return asdict(self)


def analyze_expression(text: str) -> ExpressionFindings:
    """Look for an I-statement's parts and the habits that make a statement land badly."""
    tokens = words(text)
    absolutes = tuple(w for w in tokens if w in ABSOLUTIST)
    feeling = bool(_I_FEEL.search(text))
    thought = bool(_FEEL_THAT_YOU.search(text))
    need = bool(_NEED.search(text))
    you = sum(1 for a, b in itertools.pairwise(tokens) if a == "you" and b != "know")
    tips = []
    if thought:
        tips.append('"I feel that you..." names a thought; try a feeling word: "I feel lonely".')
    elif not feeling:
        tips.append('Name the feeling itself: "I feel ..." with one word such as tense or sad.')
    if not need:
        tips.append('Say what you would like: "I would like ..." or "Would you be willing to ...?"')
    if absolutes:
        tips.append(f'Words like "{absolutes[0]}" sound like a verdict; describe one moment.')
    return ExpressionFindings(
        len(tokens), feeling and not thought, thought, need, you, absolutes, tuple(tips)
    )
