"""noisy-neighbours: a shared pool, reservations as floor and ceiling, against Erlang-B."""

from __future__ import annotations

import pytest

from lambda_prep.sims import noisy_neighbours as model
from lambda_prep.sims.common import ParamError, erlang_b


def _ratio(scenario, name, t_from, t_to=model.RUN_S):
    rows = [row for row in scenario.series if t_from <= row["t"] < t_to]
    requests = sum(row["requests"][name] for row in rows)
    return sum(row["throttled"][name] for row in rows) / requests, requests


def _se(p, n):
    return (p * (1 - p) / n) ** 0.5


def test_a_burst_in_the_shared_pool_throttles_every_function_alike_as_erlang_b_says():
    # burst from 30 s to the end; after 8 s (the longest handler) the pool is in steady state
    prm = model.Params(burst_s=model.RUN_S - model.BURST_START_S, reserve=())
    result = model.run(prm, 11)
    load = 50 * 4 + 30 * 5 + 250 * 8
    expected = erlang_b(1000, load)
    assert expected == pytest.approx(0.5745, abs=1e-3)
    for name in model.FUNCTIONS:
        measured, n = _ratio(result.before, name, 50)
        # Poisson counts are not independent draws: allow 6 standard errors
        assert abs(measured - expected) < 6 * _se(expected, n), name


def test_a_reservation_below_demand_throttles_as_erlang_b_with_that_many_servers():
    prm = model.Params(checkout_rate=50, burst_rate=0, burst_s=0, reserve=(("checkout", 190),))
    result = model.run(prm, 5)
    expected = erlang_b(190, 200)
    measured, n = _ratio(result.after, "checkout", 10)
    assert expected == pytest.approx(0.0887, abs=1e-3)
    assert abs(measured - expected) < 6 * _se(expected, n)
    # the ceiling's cost: without the reservation the same traffic was hardly throttled
    assert _ratio(result.before, "checkout", 10)[0] < 0.001


def test_reservations_protect_the_steady_functions_and_cost_the_noisy_one():
    result = model.run(model.Params(), 1)
    before, after = result.before.to_json()["functions"], result.after.to_json()["functions"]
    assert before["checkout"]["throttled_ratio"] > 0.15 and before["search"]["throttled_ratio"] > 0.15
    assert after["checkout"]["throttled"] == 0 and after["search"]["throttled"] == 0
    assert after["importer"]["throttled"] > before["importer"]["throttled"]
    assert result.after.unreserved_pool == 1000 - 250 - 200
    assert after["importer"]["peak_concurrency"] <= 550
    assert after["checkout"]["peak_concurrency"] <= 250 and after["search"]["peak_concurrency"] <= 200
    for name in model.FUNCTIONS:  # the same traffic in both runs
        assert before[name]["requests"] == after[name]["requests"]


def test_claimed_account_concurrency_counts_reservations_whether_used_or_not():
    quiet = model.Params(burst_rate=0, burst_s=0)
    result = model.run(quiet, 2)
    used = result.after.peak["checkout"], result.after.peak["search"]
    assert result.after.peak_claimed == 450  # nothing runs unreserved: 250 + 200 claimed
    assert max(used) < 250
    # without reservations only what runs is claimed: between the largest and the sum of the peaks
    peaks = result.before.peak
    assert max(peaks.values()) <= result.before.peak_claimed <= sum(peaks.values()) < 450


def test_the_theory_matches_the_pools():
    theory = model.run(model.Params(), 1).theory()
    assert theory["no reservations"]["quiet"]["unreserved"] < 1e-6
    assert theory["no reservations"]["burst"]["unreserved"] == pytest.approx(erlang_b(1000, 2350), abs=1e-6)
    assert theory["with reservations"]["burst"]["unreserved"] == pytest.approx(erlang_b(550, 2000), abs=1e-6)


def test_reservations_leave_at_least_100_unreserved():
    model.Params(reserve=(("checkout", 900),))
    with pytest.raises(ParamError, match="at most 900"):
        model.Params(reserve=(("checkout", 800), ("search", 101)))
    with pytest.raises(ParamError, match="checkout, search, importer"):
        model.Params(reserve=(("billing", 10),))
    with pytest.raises(ParamError, match="burst-s"):
        model.Params(burst_s=500)


def test_reserve_accepts_a_mapping_and_the_envelope_is_json_safe():
    data = model.run(model.Params(reserve={"importer": 300}), 1).to_json()
    assert data["params"]["reserve"] == [["importer", 300]]
    assert data["results"]["after"]["functions"]["importer"]["peak_concurrency"] <= 300


def test_same_seed_same_result():
    assert model.run(model.Params(), 3).to_json() == model.run(model.Params(), 3).to_json()


def test_cli_reserve_replaces_the_default_and_bad_values_exit_2():
    import json

    from typer.testing import CliRunner

    from lambda_prep.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["simulate", "noisy-neighbours", "--reserve", "importer=300", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["params"]["reserve"] == [["importer", 300]]
    for bad in ("checkout", "billing=5", "checkout=901"):
        out = runner.invoke(app, ["simulate", "noisy-neighbours", "--reserve", bad])
        assert out.exit_code == 2 and "--reserve" in out.output and "Traceback" not in out.output
