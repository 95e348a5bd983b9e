#!/usr/bin/env python3
"""Measure the speech engines on recorded English speech with reference transcripts.

For each engine configuration, in a fresh child process of its own (so peak memory
figures do not mix), it reports:

- WER: word-level Levenshtein distance over the reference word count, summed over
  all clips, with the same normalisation on both sides (``guided_talk.speech.scoring``:
  lower case, no punctuation, digits as words, gonna/wanna spelled out, hmm/mm/mhm
  as "hm", erm as "um").
- RTF: processing seconds over audio seconds with the model already loaded; each
  clip runs ``--repeats`` times (default 3) and its median counts.
- load: seconds for ``Recognizer.load()``.
- peak RSS: ``ru_maxrss`` of the child at the end.
- filler recall: of the reference's um/uh/hm, the share found in the hypothesis
  (multiset count per clip); "extra" counts fillers the hypothesis adds.

The data folder (``--data``, default ``../shared/data/speech``) holds the audio and
a ``manifest.json`` of ``{"clips": [{"file": ..., "reference": ...}]}``. Run it
alone, nothing else heavy at the same time:

    python scripts/bench_asr.py [--json] [--show-errors]

``--decode`` compares decoding settings: a JSON object of faster-whisper
``transcribe`` options that replace the recogniser's own for the Whisper
configurations, for example ``--only whisper-tiny.en --decode '{"beam_size": 1}'``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from guided_talk.speech.recognizers import Recognizer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "speech"
FILLERS = ("um", "uh", "hm")


@dataclass(frozen=True)
class Config:
    """One engine set-up to measure."""

    label: str
    engine: str
    model: str = ""
    filler_prompt: bool = True
    skip_non_speech: bool | None = None  # None: the recogniser's own default


CONFIGS: dict[str, Config] = {
    "whisper-tiny.en": Config(
        "whisper tiny.en, beam 5, filler prompt (app default)", "whisper", "tiny.en"
    ),
    "whisper-tiny.en-vad": Config(
        "whisper tiny.en, beam 5, filler prompt, VAD", "whisper", "tiny.en", True, True
    ),
    "whisper-tiny.en-plain": Config(
        "whisper tiny.en, beam 5, no prompt", "whisper", "tiny.en", False
    ),
    "whisper-base": Config("whisper base, beam 5, filler prompt, VAD", "whisper", "base"),
    "whisper-base-novad": Config(
        "whisper base, beam 5, filler prompt, no VAD", "whisper", "base", True, False
    ),
    "whisper-base-plain": Config("whisper base, beam 5, no prompt", "whisper", "base", False),
    "sphinx": Config("sphinx (PocketSphinx en-US)", "sphinx"),
}


@dataclass
class ClipResult:
    """One clip under one configuration."""

    file: str
    seconds: float
    reference: str
    hypothesis: str
    errors: int
    reference_words: int
    processing_seconds: float
    filler_hits: int
    filler_total: int
    filler_extra: int


def read_manifest(data: Path) -> list[tuple[Path, str]]:
    """The clips of the data folder with their reference transcripts."""
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    return [(data / clip["file"], clip["reference"]) for clip in manifest["clips"]]


def filler_counts(reference: list[str], hypothesis: list[str]) -> tuple[int, int, int]:
    """Fillers found, fillers in the reference, and fillers the hypothesis adds."""
    ref = Counter(word for word in reference if word in FILLERS)
    hyp = Counter(word for word in hypothesis if word in FILLERS)
    hits = sum(min(count, hyp[word]) for word, count in ref.items())
    extra = sum(max(0, count - ref[word]) for word, count in hyp.items())
    return hits, sum(ref.values()), extra


def make_engine(config: Config, decode: dict[str, Any] | None = None) -> Recognizer:
    """The recogniser for ``config``, not yet loaded (raises ModelNotFound)."""
    from guided_talk.speech.models import model_path
    from guided_talk.speech.recognizers import WhisperRecognizer, make_recognizer

    if config.engine != "whisper":
        return make_recognizer(config.engine)
    model_path(config.model)  # fails early when missing; joins base's halves once
    return WhisperRecognizer(
        config.model,
        keep_fillers=config.filler_prompt,
        skip_non_speech=config.skip_non_speech,
        decode_options=decode,
    )


def measure_clip(engine: Recognizer, path: Path, reference: str, repeats: int) -> ClipResult:
    """Transcribe one clip ``repeats`` times; keep the median time."""
    from guided_talk.speech.decode import read_audio
    from guided_talk.speech.scoring import normalise, word_errors

    clip = read_audio(path)
    timings: list[float] = []
    hypothesis = ""
    for _ in range(repeats):
        start = time.perf_counter()
        hypothesis = engine.transcribe(clip)
        timings.append(time.perf_counter() - start)
    ref_words, hyp_words = normalise(reference), normalise(hypothesis)
    hits, total, extra = filler_counts(ref_words, hyp_words)
    return ClipResult(
        file=path.name,
        seconds=clip.seconds,
        reference=reference,
        hypothesis=hypothesis,
        errors=word_errors(ref_words, hyp_words),
        reference_words=len(ref_words),
        processing_seconds=statistics.median(timings),
        filler_hits=hits,
        filler_total=total,
        filler_extra=extra,
    )


def run_config(
    name: str, data: Path, repeats: int, decode: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Measure one configuration in this process (the child's job)."""
    from guided_talk.speech.decode import read_audio
    from guided_talk.speech.models import ModelNotFound

    config = labelled(CONFIGS[name], decode)
    clips = read_manifest(data)
    try:
        engine = make_engine(config, decode)
    except ModelNotFound as error:
        return {"name": name, "label": config.label, "skipped": str(error)}
    rss_before = peak_rss_mib()
    start = time.perf_counter()
    engine.load()
    load_seconds = time.perf_counter() - start
    engine.transcribe(read_audio(clips[0][0]))  # warm-up, not timed
    results = [measure_clip(engine, path, reference, repeats) for path, reference in clips]
    return summarise(name, config, results, load_seconds, rss_before)


def labelled(config: Config, decode: dict[str, Any] | None) -> Config:
    """``config`` with the decoding options it runs with in its label."""
    if not decode or config.engine != "whisper":
        return config
    return replace(config, label=f"{config.label}; {json.dumps(decode)}")


def summarise(
    name: str, config: Config, results: list[ClipResult], load_seconds: float, rss_before: float
) -> dict[str, Any]:
    """Totals over all clips, plus every clip's details."""
    audio = sum(r.seconds for r in results)
    fillers = sum(r.filler_total for r in results)
    return {
        "name": name,
        "label": config.label,
        "clips": len(results),
        "audio_seconds": round(audio, 2),
        "reference_words": sum(r.reference_words for r in results),
        "wer": sum(r.errors for r in results) / sum(r.reference_words for r in results),
        "rtf": sum(r.processing_seconds for r in results) / audio,
        "load_seconds": load_seconds,
        "peak_rss_mib": peak_rss_mib(),
        "rss_before_load_mib": rss_before,
        "filler_recall": sum(r.filler_hits for r in results) / fillers if fillers else None,
        "filler_total": fillers,
        "filler_extra": sum(r.filler_extra for r in results),
        "per_clip": [asdict(r) for r in results],
    }


def peak_rss_mib() -> float:
    """This process's peak resident memory in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(
    name: str, data: Path, repeats: int, decode: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run one configuration in a fresh Python process and read its JSON."""
    command = [sys.executable, __file__, "--child", name, "--data", str(data)]
    command += ["--repeats", str(repeats)]
    if decode:
        command += ["--decode", json.dumps(decode)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"name": name, "label": labelled(CONFIGS[name], decode).label, "failed": tail[0]}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def table(results: list[dict[str, Any]]) -> str:
    """A Markdown table of the totals."""
    rows = [
        "| configuration | WER | RTF | load (s) | peak RSS (MiB) | filler recall | extra fillers |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        if "wer" not in r:
            why = r.get("skipped") or r.get("failed")
            rows.append(f"| {r['label']} | not run: {why} | | | | | |")
            continue
        recall = (
            "n/a"
            if r["filler_recall"] is None
            else (
                f"{r['filler_recall']:.0%} ({round(r['filler_recall'] * r['filler_total'])}"
                f"/{r['filler_total']})"
            )
        )
        rows.append(
            f"| {r['label']} | {r['wer']:.1%} | {r['rtf']:.3f} | {r['load_seconds']:.2f} "
            f"| {r['peak_rss_mib']:.0f} | {recall} | {r['filler_extra']} |"
        )
    return "\n".join(rows)


def clip_errors(results: list[dict[str, Any]]) -> str:
    """Every clip with errors: reference and hypothesis side by side."""
    lines: list[str] = []
    for r in results:
        wrong = [c for c in r.get("per_clip", []) if c["errors"]]
        lines.append(f"\n{r['label']}: {len(wrong)} clips with errors")
        for c in wrong:
            lines.append(f"  {c['file']} ({c['errors']} errors)")
            lines.append(f"    ref: {c['reference']}")
            lines.append(f"    hyp: {c['hypothesis']}")
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="speech folder")
    parser.add_argument("--repeats", type=int, default=3, help="runs per clip (median)")
    parser.add_argument("--only", choices=sorted(CONFIGS), action="append", help="a config")
    parser.add_argument("--json", action="store_true", help="print JSON, not a table")
    parser.add_argument("--show-errors", action="store_true", help="list clips with errors")
    parser.add_argument(
        "--decode", type=json.loads, help="JSON of faster-whisper options for whisper configs"
    )
    parser.add_argument("--child", choices=sorted(CONFIGS), help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> int:
    """Measure every configuration, one child process at a time."""
    args = parse_args()
    if not (args.data / "manifest.json").is_file():
        print(f"bench_asr: no manifest.json in {args.data} (use --data)", file=sys.stderr)
        return 1
    if args.child:
        print(json.dumps(run_config(args.child, args.data, max(1, args.repeats), args.decode)))
        return 0
    results = []
    for name in args.only or list(CONFIGS):
        print(f"bench_asr: measuring {name} ...", file=sys.stderr, flush=True)
        results.append(run_child(name, args.data, max(1, args.repeats), args.decode))
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    first = next((r for r in results if "clips" in r), None)
    if first:
        print(
            f"{first['clips']} clips, {first['audio_seconds']} s of audio, "
            f"{first['reference_words']} reference words, {first['filler_total']} fillers\n"
        )
    print(table(results))
    if args.show_errors:
        print(clip_errors(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
