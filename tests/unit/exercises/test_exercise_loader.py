"""Reading exercises from TOML: every rule, every file problem, and fuzzing."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guided_talk.exercises.errors import ExerciseError, Problem
from guided_talk.exercises.fields import EXERCISE_KEYS, PHASE_KEYS, TURN_KEYS
from guided_talk.exercises.loader import (
    BUILTIN_DIR,
    MAX_FILE_BYTES,
    load_exercise,
    load_library,
    parse_exercise,
)
from guided_talk.exercises.model import Exercise, Phase, Turn
from guided_talk.toml_lines import locate_lines
from guided_talk.values import ListenerStyle
from tests.support.fuzzing import FUZZ, toml_literal
from tests.support.paths import REPO

VALID = """\
id = "kind-words"
title = "Kind words"
purpose = "Practise saying and hearing appreciation."
goal = "listening"
audience = ["couple", "workshop"]
roles = ["speaker", "listener"]
rounds = 2
swap_each_round = false
listener_style = "mirror"
safety_note = "Stop whenever you like."
facilitator_notes = "Keep it light."
consent_required = true
safety_check = true

[[phases]]
id = "share"
title = "Share and mirror"
repeat = 2
swap_roles = true

[[phases.turns]]
id = "appreciate"
role = "speaker"
seconds = 60
prompts = ["Tell your partner one thing you valued this week.", "Name a small kindness."]
instructions = "Speak from your own experience."
capture = true
analyses = ["expression"]
warn_before = [10, 30]
ask_rating = false

[[phases.turns]]
id = "mirror"
role = "listener"
seconds = 45
prompts = "Say back what you heard."
analyses = ["reflection"]
reflects = "appreciate"
ask_rating = true

[[phases.turns]]
id = "breathe"
role = "everyone"
seconds = 5
prompts = ["Take a slow breath together."]
capture = false
"""

EXPECTED = Exercise(
    id="kind-words",
    title="Kind words",
    purpose="Practise saying and hearing appreciation.",
    goal="listening",
    audience=("couple", "workshop"),
    roles=("speaker", "listener"),
    rounds=2,
    swap_each_round=False,
    listener_style=ListenerStyle.MIRROR,
    safety_note="Stop whenever you like.",
    facilitator_notes="Keep it light.",
    consent_required=True,
    safety_check=True,
    phases=(
        Phase(
            id="share",
            title="Share and mirror",
            repeat=2,
            swap_roles=True,
            turns=(
                Turn(
                    id="appreciate",
                    role="speaker",
                    seconds=60,
                    prompts=(
                        "Tell your partner one thing you valued this week.",
                        "Name a small kindness.",
                    ),
                    instructions="Speak from your own experience.",
                    capture=True,
                    analyses=("expression",),
                    warn_before=(30, 10),
                    ask_rating=False,
                ),
                Turn(
                    id="mirror",
                    role="listener",
                    seconds=45,
                    prompts=("Say back what you heard.",),
                    analyses=("reflection",),
                    reflects="appreciate",
                    warn_before=(10,),
                    ask_rating=True,
                ),
                Turn(
                    id="breathe",
                    role="everyone",
                    seconds=5,
                    prompts=("Take a slow breath together.",),
                    capture=False,
                    warn_before=(),
                ),
            ),
        ),
    ),
)


def edit(old: str, new: str, text: str = VALID) -> str:
    """Replace one exact line-part of the valid example."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, snippet: str, nth: int = 1) -> int:
    """1-based line of the nth line containing ``snippet``."""
    found = [n for n, line in enumerate(text.split("\n"), start=1) if snippet in line]
    return found[nth - 1]


def problems_of(text: str) -> tuple[Problem, ...]:
    with pytest.raises(ExerciseError) as caught:
        parse_exercise(text, "test.toml")
    return caught.value.problems


def only_problem(text: str) -> Problem:
    problems = problems_of(text)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# The valid example


def test_complete_example_round_trips() -> None:
    assert parse_exercise(VALID, "test.toml") == EXPECTED


def test_load_exercise_sets_source(tmp_path: Path) -> None:
    path = write(tmp_path, "kind.toml", VALID)
    exercise = load_exercise(path)
    assert exercise == EXPECTED
    assert exercise.source == path


def test_defaults_fill_in_optional_keys() -> None:
    text = """\
id = "tiny"
title = "Tiny"
purpose = "A check-in."
goal = "check-in"
audience = ["solo"]
roles = ["speaker"]

[[phases]]
id = "only"
title = "Only"

[[phases.turns]]
id = "talk"
role = "speaker"
seconds = 30
prompts = "How are you, really?"
"""
    exercise = parse_exercise(text, "tiny.toml")
    assert (exercise.rounds, exercise.swap_each_round) == (1, True)
    assert (exercise.listener_style, exercise.safety_note, exercise.facilitator_notes) == (
        "paraphrase",
        "",
        "",
    )
    assert (exercise.consent_required, exercise.safety_check) == (False, False)
    assert (exercise.phases[0].repeat, exercise.phases[0].swap_roles) == (1, False)
    turn = exercise.phases[0].turns[0]
    assert turn == Turn(id="talk", role="speaker", seconds=30, prompts=("How are you, really?",))


def test_short_turn_silently_drops_the_default_warning() -> None:
    exercise = parse_exercise(edit("seconds = 45", "seconds = 10"), "test.toml")
    assert exercise.phases[0].turns[1].warn_before == ()


def test_builtin_library_loads_cleanly() -> None:
    library = load_library(BUILTIN_DIR, None)
    assert library.problems == []
    assert all(exercise.source is not None for exercise in library.exercises.values())


def test_example_in_the_format_reference_is_valid() -> None:
    docs = REPO / "docs" / "EXERCISES.md"
    text = docs.read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    exercise = parse_exercise(example, "EXERCISES.md")
    assert exercise.id == "appreciation-mirror"
    for key in ALL_KEYS:
        assert f"| `{key}` |" in text, f"{key} is not in the reference"


# Problem and ExerciseError


def test_problem_str_with_and_without_line() -> None:
    assert str(Problem("a.toml", 3, "Something is off", "Fix it.")) == (
        "a.toml:3: Something is off. Fix it."
    )
    assert str(Problem("a.toml", None, "Something is off.", "Fix it.")) == (
        "a.toml: Something is off. Fix it."
    )


def test_exercise_error_lists_every_problem_one_per_line() -> None:
    problems = [Problem("a.toml", 1, "One", "Do one."), Problem("a.toml", 2, "Two", "Do two.")]
    error = ExerciseError(problems)
    assert error.problems == tuple(problems)
    assert str(error) == "a.toml:1: One. Do one.\na.toml:2: Two. Do two."


def test_every_problem_is_reported_in_line_order() -> None:
    text = edit("seconds = 45", "seconds = 0", edit('goal = "listening"', 'goal = "listen"'))
    text = edit('title = "Kind words"', "title = 3", text)
    problems = problems_of(text)
    assert [p.line for p in problems] == [
        line_of(text, "title = 3"),
        line_of(text, "goal ="),
        line_of(text, "seconds = 0"),
    ]


# Keys and types


def test_unknown_key_suggests_a_close_one() -> None:
    text = edit("seconds = 45", "secnds = 45")
    problems = problems_of(text)
    unknown = next(p for p in problems if "unknown key" in p.message)
    assert unknown.line == line_of(text, "secnds")
    assert "unknown key 'secnds'" in unknown.message
    assert "Did you mean 'seconds'?" in unknown.hint
    assert any("has no 'seconds'" in p.message for p in problems)


def test_unknown_key_without_a_close_match_lists_the_known_keys() -> None:
    text = edit("repeat = 2", "zebra = 2")
    problem = only_problem(text)
    assert problem.line == line_of(text, "zebra")
    assert "unknown key 'zebra'" in problem.message
    assert "swap_roles" in problem.hint


def test_key_in_the_wrong_table_says_where_it_belongs() -> None:
    text = edit("rounds = 2", "seconds = 2")
    problem = only_problem(text)
    assert problem.line == 7
    assert "under [[phases.turns]]" in problem.hint


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("seconds = 45", "seconds = true", "should be a whole number, but it is true or false"),
        ("seconds = 45", "seconds = 1.5", "should be a whole number, but it is a decimal"),
        ("seconds = 45", 'seconds = "45"', "should be a whole number, but it is text"),
        ('title = "Kind words"', "title = 7", "should be text in quotes"),
        ("capture = true", 'capture = "yes"', "should be true or false"),
        ("rounds = 2", "rounds = 2.0", "should be a whole number"),
        ('audience = ["couple", "workshop"]', 'audience = "couple"', "should be a list"),
        ("warn_before = [10, 30]", "warn_before = 10", "should be a list of whole numbers"),
    ],
)
def test_wrong_type_says_what_was_expected(old: str, new: str, expected: str) -> None:
    text = edit(old, new)
    problem = only_problem(text)
    assert problem.line == line_of(text, new)
    assert expected in problem.message
    assert "Write it like" in problem.hint


def test_missing_required_top_level_key_has_no_line() -> None:
    problem = only_problem(edit('title = "Kind words"\n', ""))
    assert problem.line is None
    assert problem.message == "The exercise has no 'title'"


def test_bad_id_is_explained() -> None:
    problem = only_problem(edit('id = "kind-words"', 'id = "Kind Words"'))
    assert problem.line == 1
    assert "not a valid id" in problem.message
    assert "lowercase" in problem.hint


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('goal = "listening"', 'goal = "listen"', "'listen' in the exercise is not a known goal"),
        ('listener_style = "mirror"', 'listener_style = "echo"', "not a known listener style"),
        (
            'audience = ["couple", "workshop"]',
            'audience = ["couple", "pairs"]',
            "'pairs' in the exercise is not a known audience",
        ),
    ],
)
def test_unknown_choices_list_the_known_ones(old: str, new: str, expected: str) -> None:
    text = edit(old, new)
    problem = only_problem(text)
    assert problem.line == line_of(text, new)
    assert expected in problem.message
    assert "Use one of:" in problem.hint


def test_out_of_range_rounds_and_repeat() -> None:
    text = edit("repeat = 2", "repeat = 51", edit("rounds = 2", "rounds = 0"))
    rounds, repeat = problems_of(text)
    assert (rounds.line, repeat.line) == (line_of(text, "rounds"), line_of(text, "repeat"))
    assert "must be from 1 to 20" in rounds.message
    assert "must be from 1 to 50" in repeat.message


# Roles


def test_missing_role_points_at_the_turn() -> None:
    text = edit('role = "listener"\n', "")
    problem = only_problem(text)
    assert problem.line == line_of(text, "[[phases.turns]]", nth=2)
    assert problem.message == "Turn 'mirror' in phase 'share' has no 'role'"


def test_role_not_in_the_exercise_lists_its_roles() -> None:
    text = edit('role = "listener"', 'role = "listner"')
    problem = only_problem(text)
    assert problem.line == line_of(text, "listner")
    assert "not one of the exercise's roles (speaker, listener)" in problem.message
    assert "Did you mean 'listener'?" in problem.hint


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ('["speaker", "everyone"]', "'everyone' is reserved"),
        ('["speaker", "speaker"]', "listed twice"),
        ('["a", "b", "c", "d", "e"]', "at most 4 are allowed"),
        ('["Speaker"]', "not a valid name"),
        ("[]", "is an empty list"),
    ],
)
def test_bad_roles(roles: str, expected: str) -> None:
    text = edit('roles = ["speaker", "listener"]', f"roles = {roles}")
    problem = only_problem(text)
    assert problem.line == line_of(text, "roles =")
    assert expected in problem.message


# Durations and warnings


@pytest.mark.parametrize("seconds", ["0", "-5"])
def test_zero_or_negative_seconds(seconds: str) -> None:
    text = edit("seconds = 45", f"seconds = {seconds}")
    problem = only_problem(text)
    assert problem.line == line_of(text, f"seconds = {seconds}")
    assert "must be at least 1 second" in problem.message


def test_absurd_seconds_suggests_minutes_were_meant() -> None:
    text = edit("seconds = 45", "seconds = 6000")
    problem = only_problem(text)
    assert problem.line == line_of(text, "6000")
    assert "absurd" in problem.message
    assert "100 minutes" in problem.hint
    assert "seconds = 120" in problem.hint


@pytest.mark.parametrize(
    ("warn", "expected"),
    [
        (
            "[10, 60]",
            "Entry 2 of 'warn_before' in turn 'appreciate' in phase 'share' is 60, "
            "but the turn only lasts 60 seconds",
        ),
        ("[0]", "at least 1 second before the end"),
        ('[10, "5"]', "Entry 2 of 'warn_before' in turn 'appreciate' in phase 'share' is text"),
    ],
)
def test_bad_warnings(warn: str, expected: str) -> None:
    text = edit("warn_before = [10, 30]", f"warn_before = {warn}")
    problem = only_problem(text)
    assert problem.line == line_of(text, "warn_before")
    assert expected in problem.message


# Prompts


def test_duplicate_prompts_anywhere_in_the_exercise() -> None:
    text = edit('"Take a slow breath together."', '"say back what you  heard."')
    problem = only_problem(text)
    assert problem.line == line_of(text, "say back what you  heard")
    assert "repeats the one on line" in problem.message
    assert str(line_of(text, "Say back what you heard")) in problem.message


@pytest.mark.parametrize("prompts", ['""', "[]", '["Hello", " "]', "[3]"])
def test_empty_or_wrong_prompts(prompts: str) -> None:
    text = edit('prompts = "Say back what you heard."', f"prompts = {prompts}")
    problem = only_problem(text)
    assert problem.line == line_of(text, "prompts = " + prompts)


def test_prompt_lines_point_into_multiline_lists() -> None:
    text = edit(
        '["Take a slow breath together."]',
        '[\n  "Take a slow breath together.",\n  "",\n]',
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, '  "",')
    assert "Entry 2 of 'prompts'" in problem.message


# Analyses and reflects


def test_unknown_analysis_lists_the_known_ones() -> None:
    text = edit('analyses = ["reflection"]', 'analyses = ["reflexion"]')
    problem = only_problem(text)
    assert problem.line == line_of(text, "reflexion")
    assert "'reflexion'" in problem.message
    assert "Use one of: reflection, expression." in problem.hint
    assert "Did you mean 'reflection'?" in problem.hint


def test_everyone_turn_cannot_have_analyses() -> None:
    text = edit("capture = false", 'capture = true\nanalyses = ["expression"]')
    problem = only_problem(text)
    assert problem.line == line_of(text, 'analyses = ["expression"]', nth=2)
    assert "is for everyone, so it cannot have analyses" in problem.message


def test_analyses_need_capture() -> None:
    text = edit("capture = true", "capture = false")
    problem = only_problem(text)
    assert "does not record speech" in problem.message


@pytest.mark.parametrize("target", ["mirror", "nobody"])
def test_reflects_must_name_an_earlier_turn(target: str) -> None:
    text = edit('reflects = "appreciate"', f'reflects = "{target}"')
    problem = only_problem(text)
    assert problem.line == line_of(text, "reflects")
    assert "neither an earlier turn in the same phase" in problem.message
    assert "appreciate" in problem.hint


def test_a_summary_may_reflect_a_turn_of_an_earlier_phase() -> None:
    summary = (
        '\n[[phases]]\nid = "close"\ntitle = "Sum up"\n\n[[phases.turns]]\n'
        'id = "summary"\nrole = "listener"\nseconds = 60\nprompts = "Sum it all up."\n'
        'analyses = ["reflection"]\nreflects = "share.appreciate"\n'
    )
    exercise = parse_exercise(VALID + summary, "x.toml")
    assert exercise.phases[1].turns[0].reflects == "share.appreciate"
    bad = (VALID + summary).replace("share.appreciate", "share.nothing")
    assert "share.appreciate" in only_problem(bad).hint


# Phases and turns


def test_duplicate_phase_ids() -> None:
    extra = (
        '\n[[phases]]\nid = "share"\ntitle = "Again"\n\n[[phases.turns]]\n'
        'id = "more"\nrole = "speaker"\nseconds = 20\nprompts = "One more thing?"\n'
    )
    text = VALID + extra
    problem = only_problem(text)
    assert problem.line == line_of(text, 'id = "share"', nth=2)
    assert problem.message == "Two phases have the same id 'share'"
    first = line_of(text, 'id = "share"')
    assert f"The other one is on line {first}" in problem.hint


def test_duplicate_turn_ids() -> None:
    text = edit('id = "breathe"', 'id = "mirror"')
    problem = only_problem(text)
    assert problem.line == line_of(text, 'id = "mirror"', nth=2)
    assert problem.message == "Two turns have the same id 'mirror'"


def test_missing_and_empty_tables() -> None:
    no_phases = VALID.split("[[phases]]")[0]
    problem = only_problem(no_phases)
    assert problem.message == "The exercise has no 'phases'"
    assert "[[phases]]" in problem.hint
    not_tables = no_phases + 'phases = ["one"]\n'
    assert "should be a list of tables" in only_problem(not_tables).message
    no_turns = no_phases + '[[phases]]\nid = "p"\ntitle = "P"\nturns = []\n'
    problem = only_problem(no_turns)
    assert problem.message == "Phase 'p' has no turns"
    assert problem.line == line_of(no_turns, "turns = []")


# Not an exercise at all


def test_not_toml_reports_the_line() -> None:
    text = VALID.replace('title = "Kind words"', 'title = "Kind words')
    problem = only_problem(text)
    assert problem.line == 2
    assert problem.message.startswith("This is not valid TOML")
    assert "(at line" not in problem.message


def test_empty_text() -> None:
    problem = only_problem("  \n\t\n")
    assert problem.message == "The file is empty"


# Files


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExerciseError) as caught:
        load_exercise(tmp_path / "nope.toml")
    (problem,) = caught.value.problems
    assert problem.source == str(tmp_path / "nope.toml")
    assert problem.message == "There is no file here"


def test_folder_is_not_an_exercise(tmp_path: Path) -> None:
    with pytest.raises(ExerciseError, match="This is a folder, not an exercise file"):
        load_exercise(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ExerciseError, match=r"empty\.toml: The file is empty"):
        load_exercise(write(tmp_path, "empty.toml", "\n   \n"))


def test_invalid_utf8_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b'id = "x"\ntitle = "caf\xe9"\n')
    with pytest.raises(ExerciseError) as caught:
        load_exercise(path)
    (problem,) = caught.value.problems
    assert problem.line == 2
    assert "not valid UTF-8" in problem.message


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    assert load_exercise(path) == EXPECTED


def test_huge_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    monkeypatch.setattr(Path, "open", lambda *_a, **_k: pytest.fail("the file was opened"))
    with pytest.raises(ExerciseError) as caught:
        load_exercise(path)
    (problem,) = caught.value.problems
    assert "50.0 MiB, over the 1 MiB limit" in problem.message
    assert MAX_FILE_BYTES == 1024 * 1024


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    with pytest.raises(ExerciseError, match="not a regular file"):
        load_exercise(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.toml", VALID)
    path.chmod(0)
    with pytest.raises(ExerciseError, match="permission"):
        load_exercise(path)


# Library


def test_duplicate_ids_in_one_folder_keep_the_first(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", VALID)
    second = write(tmp_path, "b.toml", "# same id again\n" + VALID)
    library = load_library(tmp_path, None)
    assert list(library.exercises) == ["kind-words"]
    assert library.exercises["kind-words"].source == tmp_path / "a.toml"
    (problem,) = library.problems
    assert (problem.source, problem.line) == (str(second), 2)
    assert "Duplicate id 'kind-words'" in problem.message
    assert "a.toml" in problem.message
    assert "b.toml" in problem.hint


def test_user_exercise_overrides_builtin(tmp_path: Path) -> None:
    builtin = tmp_path / "builtin"
    write(builtin, "kind.toml", VALID)
    write(builtin, "other.toml", edit('id = "kind-words"', 'id = "other"'))
    user = write(tmp_path / "user", "mine.toml", edit("rounds = 2", "rounds = 3"))
    library = load_library(builtin, user.parent)
    assert library.problems == []
    assert list(library.exercises) == ["kind-words", "other"]
    assert library.exercises["kind-words"].rounds == 3
    assert library.exercises["kind-words"].source == user


def test_broken_user_file_is_skipped_and_reported(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write(user, "good.toml", VALID)
    broken = write(user, "broken.toml", edit("seconds = 45", "seconds = 0"))
    write(user, ".#good.toml", "editor lock file")
    library = load_library(tmp_path / "no-builtins", user)
    assert list(library.exercises) == ["kind-words"]
    (problem,) = library.problems
    assert problem.source == str(broken)


def test_links_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = write(tmp_path / "elsewhere", "far.toml", VALID)
    user = tmp_path / "user"
    user.mkdir()
    (user / "far.toml").symlink_to(outside)
    write(user, "near.toml", edit('id = "kind-words"', 'id = "near"'))
    (user / "alias.toml").symlink_to(user / "near.toml")
    library = load_library(tmp_path / "none", user)
    messages = [p.message for p in library.problems]
    assert any("outside the exercises folder" in m for m in messages)
    assert "kind-words" not in library.exercises
    assert "near" in library.exercises


def test_missing_user_folder_is_fine(tmp_path: Path) -> None:
    library = load_library(tmp_path / "a", tmp_path / "b")
    assert (library.exercises, library.problems) == ({}, [])


# Locating lines


def test_locator_follows_tables_quotes_dots_and_multiline_values() -> None:
    text = (
        'top = "x"\n'  # 1
        '"quoted key" = 1\n'  # 2
        "a.'b c'.d = 2\n"  # 3
        'notes = """\n'  # 4
        "fake = 1\n"  # 5
        "[[phases]]\n"  # 6
        '"""\n'  # 7
        "[[phases]]\n"  # 8
        "[[phases]]\n"  # 9
        "[[phases.turns]]\n"  # 10
        "seconds = 3\n"  # 11
        "list = [\n"  # 12
        "  1, # [not, an, item]\n"  # 13
        "  { x = 2 },\n"  # 14
        "]\n"  # 15
    )
    lines = locate_lines(text)
    assert lines.line(("quoted key",)) == 2
    assert lines.line(("a", "b c", "d")) == 3
    assert lines.line(("fake",)) is None
    assert lines.line(("phases", 0)) == 8
    assert lines.line(("phases", 1, "turns", 0, "seconds")) == 11
    assert lines.line(("phases", 1, "turns", 0, "list", 1, "x")) == 14
    assert lines.line(("phases", 1, "turns", 0, "nothing", 3)) == 10
    assert lines.line(("nowhere",)) is None


# Fuzzing: nothing but ExerciseError ever escapes

ALL_KEYS = sorted({*EXERCISE_KEYS, *PHASE_KEYS, *TURN_KEYS})
_plausible = st.sampled_from(
    ["speaker", "listener", "everyone", "reflection", "couple", "listening", "mirror", "a", ""]
)
_scalars = st.one_of(
    _plausible,
    st.text(max_size=12),
    st.integers(-10, 5000),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)
_keys = st.one_of(st.sampled_from(ALL_KEYS), st.text(min_size=1, max_size=8))
_turns = st.dictionaries(_keys, _values, max_size=8)
_phases = st.builds(
    lambda d, t: {**d, "turns": t},
    st.dictionaries(_keys, _values, max_size=4),
    st.lists(_turns, max_size=3),
)
_exercises = st.builds(
    lambda d, p: {**d, "phases": p},
    st.dictionaries(_keys, _values, max_size=10),
    st.lists(_phases, max_size=3),
)


def _to_toml(data: dict[str, Any], prefix: str = "") -> str:
    """Serialise simply: scalars and lists inline, lists of tables as [[...]]."""
    lines: list[str] = []
    tables: list[tuple[str, list[dict[str, Any]]]] = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables.append((key, value))
        else:
            lines.append(f"{json.dumps(key, ensure_ascii=False)} = {toml_literal(value)}")
    for key, items in tables:
        name = f"{prefix}.{json.dumps(key)}" if prefix else json.dumps(key)
        for item in items:
            lines += [f"[[{name}]]", _to_toml(item, name)]
    return "\n".join(lines) + "\n"


def _check_only_exercise_errors(text: str) -> None:
    try:
        parse_exercise(text, "fuzz.toml")
    except ExerciseError as error:
        assert error.problems
        last_line = text.count("\n") + 1
        for problem in error.problems:
            assert problem.line is None or 1 <= problem.line <= last_line
            assert str(problem).startswith("fuzz.toml")


@FUZZ
@given(st.text(max_size=200))
def test_arbitrary_text_raises_only_exercise_error(text: str) -> None:
    locate_lines(text)
    _check_only_exercise_errors(text)


@pytest.mark.slow
@FUZZ
@given(_exercises)
def test_arbitrary_toml_raises_only_exercise_error(data: dict[str, Any]) -> None:
    _check_only_exercise_errors(_to_toml(data))


def test_echoes_must_name_an_earlier_turn_in_the_phase() -> None:
    good = VALID.replace(
        'prompts = "Say back what you heard."', 'prompts = "Say back what you heard."\necho = 1', 1
    )
    assert "echo" in only_problem(good).message
    fine = VALID.replace(
        'reflects = "appreciate"', 'reflects = "appreciate"\nechoes = "appreciate"'
    )
    assert parse_exercise(fine, "x.toml").phases[0].turns[1].echoes == "appreciate"
    bad = VALID.replace('reflects = "appreciate"', 'reflects = "appreciate"\nechoes = "breathe"')
    assert "not an earlier turn in the same phase" in only_problem(bad).message


def test_end_after_silence_is_whole_seconds_within_reason() -> None:
    anchor = 'reflects = "appreciate"'
    bad = VALID.replace(anchor, f"{anchor}\nend_after_silence = 99")
    assert "must be from 0 to 30" in only_problem(bad).message
    good = VALID.replace(anchor, f"{anchor}\nend_after_silence = 3")
    assert parse_exercise(good, "x.toml").phases[0].turns[1].end_after_silence == 3
