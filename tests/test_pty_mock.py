"""`lambda-prep mock` in a real pseudo-terminal: an answer typed over several lines, as a person would."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from lambda_prep.bank import load_banks
from lambda_prep.study import mock

pexpect = pytest.importorskip("pexpect")
EXE = shutil.which("lambda-prep")
pytestmark = pytest.mark.skipif(not EXE, reason="lambda-prep is not installed on PATH")
DATA = Path(__file__).parent / "data"
ENTER, CTRL_D = "\r", "\x04"
LINES = {  # a multi-line answer per fixture question
    "mock-scaling": ["Each environment serves one request at a time.", "It scales by 1000 environments",
                     "every 10 seconds per function. Reserved concurrency caps a function."],
    "mock-payloads": ["Synchronous payloads go up to 6 MB,", "asynchronous payloads up to 1 MB."],
    "mock-senior-design": ["Maximum concurrency on the event source mapping caps the load.",
                           "Report partial batch failures and keep a dead-letter queue with alarms."],
}


def expect(child, pattern) -> int:
    """Wait for `pattern`, answering cursor position requests as a real terminal does (the
    editor's bottom toolbar, the timer, is drawn only once prompt_toolkit knows where it is)."""
    patterns = [r"\x1b\[6n", *(pattern if isinstance(pattern, list) else [pattern])]
    while (index := child.expect(patterns)) == 0:
        child.send("\x1b[20;1R")
    return index - 1


def test_multi_line_answer_checked_and_saved(data_home):
    (data_home / "banks").mkdir(parents=True)
    shutil.copy(DATA / "mock_bank.yaml", data_home / "banks")
    questions = load_banks([DATA / "mock_bank.yaml"]).questions
    (first,) = mock.choose(questions, {}, {}, count=1, rng=random.Random(1), topics=["mockdemo"])
    env = {**os.environ, "LAMBDA_PREP_HOME": str(data_home), "TERM": "xterm-256color", "NO_COLOR": "1"}
    child = pexpect.spawn(EXE, ["mock", "--topic", "mockdemo", "--seed", "1", "--count", "1"], env=env,
                          encoding="utf-8", timeout=20, dimensions=(40, 80))
    expect(child, r"Ctrl-D \(or Esc then Enter\) finishes")
    expect(child, r"0:0\d of 2:00")  # the timer on the bottom line
    for index, line in enumerate(LINES[first.id]):
        child.send(line + (ENTER if index < len(LINES[first.id]) - 1 else ""))
    child.send(CTRL_D)
    total = len(first.key_points)
    expect(child, f"Key points: {total} of {total} found")
    expect(child, "Correct the marks")
    child.send(ENTER)
    expect(child, "Model answer")
    while expect(child, ["Follow-up \\d", "Mock interview report"]) == 0:
        expect(child, "finishes")
        child.send(CTRL_D)  # no answer to the follow-up
        expect(child, "Correct the marks")
        child.send(ENTER)
    expect(child, "Study next")
    expect(child, pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    db = sqlite3.connect(data_home / "progress.db")
    answer, covered = db.execute("SELECT answer, covered FROM mock_answers WHERE follow_up = 0").fetchone()
    assert answer == "\n".join(LINES[first.id])
    assert json.loads(covered) == list(range(total))
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1


def test_ctrl_c_mid_mock_keeps_the_answers_and_exits_130(data_home):
    (data_home / "banks").mkdir(parents=True)
    shutil.copy(DATA / "mock_bank.yaml", data_home / "banks")
    env = {**os.environ, "LAMBDA_PREP_HOME": str(data_home), "TERM": "xterm-256color", "NO_COLOR": "1"}
    child = pexpect.spawn(EXE, ["mock", "--topic", "mockdemo", "--seed", "2", "--count", "3"], env=env,
                          encoding="utf-8", timeout=20, dimensions=(40, 80))
    expect(child, r"0:0\d of 2:00")
    child.send("An answer I typed before stopping.")
    child.send(CTRL_D)
    expect(child, "Correct the marks")
    child.send(ENTER)
    expect(child, ["Follow-up \\d", r"\[2/3\]"])
    expect(child, r"0:0\d of 2:00")
    child.send("half an ans")
    child.sendintr()
    expect(child, "Interrupted. 1 answer saved.")
    expect(child, pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    db = sqlite3.connect(data_home / "progress.db")
    assert db.execute("SELECT answer FROM mock_answers").fetchall() == [("An answer I typed before stopping.",)]
    assert db.execute("SELECT finished_at FROM mocks").fetchone()[0] is None
