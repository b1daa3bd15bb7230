"""cold-start: validation against closed forms (simulation-notes F1-F4), determinism, parameters, CLI.

Tolerances are about 4 standard errors computed from the sample in each test: binomial where the
indicators are independent (F3, F4), the spread of independent replications where they are not
(Erlang-B), and the M/M/inf variance of a time-average for mean busy environments (F1).
"""

from __future__ import annotations

import json
import math
import statistics

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import cold_start as model
from lambda_prep.sims import pool as P
from lambda_prep.sims.common import ParamError, erlang_b

runner = CliRunner()
Z = 4.0  # standard errors allowed


def run(seed: int = 1, **kw):
    kw.setdefault("compare", False)
    return model.run(model.Params(**kw), seed)


def binomial_se(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / n)


# --- F2: Erlang-B ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dist", ["fixed", "exp"])
def test_throttled_share_is_erlang_b(dist):
    """Cap c = 5, a = lambda E[S] = 4 Erlangs, no extra cold time: P(throttle) = B(5, 4), any S."""
    c, rate, mean_ms = 5, 4.0, 1000.0
    expected = erlang_b(c, rate * mean_ms / 1000)
    shares, n = [], 40_000
    for seed in range(1, 9):  # independent replications: throttles come in runs, so not binomial
        r = run(seed, concurrency_limit=c, arrival_rate=rate, duration_ms=mean_ms, duration_dist=dist,
                init_ms=0, requests=n)
        shares.append(r.throttled_ratio)
    mean = statistics.fmean(shares)
    se = max(statistics.stdev(shares) / math.sqrt(len(shares)), binomial_se(expected, n * len(shares)))
    assert abs(mean - expected) <= Z * se, (mean, expected, se)


# --- F3: one environment, keep-alive T --------------------------------------------------------------

def test_one_environment_cold_share_is_exp_minus_lambda_t():
    """Reserved concurrency 1, lambda 0.01/s, T 120 s, warm 2 s, cold 5 s: P(cold | accepted) = e^-1.2,
    P(throttled) = lambda E[S] / (1 + lambda E[S]) with E[S] mixing cold and warm (exact, F3)."""
    rate, keep_alive, warm_s, cold_s = 0.01, 120.0, 2.0, 5.0
    r = run(concurrency_limit=1, arrival_rate=rate, keep_alive_s=keep_alive, duration_ms=warm_s * 1000,
            init_ms=(cold_s - warm_s) * 1000, requests=200_000)
    p_cold = math.exp(-rate * keep_alive)
    assert abs(r.cold_start_ratio - p_cold) <= Z * binomial_se(p_cold, r.accepted)
    mean_s = p_cold * cold_s + (1 - p_cold) * warm_s
    p_throttle = rate * mean_s / (1 + rate * mean_s)
    assert abs(r.throttled_ratio - p_throttle) <= Z * binomial_se(p_throttle, r.requests)


# --- F4: negligible durations ------------------------------------------------------------------------

@pytest.mark.parametrize("reuse", ["mru", "lru"])
def test_negligible_durations_cold_share_is_exp_minus_lambda_t(reuse):
    """Handler 1 ms, no init, lambda 0.01/s, T 100 s: a request is cold iff the gap since the previous
    one exceeds T, so P(cold) = e^-1 for any reuse policy (the TTL-cache result)."""
    rate, keep_alive = 0.01, 100.0
    r = run(arrival_rate=rate, keep_alive_s=keep_alive, duration_ms=1, init_ms=0, requests=100_000,
            reuse=reuse)
    p_cold = math.exp(-rate * keep_alive)
    assert r.throttled == 0
    assert abs(r.cold_start_ratio - p_cold) <= Z * binomial_se(p_cold, r.accepted)


def test_negligible_durations_environment_alive_fraction_is_one_minus_exp():
    """F4: the environment is alive a fraction 1 - e^(-lambda T) of the time. Each gap g between
    requests contributes min(g, T) alive seconds, so the estimate is a ratio of i.i.d. sums; its SE
    comes from the delta method with the exponential moments of min(g, T) and g."""
    rate, keep_alive, n = 0.01, 100.0, 100_000
    r = run(arrival_rate=rate, keep_alive_s=keep_alive, duration_ms=1, init_ms=0, requests=n)
    e = math.exp(-rate * keep_alive)
    f = 1 - e
    ex2 = 2 / rate**2 * (1 - e * (1 + rate * keep_alive))  # E[min(g,T)^2]
    exy = 2 / rate**2 - e * (keep_alive / rate + 2 / rate**2)  # E[g min(g,T)]
    ey2 = 2 / rate**2
    se = math.sqrt((ex2 - 2 * f * exy + f * f * ey2) / n) * rate  # / (sqrt(n) E[g])
    assert abs(r.avg_environments - f) <= Z * se, (r.avg_environments, f, se)


# --- F1: Little's law ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dist", ["fixed", "exp"])
def test_mean_busy_environments_is_lambda_times_mean_duration(dist):
    """Unlimited concurrency, lambda 3/s, E[S] 2 s: mean busy = 6 (M/G/inf). SE of a time-average of
    M/M/inf occupancy over H seconds: sqrt(2 a E[S] / H) (conservative for fixed durations)."""
    rate, mean_s = 3.0, 2.0
    r = run(arrival_rate=rate, duration_ms=mean_s * 1000, duration_dist=dist, init_ms=0, requests=200_000)
    a = rate * mean_s
    se = math.sqrt(2 * a * mean_s / r.simulated_s)
    assert r.throttled == 0
    assert abs(r.avg_busy - a) <= Z * se, (r.avg_busy, a, se)
    assert r.avg_environments >= r.avg_busy  # alive = busy + idle


def test_latency_percentiles_of_exponential_durations():
    """Warm latencies are the handler times: percentiles of Exp(mean 200 ms) within the 1-ms bins and
    a binomial error on the rank (init 0, so cold requests add nothing)."""
    r = run(arrival_rate=5, duration_ms=200, duration_dist="exp", init_ms=0, requests=50_000)
    n = r.accepted
    for q, key in ((0.5, "p50"), (0.95, "p95"), (0.99, "p99")):
        # the quantiles of the ranks q +- Z se bracket the estimate
        spread = Z * binomial_se(q, n)
        low = -200 * math.log(1 - (q - spread)) - 1
        high = -200 * math.log(1 - (q + spread)) + 1
        assert low <= r.latency_ms[key] <= high, (key, r.latency_ms[key], low, high)


# --- behaviour ------------------------------------------------------------------------------------------

def test_same_seed_same_result_and_another_seed_differs():
    a = model.run(model.Params(requests=2_000), 7).to_json()
    b = model.run(model.Params(requests=2_000), 7).to_json()
    c = model.run(model.Params(requests=2_000), 8).to_json()
    assert a == b
    assert a != c


def test_provisioned_environments_remove_cold_starts_and_cost_more():
    r = model.run(model.Params(requests=3_000), 1)
    on_demand, provisioned, snapstart = r.comparison
    assert on_demand.cold_starts > 0
    assert provisioned.cold_starts == 0  # sized to the on-demand peak
    assert provisioned.cost["per_month_usd"] > on_demand.cost["per_month_usd"]
    assert snapstart.available and snapstart.latency_ms["max"] < on_demand.latency_ms["max"]


def test_snapstart_not_available_for_nodejs_in_the_comparison():
    r = model.run(model.Params(runtime="nodejs", requests=500), 1)
    assert not r.comparison[2].available and "not available" in r.comparison[2].note


def test_concurrency_limit_zero_throttles_everything():
    r = run(concurrency_limit=0, requests=100)
    assert r.throttled == r.requests == 100 and r.accepted == 0


@pytest.mark.parametrize("reuse, limit, provisioned", [("mru", 1000, 0), ("lru", 6, 2)])
def test_fast_loop_matches_the_reference_methods(reuse, limit, provisioned):
    """Pool.drive inlines the warm path; driving the same traffic through acquire/start/release
    one request at a time must give the same numbers, samples and timeline."""
    from lambda_prep.sims.engine import Engine

    config = P.PoolConfig(cold_s=0.25, keep_alive_s=30.0, limit=limit, provisioned=provisioned, reuse=reuse,
                          timeline_s=20.0, sample_every_s=50.0)

    def traffic():
        arrivals_rng, durations_rng = P.traffic_rngs(3)
        return P.poisson_arrivals(arrivals_rng, 4.0, 20_000), P.durations(durations_rng, 1.0, "exp")

    fast = P.Pool(Engine(), config)
    fast_latency = P.LatencyHistogram()
    fast.drive(*traffic(), fast_latency)

    engine = Engine()
    slow = P.Pool(engine, config)
    slow_latency = P.LatencyHistogram()
    t = 0.0
    for t, d in zip(*traffic()):
        engine.run(t)
        env = slow.acquire(t)
        if env is None:
            continue
        end = slow.start(env, t) + d
        slow_latency.add((end - t) * 1000.0)
        engine.at(end, slow.release, env, end)
    slow.finish(t)

    a, b = fast.stats, slow.stats
    for name in ("requests", "accepted", "cold_starts", "throttled_limit", "throttled_scaling", "envs_started",
                 "envs_reclaimed", "peak_busy", "peak_alive", "provisioned_invocations", "samples", "timeline"):
        assert getattr(a, name) == getattr(b, name), name
    for name in ("busy_area", "alive_area", "handler_s", "init_s"):
        assert getattr(a, name) == pytest.approx(getattr(b, name), rel=1e-9), name
    assert fast_latency.summary() == slow_latency.summary()
    assert a.throttled > 0 if limit < 10 else a.throttled == 0


def test_memory_grows_with_environments_not_requests():
    """The latency histogram is sized by the largest latency, not by the number of requests."""
    small = P.LatencyHistogram()
    for i in range(1_000):
        small.add(100.0 + i % 50)
    size = len(small.bins)
    for i in range(100_000):
        small.add(100.0 + i % 50)
    assert len(small.bins) == size
    assert small.percentile(50) == 124.0 and small.count == 101_000


def test_burst_pattern_scales_out_and_reclaims():
    r = run(pattern="burst", arrival_rate=0.5, burst_size=100, burst_every_s=900, burst_at_s=30,
            requests=1_500, duration_ms=200)
    assert r.peak_environments >= 10
    assert r.environments_reclaimed > 0
    assert r.cold_start_ratio > 0.02


@pytest.mark.parametrize("kwargs, text", [
    ({"memory_mb": 100}, "128 to 10,240"),
    ({"concurrency_limit": 950}, "from 0 to 900"),
    ({"duration_ms": 1_000_000}, "900"),
    ({"keep_alive_s": -1}, "--keep-alive-s must be from 0"),
    ({"init_ms": 20_000}, "10 s"),
    ({"arrival_rate": -1}, "--arrival-rate must be"),
    ({"provisioned": 5, "concurrency_limit": 3}, "--provisioned must be from 0 to 3"),
    ({"snapstart": True, "runtime": "nodejs"}, "java, python or dotnet"),
    ({"snapstart": True, "provisioned": 2}, "provisioned concurrency"),
    ({"runtime": "cobol"}, "--runtime must be one of"),
])
def test_bad_parameters_raise_with_the_range(kwargs, text):
    with pytest.raises(ParamError) as error:
        model.Params(**kwargs)
    assert text in str(error.value)


# --- CLI --------------------------------------------------------------------------------------------------

def test_cli_json_has_the_documented_keys():
    result = runner.invoke(app, ["simulate", "cold-start", "--json", "--requests", "2000"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["results"]
    for key in ("requests", "cold_starts", "cold_start_ratio", "throttled", "throttled_ratio",
                "avg_environments", "avg_busy", "latency_ms", "comparison", "cost"):
        assert key in data, key
    assert set(data["latency_ms"]) >= {"p50", "p95", "p99"}
    assert data["requests"] == 2000
    again = runner.invoke(app, ["simulate", "cold-start", "--json", "--requests", "2000"])
    assert again.output == result.output


@pytest.mark.parametrize("args, text", [
    (["--memory-mb", "64"], "128 to 10,240"),
    (["--concurrency-limit", "901"], "from 0 to 900"),
    (["--snapstart", "--runtime", "ruby"], "java, python or dotnet"),
])
def test_cli_bad_parameter_exits_2_with_the_range(args, text):
    result = runner.invoke(app, ["simulate", "cold-start", *args])
    assert result.exit_code == 2, result.output
    assert text in result.output and "--help" in result.output


def test_cli_demo_renders_with_the_interview_footer():
    result = runner.invoke(app, ["simulate", "cold-start"])
    assert result.exit_code == 0, result.output
    assert "Environment timeline" in result.output and "Same traffic, three ways" in result.output
    assert "What to say in the interview" in result.output
    assert "lambda-prep explain cold-starts" in result.output


def test_cli_help_lists_sources_and_assumptions():
    result = runner.invoke(app, ["simulate", "cold-start", "--help"])
    assert result.exit_code == 0
    assert "scaling-behavior.html" in result.output and "lambda-runtime-environment.html" in result.output
    assert "MODEL ASSUMPTION" in result.output
