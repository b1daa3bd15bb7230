"""Who may import whom (shared/architecture.md): the library knows nothing of the terminal."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lambda_prep"
FORBIDDEN = {
    "bank": ("typer", "rich", "questionary", "lambda_prep.terminal", "lambda_prep.views", "lambda_prep.cli",
             "lambda_prep.study", "lambda_prep.sims"),
    "study": ("typer", "rich", "questionary", "lambda_prep.terminal", "lambda_prep.views", "lambda_prep.cli",
              "lambda_prep.sims"),
    "portability": ("typer", "rich", "questionary", "lambda_prep.terminal", "lambda_prep.views", "lambda_prep.cli",
                    "lambda_prep.sims"),
    "sims": ("typer", "rich", "questionary", "lambda_prep.terminal", "lambda_prep.views", "lambda_prep.cli",
             "lambda_prep.study", "lambda_prep.bank"),
}


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_library_layers_do_not_import_the_front_end(layer):
    bad = []
    for path in (PACKAGE / layer).rglob("*.py"):
        for name in imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[layer]):
                bad.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not bad, bad
