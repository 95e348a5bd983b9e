"""``guided-talk history``, ``export`` and ``forget``: the sessions on this computer."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from guided_talk.cli.errors import EXIT_OK, CliError
from guided_talk.paths import database_path
from guided_talk.session.analysis import worked_out
from guided_talk.store import (
    EXPORT_FORMATS,
    Locked,
    Store,
    export_all_chunks,
    open_or_set_aside,
    session_to_json,
    session_to_markdown,
    write_export,
    write_export_all,
)

#: Lets scripts open a protected database without a prompt.
PASSPHRASE_VARIABLE = "GUIDED_TALK_PASSPHRASE"


def add_parsers(commands: Any) -> None:
    """Register ``history``, ``export`` and ``forget``."""
    history = commands.add_parser("history", help="list past and unfinished sessions")
    history.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    history.set_defaults(handler=show_history)
    export = commands.add_parser("export", help="write sessions as Markdown or JSON")
    chosen = export.add_mutually_exclusive_group(required=True)
    chosen.add_argument(
        "session", nargs="?", help="session id (the first few characters are enough)"
    )
    chosen.add_argument("--all", action="store_true", help="every session, oldest first")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="md")
    export.add_argument("--output", "-o", type=Path, help="file to write (default: print)")
    export.set_defaults(handler=export_session)
    forget = commands.add_parser("forget", help="delete sessions for good")
    which = forget.add_mutually_exclusive_group(required=True)
    which.add_argument("session", nargs="?", help="session id to delete")
    which.add_argument("--all", action="store_true", help="delete every session")
    forget.add_argument("--yes", action="store_true", help="do not ask to confirm --all")
    forget.set_defaults(handler=forget_sessions)
    protect = commands.add_parser(
        "protect", help="seal what was said with a passphrase (asked twice, never stored)"
    )
    protect.add_argument("--remove", action="store_true", help="remove the passphrase")
    protect.set_defaults(handler=protect_sessions)


def open_store() -> Store:
    """The user's database (created on first use; an unusable one is moved aside).

    A protected database takes its passphrase from ``GUIDED_TALK_PASSPHRASE`` or,
    in a terminal, from a hidden prompt.
    """
    passphrase = os.environ.get(PASSPHRASE_VARIABLE)
    try:
        store, moved = open_or_set_aside(database_path(), passphrase)
    except Locked as locked:
        if passphrase is not None or not sys.stdin.isatty():
            raise CliError(
                str(locked), f"run it in a terminal to type it, or set {PASSPHRASE_VARIABLE}"
            ) from locked
        store, moved = open_or_set_aside(database_path(), getpass.getpass("Passphrase: "))
    if moved:
        print(f"Note: {moved}", file=sys.stderr)
    return store


def show_history(args: argparse.Namespace) -> int:
    """One line per session, newest first."""
    with open_store() as store:
        sessions = store.list_sessions(limit=max(1, args.limit))
    if not sessions:
        print("No sessions yet. Try `guided-talk demo` to see one.")
        return EXIT_OK
    for s in sessions:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(s.started_at))
        people = " & ".join(s.participants)
        state = {"paused": "paused, can resume", "active": "unfinished"}.get(s.status, s.status)
        print(f"{s.id}  {when}  {s.exercise_title} ({people}), {s.turn_count} turns, {state}")
    return EXIT_OK


def export_session(args: argparse.Namespace) -> int:
    """Print a session, or write it to ``--output`` (never over the database)."""
    if args.all:
        return export_everything(args)
    with open_store() as store:
        detail = worked_out(store.get_session(args.session))
        if args.output is None:
            render = session_to_markdown if args.format == "md" else session_to_json
            sys.stdout.write(render(detail))
            return EXIT_OK
        with _writing(args.output):
            written = write_export(detail, args.format, args.output, store.path)
    print(f"Wrote {written}")
    return EXIT_OK


@contextmanager
def _writing(target: Path) -> Iterator[None]:
    """Turns a failed write of ``target`` into one plain sentence and a hint."""
    try:
        yield
    except OSError as error:
        raise CliError(
            f"could not write {target}: {error.strerror}", "choose another file"
        ) from error


def export_everything(args: argparse.Namespace) -> int:
    """Every session in one Markdown or JSON file (or printed), streamed."""
    with open_store() as store:
        if args.output is None:
            sys.stdout.writelines(export_all_chunks(store.all_sessions(), args.format))
            return EXIT_OK
        with _writing(args.output):
            written, count = write_export_all(
                store.all_sessions(), args.format, args.output, store.path
            )
    print(f"Wrote {count} session{'s' if count != 1 else ''} to {written}")
    return EXIT_OK


def protect_sessions(args: argparse.Namespace) -> int:
    """Set, change or remove the passphrase that seals transcripts at rest."""
    with open_store() as store:
        if args.remove:
            store.protect(None)
            print("Passphrase removed; transcripts are kept unsealed.")
            return EXIT_OK
        if not sys.stdin.isatty():
            raise CliError("a new passphrase must be typed", "run this in a terminal")
        first = getpass.getpass("New passphrase: ")
        if not first or getpass.getpass("The same again: ") != first:
            raise CliError("the passphrases were empty or did not match", "try again")
        store.protect(first)
    print("Passphrase set. It is not stored anywhere: if it is lost, so are the transcripts.")
    return EXIT_OK


def forget_sessions(args: argparse.Namespace) -> int:
    """Delete one session or all of them, leaving no trace in the file."""
    with open_store() as store:
        if not args.all:
            gone = store.forget(args.session)
            print(f"Forgot session {gone}.")
            return EXIT_OK
        if not args.yes and not _confirmed():
            raise CliError("nothing was deleted", "answer 'yes' or pass --yes")
        count = store.forget_all()
    print(f"Forgot {count} session{'s' if count != 1 else ''}.")
    return EXIT_OK


def _confirmed() -> bool:
    if not sys.stdin.isatty():
        return False
    answer = input("Delete every session for good? Type yes to confirm: ")
    return answer.strip().lower() == "yes"
