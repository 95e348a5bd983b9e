#!/usr/bin/env python3
"""Load: a store with thousands of transcribed 10-minute sessions.

Builds the database the real way for ``--real`` sessions (the real runner, analyses
and store, with partners who talk for most of each turn at 130 words a minute),
then copies those sessions, with new ids and dates, up to ``--sessions``. Then it
measures the file size, how long the history screen takes to list the sessions
and to draw the trends (the real app, headless), and how long exporting every
session takes.

    python scripts/bench_load.py --sessions 10000
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import platform
import random
import secrets
import sqlite3
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from guided_talk.exercises.loader import load_library
from guided_talk.exercises.model import Exercise
from guided_talk.session.clock import FastForwardClock
from guided_talk.session.plan import PlannedTurn, build_plan
from guided_talk.session.starter import SessionRequest, SpeechMakers, start_session
from guided_talk.store import Store, archive
from guided_talk.store.codec import Codec

SESSION_SECONDS = 600
WORDS_PER_MINUTE = 130
TALKING_SHARE = 0.85  # of each turn; the rest is pauses
PEOPLE = ("Robin", "Sasha")

# A small bank of this project's own phrases, combined at random into speech.
OPENERS = [
    "I feel",
    "I felt",
    "honestly I think",
    "so what I mean is",
    "you know, I",
    "what worries me is that I",
    "it seems like we",
    "sometimes I",
    "lately we",
]
MIDDLES = [
    "tired",
    "left out",
    "hopeful",
    "stretched thin",
    "a bit anxious",
    "really grateful",
    "unsure",
    "calmer",
    "frustrated",
    "close to you",
    "on edge",
    "proud of us",
]
LINKS = ["when", "because", "after", "whenever", "since", "and then", "but also when"]
SCENES = [
    "work runs late",
    "the kids are up early",
    "we talk about money",
    "the phone comes out at dinner",
    "your mother calls",
    "we plan the weekend",
    "the house is a mess",
    "we skip our walk",
    "I come home to quiet",
    "we laugh about small things",
    "the bills arrive",
    "you ask about my day",
]
ASKS = ["could we try", "I would like", "maybe we can", "what helps me is", "I need"]
WISHES = [
    "ten quiet minutes together",
    "a plan for Sundays",
    "a hug at the door",
    "to split the chores fairly",
    "to hear how your day went",
    "a slower morning",
]


def speech(rng: random.Random, words: int) -> str:
    """Talk of about ``words`` words: real dialogue when AnnoMI is beside the project."""
    if REAL_TALK:
        start = rng.randrange(len(REAL_TALK))
        said: list[str] = []
        count = 0
        for text in REAL_TALK[start:] + REAL_TALK[:start]:
            said.append(text)
            count += len(text.split())
            if count >= words:
                break
        return " ".join(said)
    return made_up_speech(rng, words)


def made_up_speech(rng: random.Random, words: int) -> str:
    """Sentence-like talk of about ``words`` words from the phrases above."""
    parts: list[str] = []
    count = 0
    while count < words:
        sentence = (
            f"{rng.choice(OPENERS)} {rng.choice(MIDDLES)} {rng.choice(LINKS)} "
            f"{rng.choice(SCENES)}, um, {rng.choice(ASKS)} {rng.choice(WISHES)}."
        )
        parts.append(sentence)
        count += len(sentence.split())
    return " ".join(parts)


def read_real_talk() -> list[str]:
    """Utterances of real counselling dialogue (AnnoMI, read at run time only, to make
    sizes and compression honest; nothing from it is kept)."""
    data = Path(__file__).resolve().parents[2] / "shared" / "data" / "annomi" / "dev_simple.csv"
    if not data.exists():
        return []
    with data.open(newline="", encoding="utf-8") as handle:
        return [row["utterance_text"] for row in csv.DictReader(handle)]


REAL_TALK = read_real_talk()


class TalkativePartners:
    """A ``TurnListener`` whose partner talks for most of every turn."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._line = ""
        self._done_at: float | None = None

    def begin(self, turn: PlannedTurn, started_at: float) -> None:
        talking = turn.turn.seconds * TALKING_SHARE
        self._line = speech(self._rng, round(talking / 60 * WORDS_PER_MINUTE))
        self._done_at = started_at + talking

    def finished_at(self) -> float | None:
        return self._done_at

    def hold(self, held: bool) -> None:
        """The load benchmark never pauses."""

    async def finish(self, turn: PlannedTurn, status: str) -> str | None:
        self._done_at = None
        return self._line


def talking(partners: TalkativePartners) -> SpeechMakers:
    """Speech for one session: no voice, these partners as the listener."""
    return SpeechMakers(listener=lambda: partners)


def ten_minute_exercise() -> Exercise:
    """The built-in speaker-listener exercise, stretched to ten minutes."""
    exercise = load_library().exercises["speaker-listener"]
    total = sum(planned.turn.seconds for planned in build_plan(exercise, PEOPLE))
    factor = SESSION_SECONDS / total
    return replace(
        exercise,
        phases=tuple(
            replace(p, turns=tuple(replace(t, seconds=round(t.seconds * factor)) for t in p.turns))
            for p in exercise.phases
        ),
    )


def run_real_sessions(store: Store, count: int, seed: int = 1) -> None:
    """``count`` whole sessions through the real runner, analyses and store."""
    exercise = ten_minute_exercise()
    rng = random.Random(seed)
    request = SessionRequest(exercise, PEOPLE)
    for _ in range(count):
        variants = rng.random()  # drawn first, as the partners share ``rng``
        speech = talking(TalkativePartners(rng))
        clock = FastForwardClock()
        started = start_session(request, clock, store=store, speech=speech, seed=variants)
        asyncio.run(started.runner.run())


def copy_sessions(path: Path, total: int, days: float = 3 * 365) -> None:
    """Copy the stored (finished, packed) sessions, with new ids and dates, until
    there are ``total``."""
    codec = Codec()  # the load database is not protected by a passphrase
    conn = sqlite3.connect(path, isolation_level=None)
    sessions = conn.execute("SELECT * FROM sessions").fetchall()
    have = len(sessions)
    start = time.time() - days * 86400
    conn.execute("BEGIN")
    for number in range(have, total):
        row = list(sessions[number % have])
        old_id, new_id, old_start = row[0], secrets.token_hex(6), row[5]
        when = start + number / total * days * 86400
        row[0], row[5], row[6] = new_id, when, when + SESSION_SECONDS
        conn.execute(f"INSERT INTO sessions VALUES ({','.join('?' * len(row))})", row)
        conn.execute(
            "INSERT INTO participants SELECT ?, position, name FROM participants"
            " WHERE session_id = ?",
            (new_id, old_id),
        )
        count, body = conn.execute(
            "SELECT turn_count, body FROM archives WHERE session_id = ?", (old_id,)
        ).fetchone()
        moved = [
            replace(
                turn,
                started_at=turn.started_at - old_start + when,
                ended_at=turn.ended_at - old_start + when,
            )
            for turn in archive.unpack(codec.decode(body) or "")
        ]
        conn.execute(
            "INSERT INTO archives (session_id, turn_count, body) VALUES (?, ?, ?)",
            (new_id, count, codec.encode(archive.pack(moved))),
        )
        if number % 500 == 0:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def build(path: Path, sessions: int, real: int) -> None:
    with Store.open(path) as store:
        run_real_sessions(store, min(real, sessions))
    copy_sessions(path, sessions)


async def time_history(database: Path) -> tuple[float, float, int]:
    """Seconds from pressing h at home to the list filled and to the trends drawn."""
    from textual.widgets import DataTable, Static

    from guided_talk.session.clock import FakeClock
    from guided_talk.settings import Settings
    from guided_talk.tui.app import make_app
    from guided_talk.tui.services import Services

    services = Services(
        library=load_library(),
        settings=Settings(),
        settings_problems=[],
        database=database,
        clock=FakeClock(),
        make_reader=lambda notify: None,
        make_listener=lambda *_: None,  # type: ignore[arg-type]
    )
    app = make_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("h")
        listed = drawn = 0.0
        while not drawn:
            await asyncio.sleep(0.002)
            tables = app.screen.query(DataTable)
            if not listed and tables and tables.first().row_count:
                listed = time.perf_counter() - started
            trends = app.screen.query("#trends")
            if trends and str(trends.first(Static).render()).strip():
                drawn = time.perf_counter() - started
        rows = app.screen.query_one(DataTable).row_count
    return listed, drawn, rows


def time_export(database: Path, folder: Path, fmt: str) -> tuple[float, int, int]:
    """Seconds to export every session into one file; the count and the file size."""
    from guided_talk.store import write_export_all

    started = time.perf_counter()
    with Store.open(database) as store:
        target, count = write_export_all(store.all_sessions(), fmt, folder, database)
    return time.perf_counter() - started, count, target.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--real", type=int, default=100, help="sessions run for real")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "load.sqlite3"
        started = time.perf_counter()
        build(database, args.sessions, args.real)
        built = time.perf_counter() - started
        size = database.stat().st_size
        turns = words = 0
        with Store.open(database) as store:
            for detail in store.all_sessions():
                turns += len(detail.turns)
                words += sum(len((t.transcript or "").split()) for t in detail.turns)
        history = [asyncio.run(time_history(database)) for _ in range(args.repeat)]
        exports = {
            fmt: [time_export(database, Path(folder), fmt) for _ in range(args.repeat)]
            for fmt in ("json", "md")
        }
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    print(f"built {args.sessions} sessions ({args.real} run for real) in {built:.0f} s")
    print(f"turns {turns}, words {words} ({words / args.sessions:.0f} a session)")
    print(f"database {size / 2**20:.1f} MiB ({size / args.sessions / 1024:.1f} KiB a session)")
    print(
        f"history list shown: median {statistics.median(h[0] for h in history):.3f} s"
        f" ({history[0][2]} rows); trends drawn: median"
        f" {statistics.median(h[1] for h in history):.3f} s"
    )
    for fmt, runs in exports.items():
        print(
            f"export all as {fmt}: median {statistics.median(r[0] for r in runs):.2f} s,"
            f" {runs[0][1]} sessions, {runs[0][2] / 2**20:.1f} MiB"
        )


if __name__ == "__main__":
    main()
