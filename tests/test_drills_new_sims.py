"""The drill kinds of the newer simulations (issue 15): each keyed answer recomputed by hand from the
drawn parameters, and each `simulate` command run to find the same figure in its result."""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import subprocess
import sys

import pytest

from lambda_prep.drills.base import parse_number, within
from lambda_prep.drills.registry import get
from lambda_prep.sims import facts

SEEDS = range(1, 61)


def number(text: str) -> float:
    return parse_number(re.search(r"[\d,]*\.?\d+", text).group(0))


def simulate(drill, tmp_path) -> dict:
    args = shlex.split(drill.simulate)[1:]
    assert f"--seed {drill.seed}" in drill.simulate  # the command reproduces this very scenario
    env = {**os.environ, "LAMBDA_PREP_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-m", "lambda_prep", *args, "--json"], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, (drill.simulate, result.stderr)
    return json.loads(result.stdout)["results"]


# --- async-backlog ---------------------------------------------------------------------------------


def test_async_backlog_is_arrivals_minus_what_the_reserved_concurrency_serves():
    for seed in SEEDS:
        d = get("async-backlog").generate(seed)
        p = d.params
        capacity = p["concurrency_limit"] * 1000 / p["duration_ms"]
        assert p["arrival_rate"] > capacity
        assert number(d.answer) == pytest.approx((p["arrival_rate"] - capacity) * p["traffic_s"], abs=0.5)
        assert "202" in d.explanation and "None" not in d.answer


def test_async_backlog_simulation_shows_the_pile_and_loses_nothing_within_six_hours(tmp_path):
    for seed in (1, 2, 3):
        d = get("async-backlog").generate(seed)
        results = simulate(d, tmp_path)
        assert results["theory"]["excess_events"] == pytest.approx(number(d.answer), abs=0.5)
        assert results["throttles"] > 0  # the excess really was throttled and retried...
        assert results["dropped"] == 0 and results["succeeded"] == results["received"]  # ...and all of it ran


# --- unreserved-pool -------------------------------------------------------------------------------


def test_unreserved_pool_is_the_account_limit_minus_every_reservation_or_the_reservation_itself():
    variants = set()
    for seed in SEEDS:
        d = get("unreserved-pool").generate(seed)
        reserve = d.params["reserve"]
        expected = reserve["importer"] if "importer" in reserve else 1000 - sum(reserve.values())
        assert number(d.answer) == expected
        assert sum(reserve.values()) <= 1000 - 100  # a reservation AWS would accept
        variants.add("importer" in reserve)
    assert variants == {True, False}


def test_unreserved_pool_simulation_caps_the_importer_there(tmp_path):
    seeds = {}
    for seed in SEEDS:  # one scenario of each variant
        seeds.setdefault("importer" in get("unreserved-pool").generate(seed).params["reserve"], seed)
    for seed in seeds.values():
        d = get("unreserved-pool").generate(seed)
        after = simulate(d, tmp_path)["after"]
        assert after["functions"]["importer"]["peak_concurrency"] == number(d.answer)
        assert after["functions"]["importer"]["throttled"] > 0
        if "importer" not in d.params["reserve"]:
            assert after["unreserved_pool"] == number(d.answer)


# --- recursion-stop --------------------------------------------------------------------------------


def test_recursion_stop_by_the_documented_rules():
    outcomes = set()
    for seed in SEEDS:
        d = get("recursion-stop").generate(seed)
        p = d.params
        detected = p["recursion"] == "terminate" and p["via"] in ("sqs", "sns", "s3", "lambda") and p["supported_sdk"]
        assert p["detected"] == detected
        if detected:
            f = p["fan_out"]
            assert d.answer == f"Stopped after {sum(f ** k for k in range(16)):,} invocations; " \
                               f"{f ** 16:,} event{'s' if f > 1 else ''} dropped"
        else:
            assert d.answer.startswith("It runs until someone stops it")
        outcomes.add((detected, p["fan_out"]))
    assert outcomes == {(True, 1), (True, 2), (False, 1), (False, 2)}


def test_recursion_stop_simulation_agrees(tmp_path):
    seeds = {}  # one scenario per way the loop is (or is not) stopped: every flag the commands use
    for seed in SEEDS:
        p = get("recursion-stop").generate(seed).params
        seeds.setdefault((p["recursion"], p["supported_sdk"], p["via"] == "dynamodb", p["fan_out"] > 1), seed)
    assert len(seeds) >= 6
    for seed in sorted(seeds.values())[:8]:
        d = get("recursion-stop").generate(seed)
        results = simulate(d, tmp_path)
        assert results["detected"] == d.params["detected"]
        if d.params["detected"]:
            assert results["invocations"] == number(d.answer)
            assert results["recursive_invocations_dropped"] == d.params["dropped"]


# --- canary-exposure -------------------------------------------------------------------------------


def by_hand(config: str, rate: float, p_new: float, p_old: float, threshold: int) -> float:
    """Minute by minute: the alias's weight, the errors, the first minute at the threshold."""
    shifted = 0.0
    for minute in range(1, 120):
        step = re.search(r"(\d+)Minute", config)
        every = int(step.group(1)) if step else 0
        if config.startswith("LambdaCanary"):
            w = 0.1 if minute <= every else 1.0
        elif config.startswith("LambdaLinear"):
            w = min(1.0, 0.1 * math.ceil(minute / every))
        else:
            w = 1.0
        shifted += w
        if rate * 60 * (w * p_new + (1 - w) * p_old) >= threshold:
            return rate * 60 * shifted
    raise AssertionError("the alarm never fired")


def test_canary_exposure_is_the_rate_times_the_area_under_the_weight_curve():
    configs = set()
    for seed in SEEDS:
        d = get("canary-exposure").generate(seed)
        p = d.params
        expected = by_hand(p["config"], p["arrival_rate"], p["new_error_rate"], p["baseline_error_rate"],
                           p["alarm_threshold"])
        assert number(d.answer) == pytest.approx(expected, abs=0.5), (seed, p)
        configs.add(p["config"])
    assert len(configs) >= 5


def test_canary_exposure_simulation_shows_the_same_figure(tmp_path):
    for seed in (1, 2, 3):
        d = get("canary-exposure").generate(seed)
        results = simulate(d, tmp_path)
        assert results["expected"]["status"] == "rolled back: alarm"
        assert results["expected"]["exposed"] == pytest.approx(d.params["exposed"])
        assert results["config"]["name"] == d.params["config"]


# --- gateway-timeout --------------------------------------------------------------------------------


def test_gateway_timeout_by_the_documented_statuses():
    statuses = set()
    for seed in SEEDS:
        d = get("gateway-timeout").generate(seed)
        p = d.params
        ran = min(p["duration_s"], p["timeout_s"])
        if p["door"] != "rest":
            expected = (200, p["duration_s"], ran)  # an ALB or a function URL waits for the function
        elif p["timeout_s"] < p["integration_timeout_s"] and p["duration_s"] > p["timeout_s"]:
            expected = (502, p["timeout_s"], ran)  # a function timeout is a function error
        elif ran > p["integration_timeout_s"]:
            expected = (504, p["integration_timeout_s"], ran)  # the caller gave up; the function ran on
        else:
            expected = (200, ran, ran)
        status, waits, billed_s = expected
        assert d.answer == f"{status} after {waits:g} s; Lambda bills {round(billed_s * 1000):,} ms", (seed, p)
        statuses.add(status)
    assert statuses == {200, 502, 504}


def test_gateway_timeout_simulation_shows_the_same_status_and_bill(tmp_path):
    for seed in (1, 3, 5, 8):
        d = get("gateway-timeout").generate(seed)
        slow = simulate(d, tmp_path)["doors"][d.params["door"]]["cases"]["slow"]
        assert (slow["status"], slow["caller_waits_s"], slow["billed_ms"]) == \
            (d.params["status"], d.params["caller_waits_s"], d.params["billed_ms"])
        assert slow["sure"] == "documented"


# --- batch-window ---------------------------------------------------------------------------------------


def mean_batch(rate: float, window: float, batch: int) -> float:
    """E[min(1 + K, batch)] with K ~ Poisson(rate x window), summed term by term."""
    mean, total, below, pk = rate * window, 0.0, 0.0, math.exp(-rate * window)
    for k in range(batch - 1):
        total += (1 + k) * pk
        below += pk
        pk *= mean / (k + 1)
    return total + batch * (1 - below)


def test_batch_window_invocations_by_hand():
    for seed in SEEDS:
        d = get("batch-window").generate(seed)
        p = d.params
        expected = p["messages"] / mean_batch(p["arrival_rate"], p["batching_window_s"], p["batch_size"])
        assert number(d.answer) == round(expected), (seed, p)
        assert within(expected, p["messages"] / min(1 + p["arrival_rate"] * p["batching_window_s"],
                                                    p["batch_size"]), 0.2)  # the back-of-envelope figure


def test_batch_window_simulation_counts_about_the_same(tmp_path):
    for seed in (1, 2, 3):
        d = get("batch-window").generate(seed)
        results = simulate(d, tmp_path)
        assert results["theory"]["invocations"] == pytest.approx(d.params["invocations"], abs=0.1)
        assert within(results["run"]["invocations"], number(d.answer), 0.05)  # the seeded run, within noise
