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

from tests.support.imports import PACKAGE, imported_modules

CORE = ("exercises", "session", "speech", "feedback", "store")
#: Parts any part may import: the package itself (its version), where files live,
#: line numbers in TOML text, and the named values (closed sets of choices).
NEUTRAL = {"guided_talk", "paths", "toml_lines", "values"}
#: What each part may import from the project besides itself and NEUTRAL.
ALLOWED: dict[str, set[str]] = {
    # top-level modules
    "guided_talk": set(),  # __init__.py
    "paths": set(),
    "toml_lines": set(),
    "values": set(),
    "settings": set(),
    "logs": set(),
    "__main__": {"cli"},
    # layers
    "exercises": set(),
    "feedback": set(),
    "speech": set(),
    "store": {"feedback"},  # only the findings' types: see NARROW
    "session": {"exercises", "feedback", "speech", "store"},
    "tui": {"exercises", "feedback", "speech", "store", "session", "settings", "logs"},
    "cli": {"exercises", "feedback", "speech", "store", "session", "settings", "logs", "tui"},
}
#: Where a part may reach into another for one module only.
NARROW: dict[tuple[str, str], set[str]] = {
    ("store", "feedback"): {"guided_talk.feedback.findings"},
}


def part_of(path: Path) -> str:
    """The layer or top-level module a file belongs to."""
    parts = path.relative_to(PACKAGE).parts
    if len(parts) > 1:
        return parts[0]
    return "guided_talk" if parts[0] == "__init__.py" else parts[0].removesuffix(".py")


def imported_parts(path: Path) -> set[str]:
    """The project parts a file imports (``guided_talk`` for the package itself)."""
    found: set[str] = set()
    for module in imported_modules(path):
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
        for (narrowed, other), only in NARROW.items():
            if part == narrowed:
                reached = {
                    m for m in imported_modules(path) if m.startswith(f"guided_talk.{other}")
                }
                assert reached <= only, f"{path} imports {reached - only}"


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


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path, known: set[str]) -> set[str]:
    """The project modules a file imports when it loads (not inside functions)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found & known


def test_no_module_imports_itself_round_a_cycle() -> None:
    graph = {module_name(p): p for p in all_files()}
    edges = {name: top_level_imports(path, set(graph)) - {name} for name, path in graph.items()}
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, f"import cycle: {' -> '.join((*trail, name))}"
        if name in done:
            return
        for imported in sorted(edges[name]):
            if not name.startswith(f"{imported}."):  # a package's own __init__ is no cycle
                visit(imported, (*trail, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())


def test_no_project_import_hides_behind_type_checking_in_the_core() -> None:
    """A cycle hidden from the interpreter is still a cycle (third-party types are fine)."""
    for path in all_files():
        if part_of(path) in ALLOWED and part_of(path) != "tui":
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                    hidden = [n for n in ast.walk(node) if isinstance(n, ast.ImportFrom)]
                    assert not any((n.module or "").startswith("guided_talk") for n in hidden)
