"""The invocation model: what each kind of caller gets back, where errors go, throttling, the command."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import invocation as model
from lambda_prep.sims.common import ParamError

runner = CliRunner()


def test_sync_caller_gets_200_result_200_with_error_header_or_429():
    result = model.run(model.Params(), 1).to_json()["results"]
    calls = result["sync"]["calls"]
    statuses = {c["outcome"]: c for c in calls}
    assert set(statuses) == {"succeeded", "function error", "throttled"}  # the default demo shows all three
    ok, error, throttled = statuses["succeeded"], statuses["function error"], statuses["throttled"]
    assert ok["status"] == 200 and ok["headers"] == {} and ok["waited_ms"] == 200
    # a function error is not a 4xx/5xx for a direct Invoke caller
    assert error["status"] == 200 and error["headers"] == {"X-Amz-Function-Error": "Unhandled"}
    assert "errorMessage" in error["body"] and error["waited_ms"] == 200
    assert throttled["status"] == 429 and throttled["waited_ms"] == 0
    assert throttled["headers"]["x-amzn-ErrorType"] == "TooManyRequestsException"
    assert result["sync"]["retried_by_lambda"] == 0


def test_async_caller_always_gets_202_at_once_and_lambda_retries():
    result = model.run(model.Params(function_error=1.0, throttle_s=0, requests=4), 1).to_json()["results"]
    async_ = result["async"]
    assert all(e["status"] == 202 and e["waited_ms"] == 0 for e in async_["events"])
    assert async_["errors_seen_by_caller"] == 0
    assert async_["to_on_failure"] == 4 and async_["on_failure_reasons"] == {"RetriesExhausted": 4}
    assert async_["function_runs"] == 12  # 1 + 2 retries each
    # runs end at 0.2 s, then waits of 60 s and 120 s: the third run ends at 180.6 s after sending
    assert async_["max_time_to_outcome_s"] == pytest.approx(180.6)
    assert result["sync"]["function_errors"] == 4  # the same errors went straight back to the sync caller


def test_async_throttles_are_queued_and_retried_with_backoff():
    result = model.run(model.Params(throttle_s=10, function_error=0, requests=1), 1).to_json()["results"]
    event = result["async"]["events"][0]
    assert event["throttle_retries"] == 4  # throttled at 0, 1, 3, 7 s; runs at 15 s (1 + 2 + 4 + 8)
    assert event["outcome"] == "succeeded" and event["done_s"] == pytest.approx(15.2)
    assert result["sync"]["throttled"] == 1 and result["sync"]["calls"][0]["status"] == 429


def test_async_throttle_past_the_event_age_goes_to_on_failure():
    result = model.run(model.Params(throttle_s=5_000, function_error=0, requests=1, max_event_age_s=600), 1)
    async_ = result.to_json()["results"]["async"]
    assert async_["on_failure_reasons"] == {"EventAgeExceeded": 1} and async_["function_runs"] == 0


def test_async_dead_letter_share_matches_p_cubed():
    p, n = 0.4, 20_000
    result = model.run(model.Params(requests=n, function_error=p, throttle_s=0, interval_ms=1), 31).to_json()["results"]
    share = result["async"]["to_on_failure"] / n
    assert abs(share - p ** 3) <= 4 * math.sqrt(p ** 3 * (1 - p ** 3) / n)


def test_timeout_is_a_function_error_after_the_full_timeout():
    result = model.run(model.Params(duration_ms=5_000, timeout_s=3, throttle_s=0, requests=2), 1).to_json()["results"]
    call = result["sync"]["calls"][0]
    assert call["status"] == 200 and call["headers"] == {"X-Amz-Function-Error": "Unhandled"}
    assert call["waited_ms"] == 3_000 and "Task timed out after 3.00 seconds" in call["body"]["errorMessage"]


def test_poll_based_mapping_invokes_synchronously_in_batches_and_uses_the_queue_for_retries():
    result = model.run(model.Params(function_error=1.0, throttle_s=0, requests=5, interval_ms=0), 1).to_json()["results"]
    esm = result["esm"]
    assert esm["batch_log"][0]["messages"] == [1, 2, 3, 4, 5]  # all waiting: one batch
    assert esm["to_dlq"] == 5 and esm["batches"] == 5  # one receive per visibility timeout, maxReceiveCount 5
    assert esm["max_time_to_outcome_s"] == pytest.approx(5 * 30)
    ok = model.run(model.Params(function_error=0, throttle_s=0, requests=25, interval_ms=0), 1).to_json()["results"]["esm"]
    assert ok["succeeded"] == 25 and ok["batches"] == 3  # batches of 10, 10, 5


def test_poller_backs_off_on_throttles_within_the_visibility_timeout():
    result = model.run(model.Params(function_error=0, throttle_s=3, requests=1), 1).to_json()["results"]
    batch = result["esm"]["batch_log"][0]
    assert [i["result"] for i in batch["invokes"]] == ["throttled (429)"] * 2 + ["200 OK"]  # 0 s, 1 s, 3 s
    assert result["esm"]["succeeded"] == 1


def test_same_seed_same_result():
    params = model.Params(requests=50)
    assert model.run(params, 9).to_json() == model.run(params, 9).to_json()
    assert json.dumps(model.run(params, 9).to_json())


@pytest.mark.parametrize("kwargs, message", [
    ({"max_retries": 3}, "--max-retries must be from 0 to 2, got 3 (asynchronous invocation allows 0-2"),
    ({"function_error": 2}, "--function-error must be from 0 to 1"),
    ({"timeout_s": 1_000}, "--timeout-s must be from 1 to 900"),
    ({"throttle_s": -1}, "--throttle-s must be from 0"),
    ({"requests": 0}, "--requests must be from 1 to 100,000"),
    ({"visibility_timeout_s": 2}, "at least the function timeout (3 s)"),
    ({"batch_size": 0}, "--batch-size must be from 1 to 10,000"),
])
def test_bad_parameters_say_the_range(kwargs, message):
    with pytest.raises(ParamError) as error:
        model.Params(**kwargs)
    assert message in str(error.value)


def test_cli_json():
    result = runner.invoke(app, ["simulate", "invocation", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["results"]
    assert {"requests", "sync", "async", "esm", "timeline"} <= set(data)
    assert data["async"]["accepted"] == data["requests"] == 8


def test_cli_bad_parameter_exits_2():
    result = runner.invoke(app, ["simulate", "invocation", "--max-retries", "3"])
    assert result.exit_code == 2 and "from 0 to 2, got 3" in result.output


def test_cli_demo_renders_with_the_interview_footer():
    result = runner.invoke(app, ["simulate", "invocation"])
    assert result.exit_code == 0, result.output
    for text in ("X-Amz-Function-Error", "429 TooManyRequestsException", "202", "What to say in the interview",
                 "lambda-prep explain invocation", "lambda-prep quiz --topic invocation"):
        assert text in result.output


def test_frames_for_animation():
    from lambda_prep.views.sims import invocation as view

    frames = view.frames(model.run(model.Params(), 1))
    assert 10 <= len(frames) <= 60
