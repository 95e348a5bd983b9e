"""What of a finding is kept on disk: the measures, and words only when allowed.

Two choices. With "keep what was said", a finding keeps the measures the history's
trends use; the rest, such as idea units, quoted words and notes, is worked out
again from the stored words when a session is shown, so storing it would only
repeat them. With "keep only scores", every piece of text goes.
"""

from __future__ import annotations

#: Keys whose text values are labels from a fixed set, never a person's words.
LABEL_KEYS = frozenset(
    {
        "backend",
        "feeling_kind",
        "listener_style",
        "pace",
        "question_kind",
        "reflection_depth",
        "response_type",
        "response_types",
    }
)

#: What each kind of finding keeps at rest when the words are kept: the measures
#: the history's trends read, and what working the rest out again needs.
MEASURES: dict[str, tuple[str, ...]] = {
    "reflection": ("coverage", "listener_style", "reflection_depth", "reflects", "response_type"),
    "expression": ("fillers_per_minute", "pace_wpm", "slots"),
}


def at_rest(kind: str, findings: dict[str, object], keep_words: bool) -> dict[str, object]:
    """The part of a finding that is stored.

    Args:
        kind: The analysis that produced it (``reflection``, ``expression``...).
        findings: The full, JSON-ready finding.
        keep_words: Whether the person chose to keep what was said.

    Returns:
        The measures of a known kind (or all of an unknown one) with words kept;
        otherwise numbers, yes/no values and labels only. Which I-statement parts
        were present is kept as yes/no, without the words that filled them.
    """
    found = dict(findings)
    slots = found.get("slots")
    if isinstance(slots, dict):
        found["slots"] = {str(slot): bool(words) for slot, words in slots.items()}
    if not keep_words:
        return scores_only(found)
    measures = MEASURES.get(kind)
    if measures is None:
        return found
    return {key: found[key] for key in measures if key in found}


def scores_only(findings: dict[str, object]) -> dict[str, object]:
    """Keep numbers, yes/no values and labels, recursively; drop every other text."""
    kept: dict[str, object] = {}
    for key, value in findings.items():
        cleaned = _clean(value, key in LABEL_KEYS)
        if cleaned is not None:
            kept[key] = cleaned
    return kept


def _clean(value: object, label: bool) -> object | None:
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value if label else None
    if isinstance(value, dict):
        return scores_only(value)
    if isinstance(value, list | tuple):
        items = [_clean(item, label) for item in value]
        return [item for item in items if item is not None]
    return None
