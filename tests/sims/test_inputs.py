"""Hostile simulation inputs: special files, huge or deep JSON, extreme numbers, options of another
mode. Each is exit 2 with a message naming the option and what is valid, before any work is done."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app

runner = CliRunner()


def simulate(*args):
    return runner.invoke(app, ["simulate", *args])


def refused(result, *phrases):
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr
    return True


@pytest.mark.parametrize("option", ["--resource-policy", "--identity-policy"])
def test_devices_fifos_and_folders_are_refused_before_reading(option, tmp_path):
    fifo = tmp_path / "policy.fifo"
    os.mkfifo(fifo)  # reading it would block for ever
    assert refused(simulate("security", option, "/dev/zero"), "a device")
    assert refused(simulate("security", option, str(fifo)), "a FIFO")
    assert refused(simulate("security", option, str(tmp_path)), "a folder")


def test_a_policy_file_over_64_kb_is_refused(tmp_path):
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"Version": "2012-10-17", "Statement": [], "pad": "x" * 70_000}))
    assert refused(simulate("security", "--resource-policy", str(big)), "at most 64 KB")


def test_deep_or_huge_number_json_is_a_clear_error(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 30_000 + "]" * 30_000)
    huge = tmp_path / "huge.json"
    huge.write_text('{"Version": ' + "9" * 5_000 + "}")
    assert refused(simulate("security", "--resource-policy", str(deep)), "nested too deeply")
    assert refused(simulate("security", "--resource-policy", str(huge)), "not a policy")


@pytest.mark.parametrize("args,message", [
    (["retries", "--arrival-rate", "1e-12"], "--arrival-rate must be 0 or from 0.001 to 10,000"),
    (["pricing", "--fargate-rps-per-task", "1e-320"], "--fargate-rps-per-task must be 0 or from 0.001"),
    (["retries", "--source", "sqs", "--events", "100000", "--max-receive-count", "1000",
      "--visibility-timeout-s", "18", "--failure-rate", "1"], "x receives per message must be at most"),
    (["retries", "--source", "sqs", "--events", "1000", "--max-receive-count", "1000",
      "--visibility-timeout-s", "18", "--failure-rate", "1"], "traced step by step"),
])
def test_extreme_values_exit_2_with_the_range(args, message):
    assert refused(simulate(*args), message)


# Options of a mode not chosen: out of range must still be refused (the report found 72 such).
OTHER_MODE = [
    ["cold-start", "--burst-size", "-1"],
    ["cold-start", "--burst-every-s", "nan"],
    ["cold-start", "--burst-at-s", "-5"],
    ["rds-proxy", "--pattern", "poisson", "--burst-size", "-5"],
    ["retries", "--visibility-timeout-s", "-inf"],
    ["retries", "--max-receive-count", "-1"],
    ["retries", "--retention-hours", "nan"],
    ["retries", "--max-retry-attempts", "-2"],
    ["retries", "--max-record-age-s", "5"],
    ["retries", "--batch-size", "0"],
    ["retries", "--source", "sqs", "--max-retries", "7"],
    ["retries", "--source", "stream", "--max-event-age-s", "1"],
    ["concurrency", "--sqs-messages", "0"],
    ["concurrency", "--max-receive-count", "0"],
    ["concurrency", "--visibility-timeout-s", "-1"],
    ["concurrency", "--sqs-reserved", "0"],
    ["concurrency", "--max-concurrency", "1"],
]


@pytest.mark.parametrize("args", OTHER_MODE, ids=" ".join)
def test_an_option_of_another_mode_is_still_checked(args):
    option = args[-2]
    assert refused(simulate(*args), f"Error: {option} must be", f"See: lambda-prep simulate {args[0]} --help")
