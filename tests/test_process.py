"""The installed program in real processes: piped stdin, python -m, startup imports, completion."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

EXE = shutil.which("lambda-prep") or ""
needs_exe = pytest.mark.skipif(not EXE, reason="lambda-prep is not installed on PATH")


def env(home) -> dict:
    return {**os.environ, "LAMBDA_PREP_HOME": str(home), "NO_COLOR": "1"}


@needs_exe
def test_piped_answers_in_a_real_process(data_home, sample_bank):
    result = subprocess.run([EXE, "quiz", "--bank", str(sample_bank), "--topic", "sample", "--count", "2",
                             "--seed", "1"], input="4\n2\n", capture_output=True, text=True, env=env(data_home),
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("✓ Correct") == 2
    db = sqlite3.connect(data_home / "progress.db")
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2


@needs_exe
def test_stdin_closed_at_once_ends_cleanly(data_home, sample_bank):
    result = subprocess.run([EXE, "quiz", "--bank", str(sample_bank), "--topic", "sample"],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env(data_home), timeout=60)
    assert result.returncode == 0 and "Input ended" in result.stdout
    assert "Traceback" not in result.stderr


def test_python_dash_m_works(data_home):
    result = subprocess.run([sys.executable, "-m", "lambda_prep", "--version"], capture_output=True, text=True,
                            env=env(data_home), timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("lambda-prep ")


HEAVY = ("questionary", "prompt_toolkit", "fsrs", "yaml", "rich.markdown", "rich.console", "pydantic", "sqlite3",
         "lambda_prep.sims.engine", "lambda_prep.study.store", "lambda_prep.bank.validation")


def test_importing_the_cli_loads_nothing_heavy():
    code = ("import sys, lambda_prep.cli; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"imported at CLI import time: {out}"


@needs_exe
def test_shell_completion_of_topics(data_home):
    completion_env = {**env(data_home), "_LAMBDA_PREP_COMPLETE": "complete_bash",
                      "COMP_WORDS": "lambda-prep explain co", "COMP_CWORD": "2"}
    result = subprocess.run([EXE], capture_output=True, text=True, env=completion_env, timeout=60)
    assert result.stdout.split() == ["cold-starts", "concurrency", "containers"]
    quiz_env = {**completion_env, "COMP_WORDS": "lambda-prep quiz --topic ret", "COMP_CWORD": "3"}
    assert subprocess.run([EXE], capture_output=True, text=True, env=quiz_env, timeout=60).stdout.split() == ["retries"]
