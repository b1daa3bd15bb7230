"""Issue 10, "faithful details": each test would have caught the point the expert review found."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import cold_start, concurrency, facts
from lambda_prep.sims.common import ParamError
from lambda_prep.sims.pool import LatencyHistogram, ms_bin

runner = CliRunner()


def test_percentiles_report_the_upper_edge_of_the_1ms_bin():
    """A 1.9 ms handler showed p50 1.0 ms (the lower edge); Lambda bills rounding up."""
    r = cold_start.run(cold_start.Params(duration_ms=1.9, requests=3000, compare=False), 1)
    assert r.latency_ms["p50"] == 2.0
    assert ms_bin(200.0) == 200 and ms_bin(199.99999999) == 200 and ms_bin(200.4) == 201
    h = LatencyHistogram()
    for ms in (0.2, 1.0, 1.5):
        h.add(ms)
    assert [h.percentile(q) for q in (33, 66, 100)] == [1.0, 1.0, 2.0]


def test_the_rps_limit_is_a_third_throttle_source():
    """15,000 rps at 10 ms with the default 1,000 cap: AWS serves at most 10 x 1,000 = 10,000 rps, so about a
    third is throttled (the review measured 1 % before the limit was modelled)."""
    r = concurrency.run(concurrency.Params(arrival_rate=15_000, duration_ms=10, requests=150_000, sqs=False), 1)
    assert int(facts.RPS_PER_ENVIRONMENT) == 10
    assert 0.30 < r.throttled_by["rps_limit"] / r.requests < 0.36
    assert r.throttled == sum(r.throttled_by.values())


def test_the_rps_limit_does_not_touch_slow_traffic():
    r = cold_start.run(cold_start.Params(requests=3000), 1)
    assert r.throttled_by["rps_limit"] == 0


# --- rds-proxy -------------------------------------------------------------------------------------
from lambda_prep.sims import rds_proxy  # noqa: E402


def test_rds_proxy_waits_are_bounded_by_the_function_timeout():
    """The review's run: 0 errors at a p99 wait of 28.7 s with the default 3 s timeout."""
    r = rds_proxy.run(rds_proxy.Params(max_connections=10, duration_ms=1000, borrow_timeout_s=300), 1)
    assert r.proxy.errors > 0 and r.proxy.errors_by["function_timeout"] == r.proxy.errors
    assert r.proxy.wait_ms["max"] <= 3000 + 1
    longer = rds_proxy.run(rds_proxy.Params(max_connections=10, duration_ms=1000, borrow_timeout_s=300,
                                            timeout_s=60), 1)
    assert longer.proxy.errors < r.proxy.errors


def test_rds_proxy_borrow_timeout_range_is_the_current_api_reference():
    assert facts.RDS_BORROW_TIMEOUT_RANGE_S.value == (0, 300)
    rds_proxy.Params(borrow_timeout_s=300)
    with pytest.raises(ParamError, match="0 to 300"):
        rds_proxy.Params(borrow_timeout_s=301)
    result = runner.invoke(app, ["simulate", "rds-proxy", "--borrow-timeout-s", "3600"])
    assert result.exit_code == 2 and "0 to 300" in result.output


def test_rds_proxy_clock_ends_with_the_last_event_and_charts_add_up():
    r = rds_proxy.run(rds_proxy.Params(max_connections=10, duration_ms=1000, borrow_timeout_s=300), 1)
    # the old clock ran on to the last stale borrow-timeout timer: 300 s past the traffic
    assert r.proxy.simulated_s - r.direct.simulated_s < 5
    for scenario in (r.direct, r.proxy):
        assert sum(sample[5] for sample in scenario.samples) == scenario.errors


def test_rds_proxy_assumptions_honour_the_options():
    r = rds_proxy.run(rds_proxy.Params(max_connections=37, init_ms=400, timeout_s=9), 1)
    text = " ".join(r.to_json()["assumptions"])
    assert "max_connections 37" in text and "init 400 ms" in text and "(9 s)" in text
    assert "100 is an example" not in text


# --- limits ----------------------------------------------------------------------------------------
from lambda_prep.sims import limits  # noqa: E402


def test_limits_text_and_arithmetic_agree_on_vcpus():
    """The review: 'raise memory to 10,240 MB: 6 vCPU(s) finish it in 10.4 min' while 60 / 6 = 10.0."""
    import re

    r = limits.run(limits.Params(job_minutes=60, threads=8), 1)
    match = re.search(r"([\d.]+) vCPUs finish it in ([\d.]+) min", r.fix)
    assert match, r.fix
    vcpus, minutes = float(match.group(1)), float(match.group(2))
    assert abs(60 / vcpus - minutes) < 0.06
    assert vcpus == pytest.approx(10_240 / 1_769, abs=0.005)


def test_invocation_retry_counts_read_as_totals_not_per_event():
    """'(3 retries)' read as three retries of each event; async allows at most 2 per event."""
    import io

    from rich.console import Console

    from lambda_prep.sims import invocation
    from lambda_prep.views.sims import invocation as view

    out = io.StringIO()
    console = Console(file=out, width=400, color_system=None)
    for renderable in view.render(invocation.run(invocation.Params(), 1), 400):
        console.print(renderable)
    text = out.getvalue()
    assert "up to 2 times per event" in text and "retries in all)" in text
    assert "(3 retries)" not in text


# --- pricing ---------------------------------------------------------------------------------------
from lambda_prep.sims import pricing  # noqa: E402


def test_pricing_bills_the_init_phase():
    """INIT is billed since 1 Aug 2025; the monthly bill used to leave it out."""
    without = pricing.run(pricing.Params(cold_start_ratio=0, free_tier=False))
    with_init = pricing.run(pricing.Params(cold_start_ratio=0.02, init_ms=500, free_tier=False))
    extra_gb_s = 3_000_000 * 0.02 * 0.5 * 512 / 1024
    assert with_init.bill.gb_seconds - without.bill.gb_seconds == pytest.approx(extra_gb_s)
    assert with_init.bill.total - without.bill.total == pytest.approx(extra_gb_s * facts.gb_second("x86_64"))
    assert with_init.break_even[0].rps < without.break_even[0].rps


def test_pricing_sizes_fargate_by_load():
    """One 0.25 vCPU task used to serve any load; a CPU-bound 100 ms at 512 MB needs about 0.029 CPU-s a
    request, so a task at 70 % serves about 6 requests/s and the Fargate line steps up beyond that."""
    r = pricing.run(pricing.Params(cold_start_ratio=0))
    capacity = r.break_even[0].rps_per_task
    assert capacity == pytest.approx(0.25 * 0.7 / (0.1 * 512 / 1769), rel=1e-6)
    single = pricing.fargate_monthly(0.25, 0.5)
    far = [point for point in r.chart if point["rps"] > 10 * capacity]
    assert far and all(point["fargate_usd"] >= 10 * single for point in far)
    # a task too small for the break-even load: Fargate never wins
    assert pricing.run(pricing.Params(cold_start_ratio=0, fargate_rps_per_task=2)).break_even[0].rps is None


# --- security --------------------------------------------------------------------------------------
def test_security_with_your_own_resource_policy_probes_the_principals_it_names(tmp_path):
    """With the learner's policy files the view still listed the demo's callers (dev, partner, admin)."""
    policy = {"Version": "2012-10-17", "Statement": [
        {"Sid": "ApiGw", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"},
         "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:orders",
         "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:execute-api:us-east-1:111122223333:abc123/*"}}},
        {"Sid": "Ops", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::555566667777:role/ops"},
         "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:orders"}]}
    path = tmp_path / "function-policy.json"
    path.write_text(json.dumps(policy))
    result = runner.invoke(app, ["simulate", "security", "--resource-policy", str(path), "--json"])
    assert result.exit_code == 0, result.output
    probes = json.loads(result.output)["results"]["who_may_invoke"]["probes"]
    labels = " | ".join(p["label"] for p in probes)
    assert "apigateway.amazonaws.com" in labels and "role/ops" in labels
    assert "developer" not in labels and "partner" not in labels and "sns" not in labels.lower()
    decisions = {p["label"]: p["decision"] for p in probes}
    assert decisions["apigateway.amazonaws.com, as your policy names it"] == "Allow"
    assert decisions["apigateway.amazonaws.com from a source you did not name"] != "Allow"


# --- streams ---------------------------------------------------------------------------------------
from lambda_prep.sims import retries  # noqa: E402


def test_dynamodb_streams_are_polled_four_times_a_second():
    """The stream model polled DynamoDB Streams once a second, as Kinesis; AWS documents 4 times a second."""
    assert facts.DDB_POLLS_PER_S.value == 4 and facts.KINESIS_POLLS_PER_S.value == 1
    kw = dict(source="stream", events=300, arrival_rate=2.0, poison_at=0, failure_rate=0.0)
    ddb = retries.run(retries.Params(stream_type="dynamodb", **kw), 1).to_json()["results"]
    kinesis = retries.run(retries.Params(stream_type="kinesis", **kw), 1).to_json()["results"]
    assert ddb["poll_interval_s"] == 0.25 and kinesis["poll_interval_s"] == 1.0
    assert ddb["max_iterator_age_s"] < kinesis["max_iterator_age_s"]
    with pytest.raises(ParamError, match="24"):
        retries.Params(source="stream", stream_type="dynamodb", retention_hours=48)


def test_stream_partial_batch_retries_from_the_lowest_failed_record():
    """ERRATUM: with ReportBatchItemFailures on a stream, Lambda retries from the lowest reported sequence
    number, so successful records after it are processed again (unlike SQS)."""
    r = retries.run(retries.Params(source="stream", events=10, batch_size=10, arrival_rate=0.0, poison_at=4,
                                   failure_rate=0.0, max_retry_attempts=1, partial_batch=True), 1)
    data = r.to_json()["results"]
    assert data["succeeded"] == 3  # records 1-3, before the failure, are checkpointed
    assert data["dead_lettered"] == 7  # the retried remainder 4-10, after its retries run out
    assert data["reprocessed_successes"] == 12  # records 5-10 succeeded, yet ran again twice
    assert data["attempts_histogram"] == {"1": 3, "2": 7}


def test_partial_batch_is_refused_for_async_only():
    result = runner.invoke(app, ["simulate", "retries", "--source", "async", "--partial-batch"])
    assert result.exit_code == 2 and "--source sqs or --source stream" in result.output
    result = runner.invoke(app, ["simulate", "retries", "--source", "stream", "--partial-batch", "--events", "100",
                                 "--json"])
    assert result.exit_code == 0, result.output


def test_snapstart_eligibility_follows_the_current_docs():
    """Current docs describe SnapStart for container images of any runtime (with hooks); the message said
    'Java 11+, Python 3.12+ and .NET 8+ only'."""
    with pytest.raises(ParamError) as caught:
        cold_start.Params(runtime="nodejs", snapstart=True)
    assert "container image" in str(caught.value) and "only" not in str(caught.value)
    assert "snapstart-runtime-hooks-custom" in facts.SNAPSTART_CONTAINER_IMAGES.source
    result = runner.invoke(app, ["simulate", "cold-start", "--help"], terminal_width=120)
    assert "container images" in result.output


def test_sqs_mapping_ceiling_states_the_disagreement():
    assert int(facts.SQS_MAX_BATCHES) == 1000 and int(facts.SQS_MAX_BATCHES_NEWER) == 1250
    r = concurrency.run(concurrency.Params(requests=1_000, sqs_messages=1_000), 1)
    assert any("1,250" in a and "1,000" in a for a in r.to_json()["assumptions"])


def test_stream_parallelization_factor_reads_several_batches_of_a_shard_at_once():
    """ParallelizationFactor (1-10) was missing: a shard was always read one batch at a time."""
    kw = dict(source="stream", events=1000, batch_size=10, duration_ms=1000, arrival_rate=0.0, poison_at=0)
    one = retries.run(retries.Params(**kw), 1).to_json()["results"]
    four = retries.run(retries.Params(parallelization_factor=4, **kw), 1).to_json()["results"]
    assert one["succeeded"] == four["succeeded"] == 1000
    assert one["simulated_s"] == pytest.approx(101, abs=1) and four["simulated_s"] == pytest.approx(26, abs=1)
    assert facts.PARALLELIZATION_FACTOR_RANGE.value == (1, 10)
    with pytest.raises(ParamError, match="1 to 10"):
        retries.Params(source="stream", parallelization_factor=11)
    result = runner.invoke(app, ["simulate", "retries", "--source", "sqs", "--parallelization-factor", "2"])
    assert result.exit_code == 2 and "--source stream" in result.output


def test_a_poison_record_blocks_only_its_partition_key_lane():
    kw = dict(source="stream", events=400, arrival_rate=10.0, poison_at=101, batch_size=10)
    one = retries.run(retries.Params(**kw), 1).to_json()["results"]
    four = retries.run(retries.Params(parallelization_factor=4, **kw), 1).to_json()["results"]
    # the poison record's batch holds only records of its own partition-key lane; the other lanes go on
    assert four["shard_log_lane"] == 100 % 4 and one["shard_log_lane"] is None
    blocked = [e for e in four["shard_log"] if e.get("first") and e["first"] <= 101 <= e.get("last", 0)]
    assert blocked and all((e["first"] - 1) % 4 == 100 % 4 and (e["last"] - 1) % 4 == 100 % 4 for e in blocked)
    # the expiring batch takes fewer good records with it: only the poison lane's records share its batch
    assert four["dead_lettered"] < one["dead_lettered"]


def test_retries_sqs_uses_the_shared_poller_model():
    """The SQS pollers were modelled three ways (5 growing, 5 fixed, 1); retries now scales them like
    concurrency does, and backs off after failed batches unless partial batch responses are on."""
    grow = retries.run(retries.Params(source="sqs", events=20_000, failure_rate=0.0, duration_ms=1000), 1)
    assert grow.to_json()["results"]["peak_pollers"] > 5
    failing = retries.run(retries.Params(source="sqs", events=20_000, failure_rate=0.5, duration_ms=1000), 1)
    partial = retries.run(retries.Params(source="sqs", events=20_000, failure_rate=0.5, duration_ms=1000,
                                         partial_batch=True), 1)
    assert failing.to_json()["results"]["peak_pollers"] < partial.to_json()["results"]["peak_pollers"]
