"""A stored session as a readable Markdown report or a stable JSON document.

Exports hold the couple's words, so they are written owner-only (0600), atomically,
and never over the database itself.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from datetime import datetime
from pathlib import Path

from guided_talk.feedback.findings import Kept
from guided_talk.store.records import SessionDetail, SessionSummary, StoredTurn, StoreError
from guided_talk.store.schema import SIDE_SUFFIXES
from guided_talk.values import TurnStatus

#: Export formats, named as the file suffix they get.
EXPORT_FORMATS = ("md", "json")

#: Identifies the JSON document; bump ``JSON_VERSION`` when its shape changes.
JSON_FORMAT = "guided-talk/session"
JSON_VERSION = 1
#: Identifies an export of every session (a list of session documents).
JSON_ALL_FORMAT = "guided-talk/sessions"

# Field names, looked up once: an export of everything reads them for every session.
_SUMMARY_FIELDS = tuple(field.name for field in fields(SessionSummary))

_MISSING_TEXT = {TurnStatus.NOT_TRANSCRIBED: "(not transcribed)", TurnStatus.SKIPPED: "(skipped)"}


def session_to_markdown(detail: SessionDetail) -> str:
    """Renders a session as a Markdown report for people to read.

    Args:
        detail: The session, as returned by ``Store.get_session``.

    Returns:
        The report, ending in a newline.
    """
    summary = detail.summary
    lines = [f"# {summary.exercise_title}", ""]
    lines += [
        f"- **When:** {_when(summary.started_at, summary.ended_at)}",
        f"- **Who:** {', '.join(summary.participants) or 'nobody named'}",
        f"- **Exercise:** {summary.exercise_id} ({summary.mode})",
        f"- **Status:** {summary.status}, {summary.turn_count} turns",
        f"- **Session:** `{summary.id}`",
    ]
    show_rounds = any(turn.round for turn in detail.turns)
    for turn in detail.turns:
        lines += ["", *_turn_markdown(turn, show_rounds)]
    return "\n".join(lines) + "\n"


def session_to_json(detail: SessionDetail) -> str:
    """Renders a session as an indented JSON document with a stable key order.

    Args:
        detail: The session, as returned by ``Store.get_session``.

    Returns:
        The document, ending in a newline. Times are unix seconds.
    """
    return json.dumps(_session_document(detail), indent=2, ensure_ascii=False) + "\n"


def _session_document(detail: SessionDetail) -> dict[str, object]:
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "session": {name: getattr(detail.summary, name) for name in _SUMMARY_FIELDS},
        "settings": _sorted_keys(detail.settings),
        "turns": [_turn_json(turn) for turn in detail.turns],
    }


def write_export(detail: SessionDetail, fmt: str, target: Path, database: Path) -> Path:
    """Writes a session export owner-only (0600) and atomically.

    Args:
        detail: The session to export.
        fmt: One of ``EXPORT_FORMATS``.
        target: The file to write, or a folder to write a file with a default
            name into.
        database: The session database, which the export must never replace.

    Returns:
        The file written.

    Raises:
        ValueError: ``fmt`` is not a known format.
        StoreError: ``target`` is the database (or a file SQLite keeps beside
            it), or the file could not be written.
    """
    render = _RENDERERS.get(fmt)
    if render is None:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {EXPORT_FORMATS}")
    if target.is_dir():
        target = target / default_export_name(detail, fmt)
    _refuse_database(target, database)
    _write_private(target, render(detail))
    return target


def write_export_all(
    details: Iterable[SessionDetail], fmt: str, target: Path, database: Path
) -> tuple[Path, int]:
    """Writes every session into one file, streamed (owner-only and atomic, as above).

    JSON gives ``{"format": "guided-talk/sessions", "version", "sessions": [...]}``
    with one session document per element; Markdown puts the reports one after
    another. A folder as ``target`` gets ``guided-talk-all.<fmt>``.

    Returns:
        The file written and how many sessions it holds.
    """
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {EXPORT_FORMATS}")
    if target.is_dir():
        target = target / f"guided-talk-all.{fmt}"
    _refuse_database(target, database)
    count = 0

    def counted() -> Iterator[SessionDetail]:
        nonlocal count
        for detail in details:
            count += 1
            yield detail

    _write_private(target, export_all_chunks(counted(), fmt))
    return target, count


def export_all_chunks(details: Iterable[SessionDetail], fmt: str) -> Iterator[str]:
    """The text of an all-sessions export, a session at a time (bounded memory)."""
    if fmt == "md":
        for number, detail in enumerate(details):
            yield ("\n---\n\n" if number else "") + session_to_markdown(detail)
        return
    yield f'{{"format": "{JSON_ALL_FORMAT}", "version": {JSON_VERSION}, "sessions": ['
    for number, detail in enumerate(details):
        yield (
            ("," if number else "")
            + "\n"
            + json.dumps(_session_document(detail), ensure_ascii=False)
        )
    yield "\n]}\n"


def default_export_name(detail: SessionDetail, fmt: str) -> str:
    """A file name such as ``guided-talk-2025-05-03-1a2b3c4d5e6f.md``."""
    day = datetime.fromtimestamp(detail.summary.started_at).strftime("%Y-%m-%d")
    return f"guided-talk-{day}-{detail.summary.id}.{fmt}"


def _turn_markdown(turn: StoredTurn, show_rounds: bool) -> list[str]:
    """One turn of the report: heading, who, prompt, words, ratings, feedback."""
    who = turn.participant or "Everyone"
    about = [f"{turn.role}", _duration(turn.spoken_seconds)]
    if show_rounds:
        about.insert(0, f"round {turn.round + 1}")
    if turn.status != TurnStatus.DONE:
        about.append(turn.status.replace("_", " "))
    lines = [f"## {turn.index + 1}. {turn.phase_id} / {turn.turn_id}", ""]
    lines += [f"**{who}** ({', '.join(about)})", "", *_quoted(turn.prompt), ""]
    lines.append(turn.transcript if turn.transcript is not None else _missing(turn))
    if turn.ratings:
        scores = ", ".join(f"{rater} {value}/5" for rater, value in sorted(turn.ratings.items()))
        lines += ["", f"Felt heard: {scores}"]
    for kind, data in sorted(turn.feedback.to_stored().items()):
        lines += ["", f"Feedback ({kind}):", *_key_values(data)]
    return lines


def _missing(turn: StoredTurn) -> str:
    return f"*{_MISSING_TEXT.get(turn.status, '(not kept)')}*"


def _quoted(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in text.splitlines() or [""]]


def _key_values(data: dict[str, object]) -> list[str]:
    """Feedback of any kind as ``- key: value`` lines."""
    return [f"- {key}: {_plain(value)}" for key, value in sorted(data.items())]


def _plain(value: object) -> str:
    """A feedback value as short, readable text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(round(value, 3))
    if value is None:
        return "-"
    if isinstance(value, list | tuple) and all(isinstance(item, str | int) for item in value):
        return ", ".join(str(item) for item in value) or "-"
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return " ".join(str(value).split())


def _when(started_at: float, ended_at: float | None) -> str:
    """Local date and time, such as ``Saturday 3 May 2025, 19:42 to 20:15``."""
    start = datetime.fromtimestamp(started_at)
    text = f"{start:%A} {start.day} {start:%B %Y, %H:%M}"
    if ended_at is not None:
        end = datetime.fromtimestamp(ended_at)
        text += f" to {end:%H:%M}" if end.date() == start.date() else f" to {end:%d %b %H:%M}"
    return text


def _duration(seconds: float) -> str:
    minutes, secs = divmod(max(0, round(seconds)), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def _turn_json(turn: StoredTurn) -> dict[str, object]:
    # A shallow copy (the fields, in order): asdict would deep-copy the findings,
    # most of an export's time.
    data = dict(vars(turn))
    # The measures (nearly all that is stored) come in key order; only fuller
    # findings (from older versions) need sorting.
    data["feedback"] = {
        f.KIND: f.to_stored() if f.kept == Kept.MEASURES else _sorted_keys(f.to_stored())
        for f in sorted(turn.feedback.each(), key=lambda f: f.KIND)
    }
    if len(turn.ratings) > 1:
        data["ratings"] = {rater: turn.ratings[rater] for rater in sorted(turn.ratings)}
    return data


def _sorted_keys(value: object) -> object:
    """Sorts the keys of every mapping inside ``value``, so output is stable."""
    if isinstance(value, dict):
        return {str(key): _sorted_keys(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [_sorted_keys(item) for item in value]
    return value


def _refuse_database(target: Path, database: Path) -> None:
    """Raises StoreError if ``target`` is the database or one of its side files."""
    protected = [database, *(Path(f"{database}{suffix}") for suffix in SIDE_SUFFIXES)]
    resolved = target.resolve()
    for path in protected:
        same = resolved == path.resolve()
        if same or (target.exists() and path.exists() and os.path.samefile(target, path)):
            raise StoreError(
                f"Will not write the export to {target}: that is the session database. "
                "Choose another file name."
            )


def _write_private(target: Path, text: str | Iterable[str]) -> None:
    """Writes ``text`` (or its chunks) to a 0600 temporary file beside ``target``,
    then renames it over ``target``."""
    try:
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as exc:
        raise StoreError(f"Could not write the export to {target} ({exc.strerror}).") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.writelines([text] if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o600)
        os.replace(temp_name, target)
    except BaseException as exc:
        Path(temp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise StoreError(f"Could not write the export to {target} ({exc}).") from exc
        raise


_RENDERERS: dict[str, Callable[[SessionDetail], str]] = {
    "md": session_to_markdown,
    "json": session_to_json,
}
