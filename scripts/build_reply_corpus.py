#!/usr/bin/env python3
"""Write the labelled reply corpus from the project's own scenes and reply patterns.

Reads ``scripts/reply_corpus/scenes.toml`` (moments one partner shares) and
``replies.toml`` (how a listener might answer, by label) and writes
``scripts/reply_corpus/corpus.jsonl``: one listener reply a line, with the turn it
answers and its label. Every reply is shown the ways people and recognisers write
it: as written, lower case without punctuation, and with spoken fillers. The draw is
seeded, so the same files give the same corpus.

    python scripts/build_reply_corpus.py
"""

from __future__ import annotations

import json
import random
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "reply_corpus"
CORPUS = FOLDER / "corpus.jsonl"
SEED = 20261204
#: Replies drawn for each scene, turn and label (patterns without a gap are shared by
#: every scene, so fewer of them are drawn per scene).
PER_LABEL = 5
#: How often a reflection gets the check-question the exercises ask for.
CHECK_ENDING = 0.3
#: Mixed replies: (first part's label, second part's label, label of the whole).
MIXES = (
    ("simple_reflection", "advice", "advice"),
    ("complex_reflection", "advice", "advice"),
    ("validation", "advice", "advice"),
    ("simple_reflection", "criticism", "criticism"),
    ("validation", "defensiveness", "defensiveness"),
    ("simple_reflection", "defensiveness", "defensiveness"),
    ("simple_reflection", "open_question", "open_question"),
    ("complex_reflection", "closed_question", "closed_question"),
    ("other", "open_question", "open_question"),
    ("information", "open_question", "open_question"),
    ("validation", "closed_question", "closed_question"),
    ("simple_reflection", "complex_reflection", "complex_reflection"),
    ("other", "simple_reflection", "simple_reflection"),
    ("validation", "simple_reflection", "simple_reflection"),
    ("reassurance", "advice", "advice"),
    ("simple_reflection", "reassurance", "reassurance"),
)
#: How many mixed replies each scene and turn gets.
MIXED_PER_TURN = 8
LABEL_KEYS = (
    "simple_reflection",
    "complex_reflection",
    "open_question",
    "closed_question",
    "advice",
    "information",
    "criticism",
    "defensiveness",
    "reassurance",
    "taking_over",
    "validation",
    "other",
)


def fill(pattern: str, scene: Mapping[str, object], chooser: random.Random) -> str:
    """The pattern with each gap filled from the scene, sentences capitalised."""

    def piece(match: re.Match[str]) -> str:
        value = scene[match.group(1)]
        return chooser.choice(value) if isinstance(value, list) else str(value)

    text = re.sub(r"\{(\w+)\}", piece, pattern)
    text = re.sub(r"\.\.+", ".", text).replace("?.", "?")
    return re.sub(r"(^|[.?!]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


def spoken(
    text: str, chooser: random.Random, openers: Sequence[str], fillers: Sequence[str]
) -> str:
    """Lower case, no punctuation, and a filler or two, as a recogniser might give it."""
    words = re.sub(r"[^\w\s'-]", " ", text).lower().split()
    if chooser.random() < 0.6:
        words[:0] = chooser.choice(openers).lower().split()
    if len(words) > 4 and chooser.random() < 0.5:
        at = chooser.randrange(1, len(words) - 1)
        words[at:at] = chooser.choice(fillers).lower().split()
    if chooser.random() < 0.2:
        words = [w.replace("'", "") for w in words]
    return " ".join(words)


def unpunctuated(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s'-]", " ", text).lower().split())


def views(text: str, chooser: random.Random, replies: Mapping[str, list[str]]) -> str:
    """One way of writing the reply: as written, without punctuation, or spoken."""
    roll = chooser.random()
    if roll < 0.4:
        return text
    if roll < 0.7:
        return unpunctuated(text)
    return spoken(text, chooser, replies["openers"], replies["fillers"])


def reply(
    label: str,
    scene: Mapping[str, object],
    chooser: random.Random,
    replies: Mapping[str, list[str]],
) -> str:
    text = fill(chooser.choice(replies[label]), scene, chooser)
    if label.endswith("reflection") and chooser.random() < CHECK_ENDING:
        text = f"{text} {chooser.choice(replies['check_endings'])}"
    return text


def rows_for(
    scene: Mapping[str, object], replies: Mapping[str, list[str]], chooser: random.Random
) -> list[dict[str, str]]:
    rows = []
    said_lines = scene["said"]
    assert isinstance(said_lines, list)
    for said in said_lines:
        for label in LABEL_KEYS:
            for _ in range(PER_LABEL):
                text = reply(label, scene, chooser, replies)
                rows.append(
                    {"speaker": said, "reply": views(text, chooser, replies), "label": label}
                )
        for first, second, label in chooser.sample(MIXES, MIXED_PER_TURN):
            text = (
                f"{reply(first, scene, chooser, replies)} {reply(second, scene, chooser, replies)}"
            )
            rows.append({"speaker": said, "reply": views(text, chooser, replies), "label": label})
    return rows


def build() -> list[dict[str, str]]:
    """Every row of the corpus, in a fixed order; repeated replies to one turn once."""
    scenes = tomllib.loads((FOLDER / "scenes.toml").read_text(encoding="utf-8"))["scene"]
    replies = tomllib.loads((FOLDER / "replies.toml").read_text(encoding="utf-8"))
    chooser = random.Random(SEED)
    seen: set[tuple[str, str]] = set()
    rows = []
    for scene in scenes:
        for row in rows_for(scene, replies, chooser):
            key = (row["speaker"], row["reply"])
            if key not in seen:
                seen.add(key)
                rows.append({"topic": scene["topic"], **row})
    return rows


def main() -> None:
    rows = build()
    with CORPUS.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["label"]] = counts.get(row["label"], 0) + 1
    print(f"{len(rows)} replies -> {CORPUS}")
    for label in LABEL_KEYS:
        print(f"  {label}: {counts.get(label, 0)}")


if __name__ == "__main__":
    main()
