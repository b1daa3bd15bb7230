"""`lambda-prep simulate retries`: options only; the model and view load inside the command."""

from __future__ import annotations

import enum
from typing import Optional

import typer

from lambda_prep.cli_simulate._shared import (
    Animate, AsJson, DEFAULT_SEED, Seed, app, choice, simulate, typed,
)
from lambda_prep.sims import choices as C


Source = choice("Source", C.EVENT_SOURCES)


StreamType = choice("StreamType", C.STREAM_TYPES)


OnFailure = choice("OnFailure", C.ON_FAILURE)


@app.command("retries")
def retries(
    ctx: typer.Context,
    source: Source = typer.Option(Source.async_, "--source", case_sensitive=False,
                                  help="Where the events come from: Lambda's async queue, an SQS event source "
                                       "mapping or a Kinesis/DynamoDB stream mapping."),
    failure_rate: Optional[float] = typer.Option(
        None, "--failure-rate",
        help="Probability that one attempt fails, 0-1. Model assumption; default 0.3 for async and sqs, 0 for "
             "stream (where the poison record is the failure).", show_default=False),
    events: int = typer.Option(1_000, "--events", help="Events (messages, records) to send. Model choice."),
    arrival_rate: Optional[float] = typer.Option(
        None, "--arrival-rate",
        help="Events per second, Poisson; 0 = all waiting at t = 0. Model assumption; default 1 (async), "
             "0 (sqs: a backlog, so batches fill), 10 (stream).", show_default=False),
    duration_ms: float = typer.Option(100.0, "--duration-ms",
                                      help="Handler time per invocation. Model assumption."),
    timeout_s: float = typer.Option(3.0, "--timeout-s",
                                    help="Function timeout, 1-900 s; AWS default 3 s. A timeout counts as an error."),
    poison_at: Optional[int] = typer.Option(
        None, "--poison-at",
        help="Number of an event that always fails (a poison message); 0 = none. Default: none for async and "
             "sqs; a quarter of the way in for stream (record 250 of 1,000).", show_default=False),
    max_retries: int = typer.Option(2, "--max-retries",
                                    help="async: MaximumRetryAttempts, 0-2 (AWS default 2)."),
    max_event_age_s: int = typer.Option(21_600, "--max-event-age-s",
                                        help="async: MaximumEventAgeInSeconds, 60-21,600 (AWS default 6 h)."),
    on_failure: Optional[OnFailure] = typer.Option(
        None, "--on-failure", case_sensitive=False,
        help="Where failed events go. async: destination (full invocation record) or dlq (event only); sqs: dlq "
             "(the queue's redrive policy); stream: destination (batch metadata). AWS default is none; the demo "
             "sets one so you can see what it receives.", show_default=False),
    visibility_timeout_s: float = typer.Option(
        30.0, "--visibility-timeout-s",
        help="sqs: queue visibility timeout, 0-43,200 s (SQS default 30 s); must be at least the function "
             "timeout (AWS recommends 6x)."),
    max_receive_count: int = typer.Option(
        5, "--max-receive-count",
        help="sqs: redrive policy maxReceiveCount, 1-1,000 (no SQS default; AWS suggests at least 5)."),
    batch_size: Optional[int] = typer.Option(
        None, "--batch-size",
        help="sqs or stream: records per batch, 1-10,000 (AWS default 10 for SQS, 100 for streams).",
        show_default=False),
    partial_batch: bool = typer.Option(
        False, "--partial-batch/--no-partial-batch",
        help="sqs or stream: ReportBatchItemFailures (AWS default off). sqs: only failed messages return; "
             "stream: Lambda retries from the LOWEST failed sequence number, so successful records after it "
             "are processed again."),
    max_retry_attempts: int = typer.Option(
        -1, "--max-retry-attempts",
        help="stream: MaximumRetryAttempts, -1 (AWS default: until the records expire) or 0-10,000."),
    max_record_age_s: int = typer.Option(
        -1, "--max-record-age-s",
        help="stream: MaximumRecordAgeInSeconds, -1 (AWS default: no limit) or 60-604,800."),
    bisect: bool = typer.Option(False, "--bisect/--no-bisect",
                                help="stream: BisectBatchOnFunctionError, split a failing batch in two "
                                     "(AWS default off)."),
    retention_hours: float = typer.Option(24.0, "--retention-hours",
                                          help="stream: record retention, 24-8,760 h (Kinesis default 24 h; "
                                               "DynamoDB Streams: 24 h)."),
    parallelization_factor: int = typer.Option(
        1, "--parallelization-factor",
        help="stream: ParallelizationFactor, 1-10 (AWS default 1): batches of one shard processed at once, in "
             "order per partition key."),
    stream_type: StreamType = typer.Option(
        StreamType.kinesis, "--stream-type", case_sensitive=False,
        help="stream: kinesis (each shard polled once a second) or dynamodb (4 times a second)."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
) -> None:
    """Watch Lambda retry failing events: async queue, SQS mapping or stream shard.

    A timeline of example events on a simulated clock, the share that ends in the DLQ or on-failure
    destination against the closed form (async p^(retries+1); SQS p^maxReceiveCount), and what the
    failure target receives. Defaults are AWS's documented values; traffic and failure rates are
    model assumptions.

    \b
    AWS sources:
      async retries, waits of 1 then 2 min, 0-2 retries, event age 60 s-6 h, throttles for 6 h:
        https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
      destination (invocation record) vs DLQ (event only):
        https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
      SQS batch size 10, visibility timeout >= function timeout (6x recommended), partial batches:
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
      SQS visibility timeout 0 s-12 h (default 30 s), maxReceiveCount and the DLQ:
        https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
        https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
      SQS pollers start with 5 concurrent batches:
        https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
      streams: batch 100, MaximumRetryAttempts/-RecordAge -1, bisect, on-failure destination,
      polling once per second, IteratorAge:
        https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-parameters.html
        https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html
        https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html

    \b
    Model assumptions: attempts fail independently with the failure rate; a batch fails if any
    record fails; no queue delay before the first async attempt; SQS pollers starting at 5, growing
    while messages wait and backing off after failed batches;
    a failing stream batch is retried with backoff from 1 s doubling to 5 min (AWS does not
    document the timing); bisected halves are retried at once and keep the parent's retry count
    (AWS: splitting does not count towards the retry quota).

    \b
    Examples:
      lambda-prep simulate retries
      lambda-prep simulate retries --failure-rate 0.5 --max-retries 1 --on-failure dlq
      lambda-prep simulate retries --source sqs --max-receive-count 3 --seed 7
      lambda-prep simulate retries --source sqs --partial-batch
      lambda-prep simulate retries --source stream
      lambda-prep simulate retries --source stream --bisect --max-retry-attempts 2
    """

    # Each source has its own parameters in the model (sims/retries: async_.Params, sqs.Params,
    # stream.Params). The options of the chosen source are passed, defaults included; an option of
    # another source only if typed, and the model refuses it (exit 2) naming the sources that take it,
    # after checking its range.
    chosen = source.value

    def make_params(model):
        values = {}
        for name, value in ctx.params.items():
            takers = model.sources_taking(name)
            if takers and (chosen in takers or typed(ctx, name)):
                values[name] = value.value if isinstance(value, enum.Enum) else value
        return model.Params(chosen, **values)

    simulate(ctx, "retries", make_params)
