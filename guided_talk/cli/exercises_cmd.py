"""``guided-talk exercises list | show ID | validate FILE...``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from guided_talk.cli.errors import EXIT_ERROR, EXIT_OK, CliError
from guided_talk.exercises.errors import ExerciseError
from guided_talk.exercises.loader import BUILTIN_DIR, Library, load_exercise, load_library
from guided_talk.exercises.model import Exercise
from guided_talk.exercises.script import facilitator_script
from guided_talk.paths import user_exercises_dir


def add_parser(commands: Any) -> None:
    """Register ``exercises`` and its subcommands."""
    parser = commands.add_parser("exercises", help="list, show or check exercises")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("list", help="list built-in and custom exercises").set_defaults(
        handler=list_exercises
    )
    show = sub.add_parser("show", help="show every step of one exercise")
    show.add_argument("id", help="exercise id, as in `guided-talk exercises list`")
    show.set_defaults(handler=show_exercise)
    script = sub.add_parser("script", help="print a facilitator script (Markdown)")
    script.add_argument("id", help="exercise id")
    script.add_argument("--output", "-o", type=Path, help="write to this file")
    script.set_defaults(handler=print_script)
    validate = sub.add_parser("validate", help="check exercise files and report every problem")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.set_defaults(handler=validate_files)


def library() -> Library:
    """Built-in exercises plus the user's own folder."""
    return load_library(user_dir=user_exercises_dir())


def find_exercise(exercise_id: str) -> Exercise:
    """The exercise with that id, or a kind error naming the way to list them."""
    exercise = library().exercises.get(exercise_id)
    if exercise is None:
        raise CliError(
            f"there is no exercise called '{exercise_id}'", "see `guided-talk exercises list`"
        )
    return exercise


def minutes(seconds: int) -> str:
    """Human length: ``12 min`` or ``45 s``."""
    return f"{round(seconds / 60)} min" if seconds >= 90 else f"{seconds} s"


def list_exercises(args: argparse.Namespace) -> int:
    """Print one line per exercise, then any problems with custom files."""
    found = library()
    width = max((len(i) for i in found.exercises), default=10)
    for exercise in found.exercises.values():
        custom = "" if _is_builtin(exercise) else "  (custom)"
        print(
            f"{exercise.id:<{width}}  {minutes(exercise.total_seconds):>7}  "
            f"{exercise.goal:<13} {exercise.title}{custom}"
        )
    for problem in found.problems:
        print(f"warning: {problem}")
    return EXIT_OK


def show_exercise(args: argparse.Namespace) -> int:
    """Print an exercise's purpose, roles and every step."""
    exercise = find_exercise(args.id)
    print(f"{exercise.title}  ({exercise.id}, {minutes(exercise.total_seconds)})")
    print(exercise.purpose)
    print(f"For: {', '.join(exercise.audience)}.  Roles: {', '.join(exercise.roles)}.")
    if exercise.rounds > 1:
        swap = ", swapping roles each round" if exercise.swap_each_round else ""
        print(f"Runs {exercise.rounds} rounds{swap}.")
    for phase in exercise.phases:
        times = f" (x{phase.repeat})" if phase.repeat > 1 else ""
        print(f"\n{phase.title}{times}")
        for turn in phase.turns:
            heard = ", recorded" if turn.capture else ""
            what = turn.instructions or turn.prompts[0]
            print(f"  - {turn.role}, {minutes(turn.seconds)}{heard}: {what}")
    if exercise.safety_note:
        print(f"\nSafety: {exercise.safety_note}")
    return EXIT_OK


def print_script(args: argparse.Namespace) -> int:
    """The facilitator script for one exercise, printed or written to a file."""
    exercise = find_exercise(args.id)
    text = facilitator_script(exercise)
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CliError(
            f"could not write {args.output}: {error.strerror}", "choose another file"
        ) from error
    print(f"Wrote {args.output}")
    return EXIT_OK


def validate_files(args: argparse.Namespace) -> int:
    """Check each file; report every problem; exit 1 if any file has one."""
    failed = 0
    for path in args.files:
        try:
            exercise = load_exercise(path)
        except ExerciseError as error:
            failed += 1
            for problem in error.problems:
                print(problem, file=sys.stderr)
            continue
        print(f"{path}: ok ({exercise.id}, {minutes(exercise.total_seconds)})")
    return EXIT_ERROR if failed else EXIT_OK


def _is_builtin(exercise: Exercise) -> bool:
    return exercise.source is not None and exercise.source.parent == BUILTIN_DIR
