"""Layers import only along the arrows in docs/ARCHITECTURE.md; the core never imports Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "guided_talk"
CORE = ("exercises", "session", "speech", "feedback", "store")
#: What each layer may import from the project (besides itself and the top-level helpers).
ALLOWED = {
    "exercises": set(),
    "feedback": set(),
    "speech": set(),
    "store": set(),
    "session": {"exercises", "feedback", "speech", "store"},
    "cli": {"exercises", "feedback", "speech", "store", "session", "tui"},
    "tui": {"exercises", "feedback", "speech", "store", "session", "cli"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def layer_files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_follow_the_arrows(layer: str) -> None:
    for path in layer_files(layer):
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] == "textual":
                assert layer == "tui", f"{path} imports textual"
            if parts[0] == "guided_talk" and len(parts) > 1 and parts[1] in ALLOWED:
                assert parts[1] == layer or parts[1] in ALLOWED[layer], f"{path} imports {module}"


def test_core_import_loads_no_textual() -> None:
    present = [name for name in CORE if (PACKAGE / name).is_dir()]
    code = "import sys\n" + "".join(f"import guided_talk.{n}\n" for n in present)
    modules = [
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        for n in present
        for p in layer_files(n)
        if p.name != "__init__.py"
    ]
    code += "".join(f"import {m}\n" for m in modules)
    code += "print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
