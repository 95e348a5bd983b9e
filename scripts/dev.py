#!/usr/bin/env python3
"""Set up guided-talk in a private virtual environment and run it or its tests.

Usage (from the repository folder, standard library only, no sudo):

    python3 scripts/dev.py run [ARGS...]   # the app, on its offline defaults
    python3 scripts/dev.py test            # ruff, mypy and the whole test suite

The environment lives in ``.venv`` beside this folder (``GUIDED_TALK_VENV`` moves
it). It is rebuilt only when ``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("GUIDED_TALK_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
PYPI_PIP = "https://pypi.org/pypi/pip/json"


def say(message: str) -> None:
    """Print one progress line to stderr so stdout stays the program's own."""
    print(f"[guided-talk setup] {message}", file=sys.stderr, flush=True)


def create_venv() -> None:
    """Create the environment, bringing in pip by hand where ensurepip is missing."""
    say(f"creating a private environment in {VENV}")
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        return
    except (subprocess.CalledProcessError, OSError):
        # Debian and Ubuntu ship python3 without ensurepip (it lives in python3-venv).
        say("this Python has no ensurepip; fetching pip from PyPI instead")
    venv.EnvBuilder(with_pip=False, clear=True).create(VENV)
    install_pip_from_pypi()


def install_pip_from_pypi() -> None:
    """Install pip into the environment from its wheel, which can run pip itself."""
    with urllib.request.urlopen(PYPI_PIP, timeout=60) as response:
        release = json.load(response)
    wheel = next(f for f in release["urls"] if f["filename"].endswith(".whl"))
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / wheel["filename"]
        with urllib.request.urlopen(wheel["url"], timeout=120) as response:
            target.write_bytes(response.read())
        subprocess.run([str(PYTHON), f"{target}/pip", "install", "-q", str(target)], check=True)


def ensure_installed(extras: str) -> None:
    """Install the project (editable) with the given extras unless already current."""
    stamp = VENV / ".guided-talk-stamp"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    installed = stamp.read_text().split() if stamp.exists() else []
    if PYTHON.exists() and installed[:1] == [digest] and (not extras or extras in installed):
        return
    if not PYTHON.exists():
        create_venv()
    say(f"installing guided-talk{f'[{extras}]' if extras else ''} (first run takes a minute)")
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", target],
        check=True,
    )
    stamp.write_text(f"{digest} {extras}".strip())


def run_app(args: list[str]) -> int:
    """Launch the app inside the environment."""
    ensure_installed("")
    return subprocess.call([str(BIN / "guided-talk"), *args])


def run_tests(args: list[str]) -> int:
    """Run ruff, mypy and pytest; report every step, fail if any failed."""
    ensure_installed("dev")
    steps = [
        ("ruff", [str(PYTHON), "-m", "ruff", "check", "guided_talk", "scripts", "tests"]),
        ("mypy", [str(PYTHON), "-m", "mypy"]),
        ("pytest", [str(PYTHON), "-m", "pytest", *args]),
    ]
    failed = []
    for name, command in steps:
        say(f"running {name}")
        if subprocess.call(command, cwd=ROOT) != 0:
            failed.append(name)
    if failed:
        say(f"failed: {', '.join(failed)}")
        return 1
    return 0


def main(argv: list[str]) -> int:
    """Dispatch ``run`` or ``test``."""
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        if argv[0] == "run":
            return run_app(argv[1:])
        return run_tests(argv[1:])
    except subprocess.CalledProcessError as error:
        say(f"a setup step failed ({error.cmd[0]} exited {error.returncode}); see above")
    except OSError as error:
        say(f"could not set up the environment: {error}")
    say(f"to start over, delete {VENV} and run the command again")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
