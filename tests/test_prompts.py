"""The interactive quiz driven through prompt_toolkit's pipe input (no terminal needed)."""

from __future__ import annotations

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

from lambda_prep.cli import app

DOWN, ENTER, SPACE, CTRL_C = "\x1b[B", "\r", " ", "\x03"
runner = CliRunner()


@pytest.fixture
def keys():
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe


def quiz(sample_bank, *extra):
    return runner.invoke(app, ["quiz", "--interactive", "--bank", str(sample_bank), "--topic", "sample",
                               "--seed", "1", *extra])


def test_arrow_keys_answer_a_single_choice_question(keys, sample_bank):
    # Seed 1 shows: 1 hour, 5 minutes, 3 seconds, 15 minutes, then the hint and "I don't know".
    keys.send_text(DOWN * 3 + ENTER)
    keys.send_text(ENTER)  # "Quick one. Were you sure?" (asked because the keys arrive instantly)
    result = quiz(sample_bank, "--count", "1")
    assert result.exit_code == 0, result.output
    assert "✓ Correct (Easy)" in result.stdout


def test_a_full_interactive_session_with_every_question_type(keys, sample_bank):
    keys.send_text(DOWN * 3 + ENTER + ENTER)  # single: 15 minutes; sure
    keys.send_text(DOWN + ENTER + ENTER)  # true-false: False; sure
    keys.send_text(ENTER)  # recall: answer in my head
    keys.send_text(SPACE + DOWN + SPACE + DOWN + SPACE + ENTER)  # tick all three key points
    keys.send_text(ENTER)  # accept the suggested rating (Good)
    keys.send_text(SPACE + DOWN + DOWN + SPACE + ENTER + ENTER)  # multi: S3 and SNS; sure
    result = quiz(sample_bank)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("✓ Correct") == 3 and "Rated Good" in result.stdout
    assert "100%" in result.stdout


def test_not_sure_makes_a_fast_right_answer_hard(keys, sample_bank):
    keys.send_text(DOWN * 3 + ENTER + "n" + ENTER)
    result = quiz(sample_bank, "--count", "1")
    assert "✓ Correct (Hard)" in result.stdout


def test_hint_then_answer_is_hard(keys, sample_bank):
    keys.send_text(DOWN * 4 + ENTER)  # the hint entry
    keys.send_text(DOWN + ENTER)  # after 50:50 the list is: 1 hour, 15 minutes
    result = quiz(sample_bank, "--count", "1")
    assert "✓ Correct (Hard)" in result.stdout


def test_ctrl_c_exits_130_and_keeps_the_answers(keys, sample_bank):
    keys.send_text(DOWN * 3 + ENTER + ENTER)  # first answer
    keys.send_text(CTRL_C)  # then Ctrl-C at the second question
    result = quiz(sample_bank)
    assert result.exit_code == 130
    assert "Interrupted. 1 answer saved." in result.output
    stats = runner.invoke(app, ["stats", "--json"])
    assert '"reviews": 1' in stats.stdout
