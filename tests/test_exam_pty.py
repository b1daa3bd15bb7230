"""`lambda-prep exam` in a real pseudo-terminal: flag a question, come back to it, submit."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import pytest

pexpect = pytest.importorskip("pexpect")
EXE = shutil.which("lambda-prep")
pytestmark = pytest.mark.skipif(not EXE, reason="lambda-prep is not installed on PATH")
UP, ENTER = "\x1b[A", "\r"


def test_flag_a_question_and_return_to_it_before_submitting(data_home, sample_bank):
    (data_home / "banks").mkdir(parents=True)
    shutil.copy(sample_bank, data_home / "banks" / "sample.yaml")
    # No terminal answers cursor-position requests here; without this each screen waits 1 s for one.
    env = {**os.environ, "LAMBDA_PREP_HOME": str(data_home), "TERM": "xterm-256color", "NO_COLOR": "1",
           "PROMPT_TOOLKIT_NO_CPR": "1"}
    child = pexpect.spawn(EXE, ["exam", "--topic", "sample", "--seed", "1"], env=env, encoding="utf-8",
                          timeout=20, dimensions=(40, 80))
    child.expect("Question 1 of 3")
    child.expect(r"Time left (0:0)?(6:00|5:5)")  # the countdown: two minutes for each of 3 questions
    child.send("f")  # flag question 1: the screen comes back flagged
    child.expect("Question 1 of 3 · sample · .* · ⚑ flagged")
    child.send("1" + ENTER)  # choice 1 (ticked, for a multi question), answered
    child.expect("Question 2 of 3")
    child.send("1" + ENTER)
    child.expect("Question 3 of 3")
    child.send("r")  # the review list: question 1 is flagged
    child.expect("Review: 1 unanswered, 1 flagged")
    child.send(UP + UP + ENTER)  # from question 3 up to question 1, and open it
    child.expect("Question 1 of 3 · sample · .* · ⚑ flagged · answered")
    child.send("2" + ENTER)  # change the answer
    child.expect("Question 2 of 3")
    child.send("s")
    child.expect("Submit the exam now")
    child.expect("1 unanswered")
    child.send("y")
    child.expect("Score: ")
    child.expect("⚑ flagged")  # the flagged question is reviewed with its explanation
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    db = sqlite3.connect(data_home / "progress.db")
    (status,) = db.execute("SELECT status FROM exams").fetchone()
    first = db.execute("SELECT question_id, choices, given, flagged FROM exam_answers WHERE position = 0").fetchone()
    assert status == "submitted" and first[3] == 1
    choices, given = json.loads(first[1]), json.loads(first[2])
    assert choices[1] in given  # the changed answer is the one kept
    # Two questions were answered; the scheduler saw each once, the changed one included.
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM reviews WHERE question_id = ?", (first[0],)).fetchone()[0] == 1
