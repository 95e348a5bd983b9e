#!/usr/bin/env python3
"""Measure the feedback analyses on real counselling dialogues (AnnoMI, dev half).

Reads ``../shared/data/annomi/dev_simple.csv`` (measuring only: nothing from it is
shipped) and prints three results as Markdown tables:

- ranking: for each client turn of 8+ words followed by a therapist reflection of
  5+ words, does coverage(that reflection) beat coverage(a reflection from another
  transcript), and beat a reflection from the same transcript? Ten distractors
  per pair, ties count half.
- response type: macro-F1 over reflection / question / advice for every therapist
  turn (AnnoMI's ``therapist_input`` is advice/information; ``other`` turns count
  against a wrong guess), as given, without punctuation, and without apostrophes.
- speed: milliseconds per pair for the whole reflection analysis, scorer loaded.

The transcripts are split in two by id (tune: id % 4 == 0, check: the rest) so a
choice made on one half can be checked on the other.

    python scripts/bench_feedback.py [--data PATH] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from guided_talk.feedback import reply_model
from guided_talk.feedback.encoder import SentenceEncoder
from guided_talk.feedback.matching import match_units
from guided_talk.feedback.reflection import analyze_reflection
from guided_talk.feedback.response import classify_response
from guided_talk.feedback.semantic import load_encoder
from guided_talk.feedback.text import content_stems

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "annomi"
LABELS = {"reflection": "reflection", "question": "question", "therapist_input": "advice"}
CLASSES = ("reflection", "question", "advice")
DISTRACTORS = 10
SEED = 7
Score = Callable[[str, str], float]


@dataclass(frozen=True)
class Utterance:
    """One row of AnnoMI's dev_simple.csv, the fields used here."""

    transcript: int
    speaker: str
    text: str
    behaviour: str


def read_utterances(folder: Path) -> list[Utterance]:
    """Rows in file order (transcripts are contiguous)."""
    with (folder / "dev_simple.csv").open(newline="", encoding="utf-8") as handle:
        return [
            Utterance(
                int(row["transcript_id"]),
                row["interlocutor"],
                row["utterance_text"],
                row["main_therapist_behaviour"],
            )
            for row in csv.DictReader(handle)
        ]


def in_half(transcript: int, half: str) -> bool:
    """``tune``: ids divisible by 4; ``check``: the others; ``all``: every id."""
    return half == "all" or (transcript % 4 == 0) == (half == "tune")


def ranking_items(rows: Sequence[Utterance], half: str) -> tuple[list[tuple[str, str, str]], ...]:
    """(speaker, reflection, distractor) triples: other-transcript and same-transcript."""
    reflections = [
        (i, r)
        for i, r in enumerate(rows)
        if r.speaker == "therapist" and r.behaviour == "reflection" and len(r.text.split()) >= 5
    ]
    chooser = random.Random(SEED)
    other: list[tuple[str, str, str]] = []
    same: list[tuple[str, str, str]] = []
    for i, (before, after) in enumerate(itertools.pairwise(rows)):
        if not (
            in_half(before.transcript, half)
            and before.transcript == after.transcript
            and before.speaker == "client"
            and after.speaker == "therapist"
            and after.behaviour == "reflection"
            and len(before.text.split()) >= 8
            and len(after.text.split()) >= 5
        ):
            continue
        elsewhere = [r.text for _, r in reflections if r.transcript != before.transcript]
        nearby = [
            r.text for j, r in reflections if r.transcript == before.transcript and j != i + 1
        ]
        for _ in range(DISTRACTORS):
            other.append((before.text, after.text, chooser.choice(elsewhere)))
            if nearby:
                same.append((before.text, after.text, chooser.choice(nearby)))
    return other, same


def ranking_accuracy(score: Score, items: Sequence[tuple[str, str, str]]) -> float:
    """Share of triples where the real reflection scores higher (ties count half)."""
    total = 0.0
    for speaker, real, distractor in items:
        a, b = score(speaker, real), score(speaker, distractor)
        total += 1.0 if a > b else 0.5 if a == b else 0.0
    return total / len(items) if items else 0.0


def overlap_score(speaker: str, listener: str) -> float:
    """Baseline: share of the speaker's content words the listener used."""
    said, heard = set(content_stems(speaker)), set(content_stems(listener))
    return len(said & heard) / len(said) if said else 0.0


def embedding_score(encoder: SentenceEncoder) -> Score:
    """Baseline: plain cosine of the sentence model's vectors of the two whole turns."""
    return lambda a, b: float(encoder.encode([a])[0] @ encoder.encode([b])[0])


def coverage_score(encoder: SentenceEncoder | None) -> Score:
    """The shipped coverage (idea units, overlap, feelings, and vectors if given)."""
    return lambda a, b: match_units(a, b, encoder).coverage


def response_items(rows: Sequence[Utterance], half: str) -> list[tuple[str, str, str]]:
    """(previous client turn, therapist turn, gold label) for every therapist turn."""
    items = []
    last_client: dict[int, str] = {}
    for row in rows:
        if row.speaker == "client":
            last_client[row.transcript] = row.text
        elif in_half(row.transcript, half):
            gold = LABELS.get(row.behaviour, "other")
            items.append((last_client.get(row.transcript, ""), row.text, gold))
    return items


def strip_punctuation(text: str, apostrophes: bool = False) -> str:
    """Text as a recogniser without punctuation would give it."""
    return re.sub(r"[^\w\s]" if apostrophes else r"[^\w\s']", " ", text)


def macro_f1(gold: Sequence[str], guess: Sequence[str]) -> tuple[float, dict[str, float]]:
    """Macro-F1 over reflection / question / advice, and F1 per class."""
    per_class = {}
    for label in CLASSES:
        hit = sum(g == label and p == label for g, p in zip(gold, guess, strict=True))
        guessed = sum(p == label for p in guess)
        real = sum(g == label for g in gold)
        precision = hit / guessed if guessed else 0.0
        recall = hit / real if real else 0.0
        total = precision + recall
        per_class[label] = 2 * precision * recall / total if total else 0.0
    return sum(per_class.values()) / len(CLASSES), per_class


def baseline_type(speaker: str, listener: str) -> str:
    """Baseline: "?" means question, an advice keyword means advice, else reflection."""
    if "?" in listener:
        return "question"
    keywords = ("you should", "you could", "recommend", "suggest", "try")
    return "advice" if any(k in listener.lower() for k in keywords) else "reflection"


def rules_type(encoder: SentenceEncoder | None) -> Callable[[str, str], str]:
    """The word rules alone, with coverage of the previous client turn as a hint."""

    def guess(speaker: str, listener: str) -> str:
        coverage = match_units(speaker, listener, encoder).coverage if speaker else 0.0
        return classify_response(listener, coverage, speaker).main

    return guess


def shipped_type(encoder: SentenceEncoder | None) -> Callable[[str, str], str]:
    """The shipped analysis: the reply classifier with the rules beside it (its
    criticism counts as ``other`` here, as AnnoMI has no such label)."""

    def guess(speaker: str, listener: str) -> str:
        main = analyze_reflection(speaker, listener, encoder=encoder).response_type
        return main if main in CLASSES else "other"

    return guess


def type_scores(
    classify: Callable[[str, str], str], items: Sequence[tuple[str, str, str]]
) -> dict[str, tuple[float, dict[str, float]]]:
    """Macro-F1 as given, without punctuation, and without apostrophes either."""
    gold = [g for _, _, g in items]
    views: dict[str, Callable[[str], str]] = {
        "punctuated": lambda t: t,
        "no punctuation": strip_punctuation,
        "no apostrophes": lambda t: strip_punctuation(t, apostrophes=True),
    }
    return {
        name: macro_f1(gold, [classify(view(s), view(li)) for s, li, _ in items])
        for name, view in views.items()
    }


def speed_ms(items: Sequence[tuple[str, str, str]], count: int) -> float:
    """Mean milliseconds for one full reflection analysis (scorer already loaded)."""
    sample = list(items)[:count]
    encoder = load_encoder()
    analyze_reflection("warm up", "warm up", encoder=encoder)
    start = time.perf_counter()
    for speaker, listener, _ in sample:
        analyze_reflection(speaker, listener, encoder=encoder)
    return (time.perf_counter() - start) * 1000 / max(1, len(sample))


def reply_model_load_ms(runs: int = 5) -> float:
    """Median milliseconds to read and check the reply classifier's weights."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        reply_model.load_weights()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def print_ranking(
    rows: Sequence[Utterance], encoder: SentenceEncoder | None, halves: Sequence[str]
) -> None:
    """The ranking table: every scorer on every half."""
    scorers: dict[str, Score] = {"content-word overlap (baseline)": overlap_score}
    if encoder is not None:
        scorers["MiniLM sentence cosine alone (baseline)"] = embedding_score(encoder)
    scorers["shipped coverage, overlap only"] = coverage_score(None)
    if encoder is not None:
        scorers["shipped coverage (default)"] = coverage_score(encoder)
    print("## Ranking (target: other transcript >= 0.86, same transcript >= 0.77)\n")
    print("| scorer | " + " | ".join(f"{h}: other / same" for h in halves) + " |")
    print("|---|" + "---|" * len(halves))
    items = {h: ranking_items(rows, h) for h in halves}
    for name, score in scorers.items():
        cells = [
            f"{ranking_accuracy(score, items[h][0]):.3f} / "
            f"{ranking_accuracy(score, items[h][1]):.3f}"
            for h in halves
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")
    counts = ", ".join(f"{h} {len(items[h][0]) // DISTRACTORS}" for h in halves)
    print(f"\npairs per half: {counts}")


def print_types(
    rows: Sequence[Utterance], encoder: SentenceEncoder | None, halves: Sequence[str]
) -> None:
    """The response-type tables, one per half."""
    print("\n## Response type, macro-F1 (target >= 0.70 with and without punctuation)")
    classifiers = {
        "'?' + advice keywords (baseline)": baseline_type,
        "word rules alone": rules_type(encoder),
        "shipped (reply classifier and rules)": shipped_type(encoder),
    }
    for half in halves:
        typed = response_items(rows, half)
        print(f"\n{half} half, {len(typed)} therapist turns\n")
        print("| classifier | punctuated | no punctuation | no apostrophes | F1 R / Q / A |")
        print("|---|---|---|---|---|")
        for name, classify in classifiers.items():
            scores = type_scores(classify, typed)
            per = scores["punctuated"][1]
            cells = " | ".join(f"{scores[v][0]:.3f}" for v in scores)
            classes = " / ".join(f"{per[c]:.2f}" for c in CLASSES)
            print(f"| {name} | {cells} | {classes} |")


def subtype_items(folder: Path) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """From dev_full.csv (first annotator of each utterance): reflections with their
    depth (speaker, reflection, simple/complex) and questions with their kind."""
    reflections: list[tuple[str, str, str]] = []
    questions: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    last_client: dict[str, str] = {}
    with (folder / "dev_full.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["transcript_id"], row["utterance_id"])
            if row["interlocutor"] == "client":
                last_client[key[0]] = row["utterance_text"]
                continue
            if key in seen:
                continue
            seen.add(key)
            main = row["main_therapist_behaviour"]
            if main == "reflection" and row["reflection_subtype"] in ("simple", "complex"):
                speaker = last_client.get(key[0], "")
                reflections.append((speaker, row["utterance_text"], row["reflection_subtype"]))
            elif main == "question" and row["question_subtype"] in ("open", "closed"):
                questions.append((row["utterance_text"], row["question_subtype"]))
    return reflections, questions


def print_subtypes(folder: Path) -> None:
    """How well complex reflections and open questions are told apart."""
    reflections, questions = subtype_items(folder)
    depth = [
        (classify_response(li, 0.0, sp).reflection_depth, gold) for sp, li, gold in reflections
    ]
    found = [(guess, gold) for guess, gold in depth if guess]
    right = sum(guess == gold for guess, gold in found) / max(1, len(found))
    guessed = sum(guess == "complex" for guess, _ in found) / max(1, len(found))
    real = sum(gold == "complex" for _, gold in found) / max(1, len(found))
    print("\n## Subtypes (dev_full.csv, first annotator)\n")
    print(
        f"reflection depth, on the {len(found)} of {len(depth)} reflections sorted as "
        f"reflections: accuracy {right:.3f}; complex share {guessed:.2f} (real {real:.2f})"
    )
    kinds = [(classify_response(text).question_kind, gold) for text, gold in questions]
    asked = [(guess, gold) for guess, gold in kinds if guess in ("open", "closed")]
    right = sum(guess == gold for guess, gold in asked) / max(1, len(asked))
    print(
        f"question kind, on the {len(asked)} of {len(kinds)} questions sorted open or "
        f"closed: accuracy {right:.3f}"
    )


def main() -> None:
    """Run every measurement and print Markdown tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="AnnoMI folder")
    parser.add_argument("--quick", action="store_true", help="the check half only")
    parser.add_argument("--types", action="store_true", help="the response-type tables only")
    args = parser.parse_args()
    rows = read_utterances(args.data)
    encoder = load_encoder()
    halves = ("check",) if args.quick else ("tune", "check", "all")
    if args.types:
        print_types(rows, encoder, ("tune", "check"))
        return
    print_ranking(rows, encoder, halves)
    print_types(rows, encoder, halves)
    print_subtypes(args.data)
    pairs = ranking_items(rows, halves[-1])[0][::DISTRACTORS]
    print(f"\n## Speed\n\n{speed_ms(pairs, 200):.2f} ms per pair (full analysis, scorer loaded)")
    print(f"reply classifier load: median {reply_model_load_ms():.0f} ms over five loads")


if __name__ == "__main__":
    main()
