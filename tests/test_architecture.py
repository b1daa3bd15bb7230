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


FRONT_END = ("typer", "rich", "questionary", "prompt_toolkit", "lambda_prep.terminal", "lambda_prep.views",
             "lambda_prep.cli", "lambda_prep.cli_find", "lambda_prep.cli_mock", "lambda_prep.cli_portability",
             "lambda_prep.cli_simulate")
TOP_LEVEL = sorted(p.stem for p in PACKAGE.glob("*.py")
                   if p.stem not in ("cli", "terminal", "__main__") and not p.stem.startswith("cli_"))


def test_the_top_level_modules_are_checked():
    assert {"library", "search", "explain", "topics", "paths", "errors", "exit_codes"} <= set(TOP_LEVEL)


@pytest.mark.parametrize("module", TOP_LEVEL)
def test_top_level_library_modules_do_not_import_the_front_end(module):
    names = imports(PACKAGE / f"{module}.py")
    bad = sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in FRONT_END))
    assert not bad, f"lambda_prep/{module}.py imports {bad}"


@pytest.mark.parametrize("past", ["lambda_prep.study.stats", "lambda_prep.explain"])
def test_commands_go_through_the_library_not_past_it(past):
    # stats, topics and explain once called these directly; each command is now one call into library.py.
    assert past not in imports(PACKAGE / "cli.py")
