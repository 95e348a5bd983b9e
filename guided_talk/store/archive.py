"""A finished session's turns packed into one value.

While a session runs, each turn is its own row, committed as it ends. When the
session finishes, its turns (with their findings and ratings) are packed into one
JSON text, stored compressed in the ``archives`` table, and their rows are deleted.
One value compresses far better than many short ones, because the words of one turn
compress against those of the others; this is what keeps ten thousand sessions
within 50 MB (docs/RELIABILITY.md).

The JSON is by column (``{"index": [...], "round": [...], ...}``), so field names are
written once per session rather than once per turn.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from guided_talk.feedback.findings import TurnFindings
from guided_talk.store.records import StoredTurn, StoreError
from guided_talk.values import TurnStatus, choice

#: Bump when the packed shape changes, and keep reading every earlier one.
ARCHIVE_VERSION = 1

_COLUMNS = tuple(field.name for field in fields(StoredTurn))
#: Columns added after sessions were first packed, with the value an older pack means.
_ADDED_LATER: dict[str, Any] = {"paused_seconds": 0.0}


def pack(turns: Iterable[StoredTurn]) -> str:
    """The turns as one compact JSON text, in plan order."""
    ordered = sorted(turns, key=lambda turn: turn.index)
    columns: dict[str, Any] = {"v": ARCHIVE_VERSION}
    for name in _COLUMNS:
        columns[name] = [getattr(turn, name) for turn in ordered]
    columns["feedback"] = [turn.feedback.to_stored() for turn in ordered]
    return json.dumps(columns, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _turn(values: dict[str, Any]) -> StoredTurn:
    values["status"] = choice(TurnStatus, values["status"], TurnStatus.DONE)
    values["feedback"] = TurnFindings.from_stored(values["feedback"])
    return StoredTurn(**values)


def unpack(text: str) -> list[StoredTurn]:
    """The turns back from ``pack``'s text, in plan order.

    Raises:
        StoreError: The text is not a packed session this version can read.
    """
    try:
        columns = json.loads(text)
        if columns.get("v") != ARCHIVE_VERSION:
            raise ValueError(f"version {columns.get('v')!r}")
        count = len(columns["index"])
        for name, value in _ADDED_LATER.items():
            columns.setdefault(name, [value] * count)
        rows = zip(*(columns[name] for name in _COLUMNS), strict=True)
        return [_turn(dict(zip(_COLUMNS, row, strict=True))) for row in rows]
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise StoreError(
            f"A stored session could not be read ({error}); it may come from a newer guided-talk."
        ) from error
