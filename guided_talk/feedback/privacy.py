"""Strip a person's words from findings, for the "keep only scores" privacy choice."""

from __future__ import annotations


def scores_only(findings: dict[str, object]) -> dict[str, object]:
    """Keep numbers and yes/no values, recursively; drop every piece of text."""
    kept: dict[str, object] = {}
    for key, value in findings.items():
        cleaned = _clean(value)
        if cleaned is not None:
            kept[key] = cleaned
    return kept


def _clean(value: object) -> object | None:
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return scores_only(value)
    if isinstance(value, list | tuple):
        items = [_clean(item) for item in value if not isinstance(item, str)]
        return [item for item in items if item is not None]
    return None
