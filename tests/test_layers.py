"""Layers import only along the arrows in docs/ARCHITECTURE.md; the core never imports Textual.

Every part of the package is listed here: each layer (a folder) and each top-level
module (``guided_talk/*.py``), with the parts it may import. A new part fails the
test until it is listed, so the table and the diagram stay the whole truth.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "guided_talk"
CORE = ("exercises", "session", "speech", "feedback", "store")
#: Parts any part may import: the package itself (its version), where files live,
#: and line numbers in TOML text.
NEUTRAL = {"guided_talk", "paths", "toml_lines"}
#: What each part may import from the project besides itself and NEUTRAL.
ALLOWED: dict[str, set[str]] = {
    # top-level modules
    "guided_talk": set(),  # __init__.py
    "paths": set(),
    "toml_lines": set(),
    "settings": set(),
    "logs": set(),
    "__main__": {"cli"},
    # layers
    "exercises": set(),
    "feedback": set(),
    "speech": set(),
    "store": set(),
    "session": {"exercises", "feedback", "speech", "store"},
    "tui": {"exercises", "feedback", "speech", "store", "session", "settings", "logs"},
    "cli": {"exercises", "feedback", "speech", "store", "session", "settings", "logs", "tui"},
}


def part_of(path: Path) -> str:
    """The layer or top-level module a file belongs to."""
    parts = path.relative_to(PACKAGE).parts
    if len(parts) > 1:
        return parts[0]
    return "guided_talk" if parts[0] == "__init__.py" else parts[0].removesuffix(".py")


def imported_parts(path: Path) -> set[str]:
    """The project parts a file imports (``guided_talk`` for the package itself)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: the project uses absolute imports only"
            base = node.module or ""
            if base == "guided_talk":  # from guided_talk import paths, __version__
                modules = [f"guided_talk.{alias.name}" for alias in node.names]
            else:
                modules = [base]
        for module in modules:
            parts = module.split(".")
            if parts[0] == "guided_talk":
                name = parts[1] if len(parts) > 1 else "guided_talk"
                found.add(name if name in ALLOWED else "guided_talk")
    return found


def all_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_part_is_listed() -> None:
    assert {part_of(path) for path in all_files()} == set(ALLOWED)


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_imports_follow_the_arrows(part: str) -> None:
    allowed = ALLOWED[part] | NEUTRAL | {part}
    for path in all_files():
        if part_of(path) != part:
            continue
        stray = imported_parts(path) - allowed
        assert not stray, f"{path} imports {stray}"


@pytest.mark.parametrize("part", sorted(set(ALLOWED) - {"tui"}))
def test_only_the_tui_imports_textual(part: str) -> None:
    for path in all_files():
        if part_of(path) == part:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                assert not any(n.split(".")[0] == "textual" for n in names), f"{path}"


def test_core_import_loads_no_textual() -> None:
    present = [name for name in CORE if (PACKAGE / name).is_dir()]
    code = "import sys\n" + "".join(f"import guided_talk.{n}\n" for n in present)
    modules = [
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        for n in present
        for p in sorted((PACKAGE / n).rglob("*.py"))
        if p.name != "__init__.py"
    ]
    code += "".join(f"import {m}\n" for m in modules)
    code += "print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
