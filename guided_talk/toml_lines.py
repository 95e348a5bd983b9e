"""Find the line on which each key of a TOML document is written.

``tomllib`` returns plain data with no positions, yet a helpful problem report
points at a line. This module scans the text once, following ``[table]`` and
``[[array.of.tables]]`` headers and ``key = value`` lines, and maps key paths such
as ``("phases", 0, "turns", 1, "seconds")`` to 1-based line numbers. It only needs
to be right for documents ``tomllib`` accepted; for anything else it stays quiet
rather than fail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

#: A path into parsed TOML data: table keys and array positions.
KeyPath = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_BLANK = " \t\r"


@dataclass(frozen=True)
class LineMap:
    """Line numbers of the keys and array items of one TOML document."""

    lines: Mapping[KeyPath, int]

    def line(self, path: KeyPath) -> int | None:
        """Return the line of ``path``, or of its nearest located ancestor.

        Args:
            path: Keys and array positions from the document root.

        Returns:
            A 1-based line number, or ``None`` when nothing on the way is located.
        """
        for end in range(len(path), 0, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return None


def locate_lines(text: str) -> LineMap:
    """Scan TOML text and map each key path to the line it is written on.

    Args:
        text: The whole document.

    Returns:
        The line map; paths that cannot be located fall back to their ancestors.
    """
    scanner = _Scanner()
    # Split on "\n" only: that is how TOML (and tomllib's messages) count lines.
    for number, line in enumerate(text.split("\n"), start=1):
        scanner.feed(line, number)
    return LineMap(dict(scanner.lines))


@dataclass
class _Frame:
    """An open ``[`` or ``{`` inside a value; ``path`` is None where untracked."""

    path: KeyPath | None
    is_array: bool
    count: int = 0
    expecting: bool = True


@dataclass
class _Scanner:
    lines: dict[KeyPath, int] = field(default_factory=dict)
    table: KeyPath = ()
    arrays: dict[KeyPath, int] = field(default_factory=dict)
    frames: list[_Frame] = field(default_factory=list)
    open_string: str | None = None
    pending: KeyPath | None = None

    def feed(self, line: str, number: int) -> None:
        # Inside a multi-line string or array every line is part of a value.
        if self.open_string or self.frames:
            self._scan_value(line, 0, number)
            return
        stripped = line.lstrip(_BLANK)
        if not stripped or stripped.startswith("#"):
            return
        if stripped.startswith("["):
            self._header(stripped, number)
        else:
            self._key_line(line, number)

    def _record(self, path: KeyPath, number: int) -> None:
        for end in range(1, len(path) + 1):
            self.lines.setdefault(path[:end], number)

    def _resolve(self, parts: list[str]) -> KeyPath:
        # A name that is an array of tables means its latest entry.
        path: KeyPath = ()
        for part in parts:
            path += (part,)
            if path in self.arrays:
                path += (self.arrays[path],)
        return path

    def _header(self, text: str, number: int) -> None:
        double = text.startswith("[[")
        parsed = _parse_key(text, 2 if double else 1)
        if parsed is None:
            return
        parts, end = parsed
        if not text.startswith("]]" if double else "]", end):
            return
        if double:
            path = (*self._resolve(parts[:-1]), parts[-1])
            index = self.arrays.get(path, -1) + 1
            self.arrays[path] = index
            path += (index,)
        else:
            path = self._resolve(parts)
        self._record(path, number)
        self.table = path

    def _key_line(self, line: str, number: int) -> None:
        parsed = _parse_key(line, 0)
        if parsed is None:
            return
        parts, end = parsed
        end = _skip_blank(line, end)
        if not line.startswith("=", end):
            return
        path = self.table + tuple(parts)
        self._record(path, number)
        self.pending = path
        self._scan_value(line, end + 1, number)
        self.pending = None

    def _scan_value(self, line: str, pos: int, number: int) -> None:
        while pos < len(line):
            if self.open_string:
                pos = _find_close(line, pos, self.open_string)
                if pos < 0:
                    return
                self.open_string = None
                continue
            char = line[pos]
            if char == "#":
                return
            pos = self._value_char(line, pos, number)

    def _value_char(self, line: str, pos: int, number: int) -> int:
        char = line[pos]
        if char in _BLANK:
            return pos + 1
        if char in "]}":
            if self.frames:
                self.frames.pop()
            return pos + 1
        if char == ",":
            if self.frames and self.frames[-1].is_array:
                self.frames[-1].expecting = True
            return pos + 1
        path = self._claim(number)
        if char in "[{":
            self.frames.append(_Frame(path if char == "[" else None, char == "["))
            return pos + 1
        if char in "\"'":
            return self._string(line, pos)
        return pos + 1

    def _claim(self, number: int) -> KeyPath | None:
        # The path of a value that starts here, if one does and is tracked.
        if not self.frames:
            path, self.pending = self.pending, None
            return path
        frame = self.frames[-1]
        if not (frame.is_array and frame.expecting):
            return None
        frame.expecting = False
        frame.count += 1
        if frame.path is None:
            return None
        path = (*frame.path, frame.count - 1)
        self._record(path, number)
        return path

    def _string(self, line: str, pos: int) -> int:
        for delimiter in ('"""', "'''"):
            if line.startswith(delimiter, pos):
                end = _find_close(line, pos + 3, delimiter)
                if end < 0:
                    self.open_string = delimiter
                    return len(line)
                return end
        return _end_of_quoted(line, pos)[1]


def _skip_blank(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _BLANK:
        pos += 1
    return pos


def _parse_key(text: str, pos: int) -> tuple[list[str], int] | None:
    """Read a possibly dotted, possibly quoted key; return its parts and end."""
    parts: list[str] = []
    while True:
        pos = _skip_blank(text, pos)
        if pos >= len(text):
            return None
        if text[pos] in "\"'":
            part, pos = _end_of_quoted(text, pos)
            if part is None:
                return None
        else:
            match = _BARE_KEY.match(text, pos)
            if match is None:
                return None
            part, pos = match.group(), match.end()
        parts.append(part)
        pos = _skip_blank(text, pos)
        if not text.startswith(".", pos):
            return parts, pos
        pos += 1


def _end_of_quoted(text: str, pos: int) -> tuple[str | None, int]:
    """Read a one-line quoted string at ``pos``; return its value and end."""
    quote = text[pos]
    chars: list[str] = []
    index = pos + 1
    while index < len(text):
        char = text[index]
        if char == quote:
            return "".join(chars), index + 1
        if char == "\\" and quote == '"':
            escaped, index = _unescape(text, index)
            chars.append(escaped)
            continue
        chars.append(char)
        index += 1
    return None, len(text)


def _unescape(text: str, pos: int) -> tuple[str, int]:
    """Decode the escape sequence starting with the backslash at ``pos``."""
    code = text[pos + 1 : pos + 2]
    if code in ("u", "U"):
        width = 4 if code == "u" else 8
        digits = text[pos + 2 : pos + 2 + width]
        try:
            return chr(int(digits, 16)), pos + 2 + width
        except ValueError:
            return "", pos + 2
    return _ESCAPES.get(code, code), pos + 2


def _find_close(text: str, pos: int, delimiter: str) -> int:
    """Return the index just past the end of a multi-line string, or -1."""
    while pos < len(text):
        if delimiter == '"""' and text[pos] == "\\":
            pos += 2
            continue
        if text.startswith(delimiter, pos):
            end = pos + 3
            # Up to two quotes may sit right before the closing delimiter.
            while end < len(text) and text[end] == delimiter[0] and end - pos < 5:
                end += 1
            return end
        pos += 1
    return -1
