"""The one error boundary: exceptions carry their exit code and message; the CLI prints them once."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.errors import LambdaPrepError, UsageError
from lambda_prep.exit_codes import ExitCode
from lambda_prep.sims.common import ParamError
from lambda_prep.study.settings import SETTINGS, lookup
from lambda_prep.study.store import StoreError

runner = CliRunner()


def test_every_layer_raises_the_one_base_with_its_exit_code():
    assert issubclass(StoreError, LambdaPrepError) and StoreError.exit_code == ExitCode.ERROR
    assert issubclass(ParamError, UsageError) and ParamError.exit_code == ExitCode.USAGE
    assert str(LambdaPrepError("what", advice="do this")) == "what do this"


@pytest.mark.parametrize("args", [["config", "new-per-days"], ["config", "new-per-days", "3"]])
def test_one_unknown_setting_error_for_showing_and_setting(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.strip() == ("Error: unknown setting 'new-per-days'; settings: desired-retention, "
                                     "new-per-day, day-start-hour, exam-pass-mark, drills-per-session. Did you mean new-per-day?")


def test_settings_are_defined_once_with_their_range():
    names = [s.name for s in SETTINGS]
    assert names == ["desired-retention", "new-per-day", "day-start-hour", "exam-pass-mark", "drills-per-session"]
    with pytest.raises(UsageError, match="from 0.7 to 0.99"):
        lookup("desired-retention").parse("0.5")
    result = runner.invoke(app, ["config", "day-start-hour", "24"])
    assert result.exit_code == 2 and "day-start-hour must be from 0 to 23" in result.stderr
    shown = runner.invoke(app, ["config"]).stdout
    assert all(s.meaning in shown for s in SETTINGS)


def test_a_usage_error_from_the_library_is_exit_2_without_a_traceback():
    result = runner.invoke(app, ["quiz", "--new", "--due"])
    assert result.exit_code == 2 and "exclude each other" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.skipif(not shutil.which("lambda-prep"), reason="lambda-prep is not installed on PATH")
def test_a_closed_pipe_exits_141_quietly(data_home):
    env = {**os.environ, "LAMBDA_PREP_HOME": str(data_home)}
    result = subprocess.run("lambda-prep simulate retries | head -1; exit ${PIPESTATUS[0]}", shell=True,
                            executable="/bin/bash", capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == ExitCode.BROKEN_PIPE
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


def test_an_error_is_wrapped_at_words_in_a_terminal_and_left_whole_for_a_script(monkeypatch):
    # A terminal breaks an over-long line wherever the edge falls ("Py / thon"); scripts and logs
    # want one line per message.
    import io

    from lambda_prep.terminal import wrap_for

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setenv("COLUMNS", "40")
    text = ("Error: --snapstart needs --runtime java, python or dotnet, got nodejs (on managed runtimes "
            "SnapStart supports Java 11+, Python 3.12+ and .NET 8+)\nSee: lambda-prep simulate cold-start --help")
    wrapped = wrap_for(Tty(), text)
    assert all(len(line) <= 39 for line in wrapped.splitlines())
    assert wrapped.split() == text.split()  # every word whole, none lost
    assert wrap_for(io.StringIO(), text) == text
