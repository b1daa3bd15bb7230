"""`lambda-prep simulate recursive-loop`: options only; the model and view load inside the command."""

from __future__ import annotations

import typer

from lambda_prep.cli_simulate._shared import (
    AccountConcurrency, Animate, AsJson, DEFAULT_SEED, DurationMs, MemoryMb, Seed, app, choice, simulate,
)
from lambda_prep.sims import choices as C


Via = choice("Via", C.RECURSION_VIA)


Recursion = choice("Recursion", C.RECURSION)


@app.command("recursive-loop")
def recursive_loop(
    ctx: typer.Context,
    via: Via = typer.Option(Via.sqs, "--via", case_sensitive=False,
                            help="What the function writes to that triggers it again: sqs, sns, s3, lambda "
                                 "(detected) or dynamodb (a table's stream: not detected)."),
    fan_out: int = typer.Option(1, "--fan-out", help="Events each invocation writes back, 1-4. Demo value."),
    recursion: Recursion = typer.Option(
        Recursion.terminate, "--recursion", case_sensitive=False,
        help="The function's RecursiveLoop setting: terminate (AWS default) or allow (detection off)."),
    supported_sdk: bool = typer.Option(
        True, "--supported-sdk/--old-sdk",
        help="Whether the function sends with an AWS SDK version that carries the chain count (the AWS page "
             "lists the minimum per language)."),
    hop_ms: float = typer.Option(100.0, "--hop-ms", help="Time for the service to deliver one event, 1-60,000 ms. "
                                                         "MODEL ASSUMPTION."),
    duration_ms: DurationMs = 200.0,
    memory_mb: MemoryMb = 128,
    hours_unnoticed: float = typer.Option(1.0, "--hours-unnoticed",
                                          help="How long a loop nobody stops runs, in hours. Demo value."),
    account_concurrency: AccountConcurrency = 1000,
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
) -> None:
    """A function that triggers itself, and Lambda stopping the loop after about 16 invocations.

    The function writes to the queue, topic or bucket that invokes it.
    Lambda counts the invocations in each chain of requests (in the X-Ray
    trace header, no tracing needed) and stops the next one after 16:
    RecursiveInvocationsDropped, the event to the DLQ or on-failure
    destination, and a notification. Loops it cannot see run until
    someone notices, bounded only by the account's concurrency.

    \b
    AWS values and sources:
      stopped when invoked more than 16 times in one chain; SQS, SNS, S3
      and Lambda loops; supported SDKs; RecursiveLoop Terminate (default)
      or Allow, per function
        https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
      launch (SQS, SNS; July 2023), S3 (October 2024)
        https://aws.amazon.com/about-aws/whats-new/2023/07/aws-lambda-detects-recursive-loops-lambda-functions/
        https://aws.amazon.com/about-aws/whats-new/2024/10/aws-lambda-detects-stops-recursive-loops-lambda-s3/
      RecursiveInvocationsDropped
        https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
      prices (x86_64, first tier)  https://aws.amazon.com/lambda/pricing/

    \b
    Model assumptions: every hop takes --hop-ms and every run
    --duration-ms; a runaway loop is limited only by the account's
    concurrency and its queued events wait; the cost is Lambda's only
    (the SQS, SNS or S3 requests cost extra). No randomness: --seed
    changes nothing.

    \b
    Examples:
      lambda-prep simulate recursive-loop
      lambda-prep simulate recursive-loop --fan-out 2
      lambda-prep simulate recursive-loop --via dynamodb
      lambda-prep simulate recursive-loop --recursion allow --hours-unnoticed 24
      lambda-prep simulate recursive-loop --via s3 --old-sdk
    """
    simulate(ctx, "recursive-loop")
