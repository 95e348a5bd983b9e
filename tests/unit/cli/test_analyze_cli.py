"""``guided-talk analyze``: one reflection, a stream of JSON lines, one statement."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guided_talk.cli.analyze_cmd import answer_line, answer_lines
from guided_talk.cli.main import main
from guided_talk.feedback import semantic
from guided_talk.feedback.findings import MAIN_TYPES
from tests.support.fuzzing import FUZZ

pytestmark = pytest.mark.model  # loads the sentence model

SPEAKER = "I feel worried about my job. My boss keeps changing the deadlines."
LISTENER = "So work has you worried because the deadlines keep moving. Did I get that?"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_reflection_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "analyze", "reflection", "--speaker", SPEAKER, "--listener", LISTENER
    )
    assert code == 0
    assert out.startswith("Covered ") and "[captured] My boss keeps changing the deadlines" in out
    assert '<- "' in out and "did i get that" in out


def test_reflection_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "analyze", "reflection", "--speaker", SPEAKER, "--listener", LISTENER,
        "--style", "mirror", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["listener_style"] == "mirror"
    assert 0 <= data["coverage"] <= 1 and data["response_type"] == "reflection"
    assert {"units", "feelings", "stems", "parroting", "notes", "mixed"} <= set(data)


def test_an_empty_speaker_is_a_kind_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "analyze", "reflection", "--speaker", " ", "--listener", "x")
    assert code == 1 and "speaker" in err and "hint:" in err


def test_expression_as_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    text = "I feel that you never listen to me."
    code, out, _ = run(capsys, "analyze", "expression", "--text", text)
    assert code == 0 and "names a thought" in out and "try: I feel" in out
    code, out, _ = run(capsys, "analyze", "expression", "--text", text, "--seconds", "5", "--json")
    data = json.loads(out)
    assert code == 0 and data["feeling_kind"] == "thought" and data["pace"] == "slow"
    code, _, err = run(capsys, "analyze", "expression", "--text", text, "--seconds", "0")
    assert code == 1 and "seconds" in err


def test_jsonl_answers_every_line_and_survives_bad_ones(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        json.dumps({"id": "a", "speaker": SPEAKER, "listener": LISTENER}),
        "this is not json",
        json.dumps({"id": 7, "speaker": SPEAKER}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"speaker": "I'm tired.", "listener": "You should sleep more."}),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, _ = run(capsys, "analyze", "reflections", "--format", "jsonl")
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(answers) == 5
    by_id = {a["id"]: a for a in answers}
    assert by_id["a"]["response_type"] == "reflection" and 0 < by_id["a"]["coverage"] <= 1
    assert "not valid JSON" in by_id[2]["error"] and by_id[2]["line"] == 2
    assert '"listener" must be a string' in by_id[7]["error"]
    assert "expected an object" in by_id[5]["error"]
    assert by_id[6]["response_type"] == "advice"  # no id: the line number stands in
    assert semantic._load_encoder.cache_info().misses <= 1  # the scorer is loaded once


@pytest.mark.slow
@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            st.text(max_size=80),
            st.fixed_dictionaries(
                {"id": st.integers() | st.text(max_size=5), "speaker": st.text(max_size=80)},
                optional={"listener": st.text(max_size=80) | st.integers()},
            ).map(json.dumps),
        ),
        max_size=5,
    )
)
def test_jsonl_gives_one_answer_per_line_whatever_comes_in(lines: list[str]) -> None:
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    answers = [json.loads(a) for a in answer_lines(lines)]
    assert len(answers) == sum(1 for line in lines if line.strip())
    for answer in answers:
        assert "id" in answer
        if "error" not in answer:
            assert answer["response_type"] in MAIN_TYPES and 0 <= answer["coverage"] <= 1


def test_a_deeply_nested_line_is_an_error_not_a_crash() -> None:
    answer = answer_line("[" * 100_000 + "]" * 100_000, 3)
    assert answer["id"] == 3 and "error" in answer


def test_the_real_command_streams_jsonl() -> None:
    pairs = "".join(
        json.dumps({"id": i, "speaker": SPEAKER, "listener": LISTENER}) + "\n" for i in range(3)
    )
    done = subprocess.run(
        [sys.executable, "-m", "guided_talk", "analyze", "reflections", "--format", "jsonl"],
        input=pairs + "{oops\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0 and done.stderr == ""
    assert sorted(str(a["id"]) for a in answers) == ["0", "1", "2", "4"]
