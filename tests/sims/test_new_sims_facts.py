"""The five newer simulations: figures in their --help texts agree with sims/facts.py."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import facts as F

runner = CliRunner()


def _help(name: str) -> str:
    result = runner.invoke(app, ["simulate", name, "--help"], terminal_width=200)
    assert result.exit_code == 0
    return re.sub(r"\s+", " ", result.output.replace("│", " "))


@pytest.mark.parametrize("name,phrases", [
    ("async-queue", [f"from {F.ASYNC_THROTTLE_BACKOFF_S.value[0]:g} s to at most "
                     f"{F.ASYNC_THROTTLE_BACKOFF_S.value[1] / 60:g} min",
                     f"0-{int(F.ASYNC_MAX_RETRIES.value)} retries",
                     f"maximum event age 60 s-{int(F.ASYNC_MAX_EVENT_AGE_S.value) // 3600} h"]),
    ("noisy-neighbours", [f"account concurrency {int(F.ACCOUNT_CONCURRENCY.value):,} per Region",
                          f"minus {int(F.UNRESERVED_MINIMUM.value)}"]),
    ("recursive-loop", [f"more than {int(F.RECURSION_LIMIT.value)} times in one chain",
                        f"after {int(F.RECURSION_LIMIT.value)}"]),
    ("front-door", [f"{F.APIGW_REST_TIMEOUT_MS.value[0]} ms-{F.APIGW_REST_TIMEOUT_MS.value[1] // 1000} s",
                    f"up to {int(F.APIGW_HTTP_TIMEOUT_MS.value) // 1000} s",
                    f"payload {int(F.APIGW_PAYLOAD_MB.value)} MB",
                    f"{int(F.ALB_LAMBDA_BODY_KB.value) // 1024} MB request body",
                    f"RESPONSE_STREAM {int(F.STREAMED_RESPONSE_MB.value)} MB",
                    f"{int(F.APIGW_ACCOUNT_RPS.value):,} requests/s"]),
])
def test_help_figures_are_the_facts(name, phrases):
    text = _help(name)
    for phrase in phrases:
        assert phrase in text, phrase


def test_deploy_offers_exactly_codedeploys_nine_configurations():
    from lambda_prep.cli_simulate.deploy import Config

    names = [name for name, *_ in F.CODEDEPLOY_LAMBDA_CONFIGS.value]
    assert len(names) == 9 and [c.value for c in Config] == names
    result = runner.invoke(app, ["simulate", "deploy", "--config", "lambdalinear10percentevery3minutes", "--json"])
    assert result.exit_code == 0, result.output
    assert '"name": "LambdaLinear10PercentEvery3Minutes"' in result.output
    result = runner.invoke(app, ["simulate", "deploy", "--config", "Canary50Percent"])
    assert result.exit_code == 2


def test_new_facts_are_dated_and_sourced():
    section = [name for name in F.all_facts() if name.startswith(("ASYNC_QUEUE", "ASYNC_BUSY", "ASYNC_RESERVED",
                                                                  "RECURSION", "CODEDEPLOY", "APIGW", "ALB",
                                                                  "STREAMED"))]
    assert len(section) >= 12
    for name in section:
        fact = F.all_facts()[name]
        assert fact.source.startswith("https://") and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", fact.checked), name
