"""`lambda-prep simulate concurrency`: options only; the model and view load inside the command."""

from __future__ import annotations

from typing import Optional

import typer

from lambda_prep.cli_simulate._shared import (
    Animate, AsJson, ConcurrencyLimit, DEFAULT_SEED, DurationDist, DurationDistOption, KeepAliveS, Seed, app,
    simulate,
)



@app.command("concurrency")
def concurrency(
    ctx: typer.Context,
    arrival_rate: float = typer.Option(1_200.0, "--arrival-rate",
                                       help="Synchronous requests per second, Poisson. Demo value."),
    duration_ms: float = typer.Option(1_000.0, "--duration-ms",
                                      help="Mean handler time, 1-900,000 ms; also the time per SQS batch. Demo value."),
    duration_dist: DurationDistOption = DurationDist.fixed,
    init_ms: float = typer.Option(250.0, "--init-ms",
                                  help="Init time of a cold start, 0-10,000 ms. MODEL ASSUMPTION (AWS gives no "
                                       "figure; same as cold-start's python default)."),
    requests: int = typer.Option(30_000, "--requests", help="Synchronous requests to simulate, 1-10,000,000."),
    keep_alive_s: KeepAliveS = 600.0,
    account_limit: int = typer.Option(1_000, "--account-limit",
                                      help="Account concurrency per Region, 1-1,000,000 (AWS default 1,000; "
                                           "raised on request)."),
    concurrency_limit: ConcurrencyLimit = None,
    sqs: bool = typer.Option(True, "--sqs/--no-sqs", help="Also show the SQS standard-queue trap and its fix."),
    sqs_messages: int = typer.Option(10_000, "--sqs-messages",
                                     help="SQS: messages waiting in the queue at t = 0, 1-100,000. Demo value."),
    batch_size: int = typer.Option(10, "--batch-size", help="SQS: messages per batch, 1-10,000 (AWS default 10)."),
    visibility_timeout_s: float = typer.Option(
        30.0, "--visibility-timeout-s",
        help="SQS: queue visibility timeout, 0-43,200 s (SQS default 30 s); at least the handler time (AWS "
             "recommends 6x the function timeout)."),
    max_receive_count: int = typer.Option(
        5, "--max-receive-count",
        help="SQS: redrive policy maxReceiveCount, 1-1,000 (no default; AWS suggests at least 5)."),
    sqs_reserved: Optional[int] = typer.Option(
        None, "--sqs-reserved", show_default=False,
        help="SQS: reserved concurrency of the consuming function. Default: --concurrency-limit, else 5 (demo "
             "value: the trap needs a cap below the pollers)."),
    max_concurrency: Optional[int] = typer.Option(
        None, "--max-concurrency", show_default=False,
        help="SQS fix: the mapping's maximum concurrency, 2-1,000. Default: the reserved concurrency "
             "(at least 2)."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
) -> None:
    """Watch the concurrency limits throttle: account limit, reserved concurrency, scaling rate, SQS.

    Synchronous requests need a busy environment each: past the function's cap (reserved
    concurrency, else the account limit) or the scaling rate (1,000 new environments at once, then
    100/s, a token bucket), they get 429. Shows the limits, concurrency against its cap over time,
    the throttled share against Erlang-B, and the SQS standard-queue trap (throttled batches return
    to the queue with a higher receive count; good messages reach the DLQ) next to its fix
    (maximum concurrency on the event source mapping).

    \b
    AWS sources:
      account limit 1,000 per Region; reserve at most (unreserved - 100); reserved = min and max:
        https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
        https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
        https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html
      scaling rate: 1,000 environments every 10 s per function, refilled continuously, 429 beyond:
        https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html
        (the older 500-3,000 burst then +500/min, from before Nov 2023, no longer applies)
      concurrency = requests per second x duration:
        https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
      SQS pollers: start with 5 concurrent batches, add up to 300 a minute, at most 1,000;
      throttled batches are retried until the visibility timeout, then return to the queue:
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
      batch size 10; visibility timeout >= function timeout (6x recommended); maxReceiveCount >= 5:
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
      SQS visibility timeout 0 s-12 h, default 30 s:
        https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
      maximum concurrency 2-1,000 (the fix, Jan 2023):
        https://docs.aws.amazon.com/lambda/latest/api/API_ScalingConfig.html
        https://aws.amazon.com/blogs/compute/introducing-maximum-concurrency-of-aws-lambda-functions-when-using-amazon-sqs-as-an-event-source/

    \b
    Model assumptions: one function in the account; init 250 ms and keep-alive 600 s; the
    scaling rate spent only on new environments; SQS messages all waiting at t = 0, throttled
    batches retried after 1, 2, 4, ... s while they can still finish within the visibility timeout,
    pollers growing by 5 batches a second while messages are visible and halving (never below 2)
    after a second with throttles (AWS documents the back-off, not its size).

    \b
    Examples:
      lambda-prep simulate concurrency
      lambda-prep simulate concurrency --concurrency-limit 200
      lambda-prep simulate concurrency --account-limit 5000 --arrival-rate 3000 --requests 120000
      lambda-prep simulate concurrency --concurrency-limit 950
      lambda-prep simulate concurrency --sqs-reserved 20 --max-receive-count 10
      lambda-prep simulate concurrency --json --no-sqs
    """

    simulate(ctx, "concurrency", applies=("--sqs" if sqs else "--no-sqs", {
        name: ("--sqs",) for name in ("sqs_messages", "batch_size", "visibility_timeout_s", "max_receive_count",
                                      "sqs_reserved", "max_concurrency")}))
