"""``guided-talk analyze``: feedback on typed text, one pair or a stream of pairs.

``analyze reflection`` compares a speaker's words with a listener's reflect-back;
``analyze reflections --format jsonl`` does the same for every line of standard
input (``{"id", "speaker", "listener"}``), loading the scorer once and answering
each line on its own, so one bad line never stops the rest; ``analyze expression``
checks a statement of feelings and needs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from guided_talk.cli.errors import EXIT_OK, CliError
from guided_talk.feedback.expression import analyze_expression
from guided_talk.feedback.findings import ExpressionFindings, ReflectionFindings
from guided_talk.feedback.reflection import analyze_reflection
from guided_talk.feedback.reply_model import LABEL_WORDS
from guided_talk.feedback.semantic import load_encoder
from guided_talk.values import ListenerStyle

_STYLES = [str(style) for style in ListenerStyle]

#: Longest input line accepted by the jsonl interface (characters).
MAX_LINE = 1_000_000


def add_parser(commands: Any) -> None:
    """Register ``analyze`` and its three subcommands."""
    analyze = commands.add_parser(
        "analyze", help="feedback on typed text (reflections, statements)"
    )
    kinds = analyze.add_subparsers(dest="analysis", metavar="ANALYSIS", required=True)
    one = kinds.add_parser("reflection", help="how well one reflect-back captured the speaker")
    one.add_argument("--speaker", required=True, help="what the speaker said")
    one.add_argument("--listener", required=True, help="the listener's reflect-back")
    one.add_argument("--style", choices=_STYLES, default=ListenerStyle.PARAPHRASE)
    one.add_argument("--json", action="store_true", help="print the findings as JSON")
    one.set_defaults(handler=analyze_one_reflection)
    many = kinds.add_parser("reflections", help="many pairs: JSON lines in, JSON lines out")
    many.add_argument("--format", choices=("jsonl",), default="jsonl")
    many.add_argument("--style", choices=_STYLES, default=ListenerStyle.PARAPHRASE)
    many.set_defaults(handler=analyze_many_reflections)
    statement = kinds.add_parser("expression", help="check a statement of feelings and needs")
    statement.add_argument("--text", required=True, help="the statement")
    statement.add_argument("--seconds", type=float, help="how long it took to say (for pace)")
    statement.add_argument("--json", action="store_true", help="print the findings as JSON")
    statement.set_defaults(handler=analyze_one_expression)


def analyze_one_reflection(args: argparse.Namespace) -> int:
    """Print what one reflect-back captured and missed."""
    if not args.speaker.strip():
        raise CliError("the speaker's words are empty", 'pass --speaker "what was said"')
    findings = analyze_reflection(args.speaker, args.listener, args.style, encoder=load_encoder())
    if args.json:
        print(json.dumps(reflection_json(findings), ensure_ascii=False))
    else:
        print_reflection(findings)
    return EXIT_OK


def analyze_one_expression(args: argparse.Namespace) -> int:
    """Print which parts of a clear statement are there and what to try."""
    if args.seconds is not None and not args.seconds > 0:
        raise CliError("--seconds must be more than 0", "leave it out if you do not know")
    findings = analyze_expression(args.text, args.seconds)
    if args.json:
        print(json.dumps(findings.to_json(), ensure_ascii=False))
    else:
        print_expression(findings)
    return EXIT_OK


def analyze_many_reflections(args: argparse.Namespace) -> int:
    """Answer every JSON line of standard input with one JSON line."""
    load_encoder()  # once, before the first line
    for answer in answer_lines(sys.stdin, args.style):
        sys.stdout.write(answer + "\n")
        sys.stdout.flush()
    return EXIT_OK


def answer_lines(lines: Iterable[str], style: str = "paraphrase") -> Iterator[str]:
    """One output line per non-blank input line: findings, or an error for that line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        yield json.dumps(answer_line(line, number, style), ensure_ascii=False)


def answer_line(line: str, number: int, style: str = "paraphrase") -> dict[str, object]:
    """The answer to one input line; never raises."""
    try:
        request = _parse(line)
    except ValueError as problem:
        return {"id": _id_of(line, number), "line": number, "error": str(problem)}
    findings = analyze_reflection(
        request["speaker"], request["listener"], style, encoder=load_encoder()
    )
    return {"id": request.get("id", number), **compact(findings)}


def reflection_json(findings: ReflectionFindings) -> dict[str, object]:
    """The findings as JSON data, less what only a session has (the turns reflected)."""
    data = findings.to_json()
    del data["reflects"]
    return data


def compact(findings: ReflectionFindings) -> dict[str, object]:
    """The jsonl answer: the headline numbers first, then the full findings."""
    data = reflection_json(findings)
    head = {
        k: data[k] for k in ("coverage", "response_type", "reply_label", "response_types", "mixed")
    }
    return head | {k: v for k, v in data.items() if k not in head}


def _parse(line: str) -> dict[str, Any]:
    if len(line) > MAX_LINE:
        raise ValueError(f"line longer than {MAX_LINE} characters")
    try:
        request = json.loads(line)
    except json.JSONDecodeError as problem:
        raise ValueError(f"not valid JSON ({problem.msg})") from None
    except RecursionError:
        raise ValueError("not valid JSON (nested too deeply)") from None
    if not isinstance(request, dict):
        raise ValueError('expected an object like {"id": 1, "speaker": "...", "listener": "..."}')
    for key in ("speaker", "listener"):
        if not isinstance(request.get(key), str):
            raise ValueError(f'"{key}" must be a string')
    return request


def _id_of(line: str, number: int) -> object:
    """The line's id if it can be read, else its line number."""
    try:
        request = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return number
    if isinstance(request, dict) and isinstance(request.get("id"), str | int | float):
        return request["id"]
    return number


def print_reflection(findings: ReflectionFindings, out: TextIO | None = None) -> None:
    """The findings as a few readable lines."""
    write = (out or sys.stdout).write
    depth = f" ({findings.reflection_depth})" if findings.reflection_depth else ""
    if findings.reply_label and findings.response_type in ("criticism", "other"):
        depth = f" ({LABEL_WORDS.get(findings.reply_label, findings.reply_label)})"
    mixed = f", mixing {' and '.join(findings.response_types)}" if findings.mixed else ""
    write(f"Covered {findings.coverage:.0%}: {findings.response_type}{depth}{mixed}\n")
    for unit in findings.units:
        mark = "captured" if unit.captured else "missed  "
        beside = f'  <- "{unit.listener_words}"' if unit.captured and unit.listener_words else ""
        write(f"  [{mark}] {unit.text}{beside}\n")
    feelings = findings.feelings
    if feelings.speaker or feelings.listener:
        write(
            f"Feelings: said {', '.join(feelings.speaker) or 'none'}; "
            f"named back {', '.join(feelings.matched) or 'none'}; "
            f"guessed {', '.join(feelings.guessed) or 'none'}\n"
        )
    stems = [s for group in findings.stems.values() for s in group]
    if stems:
        write(f"Listening stems: {', '.join(stems)}\n")
    write(f"Word for word: {findings.parroting:.0%} ({findings.listener_style})\n")
    for note in findings.notes:
        write(f"  * {note}\n")


def print_expression(findings: ExpressionFindings, out: TextIO | None = None) -> None:
    """The findings as a few readable lines."""
    write = (out or sys.stdout).write
    for name, said in findings.slots.items():
        write(f"  {name:<9} {said or '-'}\n")
    extras = []
    if findings.pace:
        extras.append(f"pace {findings.pace_wpm:.0f} wpm ({findings.pace})")
    if findings.fillers:
        extras.append(f"{len(findings.fillers)} filler(s)")
    if findings.absolutist_words:
        extras.append(f"absolutes: {', '.join(findings.absolutist_words)}")
    if extras:
        write("  " + "; ".join(extras) + "\n")
    for tip in findings.tips:
        write(f"  * {tip}\n")
    if findings.rewrite:
        write(f"  try: {findings.rewrite}\n")
