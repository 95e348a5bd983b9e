"""Values read back from stored JSON: whatever a hand or an older version may have
left, each taken as its type or given its default, so reading never raises."""

from __future__ import annotations

from collections.abc import Mapping


def items_of(value: object) -> list[object]:
    """A list or tuple's items; anything else has none."""
    return list(value) if isinstance(value, list | tuple) else []


def text_of(value: object) -> str:
    """A text, or "" for anything else."""
    return value if isinstance(value, str) else ""


def texts_of(value: object) -> tuple[str, ...]:
    """The texts in a list (other items are left out)."""
    return tuple(v for v in items_of(value) if isinstance(v, str))


def maybe_number(value: object) -> float | None:
    """A finite number (not a yes/no value), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def number_of(value: object) -> float:
    """A finite number, or 0."""
    return maybe_number(value) or 0.0


def whole_of(value: object) -> int:
    """A whole number (not a yes/no value), or 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def indices_of(value: object) -> tuple[int, ...]:
    """The whole numbers in a list."""
    return tuple(i for i in items_of(value) if isinstance(i, int) and not isinstance(i, bool))


def mapping_of(value: object) -> Mapping[str, object]:
    """A mapping with text keys, or an empty one."""
    return {str(k): v for k, v in value.items()} if isinstance(value, Mapping) else {}


def without_words(data: Mapping[str, object]) -> dict[str, object]:
    """Drops every empty text and empty list, so a scores-only value stays small."""
    kept: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            value = without_words(value)
        elif isinstance(value, list):
            value = [without_words(v) if isinstance(v, Mapping) else v for v in value]
        if value != "" and value != []:
            kept[key] = value
    return kept
