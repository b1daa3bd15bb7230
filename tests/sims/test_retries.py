"""The retries model against closed forms, its stream behaviour, its checks and its command."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import retries as model
from lambda_prep.sims.common import ParamError

runner = CliRunner()


def within(estimate: float, expected: float, variance: float, n: int, sigmas: float = 4.0) -> bool:
    """|estimate - expected| <= sigmas standard errors of a mean of n draws with this variance."""
    return abs(estimate - expected) <= sigmas * math.sqrt(variance / n)


def attempts_variance(p: float, tries: int) -> tuple[float, float]:
    """Mean and variance of the attempts of one event: min(geometric, tries)."""
    probs = [(1 - p) * p ** (k - 1) for k in range(1, tries)] + [p ** (tries - 1)]
    mean = sum(k * q for k, q in zip(range(1, tries + 1), probs))
    second = sum(k * k * q for k, q in zip(range(1, tries + 1), probs))
    return mean, second - mean * mean


# --- closed forms ---------------------------------------------------------------------------


@pytest.mark.parametrize("p, retries, events, seed", [(0.5, 2, 40_000, 11), (0.3, 2, 40_000, 12),
                                                      (0.6, 1, 20_000, 13), (0.4, 0, 20_000, 14)])
def test_async_dead_letter_share_is_p_to_the_attempts(p, retries, events, seed):
    result = model.run(model.Params(source="async", failure_rate=p, max_retries=retries, events=events), seed)
    dead = p ** (retries + 1)
    assert within(result.dead_letter_ratio, dead, dead * (1 - dead), events)
    mean, variance = attempts_variance(p, retries + 1)
    assert math.isclose(mean, 1 + sum(p ** k for k in range(1, retries + 1)))  # E = 1 + p + p^2 for 2 retries
    assert within(result.mean_attempts, mean, variance, events)
    assert result.succeeded + result.dead_lettered == events
    assert result.theory()["dead_letter_ratio"] == pytest.approx(dead)


def test_async_waits_are_one_then_two_minutes():
    result = model.run(model.Params(failure_rate=1.0, events=3, duration_ms=100), 1)
    assert result.dead_lettered == 3 and result.mean_attempts == 3
    steps = [s for s in result.examples[0]["steps"] if s["kind"] == "fail"]
    gaps = [round(b["t"] - a["t"], 3) for a, b in zip(steps, steps[1:])]
    assert gaps == [60.1, 120.1]  # each wait starts when the failed attempt ends
    assert result.to_json()["results"]["time_to_dead_letter_s"]["min"] == pytest.approx(180.3)


def test_async_event_age_cuts_retries_short():
    result = model.run(model.Params(failure_rate=1.0, events=50, max_event_age_s=100), 1)
    assert result.reasons == {"EventAgeExceeded": 50}
    assert result.mean_attempts == 2  # the 2nd attempt at ~60 s fits, the 3rd at ~180 s does not
    assert result.theory() is None


@pytest.mark.parametrize("batch, partial, k, events, seed", [(10, True, 3, 20_000, 21), (1, False, 4, 10_000, 22)])
def test_sqs_dead_letter_share_is_p_to_max_receive_count(batch, partial, k, events, seed):
    p = 0.5
    result = model.run(model.Params(source="sqs", failure_rate=p, batch_size=batch, partial_batch=partial,
                                    max_receive_count=k, events=events), seed)
    dead = p ** k
    assert within(result.dead_letter_ratio, dead, dead * (1 - dead), events)
    mean, variance = attempts_variance(p, k)
    assert math.isclose(mean, (1 - p ** k) / (1 - p))
    assert within(result.mean_attempts, mean, variance, events)


def test_sqs_whole_batch_failure_returns_good_messages_and_dead_letters_more():
    result = model.run(model.Params(source="sqs", failure_rate=0.2, events=2_000), 3)
    data = result.to_json()["results"]
    assert result.to_json()["params"]["partial_batch"] is False and data["comparison"]["partial_batch"] is True
    assert data["duplicate_processing"] > 0 and data["comparison"]["duplicate_processing"] == 0
    assert data["dead_letter_ratio"] > 10 * data["comparison"]["dead_letter_ratio"]
    assert result.theory() is None  # no closed form when batches fail together


def test_sqs_poison_message_reaches_the_dlq_after_k_visibility_timeouts():
    result = model.run(model.Params(source="sqs", failure_rate=0.0, events=20, poison_at=7, partial_batch=True,
                                    visibility_timeout_s=45, max_receive_count=4), 1)
    assert result.dead_lettered == 1 and result.succeeded == 19
    assert result.to_json()["results"]["time_to_dead_letter_s"]["min"] == pytest.approx(4 * 45)
    assert result.failure_record["attributes"]["ApproximateReceiveCount"] == "4"


# --- streams --------------------------------------------------------------------------------


def test_stream_poison_record_blocks_its_shard_with_default_settings():
    result = model.run(model.Params(source="stream"), 1)
    data = result.to_json()["results"]
    day = 24 * 3600
    assert result.to_json()["params"]["poison_at"] == 250 and result.to_json()["params"]["max_retry_attempts"] == -1
    assert data["blocked_s"] > day - 60
    assert data["max_iterator_age_s"] > day - 120
    discard = data["discarded_batches"][0]
    assert discard["first"] <= 250 <= discard["last"] and discard["last"] > discard["first"]
    assert discard["t"] > day  # retried until the records expired
    assert data["failure_reasons"] == {"RecordExpired": discard["last"] - discard["first"] + 1}
    later = [e for e in data["shard_log"] if e["kind"] == "ok" and e["first"] > discard["last"]]
    assert later and later[0]["t"] > day  # the records behind the poison waited a day
    assert data["succeeded"] + data["dead_lettered"] + data["lost_unprocessed"] == 1_000


def test_stream_bisect_and_max_attempts_isolate_the_poison_record():
    result = model.run(model.Params(source="stream", bisect=True, max_retry_attempts=2), 1)
    data = result.to_json()["results"]
    assert data["dead_lettered"] == 1 and data["succeeded"] == 999
    assert data["discarded_batches"][0]["first"] == data["discarded_batches"][0]["last"] == 250
    body = data["failure_record"]["body"]
    assert body["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert body["requestContext"]["approximateInvokeCount"] == 3
    assert body["KinesisBatchInfo"]["batchSize"] == 1
    assert data["blocked_s"] < 60
    assert any(e["kind"] == "split" for e in data["shard_log"])


def test_stream_without_bisect_discards_the_whole_batch_after_max_attempts():
    result = model.run(model.Params(source="stream", max_retry_attempts=1, arrival_rate=0, events=500), 1)
    assert result.dead_lettered == 100  # the batch of 100 that holds record 125, good records included
    assert result.succeeded == 400


def test_stream_max_record_age_limits_the_block():
    result = model.run(model.Params(source="stream", max_record_age_s=600), 1)
    data = result.to_json()["results"]
    assert 500 < data["blocked_s"] < 700
    assert "RecordAgeExceeded" in data["failure_reasons"]


# --- determinism and checks -----------------------------------------------------------------


@pytest.mark.parametrize("source", model.SOURCES)
def test_same_seed_same_result(source):
    params = model.Params(source=source, events=300)
    assert model.run(params, 5).to_json() == model.run(params, 5).to_json()
    assert json.dumps(model.run(params, 5).to_json())


def test_different_seeds_differ():
    params = model.Params(events=500)
    assert model.run(params, 1).to_json() != model.run(params, 2).to_json()


@pytest.mark.parametrize("kwargs, message", [
    ({"max_retries": 3}, "--max-retries must be from 0 to 2, got 3 (asynchronous invocation allows 0-2"),
    ({"failure_rate": 1.5}, "--failure-rate must be from 0 to 1"),
    ({"max_event_age_s": 30}, "--max-event-age-s must be from 60 to 21,600"),
    ({"timeout_s": 901}, "--timeout-s must be from 1 to 900"),
    ({"events": 0}, "--events must be from 1 to 1,000,000"),
    ({"arrival_rate": -1}, "--arrival-rate must be 0 or from 0.001 to 10,000"),
    ({"source": "sqs", "visibility_timeout_s": 10, "timeout_s": 20}, "at least the function timeout (20 s)"),
    ({"source": "sqs", "max_receive_count": 0}, "--max-receive-count must be from 1 to 1,000"),
    ({"source": "sqs", "on_failure": "destination"}, "--on-failure must be dlq for --source sqs"),
    ({"source": "stream", "on_failure": "dlq"}, "a stream mapping has no DLQ"),
    ({"source": "stream", "max_record_age_s": 30}, "--max-record-age-s must be -1 or from 60 to 604,800"),
    ({"source": "stream", "max_retry_attempts": -2}, "--max-retry-attempts must be -1 or from 0 to 10,000"),
    ({"source": "stream", "batch_size": 20_000}, "--batch-size must be from 1 to 10,000"),
    ({"source": "kafka"}, "--source must be one of async, sqs, stream"),
])
def test_bad_parameters_say_the_range(kwargs, message):
    with pytest.raises(ParamError) as error:
        model.Params(**kwargs)
    assert message in str(error.value)


def test_progress_is_reported():
    steps = []
    model.run(model.Params(events=2_500), 1, steps.append)
    assert sum(steps) == 2_500


# --- command line ---------------------------------------------------------------------------


def test_cli_json_has_the_documented_keys():
    result = runner.invoke(app, ["simulate", "retries", "--json", "--events", "500"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["results"]
    for key in ("events", "succeeded", "dead_lettered", "dead_letter_ratio", "mean_attempts", "timeline"):
        assert key in data
    assert data["events"] == 500 and data["succeeded"] + data["dead_lettered"] == 500
    again = runner.invoke(app, ["simulate", "retries", "--json", "--events", "500"])
    assert again.output == result.output


@pytest.mark.parametrize("args, text", [
    (["--max-retries", "3"], "from 0 to 2, got 3"),
    (["--failure-rate", "-0.1"], "from 0 to 1"),
    (["--source", "sqs", "--visibility-timeout-s", "1"], "at least the function timeout"),
])
def test_cli_bad_parameter_exits_2_with_the_range(args, text):
    result = runner.invoke(app, ["simulate", "retries", *args])
    assert result.exit_code == 2
    assert text in result.output and "--help" in result.output


@pytest.mark.parametrize("args, text", [
    ([], "RetriesExhausted"),
    (["--source", "sqs"], "partial batch responses off vs on"),
    (["--source", "stream"], "IteratorAge"),
    (["--source", "stream", "--bisect", "--max-retry-attempts", "1", "--on-failure", "none"], "bisect"),
])
def test_cli_demo_renders_with_the_interview_footer(args, text):
    result = runner.invoke(app, ["simulate", "retries", *args])
    assert result.exit_code == 0, result.output
    assert text in result.output
    assert "What to say in the interview" in result.output
    assert "lambda-prep explain retries" in result.output and "lambda-prep quiz --topic retries" in result.output


def test_cli_help_lists_sources_and_assumptions():
    result = runner.invoke(app, ["simulate", "retries", "--help"])
    assert result.exit_code == 0
    assert "invocation-async-error-handling.html" in result.output
    assert "Model assumptions" in result.output


def test_frames_for_animation():
    from lambda_prep.views.sims import retries as view

    for source in model.SOURCES:
        frames = view.frames(model.run(model.Params(source=source, events=200), 1))
        assert 10 <= len(frames) <= 60


@pytest.mark.parametrize("source, own, foreign", [
    ("async", {"max_retries", "max_event_age_s"}, {"visibility_timeout_s", "batch_size", "max_retry_attempts"}),
    ("sqs", {"visibility_timeout_s", "max_receive_count", "batch_size", "partial_batch"},
     {"max_retries", "bisect", "stream_type"}),
    ("stream", {"max_retry_attempts", "bisect", "parallelization_factor", "stream_type", "batch_size"},
     {"max_retries", "visibility_timeout_s", "max_receive_count"}),
])
def test_each_source_has_its_own_params(source, own, foreign):
    """Retries split by source: the JSON params hold the chosen source's parameters only, and a
    parameter of another source is refused by the model, naming the sources that take it."""
    params = model.Params(source)
    assert type(params) is model.PARAMS[source] and params.source == source
    reported = set(model.run(model.Params(source, events=20), 1).to_json()["params"])
    assert own <= reported and not (foreign & reported)
    for name in foreign:
        takers = " or ".join(f"--source {s}" for s in model.sources_taking(name))
        with pytest.raises(ParamError, match=f"does not apply to --source {source}; it applies to {takers}"):
            model.Params(source, **{name: getattr(model.Params(model.sources_taking(name)[0]), name)})


def test_a_foreign_parameter_out_of_range_is_reported_as_out_of_range():
    with pytest.raises(ParamError, match="--max-event-age-s must be from 60 to 21,600"):
        model.Params("stream", max_event_age_s=1)
