"""`lambda-prep exam` from the outside: arguments, plain mode, JSON, history, real processes."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import time
import types

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app

runner = CliRunner()
EXE = shutil.which("lambda-prep") or ""
needs_exe = pytest.mark.skipif(not EXE, reason="lambda-prep is not installed on PATH")
VERDICTS = ("✓", "✗", "Correct answer", "Score:", "PASS", "FAIL", "Source:")


@pytest.fixture
def sample_home(data_home, sample_bank):
    """The sample bank installed as the learner's own bank: topic `sample`, 3 choice questions."""
    (data_home / "banks").mkdir(parents=True)
    shutil.copy(sample_bank, data_home / "banks" / "sample.yaml")
    return data_home


def exam(*args, input=""):
    return runner.invoke(app, ["exam", "--topic", "sample", "--seed", "1", *args], input=input)


def test_json_result_has_the_score_and_every_answer(sample_home):
    result = exam("--json", input="1\n1\n1\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # stdout holds only the JSON; the questions went to stderr
    assert data["total"] == 3 and data["status"] == "submitted"
    assert data["correct"] == sum(a["correct"] for a in data["answers"])
    assert data["score"] == round(data["correct"] / 3, 4)
    assert data["passed"] == (data["score"] >= 0.72) and data["pass_mark"] == 0.72
    assert data["topics"] == {"sample": {"correct": data["correct"], "total": 3, "score": data["score"]}}
    assert {a["id"] for a in data["answers"]} == {"sample-single", "sample-multi", "sample-tf"}
    for answer in data["answers"]:
        assert set(answer) == {"id", "topic", "given", "answer", "correct", "seconds", "flagged"}
        assert len(answer["given"]) == 1 and answer["flagged"] is False
        assert answer["correct"] == (answer["given"] == answer["answer"])


def test_same_seed_same_questions_and_right_answers_pass(sample_home):
    first = json.loads(exam("--json", input="\n\n\n").stdout)
    order = [a["id"] for a in first["answers"]]
    assert order == [a["id"] for a in json.loads(exam("--json", input="\n\n\n").stdout)["answers"]]
    assert first["correct"] == 0 and first["answers"][0]["given"] is None  # Enter skips


def test_questions_the_learner_flagged_as_wrong_are_left_out(sample_home):
    assert runner.invoke(app, ["flag", "sample-single", "--kind", "wrong"]).exit_code == 0
    data = json.loads(exam("--json", input="\n\n\n").stdout)
    assert {a["id"] for a in data["answers"]} == {"sample-multi", "sample-tf"}


def test_plain_mode_flags_with_a_trailing_question_mark(sample_home):
    data = json.loads(exam("--json", input="1?\n\n\n").stdout)
    assert [a["flagged"] for a in data["answers"]] == [True, False, False]


def test_pass_mark_from_the_setting_and_from_the_option(sample_home):
    assert runner.invoke(app, ["config", "exam-pass-mark", "30"]).exit_code == 0
    assert json.loads(exam("--json", input="\n\n\n").stdout)["pass_mark"] == 0.3
    assert json.loads(exam("--json", "--pass-mark", "90", input="\n\n\n").stdout)["pass_mark"] == 0.9
    bad = runner.invoke(app, ["config", "exam-pass-mark", "0"])
    assert bad.exit_code == 2 and "from 1 to 100" in bad.output


@pytest.mark.parametrize("args,expected", [
    (["--count", "0"], "1<=x<=200"),
    (["--minutes", "601"], "1<=x<=600"),
    (["--pass-mark", "101"], "1<=x<=100"),
    (["--topic", "nope"], "unknown topic"),
    (["--history", "--count", "5"], "--count does not apply to --history"),
    (["--history", "--seed", "1", "--minutes", "9"], "--minutes, --seed do not apply to --history"),
    (["--json", "--interactive"], "drop --interactive"),
])
def test_bad_arguments_exit_2_with_what_is_valid(sample_home, args, expected):
    result = runner.invoke(app, ["exam", *args], input="")
    assert result.exit_code == 2, result.output
    assert expected in result.output


def test_history_lists_past_exams(sample_home):
    assert "No exams yet" in runner.invoke(app, ["exam", "--history"]).stdout
    exam(input="\n\n\n")
    json.loads(exam("--json", "--pass-mark", "10", input="1\n1\n1\n").stdout)
    text = runner.invoke(app, ["exam", "--history"]).stdout
    assert "Past exams" in text and "0/3 (0%)" in text and "fail" in text
    rows = json.loads(runner.invoke(app, ["exam", "--history", "--json"]).stdout)
    assert len(rows) == 2 and rows[1]["correct"] == 0 and rows[1]["passed"] is False
    assert rows[0]["pass_mark"] == 0.1


def test_result_view_reviews_wrong_and_flagged_answers_with_sources(sample_home):
    out = exam(input="\n\n1?\n").stdout
    after = out.split("Score:", 1)[1]
    assert "FAIL" in after and "Per topic" in after and "Time per question" in after
    assert after.count("Correct answer") == 3
    assert "Source: https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html" in after
    assert "⚑ flagged" in after


# --- real processes -----------------------------------------------------------------------------


def env(home) -> dict:
    return {**os.environ, "LAMBDA_PREP_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "80"}


def read_until(proc, marker: str, timeout: float = 30) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker.encode() not in seen:
        ready, _, _ = select.select([proc.stdout], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            raise AssertionError(f"no {marker!r} within {timeout} s; got {seen.decode()!r}")
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    return seen.decode()


def start(home):
    return subprocess.Popen([EXE, "exam", "--topic", "sample", "--seed", "1"], env=env(home),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@needs_exe
def test_no_verdict_before_the_last_answer_in_a_real_process(sample_home):
    proc = start(sample_home)
    try:
        shown = read_until(proc, "Answer (")
        for line in (b"1\n", b"1\n"):
            proc.stdin.write(line)
            proc.stdin.flush()
            shown += read_until(proc, "Answer (")  # the next question, and nothing about the last answer
        assert shown.count("Answer (") == 3
        assert not [v for v in VERDICTS if v in shown], shown
        proc.stdin.write(b"1\n")
        proc.stdin.close()
        rest = proc.stdout.read().decode()
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    assert "Score:" in rest and "Correct answer" in rest


@needs_exe
def test_killed_mid_exam_keeps_the_answers_given(sample_home):
    proc = start(sample_home)
    try:
        read_until(proc, "Answer (")
        proc.stdin.write(b"1\n2\n")
        proc.stdin.flush()
        read_until(proc, "[3/3]")
        proc.kill()  # SIGKILL: no chance to tidy up
        proc.wait(timeout=30)
    finally:
        proc.kill()
    db = sqlite3.connect(sample_home / "progress.db")
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2  # both in the review log
    assert db.execute("SELECT count(*) FROM exam_answers WHERE given IS NOT NULL").fetchone()[0] == 2
    rows = json.loads(subprocess.run([EXE, "exam", "--history", "--json"], env=env(sample_home),
                                     capture_output=True, text=True, timeout=60).stdout)
    assert rows[0]["status"] == "incomplete" and rows[0]["answered"] == 2


@needs_exe
def test_ctrl_c_exits_130_and_records_an_incomplete_exam(sample_home):
    proc = start(sample_home)
    try:
        read_until(proc, "Answer (")
        proc.stdin.write(b"1\n")
        proc.stdin.flush()
        read_until(proc, "[2/3]")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 130
        assert b"1 answer saved" in proc.stderr.read()
    finally:
        proc.kill()
    db = sqlite3.connect(sample_home / "progress.db")
    assert db.execute("SELECT status FROM exams").fetchone()[0] == "incomplete"


# --- the interactive screen draws within the terminal ------------------------------------------


def test_choices_wrap_within_80_columns_and_lose_no_word():
    from lambda_prep.bank.model import Question
    from lambda_prep.study.exam import Slot
    from lambda_prep.views.exam import _Screen

    long_choice = ("Raise the reserved concurrency of the function and set a maximum concurrency on the SQS event "
                   "source mapping so the poller never invokes more environments than the function may run")
    q = Question(id="x", topic="concurrency", type="single", prompt="Which fix? " * 20, explanation="e",
                 sources=("https://docs.aws.amazon.com/x",), last_verified="2026-11-01", difficulty=2,
                 choices=(long_choice, "Use FIFO"), answer=(long_choice,))
    fake_exam = types.SimpleNamespace(slots=[Slot(q, q.choices)], remaining=lambda: 100.0,
                                      unanswered=lambda: [0], flagged=lambda: [])
    for columns in (80, 120, 40):
        screen = _Screen(fake_exam, 0)
        screen.app = types.SimpleNamespace(output=types.SimpleNamespace(
            get_size=lambda c=columns: types.SimpleNamespace(columns=c)))
        for part in (screen._body(), screen._toolbar()):
            text = "".join(t for style, t in part if style != "[SetCursorPosition]")
            assert max(len(line) for line in text.splitlines()) < columns, text
        body = "".join(t for _, t in screen._body())
        assert " ".join(long_choice.split()) in " ".join(w for w in body.split() if w not in ("❯", "(", ")"))


# --- the navigator's keys, through prompt_toolkit's pipe input -----------------------------------


def navigator(remaining: float, keys: str, qtype: str = "single"):
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from lambda_prep.bank.model import Question
    from lambda_prep.study.exam import Slot
    from lambda_prep.views.exam import _Screen

    q = Question(id="x", topic="limits", type=qtype, prompt="Pick", explanation="e",
                 sources=("https://docs.aws.amazon.com/x",), last_verified="2026-11-01", difficulty=2,
                 choices=("a", "b", "c"), answer=("a",))
    slots = [Slot(q, q.choices), Slot(q, q.choices)]
    fake_exam = types.SimpleNamespace(slots=slots, remaining=lambda: remaining,
                                      unanswered=lambda: [0, 1], flagged=lambda: [])
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with create_app_session(input=pipe, output=DummyOutput()):
            return _Screen(fake_exam, 0).run()


def test_navigator_keys_give_the_learners_action():
    from lambda_prep.study.exam import Answer, Go, Submit, TimeUp, ToggleFlag

    assert navigator(100, "f") == ToggleFlag()
    assert navigator(100, "\x1b[B\r") == Answer(("b",))  # down, enter
    assert navigator(100, "3\r") == Answer(("c",))
    # Multi: 1 ticks a, space (cursor on a) unticks it, 3 ticks c, 2 ticks b; enter answers in shown order.
    assert navigator(100, "1 32\r", "multi") == Answer(("b", "c"))
    assert navigator(100, "\x1b[C") == Go(1)  # right arrow: next question
    assert navigator(100, "g2\r") == Go(1)  # go to question 2
    assert navigator(100, "sy") == Submit()  # submit, confirmed
    assert navigator(100, "snf") == ToggleFlag()  # submit, then no: back to the question
    assert navigator(100, "r\x1b[B\r") == Go(1)  # review list, down, open
    assert navigator(0, "") == TimeUp()  # time up ends the screen by itself


def test_time_allowed_is_two_minutes_a_question_unless_given(sample_home):
    # Three questions get six minutes, not the 40-question exam's 80: a short exam is not a relaxed one.
    assert json.loads(exam("--json", input="\n\n\n").stdout)["seconds_allowed"] == 3 * 2 * 60
    assert json.loads(exam("--json", "--minutes", "1", input="\n\n\n").stdout)["seconds_allowed"] == 60
