#!/usr/bin/env python3
"""Writes the compression dictionary that stored words are packed against.

zlib can start from a preset dictionary: text it may refer back to, so the first
use of a common phrase costs a few bytes instead of the phrase. This one holds the
built-in exercises' prompts (each session stores the prompts it read), the
project's common-word lists, and the names in a packed session. Everything in it
is this project's own text.

The dictionary is frozen once written: stored values name the dictionary they were
packed against (``z2``/``e2`` use ``guided_talk/store/zdict-1.txt``), so changing it
would make them unreadable. A new one gets a new file and a new tag.

    python scripts/make_zdict.py guided_talk/store/zdict-1.txt
"""

from __future__ import annotations

import json
import sys
import tomllib
from dataclasses import fields
from pathlib import Path

from guided_talk.store.records import StoredTurn

ROOT = Path(__file__).resolve().parent.parent
PROMPT_ROOM = 24_000  # zlib looks back at most 32 KiB; leave room for the session
WORD_LISTS = ("stopwords", "fillers", "feelings", "hedges")
WORD_ROOM = 4_000


def prompts() -> list[str]:
    """Every prompt of the built-in exercises, once each, in library order."""
    found: list[str] = []
    for path in sorted((ROOT / "guided_talk/exercises/library").glob("*.toml")):
        _collect(tomllib.loads(path.read_text(encoding="utf-8")), "", found)
    return list(dict.fromkeys(found))


def _collect(value: object, key: str, found: list[str]) -> None:
    if isinstance(value, dict):
        for inner, item in value.items():
            _collect(item, inner, found)
    elif isinstance(value, list):
        for item in value:
            _collect(item, key, found)
    elif isinstance(value, str) and key in ("prompt", "prompts"):
        found.append(value)


def common_words() -> str:
    words: list[str] = []
    for name in WORD_LISTS:
        lexicon = ROOT / "guided_talk/feedback/lexicons" / f"{name}.txt"
        for line in lexicon.read_text(encoding="utf-8").splitlines():
            entry = line.split("#")[0].strip()
            if entry:
                words.append(entry)
    return " ".join(words)[:WORD_ROOM]


def dictionary() -> str:
    """Prompts first; the words and names last, where references are cheapest."""
    names = json.dumps({field.name: [] for field in fields(StoredTurn)}, separators=(",", ":"))
    return json.dumps(prompts(), ensure_ascii=False)[:PROMPT_ROOM] + common_words() + names


if __name__ == "__main__":
    target = Path(sys.argv[1])
    if target.exists():
        sys.exit(f"{target} exists and is frozen; write a new version instead.")
    target.write_text(dictionary(), encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size} bytes)")
