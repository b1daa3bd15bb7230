"""The interactive quiz driven through prompt_toolkit's pipe input (no terminal needed)."""

from __future__ import annotations

import re

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

from lambda_prep.cli import app

DOWN, UP, ENTER, SPACE, CTRL_C = "\x1b[B", "\x1b[A", "\r", " ", "\x03"
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
    keys.send_text(ENTER)  # the pace key: go on (here, to the summary)
    result = quiz(sample_bank, "--count", "1")
    assert result.exit_code == 0, result.output
    # Fast (the keys arrive at once) and not marked unsure: Easy, with no "Were you sure?" asked.
    assert "✓ Correct (Easy)" in result.stdout and "Were you sure" not in result.stdout


def test_a_full_interactive_session_with_every_question_type(keys, sample_bank):
    keys.send_text(DOWN * 3 + ENTER + ENTER)  # single: 15 minutes; Enter to go on
    keys.send_text(DOWN + ENTER + ENTER)  # true-false: False; go on
    keys.send_text(ENTER)  # recall: answer in my head
    keys.send_text(SPACE + DOWN + SPACE + DOWN + SPACE + ENTER)  # tick all three key points
    keys.send_text(ENTER + SPACE)  # accept the suggested rating (Good); space goes on too
    keys.send_text(SPACE + DOWN + DOWN + SPACE + ENTER + ENTER)  # multi: S3 and SNS; go on
    result = quiz(sample_bank)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("✓ Correct") == 3 and "Rated Good" in result.stdout
    assert "100%" in result.stdout


def test_question_mark_instead_of_enter_marks_not_sure_so_a_fast_right_answer_is_hard(keys, sample_bank):
    keys.send_text(DOWN * 3 + "?" + ENTER)
    result = quiz(sample_bank, "--count", "1")
    assert "✓ Correct (Hard)" in result.stdout


def test_hint_then_answer_is_hard(keys, sample_bank):
    keys.send_text(DOWN * 4 + ENTER)  # the hint entry
    keys.send_text(DOWN + ENTER + ENTER)  # after 50:50 the list is: 1 hour, 15 minutes
    result = quiz(sample_bank, "--count", "1")
    assert "✓ Correct (Hard)" in result.stdout


def test_ctrl_c_exits_130_and_keeps_the_answers(keys, sample_bank):
    keys.send_text(DOWN * 3 + ENTER + ENTER)  # first answer, then go on
    keys.send_text(CTRL_C)  # then Ctrl-C at the second question
    result = quiz(sample_bank)
    assert result.exit_code == 130
    assert "Interrupted. 1 answer saved." in result.output
    stats = runner.invoke(app, ["stats", "--json"])
    assert '"reviews": 1' in stats.stdout


def test_ctrl_c_at_the_pace_key_keeps_the_answer_just_given(keys, sample_bank):
    keys.send_text(DOWN * 3 + ENTER + CTRL_C)
    result = quiz(sample_bank)
    assert result.exit_code == 130 and "Interrupted. 1 answer saved." in result.output


def multi_only(sample_bank, *extra):
    return quiz(sample_bank, "--type", "multi", *extra)


def test_multi_select_feedback_shows_ticked_missed_and_ticked_wrongly(keys, sample_bank):
    # Seed 1 lists: Application Load Balancer, Amazon S3, API Gateway, Amazon SNS, hint, I don't know
    keys.send_text(SPACE + DOWN + SPACE + ENTER + "q")  # the ALB (wrong) and Amazon S3 (right); stop
    result = multi_only(sample_bank)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "✗ Not quite" in out
    assert re.search(r"✓ ticked, right +Amazon S3", out)
    assert re.search(r"✗ missed +Amazon SNS", out)
    assert re.search(r"✗ ticked wrongly +Application Load Balancer", out)
    assert re.search(r"not ticked, right +API Gateway", out)


def test_multi_select_has_the_hint(keys, sample_bank):
    keys.send_text(DOWN * 4 + SPACE + ENTER)  # tick the hint entry: half of the wrong answers go
    keys.send_text(DOWN + SPACE + DOWN + SPACE + ENTER + ENTER)  # ALB, S3, SNS are left: tick S3 and SNS
    result = multi_only(sample_bank)
    assert "✓ Correct (Hard)" in result.stdout, result.stdout  # right after a hint: Hard


def test_multi_select_has_i_dont_know(keys, sample_bank):
    keys.send_text(DOWN * 5 + SPACE + ENTER + "q")  # "I don't know"; then stop (not asked again at the end)
    result = multi_only(sample_bank)
    assert "✗ Not quite" in result.stdout and re.search(r"✗ missed +Amazon S3", result.stdout)


def test_u_at_the_pace_key_takes_the_answer_back_and_asks_again(keys, sample_bank):
    keys.send_text(ENTER + "u")  # a misfire: "1 hour", then take it back
    keys.send_text(DOWN * 3 + ENTER + "q")  # the right one this time, then stop
    result = quiz(sample_bank)
    assert result.exit_code == 0, result.output
    assert "Answer taken back" in result.stdout
    assert result.stdout.count("[1/") == 2 and "[2/" not in result.stdout
    stats = runner.invoke(app, ["stats", "--json"])
    assert '"reviews": 1' in stats.stdout  # only the second answer is in the log
