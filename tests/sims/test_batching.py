"""The batching model against hand-counted cases and the Poisson closed form."""

from __future__ import annotations

import math

import pytest

from lambda_prep.sims import batching as model
from lambda_prep.sims.common import ParamError


def steady(**kw) -> model.Params:
    base = dict(pattern="steady", compare=False, base_ms=40, per_record_ms=5)
    base.update(kw)
    return model.Params(**base)


def test_window_invocation_count_by_hand():
    # 4 messages a second, evenly spaced (0, 0.25, 0.5, ...), a 2 s window and room for 100:
    # a batch opens at a message and takes it plus the 8 arriving in the next 2 s (t+0.25 .. t+2.0),
    # so 9 per batch: 1,000 messages -> 111 full batches (999) + 1 -> 112 invocations.
    result = model.run(steady(messages=1_000, arrival_rate=4, batch_size=100, batching_window_s=2), 1)
    assert result.run.invocations == 112
    assert result.example_batches[0]["records"] == 9
    assert result.example_batches[0]["closed_by"] == "window"
    # the first message of each full batch waits the whole window, then the handler: 2 s + 40 + 9x5 ms
    assert result.run.latency_ms["max"] == pytest.approx(2_085.0, abs=0.1)


def test_batch_size_closes_before_the_window():
    # 4 a second, batch of 5, 20 s window: the 5th message (1 s after the first) closes the batch
    result = model.run(steady(messages=1_000, arrival_rate=4, batch_size=5, batching_window_s=20), 1)
    assert result.run.invocations == 200
    assert result.example_batches[0]["closed_by"] == "batch size"
    assert result.example_batches[0]["close_s"] == pytest.approx(1.0)


def test_no_window_means_one_invocation_per_sparse_message_and_backlog_fills_batches():
    sparse = model.run(steady(messages=300, arrival_rate=2), 1)
    assert sparse.run.invocations == 300 and sparse.run.mean_batch == 1
    backlog = model.run(steady(messages=300, arrival_rate=0), 1)
    assert backlog.run.invocations == 30  # all waiting: full batches of the default 10


def test_payload_limit_caps_the_batch():
    # 6 MB / 100 KB = 61 records, whatever the batch size
    result = model.run(steady(messages=610, arrival_rate=0, batch_size=1_000, batching_window_s=5,
                              record_kb=100), 1)
    assert result.run.invocations == 10
    assert result.example_batches[0]["closed_by"] == "payload 6 MB"


@pytest.mark.parametrize("rate, window, batch", [(3.0, 1, 10), (20.0, 1, 10), (0.5, 5, 100)])
def test_poisson_mean_batch_matches_closed_form(rate, window, batch):
    params = model.Params(messages=40_000, arrival_rate=rate, batch_size=batch, batching_window_s=window,
                          compare=False, base_ms=1, per_record_ms=0)
    result = model.run(params, 7)
    expected = model.expected_batch(rate, window, batch)
    # the invocation count of a renewal process: relative error a few / sqrt(batches)
    batches = 40_000 / expected
    assert abs(result.run.mean_batch - expected) / expected < 4 / math.sqrt(batches)
    assert result.theory["mean_batch"] == pytest.approx(expected, rel=1e-3)


def test_closed_form_edges():
    assert model.expected_batch(5.0, 0, 10) == pytest.approx(1.0)
    assert model.expected_batch(1000.0, 10, 10) == pytest.approx(10.0)
    # batch 2: 1 + P(K >= 1) = 2 - e^(-m)
    assert model.expected_batch(0.7, 1, 2) == pytest.approx(2 - math.exp(-0.7))


def test_filter_drops_messages_before_they_cost_anything():
    everything = model.run(steady(messages=1_000, arrival_rate=2), 3)
    filtered = model.run(steady(messages=1_000, arrival_rate=2, filter_match=0.25), 3)
    assert filtered.filtered_out + filtered.run.records == 1_000
    assert 180 < filtered.run.records < 320
    assert filtered.run.invocations == filtered.run.records < everything.run.invocations
    assert filtered.run.cost_usd < everything.run.cost_usd / 3


def test_fifo_concurrency_is_capped_by_message_groups():
    slow = dict(queue="fifo", messages=2_000, arrival_rate=50, base_ms=20, per_record_ms=100, compare=False)
    one = model.run(model.Params(message_groups=1, **slow), 1)
    many = model.run(model.Params(message_groups=8, **slow), 1)
    assert one.run.peak_concurrency == 1
    assert many.run.peak_concurrency <= 8
    assert many.run.latency_ms["p90"] < one.run.latency_ms["p90"]


def test_fifo_keeps_one_batch_in_flight_per_group():
    params = model.Params(queue="fifo", messages=500, arrival_rate=100, message_groups=3, per_record_ms=30,
                          compare=False)
    times, groups, _ = model.traffic(params, 2)
    batches = model.fifo_batches(times, groups, 10, 1_000, lambda n: (40 + 30 * n) / 1000)
    assert sum(len(b[4]) for b in batches) == 500
    for g in range(3):
        spans = sorted((b[2], b[3]) for b in batches if g in {groups[k] for k in b[4]})
        assert all(a_end <= b_start + 1e-12 for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
        # and the group's messages go out in arrival order
        order = [k for b in sorted(batches, key=lambda b: b[2]) for k in b[4] if groups[k] == g]
        assert order == sorted(order)


def test_max_concurrency_limits_parallel_batches():
    result = model.run(model.Params(messages=3_000, arrival_rate=0, per_record_ms=50, max_concurrency=3,
                                    compare=False), 1)
    assert result.run.peak_concurrency == 3


def test_cost_by_hand():
    # 10 invocations of 10 records at 128 MB: 10 x (40 + 50) ms = 900 ms = 0.1125 GB-s
    result = model.run(steady(messages=100, arrival_rate=0), 1)
    assert result.run.billed_ms == 900
    assert result.run.cost_usd == pytest.approx(10 * 0.2e-6 + 0.1125 * 0.0000166667, rel=1e-6)


@pytest.mark.parametrize("kw, words", [
    (dict(queue="fifo", batch_size=11), "at most 10"),
    (dict(queue="fifo", batching_window_s=1), "not supported for FIFO"),
    (dict(batch_size=50, batching_window_s=0), "at least 1"),
    (dict(batching_window_s=301), "0 to 300"),
    (dict(max_concurrency=1), "2 to 1,000"),
    (dict(filter_match=1.5), "from 0 to 1"),
])
def test_bad_params_name_the_rule(kw, words):
    with pytest.raises(ParamError, match=words):
        model.Params(**kw)


def test_same_seed_same_result():
    assert model.run(model.Params(), 5).to_json() == model.run(model.Params(), 5).to_json()


def test_a_positive_rate_too_small_to_simulate_is_refused_with_the_range_not_a_traceback():
    # 1e-320 messages/s put the messages at infinite times (found by benchmarks/adversarial.py).
    with pytest.raises(ParamError, match=r"--arrival-rate must be 0 or from 0.001 to 100,000"):
        model.Params(arrival_rate=1e-320)
    assert model.Params(arrival_rate=0).arrival_rate == 0  # 0 still means a backlog
