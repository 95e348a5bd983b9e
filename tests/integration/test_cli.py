"""The command line: help, version, exit codes, and each command on a real store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from guided_talk import __version__
from guided_talk.cli.main import main
from guided_talk.paths import database_path
from tests.support.paths import REPO

COMMANDS = ["exercises", "history", "export", "forget", "demo"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_no_arguments_without_a_terminal_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    # Under pytest there is no terminal; the app itself is tested with Pilot and tmux.
    code, out, err = run(capsys)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "guided-talk: the app needs a terminal to run in",
        "hint: see `guided-talk --help` for commands",
    ]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert f"usage: guided-talk {command}" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_version_and_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "guided_talk", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == f"guided-talk {__version__}"


def test_exercises_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exercises", "list")
    assert code == 0 and "mirroring-dialogue" in out
    code, out, _ = run(capsys, "exercises", "show", "mirroring-dialogue")
    assert code == 0 and "Share and mirror (x3)" in out and "Safety:" in out


def test_unknown_exercise_is_one_line_and_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "exercises", "show", "nope")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "guided-talk: there is no exercise called 'nope'",
        "hint: see `guided-talk exercises list`",
    ]


def test_validate_reports_each_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = REPO / "guided_talk/exercises/library/opening-ritual.toml"
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\ntitle = 3\n')
    code, out, err = run(capsys, "exercises", "validate", str(good), str(bad))
    assert code == 1
    assert "opening-ritual.toml: ok" in out
    assert f"{bad}:2:" in err


def test_user_exercise_is_listed_as_custom(capsys: pytest.CaptureFixture[str]) -> None:
    source = REPO / "guided_talk/exercises/library/gentle-start-up.toml"
    folder = Path(str(database_path().parent).replace("data", "config")) / "exercises"
    folder.mkdir(parents=True)
    text = source.read_text().replace('id = "gentle-start-up"', 'id = "my-own"')
    (folder / "mine.toml").write_text(text)
    _, out, _ = run(capsys, "exercises", "list")
    assert "my-own" in out and "(custom)" in out


def test_demo_history_export_forget(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "demo", "--quiet")
    assert code == 0 and "reflect-back" in out and "covered" in out
    session_id = out.strip().splitlines()[-1].split()[3].rstrip(".")
    code, out, _ = run(capsys, "history")
    assert code == 0 and session_id in out and "Mirroring dialogue" in out
    code, out, _ = run(capsys, "export", session_id[:6], "--format", "json")
    assert code == 0 and json.loads(out)["session"]["id"] == session_id
    target = tmp_path / "out.md"
    code, out, _ = run(capsys, "export", session_id, "-o", str(target))
    assert code == 0 and "Sunday walk" in target.read_text()
    code, _, err = run(capsys, "export", session_id, "-o", str(database_path()))
    assert code == 1 and err.startswith("guided-talk: ")
    code, out, _ = run(capsys, "forget", session_id)
    assert code == 0 and "Forgot session" in out
    code, _, err = run(capsys, "export", session_id)
    assert code == 1 and "hint:" in err


def test_forget_all_needs_confirmation(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "demo", "--quiet")
    code, _, err = run(capsys, "forget", "--all")
    assert code == 1 and "nothing was deleted" in err
    code, out, _ = run(capsys, "forget", "--all", "--yes")
    assert code == 0 and out.strip() == "Forgot 1 session."
    _, out, _ = run(capsys, "history")
    assert "No sessions yet" in out


def test_newer_database_is_moved_aside_kindly(capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    path = database_path()
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    code, out, err = run(capsys, "history")
    assert code == 0 and "newer" in err and "Traceback" not in err
    assert "No sessions yet" in out
    assert list(path.parent.glob("*.unusable-*")), "the newer file is kept, not overwritten"


def test_unexpected_errors_never_show_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import guided_talk.cli.main as cli_main

    def explode(argv: object = None) -> int:
        raise RuntimeError("the sky fell")

    monkeypatch.setattr(cli_main, "main", explode)
    with pytest.raises(SystemExit) as exit_info:
        cli_main.run()
    err = capsys.readouterr().err
    assert exit_info.value.code == 1
    assert "Traceback" not in err and "the sky fell" in err
    log = database_path().parent / "app.log"
    written = log.read_text()
    assert "Traceback (most recent call last)" in written and "in explode" in written
    assert "RuntimeError: (message left out" in written, "no message in the log"
    assert log.stat().st_mode & 0o777 == 0o600


def test_a_closed_pipe_is_not_an_error_message() -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "guided_talk", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    child.stdout.close()  # the reader is gone before the first line is written
    _, err = child.communicate(timeout=60)
    assert err == ""
    assert child.returncode == 1


def test_facilitator_script(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "exercises", "script", "mirroring-dialogue")
    assert code == 0 and out.startswith("# Mirroring dialogue")
    assert "### Round 2" in out and "- [0:00] speaker, 0:30:" in out
    assert "- [1:15] listener, 0:40:" in out  # the mirror follows the first share
    assert "## Safety" in out and "Ends at about 12:" in out
    target = tmp_path / "agenda.md"
    code, out, _ = run(capsys, "exercises", "script", "opening-ritual", "-o", str(target))
    assert code == 0 and "everyone" in target.read_text()
