"""The managed-instances model: memory, throughput, fleet size, shared-state races, surge and cost by hand."""

from __future__ import annotations

import math

import pytest

from lambda_prep.sims import managed_instances as model
from lambda_prep.sims.common import ParamError


def test_python_processes_run_out_of_memory_before_the_default_concurrency():
    # 2 vCPUs x 2 GiB = 4,096 MB; 16 per vCPU = 32 processes x (300 + 10) MB = 9,920 MB: only 13 fit
    result = model.run(model.Params(runtime="python"), 1)
    env = result.environment
    assert env["max_concurrency"] == 32 and env["memory_at_max_mb"] == 9_920
    assert env["out_of_memory_at_max"] and env["usable_concurrency"] == 13
    # throughput = min(CPU 2 x 1000 / 20 = 100, concurrency 13 x 1000 / 200 = 65) req/s
    assert env["throughput_rps"] == 65 and env["limited_by"] == "memory"
    # fleet at 50 % target: ceil(200 / 32.5) = 7 environments
    assert result.fleet["environments"] == 7


def test_threaded_runtimes_share_one_copy_and_are_cpu_bound():
    env = model.run(model.Params(runtime="java"), 1).environment
    assert env["max_concurrency"] == 64  # 32 per vCPU x 2
    assert env["memory_at_max_mb"] == 300 + 64 * 10
    assert env["limited_by"] == "CPU" and env["throughput_rps"] == 100


@pytest.mark.parametrize("runtime, per_vcpu", [("nodejs", 64), ("java", 32), ("dotnet", 32), ("python", 16)])
def test_default_concurrency_per_vcpu(runtime, per_vcpu):
    assert model.Params(runtime=runtime, vcpus=4, base_memory_mb=1).concurrency == 4 * per_vcpu


def test_minimum_of_three_environments():
    result = model.run(model.Params(arrival_rate=1), 1)
    assert result.fleet["needed_for_traffic"] == 1 and result.fleet["environments"] == 3


@pytest.mark.parametrize("rate, duration", [(5.0, 0.1), (2.0, 0.3), (20.0, 0.01)])
def test_race_probability_matches_the_poisson_closed_form(rate, duration):
    n = 20_000
    expected = model.race_probability(rate, duration)
    simulated = model.simulate_overlap(rate, duration, 3, n)
    assert abs(simulated - expected) <= 4 * math.sqrt(expected * (1 - expected) / n)


def test_python_globals_are_private_but_tmp_is_shared():
    sharing = model.run(model.Params(runtime="python"), 1).sharing
    assert sharing["global_overwritten_probability"] == 0
    assert sharing["tmp_collision_probability"] > 0.9


def test_node_shares_state_per_worker_thread():
    # 200 req/s over 4 environments = 50/s each, 2 worker threads: 25/s share a thread's globals
    sharing = model.run(model.Params(runtime="nodejs"), 1).sharing
    assert sharing["global_overwritten_probability"] == pytest.approx(1 - math.exp(-25 * 0.2), abs=1e-6)


def test_surge_by_hand():
    # Python fleet: 7 x 65 = 455 req/s of capacity; a step to 600 req/s; capacity doubles per 300 s
    s = model.run(model.Params(runtime="python"), 1).surge
    catch_up = 300 * math.log2(600 / 455)
    throttled = 600 * catch_up - 455 * 300 / math.log(2) * (600 / 455 - 1)
    assert s["catch_up_s"] == pytest.approx(catch_up, abs=0.1)
    assert s["throttled_requests"] == round(throttled)
    assert model.run(model.Params(surge=1.5), 1).surge["throttled_requests"] == 0  # within headroom


def test_cost_by_hand():
    # 200 req/s for a 730-hour month = 525.6 M requests; default Lambda at 512 MB and 200 ms:
    # 525.6 M x 0.2 s x 0.5 GB = 52.56 M GB-s x $0.0000166667 + 525.6 x $0.20 = $981.12
    c = model.run(model.Params(runtime="nodejs"), 1).cost
    assert c["requests_per_month"] == 525_600_000
    assert c["default_lambda_usd"] == pytest.approx(981.12, abs=0.01)
    # LMI: 4 environments x 2 vCPUs x 730 h = 5,840 vCPU-h; break-even (981.12 - 105.12) / (5,840 x 1.15)
    assert c["lmi_vcpu_hours"] == 5_840
    assert c["break_even_usd_per_vcpu_hour"] == pytest.approx(876.0 / (5_840 * 1.15), abs=1e-5)


@pytest.mark.parametrize("kw, words", [
    (dict(max_concurrency=1_601), "1 to 1,600"),
    (dict(memory_per_vcpu_gib=1.0), "2.0 to 8.0|from 2 to 8"),
    (dict(cpu_ms=500, duration_ms=100), "cannot exceed"),
    (dict(runtime="ruby"), "one of"),
])
def test_bad_params(kw, words):
    with pytest.raises(ParamError, match=words):
        model.Params(**kw)


def test_nothing_fits_is_a_clear_error():
    with pytest.raises(ParamError, match="not even one request fits"):
        model.run(model.Params(runtime="python", base_memory_mb=5_000), 1)
