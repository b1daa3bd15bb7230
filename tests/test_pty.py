"""`lambda-prep quiz` in a real pseudo-terminal, answered with keys, as a person would."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

pexpect = pytest.importorskip("pexpect")
EXE = shutil.which("lambda-prep")
pytestmark = pytest.mark.skipif(not EXE, reason="lambda-prep is not installed on PATH")
DOWN, ENTER = "\x1b[B", "\r"


def spawn(data_home, sample_bank, *extra):
    env = {**os.environ, "LAMBDA_PREP_HOME": str(data_home), "TERM": "xterm-256color", "NO_COLOR": "1"}
    return pexpect.spawn(EXE, ["quiz", "--bank", str(sample_bank), "--topic", "sample", "--seed", "1", *extra],
                         env=env, encoding="utf-8", timeout=20, dimensions=(40, 120))


def test_answer_with_arrow_keys_in_a_real_terminal(data_home, sample_bank):
    child = spawn(data_home, sample_bank, "--count", "1")
    child.expect("What is the maximum timeout")
    child.expect("Your answer")
    child.send(DOWN * 3)
    child.send(ENTER)
    if child.expect(["Were you sure", "Correct"]) == 0:
        child.send(ENTER)
        child.expect("Correct")
    child.expect("This session")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_mid_quiz_keeps_answers_and_exits_130(data_home, sample_bank):
    child = spawn(data_home, sample_bank)
    child.expect("Your answer")
    child.send(DOWN * 3)
    child.send(ENTER)
    if child.expect(["Were you sure", "Correct"]) == 0:
        child.send(ENTER)
    child.expect(r"\[2/")
    child.expect(r"Your answer|Select all")
    child.sendintr()
    child.expect("Interrupted. 1 answer saved.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    db = sqlite3.connect(data_home / "progress.db")
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
