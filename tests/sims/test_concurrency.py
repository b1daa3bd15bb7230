"""concurrency: Erlang-B throttling, the token-bucket scaling rate, the 100 unreserved, the SQS trap.

Tolerances are about 4 standard errors from the sample: the spread of independent replications
(throttles come in runs, so they are not binomial), floored at the binomial SE.
"""

from __future__ import annotations

import json
import math
import statistics

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import concurrency as model
from lambda_prep.sims.common import ParamError, erlang_b

runner = CliRunner()
Z = 4.0


def run(seed: int = 1, **kw):
    kw.setdefault("sqs", False)
    return model.run(model.Params(**kw), seed)


def replicated(n: int, reps: int, expected: float, **kw) -> tuple[float, float]:
    shares = [run(seed, requests=n, **kw).throttled_ratio for seed in range(1, reps + 1)]
    se = max(statistics.stdev(shares) / math.sqrt(reps), math.sqrt(expected * (1 - expected) / (n * reps)))
    return statistics.fmean(shares), se


@pytest.mark.parametrize("dist", ["fixed", "exp"])
def test_throttled_share_under_the_account_limit_is_erlang_b(dist):
    """No reservation: the account limit (here 10) is the cap; a = 8 Erlangs; B(10, 8) for any S."""
    expected = erlang_b(10, 8.0)
    mean, se = replicated(30_000, 6, expected, account_limit=10, arrival_rate=8.0, duration_ms=1000,
                          duration_dist=dist, init_ms=0)
    assert abs(mean - expected) <= Z * se, (mean, expected, se)


@pytest.mark.parametrize("dist", ["fixed", "exp"])
def test_throttled_share_under_reserved_concurrency_is_erlang_b(dist):
    """Reserved concurrency 3 caps the function: B(3, 2.5)."""
    expected = erlang_b(3, 2.5)
    mean, se = replicated(30_000, 6, expected, concurrency_limit=3, arrival_rate=5.0, duration_ms=500,
                          duration_dist=dist, init_ms=0)
    assert abs(mean - expected) <= Z * se, (mean, expected, se)


def test_scaling_rate_is_a_token_bucket_of_1000_refilled_at_100_per_second():
    """Account limit raised to 5,000, demand a step to ~3,000 environments: 1,000 start at once, then
    100 a second (F7), so at time t at most 1,000 + 100 t environments exist, the throttles are all
    by the scaling rate, and they stop once the bucket has let the peak demand in."""
    r = run(account_limit=5000, arrival_rate=3000.0, duration_ms=1000, init_ms=0, requests=120_000)
    assert r.throttled_by["concurrency_limit"] == 0 and r.throttled_by["scaling_rate"] > 0
    for t, alive, *_ in r.samples:
        assert alive <= 1000 + 100 * t + 1, (t, alive)
    last_throttle = max(s[0] for s in r.samples if s[4] > 0)
    ramp = (r.peak_environments - 1000) / 100  # seconds the bucket needs to let the peak in
    assert last_throttle <= ramp + 1.0, (last_throttle, ramp)
    assert r.peak_concurrency > 2900


def test_avg_concurrency_is_little_law_when_nothing_is_throttled():
    """lambda 50/s x 0.4 s = 20 busy; SE of an M/M/inf time-average, sqrt(2 a E[S] / H)."""
    r = run(arrival_rate=50.0, duration_ms=400, duration_dist="exp", init_ms=0, requests=200_000)
    a = 20.0
    assert r.throttled == 0
    assert abs(r.avg_concurrency - a) <= Z * math.sqrt(2 * a * 0.4 / r.simulated_s)


@pytest.mark.parametrize("kwargs, text", [
    ({"concurrency_limit": 901}, "minus the 100 that must stay unreserved"),
    ({"account_limit": 2000, "concurrency_limit": 1901}, "from 0 to 1,900"),
    ({"account_limit": 50, "concurrency_limit": 1}, "100 that must stay unreserved"),
    ({"account_limit": 0}, "--account-limit must be from 1"),
    ({"max_concurrency": 1}, "2 to 1,000"),
    ({"visibility_timeout_s": 0.5}, "visibility timeout"),
    ({"max_receive_count": 0}, "1 to 1,000"),
    ({"duration_dist": "normal"}, "fixed, exp"),
])
def test_bad_parameters_raise_with_the_range(kwargs, text):
    with pytest.raises(ParamError) as error:
        model.Params(**kwargs)
    assert text in str(error.value)


def test_reserving_exactly_account_minus_100_is_allowed():
    assert model.Params(concurrency_limit=900).limit == 900


def test_sqs_trap_throttles_and_returns_batches_and_the_fix_does_not():
    r = model.run(model.Params(requests=1_000, sqs_messages=10_000), 1)
    trap, fix = r.sqs["trap"], r.sqs["fix"]
    for s in (trap, fix):
        assert s.processed + s.dead_lettered == s.messages
    assert trap.throttled_invokes > 0 and trap.returned_batches > 0 and trap.mean_receives > 1
    assert fix.dead_lettered == 0 and fix.throttled_invokes == 0 and fix.receives == fix.messages
    assert fix.peak_concurrency <= r.params["effective_max_concurrency"]
    assert max(int(k) for k in trap.receive_counts) <= r.params["max_receive_count"]


def test_sqs_trap_sends_good_messages_to_the_dlq_when_max_receive_count_is_low():
    r = model.run(model.Params(requests=1_000, sqs_messages=10_000, max_receive_count=1), 1)
    assert r.sqs["trap"].dead_lettered > 0 and r.sqs["fix"].dead_lettered == 0


def test_sqs_pollers_back_off_on_throttles():
    """AWS: on throttles Lambda reduces the concurrency allocated to the mapping. Without the back-off
    the pollers grew to 505 batches in flight against a reserved concurrency of 5."""
    r = model.run(model.Params(requests=1_000, sqs_messages=10_000), 1)
    trap = r.sqs["trap"]
    assert trap.peak_batches_in_flight <= 4 * r.params["effective_sqs_reserved"]
    assert any("halve" in a for a in r.assumptions) and not any("never scale down" in a for a in r.assumptions)


def test_sqs_no_trap_when_reserved_concurrency_covers_the_pollers():
    """200 batches drain before the pollers (5, +5/s) outgrow a reservation of 200."""
    r = model.run(model.Params(requests=1_000, sqs_messages=2_000, sqs_reserved=200), 1)
    assert r.sqs["trap"].dead_lettered == 0 and r.sqs["trap"].throttled_invokes == 0


def test_same_seed_same_result():
    a = model.run(model.Params(requests=5_000, sqs_messages=2_000), 3).to_json()
    b = model.run(model.Params(requests=5_000, sqs_messages=2_000), 3).to_json()
    assert a == b


def test_cli_json_has_the_documented_keys():
    args = ["simulate", "concurrency", "--json", "--requests", "5000", "--sqs-messages", "1000"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["results"]
    for key in ("requests", "throttled", "throttled_ratio", "avg_concurrency", "peak_concurrency", "sqs"):
        assert key in data, key
    assert set(data["sqs"]) == {"trap", "fix"}
    assert runner.invoke(app, args).output == result.output


def test_cli_bad_parameter_exits_2_with_the_reason():
    result = runner.invoke(app, ["simulate", "concurrency", "--concurrency-limit", "950"])
    assert result.exit_code == 2, result.output
    assert "from 0 to 900" in result.output and "100 that must stay unreserved" in result.output


def test_cli_demo_renders_with_the_interview_footer():
    result = runner.invoke(app, ["simulate", "concurrency"])
    assert result.exit_code == 0, result.output
    assert "Limits" in result.output and "SQS standard queue" in result.output
    assert "What to say in the interview" in result.output
    assert "lambda-prep explain concurrency" in result.output


def test_cli_help_lists_sources_and_assumptions():
    result = runner.invoke(app, ["simulate", "concurrency", "--help"])
    assert result.exit_code == 0
    assert "scaling-behavior.html" in result.output and "API_ScalingConfig.html" in result.output
    assert "Model assumptions" in result.output
