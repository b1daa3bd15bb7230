"""The lifecycle model: billed durations worked by hand, what survives, background work, shutdown."""

from __future__ import annotations

import pytest

from lambda_prep.sims import lifecycle as model
from lambda_prep.sims import facts
from lambda_prep.sims.common import ParamError


def test_billed_duration_of_a_cold_invocation_by_hand():
    # INIT = extension 0 + init 412.3 ms; INVOKE = handler 120.4 + extension 30.2 ms
    # billed = ceil(412.3 + 120.4 + 30.2) = ceil(562.9) = 563 ms; the warm one: ceil(150.6) = 151 ms
    params = model.Params(requests=2, gap_s=10, init_ms=412.3, extension_init_ms=0, duration_ms=120.4,
                          extension_post_ms=30.2, memory_mb=1024)
    cold, warm = model.run(params, 1).invocations
    assert (cold.start, cold.billed_ms) == ("cold", 563)
    assert (warm.start, warm.billed_ms) == ("warm", 151)
    # the caller waits for init + handler, not for the extension's work after the response
    assert cold.latency_ms == pytest.approx(532.7)
    # 1 GB for 0.563 s at the x86 rate, plus one request
    assert cold.cost_usd == pytest.approx(0.563 * facts.gb_second("x86_64") + 0.2e-6, rel=1e-9)


def test_a_timeout_bills_the_whole_timeout_and_resets_the_environment():
    params = model.Params(requests=3, gap_s=10, timeout_s=3, timeout_at=2, extension="none")
    first, second, third = model.run(params, 1).invocations
    assert second.timed_out and second.billed_ms == 3000
    assert third.start == "re-init" and third.counter == 1  # globals lost
    assert third.tmp_cache == "hit"  # /tmp is not cleared by a reset
    assert third.connection == "new"


def test_what_survives_a_warm_start():
    result = model.run(model.Params(requests=4, gap_s=30, connection_idle_timeout_s=100), 1)
    assert [r.counter for r in result.invocations] == [1, 2, 3, 4]
    assert [r.tmp_cache for r in result.invocations] == ["miss", "hit", "hit", "hit"]
    assert [r.connection for r in result.invocations] == ["new", "reused", "reused", "reused"]


def test_an_idle_connection_closed_while_frozen_must_be_reopened():
    result = model.run(model.Params(requests=2, gap_s=300, connection_idle_timeout_s=100), 1)
    assert result.invocations[1].connection == "stale"


def test_reclaimed_environment_starts_cold_with_empty_tmp():
    result = model.run(model.Params(requests=2, gap_s=1_000, keep_alive_s=600), 1)
    assert [r.start for r in result.invocations] == ["cold", "cold"]
    assert result.invocations[1].tmp_cache == "miss" and result.invocations[1].counter == 1


def test_background_work_only_runs_while_thawed():
    # no extension: the environment freezes as the handler returns, so 300 ms of un-awaited work
    # makes no progress until the next request, whose 120 ms of INVOKE let it run 120 ms
    params = model.Params(requests=2, gap_s=30, extension="none", background_ms=300, duration_ms=120)
    first, second = model.run(params, 1).invocations
    assert first.background == [{"from": 1, "ran_ms": 0.0, "left_ms": 300.0}]
    assert {"from": 1, "ran_ms": 120.0, "left_ms": 180.0} in second.background
    shutdown = model.run(params, 1).shutdown
    assert {"from": 2, "left_ms": 300.0} in shutdown["lost_background"]


@pytest.mark.parametrize("extension, limit", [("none", 0), ("internal", 500), ("external", 2000)])
def test_shutdown_limit_depends_on_extensions(extension, limit):
    assert model.run(model.Params(extension=extension), 1).shutdown["limit_ms"] == limit


def test_snapstart_bills_only_the_billed_restore():
    params = model.Params(requests=1, snapstart=True, runtime="java", restore_ms=180, billed_restore_ms=60,
                          duration_ms=120, extension_post_ms=40)
    (only,) = model.run(params, 1).invocations
    assert only.start == "restore" and only.billed_ms == 60 + 160
    assert only.latency_ms == 300


def test_init_share_of_the_bill():
    result = model.run(model.Params(requests=6, gap_s=60), 1)
    # 530 ms of INIT in 690 + 5 x 160 = 1,490 billed ms
    assert result.totals["billed_ms"] == 1490
    assert result.totals["init_share_of_bill"] == pytest.approx(530 / 1490, abs=1e-4)


@pytest.mark.parametrize("kw, words", [
    (dict(snapstart=True, runtime="nodejs"), "java, python or dotnet"),
    (dict(init_ms=10_001), "10 s"),
    (dict(duration_ms=5_000, timeout_s=3), "longer than"),
    (dict(timeout_at=9, requests=3), "request number"),
    (dict(billed_restore_ms=500, restore_ms=100), "cannot exceed"),
])
def test_bad_params(kw, words):
    with pytest.raises(ParamError, match=words):
        model.Params(**kw)
