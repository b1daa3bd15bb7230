"""The daily loop in plain mode (undo with `u`) and the wrapping of long choices (issue 12)."""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.terminal import _wrap

runner = CliRunner()


def plain_quiz(sample_bank, text: str):
    return runner.invoke(app, ["quiz", "--no-interactive", "--bank", str(sample_bank), "--topic", "sample",
                               "--seed", "1"], input=text)


def tables(data_home):
    db = sqlite3.connect(data_home / "progress.db")
    return (db.execute("SELECT * FROM cards ORDER BY question_id").fetchall(),
            db.execute("SELECT * FROM reviews ORDER BY id").fetchall())


def test_u_at_the_next_prompt_takes_back_the_last_answer_in_plain_mode(data_home, sample_bank):
    # Seed 1: the timeout question first (4 = 15 minutes), then the true-false one.
    first = plain_quiz(sample_bank, "4\n")
    assert first.exit_code == 0 and "✓ Correct" in first.stdout
    before = tables(data_home)  # one answer in the log, its card scheduled
    # Next day's session would start differently; here: answer the true-false one wrongly, then take it back.
    result = runner.invoke(app, ["quiz", "--no-interactive", "--bank", str(sample_bank), "--topic", "sample",
                                 "--seed", "2", "--type", "true-false"], input="1\nu\n")
    assert result.exit_code == 0, result.output
    assert "Answer taken back" in result.stdout
    cards, reviews = tables(data_home)
    assert reviews == before[1]  # the log is as before
    assert [c for c in cards if c[0] != "sample-tf"] == [c for c in before[0] if c[0] != "sample-tf"]
    # the true-false question is back to a mere claim on today's new questions, as when it was shown
    assert [c[3] for c in cards if c[0] == "sample-tf"] == [0]


def test_u_is_offered_only_when_there_is_an_answer_to_take_back(data_home, sample_bank):
    result = plain_quiz(sample_bank, "u\n4\n")
    assert "u = undo" not in result.stdout.split("\n[2/")[0]
    assert "Type a number from 1 to 4" in result.stdout  # `u` first is just an invalid answer
    assert "u = undo the last answer" in result.stdout.split("\n[2/")[1]


def test_plain_mode_never_waits_for_a_pace_key(data_home, sample_bank):
    result = runner.invoke(app, ["quiz", "--no-interactive", "--bank", str(sample_bank), "--topic", "sample",
                                 "--seed", "1", "--type", "single", "--type", "true-false"], input="4\n2\n")
    assert result.exit_code == 0, result.output
    assert "Enter: next question" not in result.stdout and "100%" in result.stdout


LONG = ("Within one account, an Allow in either the identity-based policy or the resource-based policy "
        "can permit the request, if nothing denies it")


@pytest.mark.parametrize("columns", [40, 60, 80, 100, 120, 200])
@pytest.mark.parametrize("indent", [3, 5])
def test_wrapped_choices_fit_every_width_and_keep_every_word(columns, indent):
    wrapped = _wrap(LONG, indent, columns=columns)
    lines = wrapped.split("\n")
    assert len(indent * " " + lines[0]) < columns
    assert all(len(line) < columns and line.startswith(" " * indent) for line in lines[1:])
    assert " ".join(" ".join(lines).split()) == LONG
