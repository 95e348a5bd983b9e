"""Read exercise files and folders into the model, reporting every problem kindly.

Files are only ever read, never executed or followed to other files. Anything that
goes wrong, from a missing file to a typo in a key, becomes a Problem; callers
catch ``ExerciseError`` and nothing else.
"""

from __future__ import annotations

import re
import stat
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from guided_talk.exercises.errors import ExerciseError, Problem
from guided_talk.exercises.fields import Context
from guided_talk.exercises.model import Exercise
from guided_talk.exercises.validate import build_exercise
from guided_talk.toml_lines import LineMap, locate_lines

#: The exercises that ship with guided-talk.
BUILTIN_DIR = Path(__file__).parent / "library"

#: Exercises are short text files; anything bigger is surely the wrong file.
MAX_FILE_BYTES = 1024 * 1024

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_FORMAT_HINT = "docs/EXERCISES.md has a complete example."


@dataclass
class Library:
    """Every exercise that loaded, by id, and the problems with the rest."""

    exercises: dict[str, Exercise] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def parse_exercise(text: str, source: str) -> Exercise:
    """Build an Exercise from TOML text.

    Args:
        text: The TOML document.
        source: How to name the text in problems, usually its file path.

    Returns:
        The exercise (with ``source`` unset).

    Raises:
        ExerciseError: With every problem found, in line order.
    """
    return _parse(text, source)[0]


def load_exercise(path: Path) -> Exercise:
    """Read and check one exercise file.

    Args:
        path: A ``.toml`` file.

    Returns:
        The exercise, with ``source`` set to ``path``.

    Raises:
        ExerciseError: With every problem found; no other exception escapes.
    """
    return _load(path)[0]


def load_library(builtin_dir: Path = BUILTIN_DIR, user_dir: Path | None = None) -> Library:
    """Load the built-in exercises, then the user's, which override them by id.

    A broken file adds its problems to the library and is skipped; the rest still
    load. A missing folder simply holds no exercises.

    Args:
        builtin_dir: Folder of the exercises that ship with the app.
        user_dir: Folder of the user's own exercises, if any.

    Returns:
        The exercises in a stable order (built-in files by name, then new user
        ones) and every problem found.
    """
    library = Library()
    for folder in (builtin_dir, user_dir):
        if folder is not None:
            library.exercises.update(_load_folder(folder, library.problems))
    return library


def _parse(text: str, source: str) -> tuple[Exercise, LineMap]:
    data = _read_toml(text, source)
    lines = locate_lines(text)
    ctx = Context(source, lines, [])
    exercise = build_exercise(data, ctx)
    if ctx.problems:
        raise ExerciseError(sorted(ctx.problems, key=lambda problem: problem.line or 0))
    return exercise, lines


def _read_toml(text: str, source: str) -> dict[str, Any]:
    if not text.strip():
        raise ExerciseError(
            [Problem(source, None, "The file is empty", f"Write an exercise in it; {_FORMAT_HINT}")]
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reason = str(error)
        found = _TOML_POSITION.search(reason)
        line = int(found.group(1)) if found else None
        reason = _TOML_POSITION.sub("", reason).rstrip(".")
        if found:
            reason += f" (column {found.group(2)})"
        problem = Problem(
            source,
            line,
            f"This is not valid TOML: {reason[:1].lower()}{reason[1:]}",
            f"Look for a missing quote, bracket or '=', or a key written twice; {_FORMAT_HINT}",
        )
    except RecursionError:
        problem = Problem(
            source,
            None,
            "The file nests lists or tables too deeply to read",
            f"Flatten the nesting; {_FORMAT_HINT}",
        )
    raise ExerciseError([problem])


def _load(path: Path) -> tuple[Exercise, LineMap]:
    exercise, lines = _parse(_read_text(path), str(path))
    return replace(exercise, source=path), lines


def _fail(path: Path, message: str, hint: str, line: int | None = None) -> ExerciseError:
    return ExerciseError([Problem(str(path), line, message, hint)])


def _os_failure(path: Path, error: OSError | ValueError) -> ExerciseError:
    if isinstance(error, FileNotFoundError):
        return _fail(path, "There is no file here", "Check the file name and its folder.")
    if isinstance(error, PermissionError):
        return _fail(
            path,
            "You do not have permission to read this file",
            "Check the file's permissions, or copy it somewhere you can read.",
        )
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return _fail(
        path,
        f"The file could not be read ({reason})",
        "Check the path and that the file can be opened.",
    )


def _read_text(path: Path) -> str:
    """Read a file as text after checking it is a small, regular UTF-8 file."""
    try:
        info = path.stat()
        # Check the size first so a huge file is never read into memory.
        _check_kind(path, info.st_mode, info.st_size)
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the path
        raise _os_failure(path, error) from None
    if len(data) > MAX_FILE_BYTES:  # it grew after stat()
        _check_kind(path, stat.S_IFREG, len(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _fail(
            path,
            "The file is not valid UTF-8 text",
            "Save it with UTF-8 encoding in your editor.",
            line,
        ) from None
    # Some editors start UTF-8 files with a byte order mark; TOML does not allow it.
    return text.removeprefix("\ufeff")


def _check_kind(path: Path, mode: int, size: int) -> None:
    if stat.S_ISDIR(mode):
        raise _fail(
            path, "This is a folder, not an exercise file", "Give the path of a .toml file instead."
        )
    if not stat.S_ISREG(mode):
        raise _fail(
            path, "This is not a regular file", "Save the exercise as an ordinary .toml file."
        )
    if size > MAX_FILE_BYTES:
        raise _fail(
            path,
            f"The file is {size / 1024 / 1024:.1f} MiB, over the 1 MiB limit for an exercise",
            "Check that this is the right file.",
        )


def _load_folder(folder: Path, problems: list[Problem]) -> dict[str, Exercise]:
    found: dict[str, Exercise] = {}
    for path in _exercise_files(folder, problems):
        try:
            exercise, lines = _load(path)
        except ExerciseError as error:
            problems.extend(error.problems)
            continue
        first = found.get(exercise.id)
        if first is None:
            found[exercise.id] = exercise
            continue
        first_name = first.source.name if first.source else "another file"
        problems.append(
            Problem(
                str(path),
                lines.line(("id",)),
                f"Duplicate id '{exercise.id}': {first_name} in the same folder already uses it",
                f"{path.name} is skipped; give {first_name} or {path.name} another id.",
            )
        )
    return found


def _exercise_files(folder: Path, problems: list[Problem]) -> list[Path]:
    """List the folder's ``*.toml`` files, leaving out links that lead elsewhere."""
    if not folder.exists():
        return []
    try:
        root = folder.resolve()
        # Names starting with a dot are editor backups and lock files.
        entries = sorted(
            (
                entry
                for entry in folder.iterdir()
                if entry.suffix == ".toml" and not entry.name.startswith(".")
            ),
            key=lambda entry: entry.name,
        )
    except (OSError, RuntimeError) as error:
        problems.append(
            Problem(
                str(folder),
                None,
                f"The folder could not be read ({error})",
                "Check that it is a folder you can open.",
            )
        )
        return []
    return [entry for entry in entries if _stays_inside(entry, root, problems)]


def _stays_inside(entry: Path, root: Path, problems: list[Problem]) -> bool:
    if not entry.is_symlink():
        return True
    message = "This is a link to a file outside the exercises folder, so it was skipped"
    try:
        inside = entry.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # RuntimeError: a loop of links
        inside, message = False, "This link goes round in a loop, so it was skipped"
    if not inside:
        hint = "Copy the file into the folder instead of linking to it."
        problems.append(Problem(str(entry), None, message, hint))
    return inside
