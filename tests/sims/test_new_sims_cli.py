"""The commands of batching, idempotency, lifecycle, managed-instances, observability, container-image:
bad values and flags that do not apply exit 2 naming the rule; examples in --help run."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app

runner = CliRunner()
NEW = ("batching", "idempotency", "lifecycle", "managed-instances", "observability", "container-image")


@pytest.mark.parametrize("args, words", [
    ("batching --queue fifo --batching-window-s 5", "applies to --queue standard"),
    ("batching --message-groups 3", "applies to --queue fifo"),
    ("batching --batch-size 50", "at least 1"),
    ("idempotency --source sqs --max-retries 1", "applies to --source async"),
    ("idempotency --batch-size 5", "applies to --source sqs or --source stream"),
    ("lifecycle --extension none --extension-post-ms 10", "applies to --extension internal or --extension external"),
    ("lifecycle --restore-ms 100", "applies to --snapstart"),
    ("lifecycle --timeout-at 9", "from 1 to 6"),
    ("managed-instances --max-concurrency 2000", "1 to 1,600"),
    ("observability --alarm-datapoints 5", "cannot exceed"),
    ("container-image --zip-ratio 2", "from 0.01 to 1"),
])
def test_bad_input_exits_2_with_the_rule(args, words):
    result = runner.invoke(app, ["simulate", *shlex.split(args)])
    assert result.exit_code == 2
    assert words in result.output


@pytest.mark.parametrize("name", NEW)
def test_help_examples_run(name):
    help_text = runner.invoke(app, ["simulate", name, "--help"], env={"COLUMNS": "200"}).output
    examples = re.findall(r"^\s+(lambda-prep simulate .+?)\s*$", help_text.split("Examples:", 1)[1], flags=re.M)
    assert examples
    for example in examples:
        result = runner.invoke(app, shlex.split(example)[1:] + ["--json"])
        assert result.exit_code == 0, (example, result.output[-300:])
        assert json.loads(result.stdout)["simulation"] == name
