"""The observability model: metric identities, Erlang-B and Little's law, alarms and sampling by hand."""

from __future__ import annotations

import math

import pytest

from lambda_prep.sims import observability as model
from lambda_prep.sims.common import ParamError, erlang_b


def test_throttled_requests_are_not_invocations():
    result = model.run(model.Params(), 1)
    for row in result.minutes:
        assert row["invocations"] + row["throttles"] == row["requests"]
        assert row["errors"] >= row["timeouts"]  # a timeout is counted as an error
    assert result.totals["throttles"] > 0


def test_throttle_share_matches_erlang_b():
    # the whole run slowed: offered load = 20/s x E[min(Exp(1.6 s), 3 s)]
    params = model.Params(minutes=120, incident_at_min=0, incident_minutes=120, incident_error_rate=0.0)
    result = model.run(params, 4)
    load = 20 * 1.6 * (1 - math.exp(-3 / 1.6))
    expected = erlang_b(20, load)
    share = result.totals["throttles"] / result.totals["requests"]
    n = result.totals["requests"]
    # throttles come in correlated runs: allow a wider band than the binomial one
    assert abs(share - expected) < 6 * math.sqrt(expected * (1 - expected) / n)
    assert result.theory["incident_throttle_share"] == pytest.approx(expected, abs=1e-6)


def test_mean_concurrency_is_littles_law():
    params = model.Params(minutes=60, incident_minutes=0, concurrency_limit=None)
    result = model.run(params, 5)
    expected = 20 * 0.2 * (1 - math.exp(-3 / 0.2))
    assert result.totals["throttles"] == 0
    assert abs(result.totals["mean_concurrency"] - expected) / expected < 0.03


def test_alarm_m_out_of_n_by_hand():
    values = [0, 12, 3, 15, 20, 0, 0, 0]
    assert model.evaluate_alarm(values, 10, 2, 3) == ["OK", "OK", "OK", "ALARM", "ALARM", "ALARM", "OK", "OK"]
    assert model.evaluate_alarm(values, 10, 1, 1) == ["OK", "ALARM", "OK", "ALARM", "ALARM", "OK", "OK", "OK"]


def test_alarm_fires_during_a_clean_incident():
    params = model.Params(minutes=20, error_rate=0.0, incident_at_min=5, incident_minutes=4, incident_error_rate=1.0,
                          incident_slowdown=1.0, concurrency_limit=None, alarm_threshold=1, alarm_datapoints=1,
                          alarm_periods=1)
    result = model.run(params, 2)
    assert result.alarm["fired_at_min"] == [5] and result.alarm["cleared_at_min"] == [9]
    assert [r["minute"] for r in result.minutes if r["alarm"] == "ALARM"] == [5, 6, 7, 8]


def test_xray_sampling_rule():
    assert model.expected_traces([3, 0, 1]) == pytest.approx(1 + 0.1 + 0 + 1)
    result = model.run(model.Params(minutes=60, incident_minutes=0), 3)
    rest = result.traces["invocations"] - 3600
    sd = math.sqrt(rest * 0.05 * 0.95)
    assert abs(result.traces["sampled"] - result.traces["expected"]) < 4 * sd


def test_timeout_log_and_billing():
    result = model.run(model.Params(), 1)
    last = result.logs[-1]["lines"]
    assert last[0].endswith("Task timed out after 3.00 seconds")
    assert "Billed Duration: 3000 ms" in last[-1]


@pytest.mark.parametrize("kw, words", [
    (dict(alarm_datapoints=4, alarm_periods=3), "cannot exceed"),
    (dict(alarm_metric="latency"), "one of"),
    (dict(concurrency_limit=901), "1 to 900"),
])
def test_bad_params(kw, words):
    with pytest.raises(ParamError, match=words):
        model.Params(**kw)
