"""`lambda-prep simulate async-queue`: options only; the model and view load inside the command."""

from __future__ import annotations

import typer

from lambda_prep.cli_simulate._shared import (
    Animate, ArrivalRate, AsJson, DEFAULT_SEED, DurationMs, FailureRate, MaxEventAgeS, MaxRetries, Seed, app,
    choice, simulate,
)
from lambda_prep.sims import choices as C


OnFailure = choice("OnFailure", C.ON_FAILURE)


@app.command("async-queue")
def async_queue(
    ctx: typer.Context,
    arrival_rate: ArrivalRate = 20.0,
    traffic_s: float = typer.Option(300.0, "--traffic-s", help="Seconds during which events arrive, 1-3,600. "
                                                               "Demo value."),
    concurrency_limit: int = typer.Option(
        10, "--concurrency-limit", help="The function's reserved concurrency, 0-900 (0 throttles every "
                                        "invocation). Demo value: 10 environments of 1 s serve 10 events/s."),
    duration_ms: DurationMs = 1000.0,
    failure_rate: FailureRate = 0.0,
    max_retries: MaxRetries = 2,
    max_event_age_s: MaxEventAgeS = 600,
    on_failure: OnFailure = typer.Option(
        OnFailure.destination, "--on-failure", case_sensitive=False,
        help="Where dropped events go: destination (the full invocation record), dlq (the event only) or none "
             "(lost). AWS default none; the demo sets one."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
) -> None:
    """Events wait in Lambda's async queue while the function is throttled.

    Events arrive faster than the function's concurrency can serve them.
    Each throttled event goes back to Lambda's internal queue and is retried
    with a growing interval; its age (AsyncEventAge) climbs until it runs,
    or passes the maximum event age and is dropped (AsyncEventsDropped),
    after going to the on-failure destination or DLQ if there is one.
    The caller got 202 long ago and never hears about it.

    \b
    AWS values and sources:
      throttles (429) and 5xx: back in the queue, retried for up to 6 h,
      interval from 1 s to at most 5 min; function errors: 0-2 retries
      (default 2), about 1 then 2 min; maximum event age 60 s-6 h
        https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
      destination (invocation record) vs DLQ (event only); reserved
      concurrency 0 sends events there at once, without retries
        https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
      AsyncEventsReceived, AsyncEventAge, AsyncEventsDropped
        https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html

    \b
    Model assumptions: Poisson arrivals; a fixed handler time; the
    throttle interval doubles 1, 2, 4 ... s up to 300 s (AWS gives only
    the ends); AWS's slower reading of a long queue is left out (no
    figures), so ages are a lower bound. The maximum event age default
    here is 600 s so that the demo drops something; AWS's is 6 h.

    \b
    Examples:
      lambda-prep simulate async-queue
      lambda-prep simulate async-queue --max-event-age-s 21600
      lambda-prep simulate async-queue --concurrency-limit 25
      lambda-prep simulate async-queue --failure-rate 0.2 --on-failure dlq
      lambda-prep simulate async-queue --concurrency-limit 0 --json
    """
    simulate(ctx, "async-queue")
