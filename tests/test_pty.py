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


def spawn(data_home, sample_bank, *extra, topic="sample", columns=120):
    env = {**os.environ, "LAMBDA_PREP_HOME": str(data_home), "TERM": "xterm-256color", "NO_COLOR": "1",
           "PROMPT_TOOLKIT_NO_CPR": "1"}  # no cursor-position request: no 1 s wait for its answer
    env.pop("COLUMNS", None)  # the terminal's own width, as a person would have it
    return pexpect.spawn(EXE, ["quiz", "--bank", str(sample_bank), "--topic", topic, "--seed", "1", *extra],
                         env=env, encoding="utf-8", timeout=20, dimensions=(40, columns))


def test_answer_with_arrow_keys_in_a_real_terminal(data_home, sample_bank):
    child = spawn(data_home, sample_bank, "--count", "1")
    child.expect("What is the maximum timeout")
    child.expect("Your answer")
    child.send(DOWN * 3)
    child.send(ENTER)
    child.expect("Correct")
    child.expect("Enter: the summary")  # the feedback stays until a key is pressed
    child.send(ENTER)
    child.expect("This session")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_the_next_question_waits_for_a_key_and_q_stops_with_the_summary(data_home, sample_bank):
    child = spawn(data_home, sample_bank)
    child.expect("Your answer")
    child.send(DOWN * 3 + ENTER)
    child.expect("Enter: next question")
    with pytest.raises(pexpect.TIMEOUT):  # nothing more is printed until a key is pressed
        child.expect(r"\[2/", timeout=1.5)
    child.send("x")  # any other key does nothing
    with pytest.raises(pexpect.TIMEOUT):
        child.expect(r"\[2/", timeout=1)
    child.send(" ")  # space goes on
    child.expect(r"\[2/")
    child.expect("Your answer")
    child.send(ENTER)
    child.expect("Enter: next question")
    child.send("q")
    child.expect("This session")
    child.expect("Stopped with")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    db = sqlite3.connect(data_home / "progress.db")
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2


def test_u_takes_the_last_answer_back_in_a_real_terminal(data_home, sample_bank):
    child = spawn(data_home, sample_bank, "--count", "1")
    child.expect("Your answer")
    child.send(ENTER)  # "1 hour": a misfire
    child.expect("Not quite")
    child.expect("u: take this answer back")
    db = sqlite3.connect(data_home / "progress.db")
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    child.send("u")
    child.expect("Answer taken back")
    child.expect(r"\[1/1\]")  # the same question again, as new
    child.expect("Your answer")
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM cards WHERE state != 0").fetchone()[0] == 0
    child.sendintr()
    child.expect("Interrupted. 0 answers saved.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_long_choices_wrap_at_80_columns_and_keep_their_last_words(data_home):
    from pathlib import Path

    bank = Path(__file__).parent / "data" / "long_choices.yaml"
    child = spawn(data_home, bank, "--type", "multi", topic="longtest", columns=80)
    child.expect("Your answer")
    child.expect(r"I don't know")
    # prompt_toolkit turns the terminal's own line wrap off (ESC [?7l): whatever passes column 80 is lost.
    lines = [_visible(line) for line in child.before.replace("\r", "").split("\n")]
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    words = " ".join(" ".join(lines).split())
    assert "can permit the request, if nothing denies it" in words
    assert "whichever policy type holds the Deny and whichever account it belongs to" in words
    ending = next(line for line in lines if line.rstrip().endswith("denies it"))
    assert ending.startswith("     ") and "○" not in ending  # a continuation line, indented under the text
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()


def test_the_picked_long_choice_is_printed_whole_at_80_columns(data_home):
    from pathlib import Path

    bank = Path(__file__).parent / "data" / "long_choices.yaml"
    child = spawn(data_home, bank, "--type", "single", topic="longtest", columns=80)
    child.expect("I don't know")
    child.send(ENTER)  # the first choice, whichever it is
    child.expect(r"Correct|Not quite")
    # What is left on screen once the prompt has erased itself: the pick, printed by lambda-prep.
    text = child.before[child.before.rfind("? Your answer: "):]
    lines = [_visible(line) for line in text.replace("\r", "").split("\n")]
    answered = " ".join(" ".join(lines).split())
    assert len(lines) >= 2 and all(len(line) <= 80 for line in lines), lines
    assert "which can be raised by a quota request" in answered or "which can never be raised by anyone" in answered \
        or "adds up across the functions of the account" in answered
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()


def _visible(line: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][AB0-2]|\x1b[=>]", "", line)


def test_ctrl_c_mid_quiz_keeps_answers_and_exits_130(data_home, sample_bank):
    child = spawn(data_home, sample_bank)
    child.expect("Your answer")
    child.send(DOWN * 3)
    child.send(ENTER)
    child.expect("Correct")
    child.expect("Enter: next question")
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


@pytest.mark.parametrize("key,says,code", [("d", "Input ended; answers given so far are saved.", 0),
                                           ("c", "Interrupted. 1 answer saved.", 130)])
def test_ctrl_d_or_c_at_the_pace_key_keeps_the_answer_and_shows_the_summary(key, says, code, data_home,
                                                                            sample_bank):
    child = spawn(data_home, sample_bank)
    child.expect("Your answer")
    child.send(DOWN * 3)
    child.send(ENTER)
    child.expect("Enter: next question")
    child.sendcontrol(key)
    child.expect("This session")
    child.expect(says)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code
    db = sqlite3.connect(data_home / "progress.db")
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1


def test_ctrl_c_with_output_piped_exits_130_with_a_message(data_home, sample_bank):
    # `lambda-prep quiz | tee log`: Ctrl-C ends tee too, so the summary cannot be written to stdout.
    import signal
    import subprocess
    import time

    master, slave = os.openpty()
    read_end, write_end = os.pipe()
    env = {**os.environ, "LAMBDA_PREP_HOME": str(data_home)}
    quiz = subprocess.Popen([EXE, "quiz", "--bank", str(sample_bank), "--topic", "sample", "--seed", "1"],
                            stdin=slave, stdout=write_end, stderr=subprocess.PIPE, env=env, start_new_session=True)
    os.close(write_end)
    reader = subprocess.Popen(["cat"], stdin=read_end, stdout=subprocess.DEVNULL)
    os.close(read_end)
    deadline = time.monotonic() + 20
    while not (data_home / "progress.db").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    os.write(master, b"1\n")
    while time.monotonic() < deadline:
        db = sqlite3.connect(data_home / "progress.db")
        if db.execute("SELECT count(*) FROM reviews").fetchone()[0]:
            break
        time.sleep(0.1)
    reader.send_signal(signal.SIGINT)
    reader.wait()
    quiz.send_signal(signal.SIGINT)
    stderr = quiz.stderr.read().decode()
    assert quiz.wait(timeout=20) == 130
    assert "Interrupted. 1 answer saved." in stderr and "Traceback" not in stderr
    os.close(master)
    os.close(slave)


def test_an_ascii_only_output_does_not_crash_the_quiz(data_home, sample_bank):
    import subprocess

    env = {**os.environ, "LAMBDA_PREP_HOME": str(data_home), "PYTHONIOENCODING": "ascii"}
    result = subprocess.run([EXE, "quiz", "--bank", str(sample_bank), "--topic", "sample", "--seed", "1"],
                            input="1\n2\n", capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "[1/4] sample - one answer" in result.stdout  # the middle dot degraded to "-"
