"""async-queue: throttle backoff, event age, drops, against cases computed by hand."""

from __future__ import annotations

import pytest

from lambda_prep.sims import async_queue as model
from lambda_prep.sims.common import ParamError


def test_backoff_doubles_from_one_second_to_five_minutes():
    assert [model.throttle_backoff_s(n) for n in range(1, 11)] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300]


def test_a_throttled_event_is_served_after_waits_of_1_2_4_8_seconds():
    # Concurrency 1; event A (t=0) runs 10 s; B arrives at 0.5 and is throttled at 0.5, 1.5, 3.5 and 7.5;
    # its 4th retry comes at 0.5 + 1 + 2 + 4 + 8 = 15.5 s, when A is done: AsyncEventAge 15 s.
    prm = model.Params(concurrency_limit=1, duration_ms=10_000, max_event_age_s=3600)
    result = model.run(prm, 1, arrivals=[0.0, 0.5])
    assert result.throttles == 4
    assert result.ages_at_invoke == [0.0, pytest.approx(15.0)]
    assert result.succeeded == 2 and result.dropped == 0


def test_an_event_that_cannot_be_served_before_its_maximum_age_is_dropped_at_that_age():
    # A occupies the only environment for 900 s; B is retried at ages 1, 3, 7, 15, 31 (next: 63 > 60).
    prm = model.Params(concurrency_limit=1, duration_ms=900_000, max_event_age_s=60, on_failure="dlq")
    result = model.run(prm, 1, arrivals=[0.0, 0.0])
    assert result.throttles == 6  # at ages 0, 1, 3, 7, 15, 31
    assert result.dropped_age == 1 and result.succeeded == 1
    data = result.to_json()["results"]
    assert data["dropped_by_reason"]["EventAgeExceeded"] == 1 and data["sent_to"] == "dlq"
    story = [e for e in data["examples"] if any(s["kind"] == "dropped" for s in e["steps"])][0]
    assert story["steps"][-1]["t"] == pytest.approx(60.0)


def test_reserved_concurrency_zero_drops_everything_at_once_without_retries():
    result = model.run(model.Params(concurrency_limit=0, arrival_rate=5, traffic_s=20), 3)
    assert result.dropped_no_concurrency == result.received > 0
    assert result.invocations == 0 and result.throttles == 0


def test_with_ample_concurrency_nothing_waits_and_drops_follow_p_to_the_retries_plus_one():
    prm = model.Params(arrival_rate=50, traffic_s=600, concurrency_limit=200, duration_ms=100, failure_rate=0.4,
                       max_event_age_s=21_600)
    result = model.run(prm, 7)
    assert result.throttles == 0
    p3 = 0.4 ** 3
    n = result.received
    se = (p3 * (1 - p3) / n) ** 0.5
    assert abs(result.dropped_retries / n - p3) < 4 * se
    assert result.to_json()["results"]["theory"]["dropped_ratio_if_no_throttling"] == pytest.approx(p3)
    # a first try has age 0; a retry waits 60 or 120 s in the queue
    assert set(round(a) for a in result.ages_at_invoke) <= {0, 60, 180}


def test_events_are_conserved_and_throughput_never_exceeds_capacity():
    result = model.run(model.Params(), 1)
    assert result.received == result.succeeded + result.dropped
    assert result.invocations <= result.capacity_per_s * result.sim_end_s
    data = result.to_json()["results"]
    assert sum(row["received"] for row in data["series"]) == result.received
    assert sum(row["dropped"] for row in data["series"]) == result.dropped
    assert data["series"][-1]["waiting"] == 0
    assert max(row["busy"] for row in data["series"]) <= result.params.concurrency_limit


def test_default_demo_overloads_ages_and_drops():
    data = model.run(model.Params(), 1).to_json()
    results = data["results"]
    assert results["theory"]["overloaded"]
    assert results["throttles"] > 0 and results["dropped"] > 0
    assert results["async_event_age_s"]["max"] <= model.DEMO_MAX_EVENT_AGE_S
    assert any("6 h" in a for a in data["assumptions"])  # the demo's age limit is labelled


def test_a_longer_maximum_age_drops_nothing_in_the_demo():
    result = model.run(model.Params(max_event_age_s=21_600), 1)
    assert result.dropped == 0 and result.succeeded == result.received


def test_function_errors_out_of_retries_go_to_the_destination():
    prm = model.Params(arrival_rate=1, traffic_s=100, concurrency_limit=10, duration_ms=100, failure_rate=1.0,
                       max_retries=1, max_event_age_s=21_600)
    result = model.run(prm, 2)
    assert result.dropped_retries == result.received
    assert result.invocations == 2 * result.received


@pytest.mark.parametrize("field,value", [("max_retries", 3), ("max_event_age_s", 59), ("max_event_age_s", 21_601),
                                         ("concurrency_limit", -1), ("failure_rate", 1.5), ("on_failure", "s3")])
def test_out_of_range_parameters_name_the_option_and_range(field, value):
    with pytest.raises(ParamError) as err:
        model.Params(**{field: value})
    assert field.replace("_", "-") in str(err.value)


def test_same_seed_same_result():
    assert model.run(model.Params(), 5).to_json() == model.run(model.Params(), 5).to_json()


def test_progress_counts_every_event_once():
    got: list[int] = []
    result = model.run(model.Params(), 1, got.append)
    assert sum(got) == result.received
    assert model.total_steps(model.Params()) == 6000


def test_the_chart_shows_the_real_peak_of_waiting_events_not_a_bars_end():
    # 80 events/s for 300 s against 10 x 500 ms = 20/s: about (80 - 20) x 300 = 18,000 wait at the
    # burst's end. A bar lasts minutes, so its end-of-bar count (13,142 here) understated the peak.
    prm = model.Params(arrival_rate=80, traffic_s=300, concurrency_limit=10, duration_ms=500, max_event_age_s=21600)
    peak = max(row["waiting"] for row in model.run(prm, 3).series)
    assert peak == pytest.approx((80 - 20) * 300, rel=0.05)
