"""What a learner reads from the simulations carries current figures and no internal labels.

Learner-facing text: every view (default run), every `simulate` help text, the explainers, every
assumption in the JSON envelopes, and every error message the models and commands can print (the
string literals of sims/, views/sims/ and cli_simulate/, docstrings excepted). Internal labels are
the project's own note ids ("F10", "simulation-notes", "lambda-facts", syllabus ids like S41).
As tests/test_content.py does for the banks: a stale figure may appear only beside the current one.
"""

from __future__ import annotations

import ast
import importlib
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import registry

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lambda_prep"

INTERNAL = re.compile(r"\bF\d{1,2}\b|simulation-notes|lambda-facts|shared/reference|\bS\d{2}\b")

# (name, stale pattern, the current figure that must stand beside it)
STALE = [
    ("async payload of 256 KB", r"256\s?KB", r"1\s?MB"),
    # Anchored on "borrow": other ranges of 0-3,600 s (CodeDeploy hook time) are current.
    ("borrow timeout up to 3,600 s", r"(?i)borrow[^.]{0,60}?0\s?(?:-|–|to)\s?3,?600", r"\b300\b"),
    ("old burst concurrency", r"500\s?(?:-|–|to)\s?3,?000", r"1,000 (?:execution )?environments"),
    ("free cold starts", r"(?:cold starts?|init(?:ialization)?|INIT) (?:are|is|was|were) (?:not billed|free|unbilled)",
     r"2025"),
    ("SnapStart for three runtimes only", r"(?:Java 11\+, Python 3\.12\+,? and \.NET 8\+) only", r"container image"),
    ("per-event retry count", r"\(\d+ retries\)", r"per event"),
    ("a sync 429 is never retried", r"429 \(no retry\)", r"SDK"),
    ("the SQS poller never retries", r"poller does not retry by itself", r"throttl"),
]


def _render(sim, width: int = 120) -> str:
    from rich.console import Console

    model = importlib.import_module(sim.module)
    view = importlib.import_module(sim.view)
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None)
    for renderable in view.render(model.run(model.Params(), 1), width):
        console.print(renderable)
    return out.getvalue()


def _literals(path: Path) -> list[str]:
    """String literals of a module, docstrings of modules, classes and non-command functions excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            is_command = isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "command" for d in node.decorator_list)
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and not is_command:
                skip.add(id(body[0].value))
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            texts.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            texts.append("".join(v.value for v in node.values if isinstance(v, ast.Constant)))
    return texts


def learner_texts() -> list[tuple[str, str]]:
    texts = []
    for sim in registry.SIMULATIONS:
        texts.append((f"view {sim.name}", _render(sim)))
        help_text = runner.invoke(app, ["simulate", sim.name, "--help"], terminal_width=200).output
        texts.append((f"help {sim.name}", help_text))
        model = importlib.import_module(sim.module)
        texts.append((f"assumptions {sim.name}", "\n".join(model.run(model.Params(), 1).to_json()["assumptions"])))
    texts.append(("simulate --list", runner.invoke(app, ["simulate", "--list"], terminal_width=200).output))
    for path in sorted((ROOT / "content" / "explain").glob("*.md")):
        texts.append((f"explainer {path.name}", path.read_text(encoding="utf-8")))
    for folder in ("sims", "views/sims", "cli_simulate"):
        for path in sorted((PACKAGE / folder).glob("*.py")):
            texts.append((f"strings of {folder}/{path.name}", "\n".join(_literals(path))))
    return texts


TEXTS = learner_texts()


@pytest.mark.parametrize("name, text", TEXTS, ids=[t[0] for t in TEXTS])
def test_no_internal_labels_reach_the_learner(name, text):
    hits = sorted({m.group(0) for m in INTERNAL.finditer(text)})
    assert not hits, f"{name}: internal labels {hits}"


@pytest.mark.parametrize("label, stale, current", STALE, ids=[s[0] for s in STALE])
def test_a_stale_figure_never_appears_without_the_current_one(label, stale, current):
    offenders = [name for name, text in TEXTS
                 if re.search(stale, text, re.I) and not re.search(current, text, re.I)]
    assert not offenders, f"{label}: in {offenders}"


def test_the_guards_catch_what_they_should():
    assert INTERNAL.search("see simulation-notes F10") and INTERNAL.search("syllabus S41")
    assert not INTERNAL.search("a 5,000 ms timeout; 512 MB; Fargate; S3")
    assert re.search(STALE[1][1], "ConnectionBorrowTimeout, 0-3,600 s") and not re.search(STALE[1][2], "0-3,600 s")
    assert re.search(STALE[5][1], "retried by Lambda (3 retries)")


def test_the_json_envelopes_carry_no_internal_labels():
    for sim in registry.SIMULATIONS:
        model = importlib.import_module(sim.module)
        text = json.dumps(model.run(model.Params(), 1).to_json())
        assert not INTERNAL.search(text), (sim.name, INTERNAL.search(text).group(0))
