"""recursive-loop: the stop after 16 invocations, what is not detected, and the cost, by hand."""

from __future__ import annotations

import pytest

from lambda_prep.sims import recursive_loop as model
from lambda_prep.sims.common import ParamError

PER_INVOCATION = 0.20 / 1_000_000 + 0.2 * 128 / 1024 * 0.0000166667  # 200 ms at 128 MB, x86_64


def test_one_event_chain_is_stopped_after_16_invocations_at_17_hops():
    result = model.run(model.Params(), 1)
    data = result.to_json()["results"]
    assert data["detected"] and data["invocations"] == 16 and data["recursive_invocations_dropped"] == 1
    # invocation k starts at k x 100 ms + (k - 1) x 200 ms; the 17th hop is stopped at 1.7 + 3.2 s
    assert data["stopped_at_s"] == pytest.approx(17 * 0.1 + 16 * 0.2)
    assert [row["t"] for row in data["chain"][:3]] == [pytest.approx(0.1), pytest.approx(0.4), pytest.approx(0.7)]
    assert "RecursiveInvocationsDropped" in data["chain"][-1]["what"]
    assert data["cost_usd"] == pytest.approx(round(16 * PER_INVOCATION, 6))


def test_fan_out_two_runs_a_tree_of_65535_and_drops_65536():
    data = model.run(model.Params(fan_out=2), 1).to_json()["results"]
    assert data["invocations"] == 2 ** 16 - 1 and data["recursive_invocations_dropped"] == 2 ** 16
    assert data["peak_concurrency"] == 1000
    # generation 16 (32,768 events) needs ceil(32768 / 1500) = 22 steps of 0.3 s at 1,000 concurrency
    assert data["stopped_at_s"] > 22 * 0.3


@pytest.mark.parametrize("change,why", [
    ({"via": "dynamodb"}, "not detected"),
    ({"recursion": "allow"}, "RecursiveLoop=Allow"),
    ({"supported_sdk": False}, "supported AWS SDK"),
])
def test_loops_lambda_cannot_see_run_until_someone_notices(change, why):
    data = model.run(model.Params(**change), 1).to_json()["results"]
    assert not data["detected"] and why in data["why_not_detected"]
    # one chain, one event at a time: floor(3600 s / 0.3 s) invocations in the hour
    assert data["invocations"] == 12_000 and data["recursive_invocations_dropped"] == 0
    assert data["cost_usd"] == pytest.approx(round(12_000 * PER_INVOCATION, 6))
    assert data["runaway_cost_per_month_usd"] == pytest.approx(12_000 * PER_INVOCATION * 730, abs=0.01)


@pytest.mark.parametrize("via", ["sqs", "sns", "s3", "lambda"])
def test_every_supported_service_is_detected(via):
    assert model.Params(via=via).detected


def test_an_unstopped_fan_out_saturates_the_account_concurrency():
    data = model.run(model.Params(via="dynamodb", fan_out=2), 1).to_json()["results"]
    # at most 1,000 x (0.3 / 0.2) = 1,500 invocations per 0.3-s step once saturated
    assert data["peak_concurrency"] == 1000
    assert data["invocations"] <= 1500 * 12_000
    assert data["invocations"] > 1500 * (12_000 - 20)  # saturated within about a dozen steps
    assert data["waiting_at_end"] > 10_000_000  # the queue grows without end


def test_the_fan_out_table_compares_the_stop_with_an_hour_left_running():
    rows = model.run(model.Params(), 1).to_json()["results"]["by_fan_out"]
    assert [r["stopped_invocations"] for r in rows] == [16, 2 ** 16 - 1, (3 ** 16 - 1) // 2]
    assert rows[0]["unstopped_invocations"] == 12_000
    assert rows[1]["unstopped_cost_per_month_usd"] > 1000 * rows[0]["unstopped_cost_per_month_usd"]


def test_parameters_are_checked():
    for bad in ({"via": "kinesis"}, {"fan_out": 5}, {"recursion": "off"}, {"memory_mb": 64}):
        with pytest.raises(ParamError):
            model.Params(**bad)


def test_no_randomness():
    assert model.run(model.Params(), 1).to_json() == model.run(model.Params(), 99).to_json()
