"""The feedback benchmark on real counselling dialogues (skipped without ../shared).

Floors sit a little under the measured numbers in docs/BENCHMARKS.md, so a change
that makes the analyses worse fails here. The issue's ranking and response-type
targets are not met yet; each is recorded as an expected failure so the gap stays
visible. Speed is measured by scripts/bench_feedback.py, not here.
"""

from __future__ import annotations

import pytest

bench = pytest.importorskip("bench_feedback")

if not (bench.DEFAULT_DATA / "dev_simple.csv").exists():
    pytest.skip("the AnnoMI measuring data is not here", allow_module_level=True)

from guided_talk.feedback.semantic import load_encoder  # noqa: E402

pytestmark = pytest.mark.model  # loads the sentence model

HALF = "check"


@pytest.fixture(scope="module")
def rows() -> list[object]:
    return list(bench.read_utterances(bench.DEFAULT_DATA))


@pytest.fixture(scope="module")
def ranking(rows: list[object]) -> dict[str, tuple[float, float]]:
    encoder = load_encoder()
    if encoder is None:
        pytest.skip("the sentence model is not installed")
    other, same = bench.ranking_items(rows, HALF)
    scorers = {
        "overlap": bench.overlap_score,
        "embedding": bench.embedding_score(encoder),
        "shipped": bench.coverage_score(encoder),
    }
    return {
        name: (bench.ranking_accuracy(score, other), bench.ranking_accuracy(score, same))
        for name, score in scorers.items()
    }


@pytest.fixture(scope="module")
def types(rows: list[object]) -> dict[str, float]:
    items = bench.response_items(rows, HALF)
    scores = bench.type_scores(bench.shipped_type(load_encoder()), items)
    return {view: macro for view, (macro, _) in scores.items()}


def test_coverage_ranks_the_real_reflection_first(ranking: dict[str, tuple[float, float]]) -> None:
    other, same = ranking["shipped"]
    assert other >= 0.84 and same >= 0.73
    assert other > ranking["overlap"][0] and same > ranking["overlap"][1]
    # The mixed signals beat the sentence model's plain cosine on both distractor kinds.
    assert other > ranking["embedding"][0] and same > ranking["embedding"][1]


def test_response_types_beat_the_baseline_with_and_without_punctuation(
    types: dict[str, float],
) -> None:
    assert types["punctuated"] >= 0.63
    assert types["no punctuation"] >= 0.60


@pytest.mark.xfail(
    reason="the ranking target is not reached yet; see docs/BENCHMARKS.md", strict=False
)
def test_the_ranking_target(ranking: dict[str, tuple[float, float]]) -> None:
    other, same = ranking["shipped"]
    assert other >= 0.86 and same >= 0.77


@pytest.mark.xfail(
    reason="the response-type target is not reached yet; see docs/BENCHMARKS.md", strict=False
)
def test_the_response_type_target(types: dict[str, float]) -> None:
    assert types["punctuated"] >= 0.70 and types["no punctuation"] >= 0.70
