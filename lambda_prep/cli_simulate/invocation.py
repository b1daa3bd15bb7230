"""`lambda-prep simulate invocation`: options only; the model and view load inside the command."""

from __future__ import annotations

import typer

from lambda_prep.cli_simulate._shared import (
    Animate, AsJson, DEFAULT_SEED, Seed, app, simulate,
)


@app.command("invocation")
def invocation(
    ctx: typer.Context,
    requests: int = typer.Option(8, "--requests", help="Requests sent each way (the first 12 are shown one by "
                                                       "one). Model scenario."),
    interval_ms: float = typer.Option(100.0, "--interval-ms", help="Time between the caller's requests. "
                                                                   "Model scenario."),
    duration_ms: float = typer.Option(200.0, "--duration-ms", help="Handler time per run. Model assumption."),
    timeout_s: float = typer.Option(3.0, "--timeout-s",
                                    help="Function timeout, 1-900 s (AWS default 3 s); a longer handler times out, "
                                         "which is a function error."),
    function_error: float = typer.Option(0.3, "--function-error",
                                         help="Probability that one handler run fails, 0-1. Model assumption."),
    throttle_s: float = typer.Option(0.25, "--throttle-s",
                                     help="Seconds from the start during which the function is at its concurrency "
                                          "limit, so every invoke is throttled; 0 = no throttling. Model scenario."),
    max_retries: int = typer.Option(2, "--max-retries", help="Async MaximumRetryAttempts, 0-2 (AWS default 2)."),
    max_event_age_s: int = typer.Option(21_600, "--max-event-age-s",
                                        help="Async MaximumEventAgeInSeconds, 60-21,600 (AWS default 6 h)."),
    batch_size: int = typer.Option(10, "--batch-size", help="SQS mapping batch size, 1-10,000 (AWS default 10)."),
    visibility_timeout_s: float = typer.Option(30.0, "--visibility-timeout-s",
                                               help="SQS visibility timeout, 0-43,200 s (SQS default 30 s); at "
                                                    "least the function timeout."),
    max_receive_count: int = typer.Option(5, "--max-receive-count",
                                          help="SQS redrive maxReceiveCount, 1-1,000 (AWS suggests at least 5)."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
) -> None:
    """Invoke one function sync, async and through an SQS poller, side by side.

    What the caller waits for and gets back (200 with the result; 200 with X-Amz-Function-Error for
    a function error; 429 TooManyRequestsException for a throttle; 202 at once for async), where an
    error surfaces (sync: the caller; async: Lambda's retries, then the on-failure destination or
    DLQ; SQS: the queue's visibility timeout and DLQ). Defaults are AWS's documented values; the
    traffic, error rate and throttle window are a model scenario.

    \b
    AWS sources:
      Invoke API: 200 / 202 / 204, X-Amz-Function-Error, TooManyRequestsException (429):
        https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
      async queue, 2 retries 1 and 2 min apart, event age 60 s-6 h, throttles retried for up to
      6 h with backoff from 1 s to 5 min:
        https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
        https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
      event source mappings: a poller invokes synchronously in batches:
        https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html
      SQS batch size 10, visibility timeout >= function timeout, throttle and error handling:
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
      function timeout 1-900 s, default 3 s:
        https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html

    \b
    Model assumptions: no network or service overhead (202 and 429 take 0 ms); the async
    throttle backoff doubles from 1 s to 5 min (AWS gives only the range); no queue delay before
    an async attempt; the SQS queue is the one model of simulate concurrency and retries: pollers
    start at 5 batches, add 5 a second while messages wait and halve after a second with
    throttles or failed batches; a throttled batch is retried after 1, 2, 4 s ... while it can
    finish inside the visibility timeout; the first run of each request draws the same random
    number on all three paths, so they face the same function behaviour; partial batch responses
    are off (AWS default).

    \b
    Examples:
      lambda-prep simulate invocation
      lambda-prep simulate invocation --function-error 0.5 --throttle-s 0
      lambda-prep simulate invocation --duration-ms 5000 --timeout-s 3
      lambda-prep simulate invocation --requests 10000 --interval-ms 10 --json
    """

    simulate(ctx, "invocation")
