"""pricing: a known configuration priced by hand, the free tier, the sweep, the Fargate break-even."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import facts
from lambda_prep.sims import pricing as model
from lambda_prep.sims.common import ParamError

runner = CliRunner()


def test_known_configuration_by_hand_without_free_tier():
    # 3M requests, 512 MB, 100 ms, x86_64:
    #   requests: 3 x $0.20 = $0.60
    #   GB-s: 3,000,000 x 0.1 s x 0.5 GB = 150,000 GB-s; x $0.0000166667 = $2.500005
    bill = model.monthly_bill(3_000_000, 100, 512, "x86_64", free_tier=False)
    assert bill.gb_seconds == pytest.approx(150_000)
    assert bill.request_cost == pytest.approx(0.60)
    assert bill.duration_cost == pytest.approx(2.500005)
    assert bill.total == pytest.approx(3.100005)


def test_known_configuration_by_hand_with_free_tier():
    # free tier: 1M requests and 400,000 GB-s: 2M billable requests = $0.40; 150,000 GB-s all free
    bill = model.monthly_bill(3_000_000, 100, 512, "x86_64", free_tier=True)
    assert bill.request_cost == pytest.approx(0.40)
    assert bill.duration_cost == 0
    assert bill.total == pytest.approx(0.40)
    result = model.run(model.Params())  # the default demo is this configuration
    assert result.monthly_cost == pytest.approx(0.40)
    assert result.bill_no_free_tier.total == pytest.approx(3.100005)


def test_free_tier_only_covers_what_is_used_and_gb_seconds_above_it_are_billed():
    # 10M requests x 1,024 MB x 200 ms = 2,000,000 GB-s; 1,600,000 billable
    bill = model.monthly_bill(10_000_000, 200, 1024, "x86_64")
    assert bill.request_cost == pytest.approx(9 * 0.20)
    assert bill.duration_cost == pytest.approx(1_600_000 * 0.0000166667)
    small = model.monthly_bill(500_000, 10, 128, "x86_64")
    assert small.total == 0 and small.free_requests == 500_000


def test_arm64_rate_and_one_ms_rounding():
    bill = model.monthly_bill(1_000_000, 100.2, 1024, "arm64", free_tier=False)
    assert bill.billed_ms == 101                      # billed in whole milliseconds, rounded up
    assert bill.duration_cost == pytest.approx(1_000_000 * 0.101 * 1 * 0.0000133334)
    assert model.billed_ms(100.0) == 100


@pytest.mark.parametrize("memory,duration,vs_small,vs_large", [
    (512, 100, 3.32, 13.27),
    (1024, 200, 0.97, 3.88),
    (128, 20, 14.19, 56.75),
])
def test_break_even_matches_simulation_notes_f10(memory, duration, vs_small, vs_large):
    per_request = model.per_request_cost(duration, memory)
    small = model.fargate_monthly(0.25, 0.5)
    large = model.fargate_monthly(1, 2)
    assert small == pytest.approx(9.01, abs=0.005) and large == pytest.approx(36.04, abs=0.005)
    assert model.break_even_rps(per_request, small) == pytest.approx(vs_small, abs=0.005)
    assert model.break_even_rps(per_request, large) == pytest.approx(vs_large, abs=0.005)


def test_break_even_with_task_capacity():
    per_request = model.per_request_cost(100, 512)
    small = model.fargate_monthly(0.25, 0.5)
    assert model.break_even_rps(per_request, small, rps_per_task=10) == pytest.approx(small / (2_628_000 * per_request))
    assert model.break_even_rps(per_request, small, rps_per_task=2) is None  # a full task still costs more
    result = model.run(model.Params(fargate_rps_per_task=2))
    assert result.break_even[0].rps is None
    assert all(pt["lambda_usd"] < pt["fargate_usd"] for pt in result.chart)


def test_chart_crosses_at_the_break_even():
    result = model.run(model.Params())
    r_star = result.break_even[0].rps
    below = [pt for pt in result.chart if pt["rps"] < r_star * 0.99]
    above = [pt for pt in result.chart if pt["rps"] > r_star * 1.01]
    assert below and above
    assert all(pt["lambda_usd"] < pt["fargate_usd"] for pt in below)
    assert all(pt["lambda_usd"] > pt["fargate_usd"] for pt in above)


def test_sweep_cpu_bound_cost_flat_to_one_vcpu_then_rising():
    result = model.run(model.Params())  # 100 ms at 512 MB, fully CPU-bound
    rows = {r.memory_mb: r for r in result.sweep}
    assert rows[128].duration_ms == pytest.approx(400)
    assert rows[1024].duration_ms == pytest.approx(50)
    assert rows[1769].duration_ms == pytest.approx(100 * 512 / 1769)
    assert rows[10240].duration_ms == pytest.approx(rows[1769].duration_ms)  # single thread: no gain past 1 vCPU
    assert rows[128].cost_per_million == pytest.approx(rows[1024].cost_per_million)
    assert rows[10240].cost_per_million > 4 * rows[1024].cost_per_million
    assert result.cheapest_memory_mb == 1024  # tied cheapest 128-1,024 MB: the fastest of the ties
    assert result.fastest_memory_mb == 1769   # tied fastest from 1,769 MB: the cheapest of the ties


def test_sweep_waiting_work_is_cheapest_at_the_smallest_memory():
    result = model.run(model.Params(cpu_bound=0.0))
    assert {r.duration_ms for r in result.sweep} == {100.0}
    assert result.cheapest_memory_mb == 128 and result.fastest_memory_mb == 128


@pytest.mark.parametrize("kwargs,message", [
    ({"memory_mb": 64}, "--memory-mb must be from 128 to 10,240"),
    ({"duration_ms": 900_001}, "--duration-ms must be from 1 to 900,000"),
    ({"requests_per_month": -1}, "--requests-per-month must be from 0"),
    ({"cpu_bound": 1.5}, "--cpu-bound must be from 0 to 1"),
    ({"architecture": "sparc"}, "--architecture must be one of x86_64, arm64"),
    ({"fargate_vcpu": 3}, "--fargate-vcpu must be one of 0.25, 0.5, 1, 2, 4, 8, 16"),
])
def test_bad_params(kwargs, message):
    with pytest.raises(ParamError) as info:
        model.Params(**kwargs)
    assert message in str(info.value)


def test_determinism():
    assert model.run(model.Params(), 1).to_json() == model.run(model.Params(), 1).to_json()


def test_cli_default_demo_renders_with_footer_and_chart():
    result = runner.invoke(app, ["simulate", "pricing"])
    assert result.exit_code == 0, result.output
    assert "break-even 3.32 req/s" in result.output and "cheapest" in result.output
    assert "What to say in the interview" in result.output
    assert "lambda-prep quiz --topic pricing-performance" in result.output


def test_cli_json_keys():
    result = runner.invoke(app, ["simulate", "pricing", "--json", "--no-free-tier"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["results"]
    for key in ("monthly_cost_usd", "bill", "bill_without_free_tier", "other_arch", "cost_per_request_usd",
                "memory_sweep", "cheapest_memory_mb", "fastest_memory_mb", "break_even", "chart", "prices"):
        assert key in data
    assert data["monthly_cost_usd"] == pytest.approx(3.100005)
    assert data["prices"]["as_of"] == facts.PRICES_AS_OF


def test_help_dates_and_sources_the_prices():
    text = runner.invoke(app, ["simulate", "pricing", "--help"], env={"COLUMNS": "200"}).output
    assert facts.PRICES_AS_OF in text and facts.PRICING_URL in text
    assert f"{facts.gb_second('x86_64'):.10f}" in text and f"{facts.gb_second('arm64'):.10f}" in text
    assert "SECONDARY" in text and "vantage.sh" in text


@pytest.mark.parametrize("args,text", [
    (["--memory-mb", "64"], "128 to 10,240"),
    (["--duration-ms", "1000000"], "1 to 900,000"),
    (["--fargate-vcpu", "3"], "0.25, 0.5, 1, 2, 4, 8, 16"),
])
def test_cli_bad_parameter_exits_2(args, text):
    result = runner.invoke(app, ["simulate", "pricing", *args])
    assert result.exit_code == 2
    assert text in result.output


def test_frames_for_animate():
    from lambda_prep.views.sims import pricing as view

    frames = view.frames(model.run(model.Params()))
    assert 10 <= len(frames) <= 60
