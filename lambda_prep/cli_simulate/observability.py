"""`lambda-prep simulate observability`: options only; the model and view load inside the command."""

from __future__ import annotations

from typing import Optional

import typer

from lambda_prep.cli_simulate._shared import (
    DEFAULT_SEED, ArrivalRate, AsJson, DurationMs, MemoryMb, Seed, TimeoutS, app, choice, simulate,
)
from lambda_prep.sims import choices as C


AlarmMetric = choice("AlarmMetric", C.ALARM_METRICS)


@app.command("observability")
def observability(
    ctx: typer.Context,
    minutes: int = typer.Option(20, "--minutes", help="Length of the run, 1-240 minutes. Demo value."),
    arrival_rate: ArrivalRate = 20.0,
    duration_ms: DurationMs = 200.0,
    error_rate: float = typer.Option(0.001, "--error-rate", help="Share of requests that fail, 0-1. Demo value."),
    incident_at_min: int = typer.Option(6, "--incident-at-min", help="Minute the incident starts. Demo value."),
    incident_minutes: int = typer.Option(5, "--incident-minutes", help="How long it lasts, minutes (0 = none)."),
    incident_error_rate: float = typer.Option(0.15, "--incident-error-rate",
                                              help="Share of requests that fail during the incident, 0-1."),
    incident_slowdown: float = typer.Option(8.0, "--incident-slowdown",
                                            help="Handler time multiplier during the incident, 1-100."),
    concurrency_limit: Optional[int] = typer.Option(
        20, "--concurrency-limit",
        help="Reserved concurrency, 1-900; 0 is not allowed here. Demo value 20 (AWS default: none)."),
    timeout_s: TimeoutS = 3.0,
    memory_mb: MemoryMb = 128,
    alarm_metric: AlarmMetric = typer.Option(AlarmMetric.errors, "--alarm-metric", case_sensitive=False,
                                             help="What the alarm watches: errors, throttles or duration_p99 (ms)."),
    alarm_threshold: float = typer.Option(10.0, "--alarm-threshold",
                                          help="Breaching when the minute's value is at least this. Demo value."),
    alarm_datapoints: int = typer.Option(2, "--alarm-datapoints", help="Datapoints to alarm (M of N), 1-N."),
    alarm_periods: int = typer.Option(3, "--alarm-periods", help="Evaluation periods (N), 1-60 one-minute periods."),
    xray: bool = typer.Option(True, "--xray/--no-xray", help="Active tracing (AWS default off; on for the demo)."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
) -> None:
    """Watch the metrics, logs and traces a Lambda function produces, and an alarm fire.

    A run with an incident (slower handler, more errors): per-minute Invocations, Errors, Throttles, Duration p99 and ConcurrentExecutions, a CloudWatch alarm going to ALARM and back, REPORT log lines (a timeout among them) and the share of requests X-Ray traces.

    \b
    AWS sources:
      the metrics and what they count (Invocations exclude throttles; Errors include timeouts):
        https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
      CloudWatch alarms, datapoints to alarm (M out of N):
        https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
      X-Ray default sampling, 1 request per second and 5% of the rest:
        https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
      REPORT lines in CloudWatch Logs:
        https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html

    Model assumptions: Poisson arrivals, exponential handler times, independent errors, no cold starts, throttled requests dropped.

    \b
    Examples:
      lambda-prep simulate observability
      lambda-prep simulate observability --alarm-metric throttles --alarm-threshold 50
      lambda-prep simulate observability --alarm-metric duration_p99 --alarm-threshold 2500
      lambda-prep simulate observability --alarm-datapoints 1 --alarm-periods 1
    """
    simulate(ctx, "observability")
