"""The ``guided-talk`` command: parse arguments and dispatch to a subcommand."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from guided_talk import __version__
from guided_talk.cli import analyze_cmd, check_cmd, exercises_cmd, history_cmd, transcribe_cmd
from guided_talk.cli import demo as demo_cmd
from guided_talk.cli.errors import (
    EXIT_ERROR,
    EXIT_USAGE,
    CliError,
    report,
    save_crash_report,
)
from guided_talk.logs import configure_logging
from guided_talk.store import StoreError

DESCRIPTION = (
    "Voice-guided exercises for hard conversations: timed turns, prompts read aloud, "
    "and feedback on how well you listened. Everything stays on this computer."
)


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree; each module adds its own subcommands."""
    parser = argparse.ArgumentParser(prog="guided-talk", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"guided-talk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    exercises_cmd.add_parser(commands)
    history_cmd.add_parsers(commands)
    demo_cmd.add_parser(commands)
    transcribe_cmd.add_parser(commands)
    analyze_cmd.add_parser(commands)
    check_cmd.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code (0 ok, 1 error, 2 usage)."""
    configure_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return open_app()
    try:
        code: int = args.handler(args)
    except CliError as error:
        report(error.message, error.hint)
        return EXIT_ERROR
    except StoreError as error:
        report(str(error), "run `guided-talk history` to see what is stored")
        return EXIT_ERROR
    except KeyboardInterrupt:
        report("stopped", "nothing finished before the stop was lost")
        return EXIT_ERROR
    return code


def open_app() -> int:
    """Open the terminal app (the main job)."""
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        report("the app needs a terminal to run in", "see `guided-talk --help` for commands")
        return EXIT_USAGE
    from guided_talk.tui.run import run_app

    return run_app()


def run() -> None:
    """Console-script entry point: no traceback ever reaches the user."""
    configure_logging()
    try:
        code = main()
    except BrokenPipeError:
        # The reader went away (``| head``); quietly stop writing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_ERROR
    except Exception as error:  # the last line of defence: any failure gets a plain report
        where = save_crash_report(error)
        report(
            f"something unexpected went wrong ({type(error).__name__}: {error})",
            f"nothing saved before this was lost; details are in {where}",
        )
        code = EXIT_ERROR
    sys.exit(code)
