"""`lambda-prep simulate batching`: options only; the model and view load inside the command."""

from __future__ import annotations

from typing import Optional

import typer

from lambda_prep.cli_simulate._shared import (
    DEFAULT_SEED, ArchitectureOption, Architecture, ArrivalRate, AsJson, BatchSize, MemoryMb, Seed, app, only_for,
    choice, simulate,
)
from lambda_prep.sims import choices as C


Queue = choice("Queue", C.SQS_QUEUES)


Spacing = choice("Spacing", C.SPACINGS)


@app.command("batching")
def batching(
    ctx: typer.Context,
    queue: Queue = typer.Option(Queue.standard, "--queue", case_sensitive=False,
                                help="The SQS queue type: standard, or fifo (ordered per message group)."),
    messages: int = typer.Option(6_000, "--messages", help="Messages sent to the queue, 1-1,000,000. Demo value."),
    arrival_rate: ArrivalRate = 20.0,
    pattern: Spacing = typer.Option(Spacing.poisson, "--pattern", case_sensitive=False,
                                    help="Arrivals: poisson (random), or steady (evenly spaced, easy to count "
                                         "by hand)."),
    batch_size: BatchSize = 10,
    batching_window_s: int = typer.Option(
        0, "--batching-window-s",
        help="standard: MaximumBatchingWindowInSeconds, 0-300 (AWS default 0); a batch size above 10 needs at "
             "least 1. FIFO queues do not support a window."),
    filter_match: float = typer.Option(
        1.0, "--filter-match",
        help="Share of messages the event filter (FilterCriteria) lets through, 0-1 (AWS default: no filter, 1)."),
    message_groups: int = typer.Option(10, "--message-groups",
                                       help="fifo: message group IDs the messages spread over. Demo value."),
    max_concurrency: Optional[int] = typer.Option(
        None, "--max-concurrency", show_default=False,
        help="ScalingConfig.MaximumConcurrency, 2-1,000 (AWS default: not set; the mapping's ceiling applies)."),
    base_ms: float = typer.Option(40.0, "--base-ms", help="Handler time per invocation, ms. Model assumption."),
    per_record_ms: float = typer.Option(5.0, "--per-record-ms",
                                        help="Handler time per record in the batch, ms. Model assumption."),
    record_kb: float = typer.Option(1.0, "--record-kb", help="Size of one message, KB (a batch stops at 6 MB)."),
    memory_mb: MemoryMb = 128,
    architecture: ArchitectureOption = Architecture.x86_64,
    compare: bool = typer.Option(True, "--compare/--no-compare",
                                 help="Replay the same traffic with other settings (a table)."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
) -> None:
    """Watch an SQS event source mapping batch messages: batch size, window, filter, FIFO groups.

    How many invocations the same traffic makes, how long a record waits, and what it costs, for your settings and a ladder of others; for a FIFO queue, how message groups cap parallelism. Defaults are AWS's (batch 10, window 0, no filter); the traffic and handler times are demo values.

    \b
    AWS sources:
      batch size 10 (standard up to 10,000, FIFO up to 10), window 0-300 s, no window for FIFO:
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
      a batch size above 10 needs a window of at least 1 s; batches stop at 6 MB:
        https://docs.aws.amazon.com/lambda/latest/dg/API_EventSourceMappingConfiguration.html
      FIFO concurrency is at most the number of message groups; 1,000 concurrent batches:
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
      event filtering (up to 5 filters, ORed; non-matching records discarded):
        https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html

    Model assumptions: one batch gathers at a time; with no window a batch takes only what is already waiting; no poller ramp; handler time = base + per record; no errors.

    \b
    Examples:
      lambda-prep simulate batching
      lambda-prep simulate batching --batch-size 100 --batching-window-s 5
      lambda-prep simulate batching --pattern steady --arrival-rate 4 --batch-size 100 --batching-window-s 2
      lambda-prep simulate batching --filter-match 0.2
      lambda-prep simulate batching --queue fifo --message-groups 2 --per-record-ms 100
    """
    q = {v: f"--queue {v}" for v in ("standard", "fifo")}
    only_for(ctx, q[queue.value], {"message_groups": (q["fifo"],), "batching_window_s": (q["standard"],)})
    simulate(ctx, "batching")
