"""Typed access to parsed TOML tables that reports problems instead of raising.

Each getter reports a Problem (file, line, what is wrong, what to do) and returns a
harmless stand-in value, so the rules in ``validate.py`` can carry on and find every
mistake in one pass. The caller throws the result away if any problem was found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from difflib import get_close_matches
from typing import Any

from guided_talk.exercises.errors import Problem
from guided_talk.exercises.model import Exercise, Phase, Turn
from guided_talk.toml_lines import KeyPath, LineMap

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_SLUG_HINT = (
    "Use lowercase letters, digits and dashes (starting with a letter or digit, "
    'at most 64 characters), for example "gentle-start".'
)
#: Stands for a key that is not in the table.
MISSING: Any = object()

#: Where each kind of table lives in the file, for hints about misplaced keys.
_PLACES = {
    "exercise": "at the top of the file",
    "phase": "under [[phases]]",
    "turn": "under [[phases.turns]]",
}


@dataclass
class Context:
    """Where problems go, and how to find the line a key path is on."""

    source: str
    lines: LineMap
    problems: list[Problem]

    def report(self, path: KeyPath, message: str, hint: str) -> None:
        """Record one problem at the line of ``path``."""
        self.problems.append(Problem(self.source, self.lines.line(path), message, hint))

    def line(self, path: KeyPath) -> int | None:
        """Return the line of ``path`` (or its nearest ancestor)."""
        return self.lines.line(path)


def kind_of(value: object) -> str:
    """Describe a TOML value's type in plain words."""
    if isinstance(value, bool):
        return "true or false"
    names = {int: "a whole number", float: "a decimal number", str: "text"}
    names.update({list: "a list", dict: "a table"})
    return names.get(type(value), "a date or time")


def is_slug(value: str) -> bool:
    """Whether ``value`` is a valid id: lowercase letters, digits and dashes."""
    return _SLUG.fullmatch(value) is not None


def suggest(word: str, options: Sequence[str]) -> str:
    """Return "Did you mean 'x'? " for a close option, else an empty string."""
    close = get_close_matches(word, options, n=1, cutoff=0.6)
    return f"Did you mean '{close[0]}'? " if close else ""


@dataclass(frozen=True)
class Table:
    """One TOML table (the exercise, a phase or a turn) being checked."""

    data: dict[str, Any]
    path: KeyPath
    label: str
    ctx: Context

    @property
    def title(self) -> str:
        """The label with a capital first letter, to start a sentence."""
        return self.label[:1].upper() + self.label[1:]

    def report(self, key: str | tuple[str | int, ...], message: str, hint: str) -> None:
        """Report a problem at ``key`` (a key or a sub-path) of this table."""
        sub = (key,) if isinstance(key, str) else key
        self.ctx.report(self.path + sub, message, hint)

    def check_keys(self, allowed: Sequence[str], kind: str) -> None:
        """Report every key this kind of table does not know."""
        for key in self.data:
            if key in allowed:
                continue
            hint = suggest(key, allowed)
            # A key that is right elsewhere was most likely put in the wrong table.
            home = next((k for k, keys in KEYS.items() if k != kind and key in keys), None)
            if home:
                hint = f"'{key}' belongs {_PLACES[home]}; move it there."
            elif hint:
                hint += "Otherwise remove it."
            else:
                hint = f"Remove it; a {kind} can have: {', '.join(allowed)}."
            self.report(key, f"{self.title} has an unknown key '{key}'", hint)

    def raw(self, key: str, required: bool, example: str) -> Any:
        """Return the value of ``key``, or ``MISSING`` (reported when required)."""
        value = self.data.get(key, MISSING)
        if value is MISSING and required:
            self.report((), f"{self.title} has no '{key}'", f"Add a line like {key} = {example}.")
        return value

    def wrong_type(self, key: str, value: object, expected: str, example: str) -> None:
        """Report that ``key`` holds the wrong type of value."""
        self.report(
            key,
            f"'{key}' in {self.label} should be {expected}, but it is {kind_of(value)}",
            f"Write it like {key} = {example}.",
        )

    def text(self, key: str, default: str = "", required: bool = False) -> str:
        """Return a text value; required text must not be blank."""
        value = self.raw(key, required, '"..."')
        if value is MISSING:
            return default
        if not isinstance(value, str):
            self.wrong_type(key, value, "text in quotes", '"..."')
            return default
        if required and not value.strip():
            self.report(key, f"'{key}' in {self.label} is empty", "Write something there.")
        return value

    def slug(self, key: str, required: bool = True) -> str:
        """Return an id-like value, checking its spelling."""
        value = self.text(key, required=required)
        if value.strip() and not is_slug(value):
            self.report(
                key, f"'{key}' in {self.label} is '{value}', which is not a valid id", _SLUG_HINT
            )
        return value

    def flag(self, key: str, default: bool) -> bool:
        """Return a true/false value."""
        value = self.raw(key, False, "true")
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            self.wrong_type(key, value, "true or false", "true")
            return default
        return value

    def whole(self, key: str, required: bool, example: str) -> int | None:
        """Return a whole number, or None when missing or of the wrong type."""
        value = self.raw(key, required, example)
        if value is MISSING:
            return None
        # bool is a subclass of int, but `seconds = true` is surely a mistake.
        if isinstance(value, bool) or not isinstance(value, int):
            self.wrong_type(key, value, "a whole number", example)
            return None
        return value

    def bounded(self, key: str, low: int, high: int, default: int) -> int:
        """Return a whole number from ``low`` to ``high``, or ``default``."""
        value = self.whole(key, False, str(low))
        if value is None:
            return default
        if not low <= value <= high:
            self.report(
                key,
                f"'{key}' in {self.label} is {value}, but it must be from {low} to {high}",
                f"Pick a whole number from {low} to {high}.",
            )
        return value

    def choice(self, key: str, options: Sequence[str], default: str, required: bool) -> str:
        """Return a text value that must be one of ``options``."""
        value = self.text(key, default, required)
        # Blank required text was reported already by text().
        if value not in options and (value.strip() or not required):
            self.unknown_choice((key,), value, options, key.replace("_", " "))
        return value

    def unknown_choice(self, path: KeyPath, value: str, options: Sequence[str], what: str) -> None:
        """Report that ``value`` is not one of ``options``."""
        self.report(
            path,
            f"'{value}' in {self.label} is not a known {what}",
            f"{suggest(value, options)}Use one of: {', '.join(options)}.",
        )

    def text_list(
        self, key: str, required: bool, example: str, allow_empty: bool = False
    ) -> tuple[str, ...] | None:
        """Return a list of non-blank text, or None if missing or wrong."""
        value = self.raw(key, required, example)
        if value is MISSING:
            return None
        if not isinstance(value, list):
            self.wrong_type(key, value, "a list of text", example)
            return None
        if not value and not allow_empty:
            self.report(
                key,
                f"'{key}' in {self.label} is an empty list",
                f"Add at least one entry, like {key} = {example}.",
            )
            return None
        return self._texts(key, value)

    def _texts(self, key: str, value: list[Any]) -> tuple[str, ...] | None:
        good = True
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.report(
                    (key, index),
                    f"Entry {index + 1} of '{key}' in {self.label} is {kind_of(item)}",
                    "Put each entry in quotes.",
                )
                good = False
            elif not item.strip():
                self.report(
                    (key, index),
                    f"Entry {index + 1} of '{key}' in {self.label} is empty",
                    "Write something there or remove it.",
                )
                good = False
        return tuple(value) if good else None

    def check_unique(self, seen: dict[str, KeyPath], kind: str) -> None:
        """Report this table's id if an earlier table in ``seen`` has it; else add it."""
        ident = self.data.get("id")
        if not isinstance(ident, str) or not ident.strip():
            return
        if ident not in seen:
            seen[ident] = (*self.path, "id")
            return
        first = self.ctx.line(seen[ident])
        where = f"The other one is on line {first}; give" if first else "Give"
        message = f"Two {kind}s have the same id '{ident}'"
        self.report("id", message, f"{where} each {kind} its own id.")

    def tables(self, key: str, header: str) -> list[Table]:
        """Return the entries of a required, non-empty array of tables."""
        value = self.raw(key, True, f"... (or a {header} section)")
        if value is MISSING:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.report(
                key,
                f"'{key}' in {self.label} should be a list of tables",
                f"Write each entry as its own {header} section.",
            )
            return []
        if not value:
            self.report(key, f"{self.title} has no {key}", f"Add at least one {header} section.")
        return [self._child(key, index, item) for index, item in enumerate(value)]

    def _child(self, key: str, index: int, data: dict[str, Any]) -> Table:
        name = data.get("id")
        kind = key.rstrip("s")
        own = f"{kind} '{name}'" if isinstance(name, str) and name else f"{kind} {index + 1}"
        label = own if not self.path else f"{own} in {self.label}"
        return Table(data, (*self.path, key, index), label, self.ctx)


def _keys_of(model: type) -> tuple[str, ...]:
    # The TOML keys are the model's fields, so the two can never drift apart.
    return tuple(item.name for item in dataclass_fields(model) if item.name != "source")


EXERCISE_KEYS = _keys_of(Exercise)
PHASE_KEYS = _keys_of(Phase)
TURN_KEYS = _keys_of(Turn)
KEYS = {"exercise": EXERCISE_KEYS, "phase": PHASE_KEYS, "turn": TURN_KEYS}
