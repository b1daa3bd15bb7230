"""`lambda-prep simulate idempotency`: options only; the model and view load inside the command."""

from __future__ import annotations

from typing import Optional

import typer

from lambda_prep.cli_simulate._shared import (
    DEFAULT_SEED, AsJson, DurationMs, MaxReceiveCount, MemoryMb, Seed, app, only_for, choice, simulate,
)
from lambda_prep.sims import choices as C


Source = choice("Source", C.EVENT_SOURCES)


@app.command("idempotency")
def idempotency(
    ctx: typer.Context,
    source: Source = typer.Option(Source.async_, "--source", case_sensitive=False,
                                  help="How events arrive: async invocation, an SQS mapping or a stream mapping."),
    events: int = typer.Option(10_000, "--events", help="Events to send, 1-1,000,000. Demo value."),
    failure_rate: float = typer.Option(0.1, "--failure-rate",
                                       help="Probability that one attempt fails, 0-1. Model assumption."),
    after_effect: float = typer.Option(
        0.5, "--after-effect",
        help="Share of failures that happen AFTER the side effect is done (a timeout waiting for the reply), "
             "0-1. Model assumption."),
    redelivery_rate: float = typer.Option(
        0.001, "--redelivery-rate",
        help="Chance the transport delivers an event twice with no failure, 0-0.5. AWS says it can happen "
             "(at least once) but gives no rate: model assumption."),
    max_retries: int = typer.Option(2, "--max-retries", help="async: MaximumRetryAttempts, 0-2 (AWS default 2)."),
    max_receive_count: MaxReceiveCount = 5,
    batch_size: Optional[int] = typer.Option(
        None, "--batch-size", show_default=False,
        help="sqs or stream: records per batch, 1-10,000 (AWS default 10 for SQS, 100 for streams)."),
    partial_batch: bool = typer.Option(
        False, "--partial-batch/--no-partial-batch",
        help="sqs or stream: ReportBatchItemFailures (AWS default off)."),
    max_retry_attempts: int = typer.Option(
        -1, "--max-retry-attempts",
        help="stream: MaximumRetryAttempts, -1 (AWS default: until the records expire; capped at 10,000 here) "
             "or 0-10,000."),
    poison_at: Optional[int] = typer.Option(
        None, "--poison-at", show_default=False,
        help="Number of an event that always fails before its effect (a poison record). Default: none."),
    duration_ms: DurationMs = 100.0,
    memory_mb: MemoryMb = 128,
    effect_cost_usd: float = typer.Option(
        20.0, "--effect-cost-usd",
        help="What one side effect done twice costs you (a refund, a second shipment), $. Demo value."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
) -> None:
    """Watch at-least-once delivery do a side effect twice, and a conditional write stop it.

    The same deliveries counted twice: without an idempotency key (every attempt that reaches the effect does it again) and with one (a conditional write lets the first through and rejects the rest). For async invocation the duplicate rate is checked against its closed form.

    \b
    AWS sources:
      event source mappings process each event at least once; make functions idempotent:
        https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html
      async: 2 retries by default (0-2); an event may be received more than once:
        https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
      SQS: a failed batch returns whole unless partial batch responses are on:
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
      streams: retries start again from the lowest failed sequence number:
        https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
      making a function idempotent:
        https://repost.aws/knowledge-center/lambda-function-idempotent

    Model assumptions: attempts fail independently; a handler without partial batch responses stops at the first failing record; a failed SQS batch returns as the same batch; no clock.

    \b
    Examples:
      lambda-prep simulate idempotency
      lambda-prep simulate idempotency --failure-rate 0.3 --after-effect 0.8
      lambda-prep simulate idempotency --source sqs
      lambda-prep simulate idempotency --source sqs --partial-batch
      lambda-prep simulate idempotency --source stream --failure-rate 0.01 --partial-batch
      lambda-prep simulate idempotency --source stream --poison-at 5 --max-retry-attempts 2
    """
    src = {s: f"--source {s}" for s in ("async", "sqs", "stream")}
    only_for(ctx, src[source.value], {
        "max_retries": (src["async"],), "max_receive_count": (src["sqs"],),
        "batch_size": (src["sqs"], src["stream"]), "partial_batch": (src["sqs"], src["stream"]),
        "max_retry_attempts": (src["stream"],)})
    simulate(ctx, "idempotency")
