"""The README's quick start is what CI runs, and it documents every command."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from lambda_prep.cli import app

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:\w+)?\n(.*?)```", section, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands_and_ci_runs_the_test_one_verbatim():
    commands = quick_start_commands()
    assert len(commands) == 2, commands
    install_and_quiz, tests = commands
    assert "pip install" in install_and_quiz and "lambda-prep quiz" in install_and_quiz
    assert "pytest" in tests
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci, "the README's test command must appear verbatim in .ci/run"


def test_every_command_is_documented():
    root = typer.main.get_command(app)
    for name, command in root.commands.items():
        assert f"lambda-prep {name}" in README, f"README does not document {name}"
        for sub in getattr(command, "commands", {}):
            assert f"lambda-prep {name} {sub}" in README, f"README does not document {name} {sub}"
