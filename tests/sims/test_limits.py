"""limits: timeout, CPU share, billing, payloads, /tmp, the CLI."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import limits as model
from lambda_prep.sims.common import ParamError

runner = CliRunner()
X86 = 0.0000166667
REQ = 0.20 / 1_000_000


@pytest.mark.parametrize("memory,expected", [(128, 128 / 1769), (1769, 1.0), (3538, 2.0), (10240, 10240 / 1769)])
def test_vcpu_share_is_proportional(memory, expected):
    assert model.vcpus(memory) == pytest.approx(expected)
    assert model.vcpus(10240) <= 6


def test_cpu_bound_duration_scales_with_vcpu_then_stops_for_one_thread():
    assert model.cpu_duration_s(60, 1769) == pytest.approx(60)
    assert model.cpu_duration_s(60, 884.5) == pytest.approx(120)          # half a vCPU: twice as long
    assert model.cpu_duration_s(60, 10240) == pytest.approx(60)           # one thread: no gain past 1 vCPU
    assert model.cpu_duration_s(60, 3538, threads=2) == pytest.approx(30)  # two threads use two vCPUs
    assert model.cpu_duration_s(60, 10240, threads=8) == pytest.approx(60 / (10240 / 1769))


def test_job_past_the_timeout_is_stopped_and_billed_for_the_timeout():
    result = model.run(model.Params(job_minutes=20, memory_mb=1769, timeout_s=900))
    assert result.timed_out and result.billed_s == 900
    assert result.completed_fraction == pytest.approx(900 / 1200)
    assert result.cost_per_run == pytest.approx(REQ + 900 * 1769 / 1024 * X86)
    assert result.split_chunks == math.ceil(1200 / (0.8 * 900)) == 2
    assert any("Step Functions" in o for o in result.split_options)
    assert any("SQS" in o for o in result.split_options)


def test_cost_of_a_job_that_fits_computed_by_hand():
    # 5 min of one-vCPU work at 1,024 MB: 300 * 1769/1024 s = 518.262 s, billed in whole ms
    result = model.run(model.Params(job_minutes=5, memory_mb=1024, timeout_s=900))
    assert not result.timed_out
    billed = math.ceil(300 * 1769 / 1024 * 1000) / 1000
    assert result.billed_s == pytest.approx(billed)
    assert result.cost_per_run == pytest.approx(REQ + billed * 1.0 * X86)


def test_memory_fix_when_more_cpu_is_enough():
    result = model.run(model.Params(job_minutes=10, memory_mb=512))
    assert result.timed_out and result.split_chunks == 1
    assert "raise memory to 1,769 MB" in result.fix


def test_cpu_bound_cost_is_flat_below_one_vcpu_and_rises_above():
    result = model.run(model.Params(job_minutes=5, memory_mb=1024))
    cost = {r.memory_mb: r.job_cost for r in result.memory_table}
    assert cost[128] == pytest.approx(cost[1769], rel=0.001)  # same GB-s, a few more requests
    assert cost[3538] == pytest.approx(2 * (cost[1769] - REQ) + REQ, rel=1e-6)


@pytest.mark.parametrize("size_kb,invocation,accepted", [
    (300, "async", True),      # over the old 256 KB figure, accepted today
    (1024, "async", True),
    (1025, "async", False),
    (6144, "sync", True),
    (6145, "sync", False),
    (2048, "sync", True),
])
def test_payload_limits(size_kb, invocation, accepted):
    result = model.run(model.Params(payload_kb=size_kb, invocation=invocation))
    assert result.payload_accepted is accepted
    if not accepted:
        assert "RequestTooLargeException" in result.payload_fix and "S3" in result.payload_fix
    if invocation == "async" and size_kb == 300:
        assert "256 KB" in result.payload_fix


def test_tmp():
    assert model.run(model.Params(scratch_mb=512, tmp_mb=512)).tmp_ok
    result = model.run(model.Params(scratch_mb=2000, tmp_mb=512))
    assert not result.tmp_ok and "2,000 MB" in result.tmp_fix
    assert "beyond" in model.run(model.Params(scratch_mb=20_000)).tmp_fix


@pytest.mark.parametrize("kwargs,message", [
    ({"memory_mb": 64}, "--memory-mb must be from 128 to 10,240, got 64"),
    ({"memory_mb": 10241}, "--memory-mb must be from 128 to 10,240"),
    ({"timeout_s": 901}, "--timeout-s must be from 1 to 900, got 901 (Lambda's maximum timeout is 900 s"),
    ({"timeout_s": 0}, "--timeout-s must be from 1 to 900"),
    ({"tmp_mb": 256}, "--tmp-mb must be from 512 to 10,240"),
    ({"payload_kb": -1}, "--payload-kb must be from 0"),
    ({"job_minutes": 0}, "--job-minutes must be from"),
    ({"invocation": "event"}, "--invocation must be one of sync, async"),
])
def test_bad_params(kwargs, message):
    with pytest.raises(ParamError) as info:
        model.Params(**kwargs)
    assert message in str(info.value)


def test_determinism():
    assert model.run(model.Params(), 1).to_json() == model.run(model.Params(), 1).to_json()


def test_cli_default_demo_renders_with_footer():
    result = runner.invoke(app, ["simulate", "limits"])
    assert result.exit_code == 0, result.output
    assert "Task timed out" in result.output and "Step Functions" in result.output
    assert "256 KB" in result.output
    assert "What to say in the interview" in result.output and "lambda-prep quiz --topic limits" in result.output


def test_cli_json_keys():
    result = runner.invoke(app, ["simulate", "limits", "--json", "--payload-kb", "2048", "--invocation", "async"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["results"]
    for key in ("duration_s", "timed_out", "billed_s", "cost_per_run_usd", "memory_table", "timeout_fix",
                "split", "payload", "tmp", "vcpus"):
        assert key in data
    assert data["payload"]["accepted"] is False


@pytest.mark.parametrize("args,text", [
    (["--memory-mb", "64"], "128 to 10,240"),
    (["--timeout-s", "901"], "1 to 900"),
    (["--tmp-mb", "100"], "512 to 10,240"),
])
def test_cli_bad_parameter_exits_2(args, text):
    result = runner.invoke(app, ["simulate", "limits", *args])
    assert result.exit_code == 2
    assert text in result.output


def test_frames_for_animate():
    from lambda_prep.views.sims import limits as view

    frames = view.frames(model.run(model.Params()))
    assert 10 <= len(frames) <= 60
