"""Read a source file's imports without running it (for the layer and boundary tests)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import REPO

#: The package under test.
PACKAGE = REPO / "guided_talk"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, by its full name."""
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
        found.update(modules)
    return found
