"""observability: the metrics, logs and traces a run produces, and an alarm that fires.

A synchronous function takes Poisson traffic for some minutes; an incident slows the handler and
raises its error rate for a while. Each minute becomes the CloudWatch datapoints Lambda publishes:
Invocations (throttled requests are not invocations), Errors (function errors, timeouts included),
Throttles, Duration (p50, p99, max: the handler only, no init), ConcurrentExecutions (the peak).
A CloudWatch alarm watches one of them ("M out of N" datapoints over a threshold) and goes to
ALARM and back. The run also yields REPORT log lines and the X-Ray traces the default sampling
rule keeps (the first request each second and 5 % of the rest).

Pure: params + seed -> Result. Validated against Erlang-B (throttles), Little's law (mean
concurrency), the sampling rule's expectation and alarms evaluated by hand.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import check_choice, check_range, envelope, erlang_b, percentile, rng

ALARM_METRICS = C.ALARM_METRICS
LOG_LINES = 4

ASSUMPTIONS = (
    "Poisson arrivals; handler times exponential around their mean (a long tail), multiplied by the "
    "slowdown during the incident",
    "requests fail independently with the error rate; a handler that runs past the timeout is a timeout "
    "error and is billed the full timeout",
    "no cold starts (every environment warm): Duration would not include init anyway",
    "throttled requests are dropped (a synchronous caller gets 429; no retry counted)",
    "the alarm treats each minute's datapoint as complete (no missing data); an error counts in the "
    "minute its invocation started, as CloudWatch timestamps it",
)
SOURCES = (
    "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics.html",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
    "https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html",
    F.PRICING_URL,
)


@dataclass(frozen=True)
class Params:
    minutes: int = 20
    arrival_rate: float = 20.0  # requests per second
    duration_ms: float = 200.0  # mean handler time outside the incident
    error_rate: float = 0.001
    incident_at_min: int = 6
    incident_minutes: int = 5
    incident_error_rate: float = 0.15
    incident_slowdown: float = 8.0
    concurrency_limit: int | None = 20  # reserved concurrency; None: the account's 1,000
    timeout_s: float = F.DEFAULT_TIMEOUT_S.value
    memory_mb: int = 128
    alarm_metric: str = "errors"
    alarm_threshold: float = 10.0
    alarm_datapoints: int = 2  # M
    alarm_periods: int = 3  # N
    xray: bool = True

    def __post_init__(self) -> None:
        check_range("minutes", self.minutes, 1, 240)
        check_range("arrival_rate", self.arrival_rate, 0.01, 2_000, why="requests per second")
        check_range("duration_ms", self.duration_ms, 1, F.MAX_TIMEOUT_S.value * 1000)
        check_range("error_rate", self.error_rate, 0, 1)
        check_range("incident_at_min", self.incident_at_min, 0, self.minutes, why="a minute of the run")
        check_range("incident_minutes", self.incident_minutes, 0, self.minutes)
        check_range("incident_error_rate", self.incident_error_rate, 0, 1)
        check_range("incident_slowdown", self.incident_slowdown, 1, 100)
        if self.concurrency_limit is not None:
            check_range("concurrency_limit", self.concurrency_limit, 1,
                        F.ACCOUNT_CONCURRENCY.value - F.UNRESERVED_MINIMUM.value,
                        why="reserved concurrency may use at most the account limit (1,000) minus 100")
        check_range("timeout_s", self.timeout_s, 1, F.MAX_TIMEOUT_S.value, why="the function timeout is 1 to 900 s")
        check_range("memory_mb", self.memory_mb, 128, 10_240, why="Lambda memory is 128 MB to 10,240 MB")
        check_choice("alarm_metric", self.alarm_metric, ALARM_METRICS)
        check_range("alarm_periods", self.alarm_periods, 1, 60, why="evaluation periods (N)")
        check_range("alarm_datapoints", self.alarm_datapoints, 1, self.alarm_periods,
                    why="datapoints to alarm (M) cannot exceed the evaluation periods (N)")
        check_range("alarm_threshold", self.alarm_threshold, 0, 10_000_000)

    @property
    def limit(self) -> int:
        return F.ACCOUNT_CONCURRENCY.value if self.concurrency_limit is None else self.concurrency_limit

    def in_incident(self, minute: int) -> bool:
        return self.incident_at_min <= minute < self.incident_at_min + self.incident_minutes


@dataclass
class Result:
    params: Params
    minutes: list  # one dict of datapoints per minute
    totals: dict
    alarm: dict
    logs: list
    traces: dict
    theory: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return envelope("observability", self.params, ASSUMPTIONS, SOURCES,
                        {"minutes": self.minutes, "totals": self.totals, "alarm": self.alarm, "logs": self.logs,
                         "traces": self.traces, "theory": self.theory})


def evaluate_alarm(values: list[float], threshold: float, m: int, n: int) -> list[str]:
    """CloudWatch's "M out of N": ALARM when at least M of the last N datapoints breach (>= threshold)."""
    states, window = [], []
    for value in values:
        window = (window + [value >= threshold])[-n:]
        states.append("ALARM" if sum(window) >= m else "OK")
    return states


RESERVOIR, SAMPLED_SHARE = F.XRAY_SAMPLING.value  # 1 request a second, then 5% of the rest


def expected_traces(per_second: list[int], share: float = SAMPLED_SHARE) -> float:
    """The sampling rule's expectation: the first request each second, then `share` of the rest."""
    return sum(min(k, RESERVOIR) + share * max(k - RESERVOIR, 0) for k in per_second)


def run(params: Params, seed: int, progress=None) -> Result:
    p = params
    arrivals, durations, outcomes, sampler = rng(seed), rng(seed + 1), rng(seed + 2), rng(seed + 3)
    horizon = p.minutes * 60.0
    timeout = p.timeout_s
    busy: list[float] = []  # end times of running invocations
    minute_rows = [{"minute": m, "requests": 0, "invocations": 0, "errors": 0, "timeouts": 0, "throttles": 0,
                    "durations": [], "concurrent_max": 0} for m in range(p.minutes)]
    per_second = [0] * (p.minutes * 60)
    traced = 0
    logs: list = []
    busy_time = 0.0
    billed_ms_total = 0
    # hot loop: locals, not attributes (about 25,000 requests in the default run)
    incident_by_minute = [p.in_incident(m) for m in range(p.minutes)]
    next_gap, draw_exp, uniform, sample = arrivals.expovariate, durations.expovariate, outcomes.random, sampler.random
    push, pop, limit, rate = heapq.heappush, heapq.heappop, p.limit, p.arrival_rate
    calm_rate, incident_rate = 1000.0 / p.duration_ms, 1000.0 / (p.duration_ms * p.incident_slowdown)
    calm_errors, incident_errors = p.error_rate, p.incident_error_rate
    t = 0.0
    while True:
        t += next_gap(rate)
        if t >= horizon:
            break
        minute = int(t // 60)
        row = minute_rows[minute]
        row["requests"] += 1
        while busy and busy[0] <= t:
            pop(busy)
        if len(busy) >= limit:
            row["throttles"] += 1
            continue
        incident = incident_by_minute[minute]
        draw = draw_exp(incident_rate if incident else calm_rate)
        failed = uniform() < (incident_errors if incident else calm_errors)
        timed_out = draw > timeout
        duration = timeout if timed_out else draw
        push(busy, t + duration)
        busy_time += min(duration, horizon - t)
        row["invocations"] += 1
        row["durations"].append(duration * 1000.0)
        if len(busy) > row["concurrent_max"]:
            row["concurrent_max"] = len(busy)
        if timed_out or failed:
            row["errors"] += 1
        if timed_out:
            row["timeouts"] += 1
        billed = math.ceil(duration * 1000.0 - 1e-6)
        billed_ms_total += billed
        second = int(t)
        per_second[second] += 1
        if p.xray and (per_second[second] <= RESERVOIR or sample() < SAMPLED_SHARE):
            traced += 1
        if len(logs) < LOG_LINES and (timed_out or len(logs) < LOG_LINES - 1):
            logs.append(_report(len(logs) + 1, t, duration, billed, p, timed_out, failed))
    minutes = []
    for row in minute_rows:
        ds = sorted(row.pop("durations"))
        row["duration_ms"] = {"p50": round(percentile(ds, 50), 1), "p99": round(percentile(ds, 99), 1),
                              "max": round(ds[-1], 1) if ds else 0.0}
        minutes.append(row)
    metric = {"errors": lambda r: r["errors"], "throttles": lambda r: r["throttles"],
              "duration_p99": lambda r: r["duration_ms"]["p99"]}[p.alarm_metric]
    states = evaluate_alarm([metric(r) for r in minutes], p.alarm_threshold, p.alarm_datapoints, p.alarm_periods)
    for row, state in zip(minutes, states):
        row["alarm"] = state
    fired = [i for i, s in enumerate(states) if s == "ALARM" and (i == 0 or states[i - 1] == "OK")]
    cleared = [i for i, s in enumerate(states) if s == "OK" and i > 0 and states[i - 1] == "ALARM"]
    requests = sum(r["requests"] for r in minutes)
    invocations = sum(r["invocations"] for r in minutes)
    gb_s = billed_ms_total / 1000.0 * p.memory_mb / 1024.0
    totals = {"requests": requests, "invocations": invocations, "errors": sum(r["errors"] for r in minutes),
              "timeouts": sum(r["timeouts"] for r in minutes), "throttles": sum(r["throttles"] for r in minutes),
              "mean_concurrency": round(busy_time / horizon, 4), "billed_ms": billed_ms_total,
              "cost_usd": round(F.request_cost(invocations) + F.duration_cost(gb_s), 8)}
    alarm = {"metric": {"errors": "Errors (Sum)", "throttles": "Throttles (Sum)",
                        "duration_p99": "Duration (p99)"}[p.alarm_metric],
             "threshold": p.alarm_threshold, "datapoints": p.alarm_datapoints, "periods": p.alarm_periods,
             "period_s": 60, "fired_at_min": fired, "cleared_at_min": cleared,
             "minutes_in_alarm": sum(1 for s in states if s == "ALARM")}
    traces = {"sampled": traced, "expected": round(expected_traces(per_second), 1) if p.xray else 0,
              "invocations": invocations, "rule": "1 request per second, then 5% of the rest (the default rule)"}
    # closed forms for the calm minutes: mean concurrency by Little's law, throttles by Erlang-B
    calm_load = p.arrival_rate * _mean_capped(p.duration_ms / 1000.0, timeout)
    incident_load = p.arrival_rate * _mean_capped(p.duration_ms * p.incident_slowdown / 1000.0, timeout)
    theory = {"calm_concurrency": round(calm_load, 4), "calm_throttle_share": round(erlang_b(p.limit, calm_load), 6),
              "incident_concurrency": round(incident_load, 4),
              "incident_throttle_share": round(erlang_b(p.limit, incident_load), 6)}
    if progress:
        progress(p.minutes)
    return Result(params=p, minutes=minutes, totals=totals, alarm=alarm, logs=logs, traces=traces, theory=theory)


def _mean_capped(mean: float, cap: float) -> float:
    """E[min(X, cap)] for X exponential with this mean: mean x (1 - e^(-cap / mean))."""
    return mean * (1.0 - math.exp(-cap / mean))


def _report(n: int, t: float, duration: float, billed: int, p: Params, timed_out: bool, failed: bool) -> dict:
    request_id = f"{n:08x}-0000-4000-8000-{int(t * 1000):012d}"
    lines = []
    if timed_out:
        lines.append(f"{request_id} Task timed out after {p.timeout_s:.2f} seconds")
    elif failed:
        lines.append(f"[ERROR] {request_id} the handler raised an exception")
    lines.append(f"END RequestId: {request_id}")
    lines.append(f"REPORT RequestId: {request_id} Duration: {duration * 1000:.2f} ms Billed Duration: {billed} ms "
                 f"Memory Size: {p.memory_mb} MB")
    return {"at_s": round(t, 3), "lines": lines}


def total_steps(params: Params) -> int:
    return params.minutes
