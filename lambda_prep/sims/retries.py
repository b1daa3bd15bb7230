"""Retries: what Lambda does with an event that fails, by where the event came from.

Three sources, one clock (the shared Engine):

- async: Lambda's internal queue. A function error (timeouts included) is retried up to
  MaximumRetryAttempts times (0-2, default 2), about 1 minute before the 2nd attempt and 2 minutes
  before the 3rd; an event older than MaximumEventAgeInSeconds (60-21,600, default 21,600) is
  dropped. A failed event goes to the on-failure destination (the full invocation record) or the
  dead-letter queue (the event only). Closed form: P(dead-lettered) = p^(r+1),
  E[attempts] = (1 - p^(r+1)) / (1 - p).
- sqs: an event source mapping (poller) reads batches and invokes the function synchronously. A
  failed message becomes visible again when its visibility timeout expires; SQS moves it to the
  queue's DLQ once its receive count would exceed maxReceiveCount. Without partial batch responses
  the whole batch returns; with them only the failed items. Closed form (partial on or batch 1):
  P(dead-lettered) = p^k, E[receives] = (1 - p^k) / (1 - p).
- stream: one Kinesis/DynamoDB shard, read in order. A failing batch is retried (the shard waits)
  until it succeeds, MaximumRetryAttempts is reached (-1 = until the records expire), or its
  records are too old; BisectBatchOnFunctionError splits it in two to isolate the bad record.

Model choices (labelled as such in --help): each attempt fails independently with probability p;
a batch fails if any record in it fails; no queue delay before the first async attempt; a fixed
pool of 5 SQS pollers; the retry timing of a failing stream batch (not documented by AWS) is an
exponential backoff from 1 s to 5 min; bisect splits are retried at once and keep the parent's
retry count ("splitting a batch does not count towards the retry quota").
"""

from __future__ import annotations

import math
import uuid
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from lambda_prep.sims.common import ParamError, check_range, rng
from lambda_prep.sims.engine import Engine

SOURCES = ("async", "sqs", "stream")
ON_FAILURE = ("destination", "dlq", "none")

ASYNC_RETRY_WAITS_S = (60.0, 120.0)  # AWS: 1 min before the 2nd attempt, 2 min before the 3rd
ASYNC_MAX_EVENT_AGE_S = 21_600  # AWS default and maximum: 6 hours
SQS_DEFAULT_VISIBILITY_TIMEOUT_S = 30  # SQS default visibility timeout
SQS_POLLERS = 5  # AWS: an SQS mapping starts with 5 concurrent batches (model: fixed at 5)
STREAM_POLL_INTERVAL_S = 1.0  # AWS: each shard is polled at a base rate of once per second
STREAM_BACKOFF_START_S = 1.0  # model assumption (stream retry timing is not documented)
STREAM_BACKOFF_MAX_S = 300.0  # model assumption
MAX_SQS_RECEIVES = 2_000_000  # expected receives in an sqs run (the default 1M events need 1.4M)
MAX_SQS_TRACED_RECEIVES = 250_000  # receives of the traced events, whose every step is kept
TRACE_LIMIT = 2_000  # events whose step-by-step story is kept (examples are chosen among them)
MAX_EXAMPLES = 5
SHARD_LOG_LIMIT = 200
ITERATOR_AGE_POINTS = 60

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:my-function"
STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/my-stream"
EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)  # the simulated clock's t = 0 (for timestamps)

SOURCE_DEFAULTS = {
    "async": {"failure_rate": 0.3, "arrival_rate": 1.0, "batch_size": 1, "on_failure": "destination"},
    "sqs": {"failure_rate": 0.3, "arrival_rate": 0.0, "batch_size": 10, "on_failure": "dlq"},
    "stream": {"failure_rate": 0.0, "arrival_rate": 10.0, "batch_size": 100, "on_failure": "destination"},
}


@dataclass(frozen=True)
class Params:
    source: str = "async"
    failure_rate: float | None = None  # None: 0.3 for async and sqs, 0 for stream (the poison record fails)
    events: int = 1_000
    arrival_rate: float | None = None  # events/s (Poisson); 0 = all waiting at t = 0
    duration_ms: float = 100.0  # model assumption: handler time per invocation
    timeout_s: float = 3.0  # AWS default function timeout
    poison_at: int | None = None  # an event that always fails (1-based); 0 = none
    # async
    max_retries: int = 2
    max_event_age_s: int = ASYNC_MAX_EVENT_AGE_S
    on_failure: str | None = None  # destination | dlq | none
    # sqs
    visibility_timeout_s: float = SQS_DEFAULT_VISIBILITY_TIMEOUT_S
    max_receive_count: int = 5
    batch_size: int | None = None
    partial_batch: bool = False
    # stream
    max_retry_attempts: int = -1
    max_record_age_s: int = -1
    bisect: bool = False
    retention_hours: float = 24.0

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ParamError(f"--source must be one of {', '.join(SOURCES)}, got {self.source!r}")
        defaults = SOURCE_DEFAULTS[self.source]
        for name in ("failure_rate", "arrival_rate", "batch_size", "on_failure"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, defaults[name])
        if self.poison_at is None:
            object.__setattr__(self, "poison_at", max(1, self.events // 4) if self.source == "stream" else 0)
        self.validate()

    def validate(self) -> None:
        check_range("failure_rate", self.failure_rate, 0, 1, why="a probability per attempt")
        check_range("events", self.events, 1, 1_000_000, why="model limit")
        check_range("arrival_rate", self.arrival_rate, 0.001, 10_000, or_value=0,
                    why="events per second; 0 puts every event in the queue at t = 0")
        check_range("timeout_s", self.timeout_s, 1, 900, why="Lambda's function timeout is 1 s to 900 s")
        check_range("duration_ms", self.duration_ms, 1, 900_000, why="handler time; above the timeout it times out")
        check_range("poison_at", self.poison_at, 0, self.events,
                    why="the number of the event that always fails; 0 = none")
        if self.on_failure not in ON_FAILURE:
            raise ParamError(f"--on-failure must be one of {', '.join(ON_FAILURE)}, got {self.on_failure!r}")
        # Every option's range is checked whatever the source, so a typo in an option that does not
        # apply to this source is reported instead of silently ignored.
        check_range("max_retries", self.max_retries, 0, 2,
                    why="asynchronous invocation allows 0-2 retries: MaximumRetryAttempts, default 2")
        check_range("max_event_age_s", self.max_event_age_s, 60, 21_600,
                    why="MaximumEventAgeInSeconds is 60 s to 6 h, default 6 h")
        check_range("visibility_timeout_s", self.visibility_timeout_s, 0, 43_200,
                    why="SQS visibility timeout is 0 s to 12 h, default 30 s")
        check_range("max_receive_count", self.max_receive_count, 1, 1_000,
                    why="redrive policy maxReceiveCount is 1-1,000; AWS suggests at least 5")
        check_range("batch_size", self.batch_size, 1, 10_000, why="SQS and stream mapping batch size")
        check_range("max_retry_attempts", self.max_retry_attempts, 0, 10_000, or_value=-1,
                    why="stream: -1 (the default) retries until the record expires")
        check_range("max_record_age_s", self.max_record_age_s, 60, 604_800, or_value=-1,
                    why="stream: -1 (the default) means no limit; otherwise 60 s to 7 days")
        check_range("retention_hours", self.retention_hours, 24, 8_760,
                    why="stream: Kinesis retention is 24 h (default) to 365 days; DynamoDB Streams keep 24 h")
        if self.source == "sqs":
            if self.on_failure != "dlq":
                raise ParamError("--on-failure must be dlq for --source sqs (the dead-letter queue belongs to the "
                                 "queue: its redrive policy moves a message after maxReceiveCount receives)")
            check_range("visibility_timeout_s", self.visibility_timeout_s, 0, 43_200,
                        why="SQS visibility timeout is 0 s to 12 h, default 30 s")
            if self.timeout_s > self.visibility_timeout_s:
                raise ParamError(
                    f"--visibility-timeout-s must be at least the function timeout ({_num(self.timeout_s)} s), got "
                    f"{_num(self.visibility_timeout_s)} (Lambda rejects an SQS event source mapping whose function "
                    f"timeout exceeds the queue's visibility timeout; AWS recommends 6 x the timeout, "
                    f"{_num(6 * self.timeout_s)} s)")
            check_range("batch_size", self.batch_size, 1, 10_000, why="SQS mapping batch size, default 10")
            # The model simulates every receive and keeps each step of the first TRACE_LIMIT messages:
            # bound both so a run takes seconds and well under 1 GB (1,000 events x 1,000 receives took
            # 6-24 s and 0.5 GB; 100,000 x 1,000 took 4 minutes at 1 GB).
            p, m = self.failure_rate, self.max_receive_count
            per_message = m if p >= 1 else (1 - p ** m) / (1 - p)
            for label, messages, limit in (("--events", self.events, MAX_SQS_RECEIVES),
                                           (f"the first {TRACE_LIMIT:,} events (traced step by step)",
                                            min(self.events, TRACE_LIMIT), MAX_SQS_TRACED_RECEIVES)):
                if messages * per_message > limit:
                    raise ParamError(
                        f"{label} x receives per message must be at most {limit:,}, got {messages:,} x "
                        f"{per_message:,.4g} = {messages * per_message:,.0f} (each message is received up to "
                        f"--max-receive-count times at --failure-rate {p:g}; the model simulates every receive: "
                        f"lower --events, --max-receive-count or --failure-rate)")
        elif self.source == "stream":
            if self.on_failure == "dlq":
                raise ParamError("--on-failure must be destination or none for --source stream (a stream mapping "
                                 "has no DLQ; its on-failure destination is an SQS queue, SNS topic or S3 bucket)")
            check_range("batch_size", self.batch_size, 1, 10_000, why="Kinesis mapping batch size, default 100")


@dataclass
class Result:
    params: Params
    succeeded: int
    dead_lettered: int
    lost: int
    attempts: int
    reasons: dict[str, int]
    attempts_histogram: dict[int, int]
    dead_letter_times: list[float]
    examples: list[dict]
    failure_record: dict | None
    sim_end_s: float
    warnings: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def events(self) -> int:
        return self.params.events

    @property
    def dead_letter_ratio(self) -> float:
        return self.dead_lettered / self.events

    @property
    def mean_attempts(self) -> float:
        return self.attempts / self.events

    def theory(self) -> dict | None:
        """Closed forms where the model has one (independent failures, no age limit, no poison)."""
        p, prm = self.params.failure_rate, self.params
        if prm.poison_at or prm.duration_ms > prm.timeout_s * 1000:
            return None
        if prm.source == "async":
            if prm.max_event_age_s < sum(ASYNC_RETRY_WAITS_S[:prm.max_retries]) + 3 * prm.timeout_s:
                return None
            n = prm.max_retries + 1
        elif prm.source == "sqs" and (prm.partial_batch or prm.batch_size == 1):
            n = prm.max_receive_count
        else:
            return None
        mean = float(n) if p == 1 else (1 - p ** n) / (1 - p)
        return {"formula": "p^%d" % n, "dead_letter_ratio": p ** n, "mean_attempts": mean}

    def to_json(self) -> dict:
        prm = self.params
        times = sorted(self.dead_letter_times)
        out = {
            "source": prm.source,
            "params": asdict(prm),
            "events": self.events,
            "succeeded": self.succeeded,
            "dead_lettered": self.dead_lettered,
            "dead_letter_ratio": round(self.dead_letter_ratio, 6),
            "mean_attempts": round(self.mean_attempts, 6),
            "lost_unprocessed": self.lost,
            "theory": self.theory(),
            "on_failure": prm.on_failure,
            "failure_reasons": dict(self.reasons),
            "attempts_histogram": {str(k): v for k, v in sorted(self.attempts_histogram.items())},
            "time_to_dead_letter_s": ({"min": round(times[0], 3), "mean": round(sum(times) / len(times), 3),
                                       "max": round(times[-1], 3)} if times else None),
            "simulated_s": round(self.sim_end_s, 3),
            "timeline": (shard_timeline(self.extra.get("shard_log", [])) if prm.source == "stream"
                         else timeline(self.examples)),
            "examples": self.examples,
            "failure_record": self.failure_record,
            "warnings": list(self.warnings),
        }
        out.update(self.extra)
        return out


def timeline(examples: list[dict]) -> list[dict]:
    """The examples' steps merged into one list on the simulated clock."""
    rows = [{"t": step["t"], "event": ex["id"], "kind": step["kind"], "what": step["what"]}
            for ex in examples for step in ex["steps"]]
    rows.sort(key=lambda row: (row["t"], row["event"]))
    return rows


def describe(entry: dict) -> str:
    """One shard-log entry in words."""
    kind = entry["kind"]
    first, last = entry["first"], entry["last"]
    span = f"records {first}-{last}" if first != last else f"record {first}"
    if kind == "ok":
        batches = entry["batches"]
        return f"{span} processed in {batches} batch{'es' if batches != 1 else ''}"
    if kind == "fail":
        failures = entry["failures"]
        if failures == 1:
            return f"batch with {span} failed; the shard waits and retries it"
        return f"batch with {span} failed {failures} times (retried with backoff); the shard is blocked"
    return f"{span}: {entry['what']}" if kind != "split" else entry["what"]


def shard_timeline(log: list[dict]) -> list[dict]:
    return [{"t": entry["t"], "what": describe(entry)} for entry in log]


def run(params: Params, seed: int | None = 1, progress: Callable[[int], None] | None = None) -> Result:
    if params.source == "async":
        return _run_async(params, seed, progress)
    if params.source == "sqs":
        result = _run_sqs(params, seed, progress)
        if params.batch_size > 1:
            other = _run_sqs(_replace(params, partial_batch=not params.partial_batch), seed, None)
            result.extra["comparison"] = {
                "partial_batch": other.params.partial_batch,
                "dead_lettered": other.dead_lettered,
                "dead_letter_ratio": round(other.dead_letter_ratio, 6),
                "mean_attempts": round(other.mean_attempts, 6),
                "duplicate_processing": other.extra["duplicate_processing"],
            }
        return result
    return _run_stream(params, seed, progress)


# --- helpers --------------------------------------------------------------------------------


def _replace(params: Params, **changes) -> Params:
    values = asdict(params)
    values.update(changes)
    return Params(**values)


def _num(value: float) -> str:
    return f"{value:g}"


def _request_id(seed, i: int, attempt: int = 0) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"lambda-prep/{seed}/{i}/{attempt}"))


def _stamp(t: float) -> str:
    return (EPOCH + timedelta(seconds=t)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _arrivals(r, count: int, rate: float):
    """Arrival times: Poisson at `rate`, or all at 0 when rate is 0 (a backlog)."""
    t = 0.0
    for _ in range(count):
        if rate > 0:
            t += r.expovariate(rate)
        yield t


class _Progress:
    __slots__ = ("callback", "pending")

    def __init__(self, callback):
        self.callback, self.pending = callback, 0

    def step(self, n: int = 1) -> None:
        if self.callback is not None:
            self.pending += n
            if self.pending >= 1_000:
                self.callback(self.pending)
                self.pending = 0

    def flush(self) -> None:
        if self.callback is not None and self.pending:
            self.callback(self.pending)
            self.pending = 0


def _pick_examples(traces: dict[int, dict], categories: list[str]) -> list[dict]:
    """The first traced event of each category, then the earliest others, up to MAX_EXAMPLES."""
    chosen: dict[int, dict] = {}
    for category in categories:
        for i in sorted(traces):
            if traces[i]["category"] == category:
                chosen.setdefault(i, traces[i])
                break
    for i in sorted(traces):
        if len(chosen) >= MAX_EXAMPLES:
            break
        chosen.setdefault(i, traces[i])
    return [dict(chosen[i], steps=list(chosen[i]["steps"])) for i in sorted(chosen)][:MAX_EXAMPLES]


def _steps_rounded(trace: dict) -> dict:
    trace["steps"] = [{"t": round(t, 3), "kind": kind, "what": what} for t, kind, what in trace["steps"]]
    return trace


# --- async ----------------------------------------------------------------------------------


def _run_async(prm: Params, seed, progress) -> Result:
    r = rng(seed)
    engine = Engine()
    tick = _Progress(progress)
    p = prm.failure_rate
    waits = ASYNC_RETRY_WAITS_S[:prm.max_retries]
    run_s = min(prm.duration_ms / 1000, prm.timeout_s)
    timed_out = prm.duration_ms > prm.timeout_s * 1000
    poison = prm.poison_at - 1
    max_age = float(prm.max_event_age_s)
    state = {"succeeded": 0, "dead": 0, "attempts": 0}
    reasons: dict[str, int] = {}
    histogram: dict[int, int] = {}
    dead_times: list[float] = []
    traces: dict[int, dict] = {}
    first_dead: list[tuple[int, int, str, float]] = []

    def note(i: int, t: float, kind: str, what: str) -> None:
        if i < TRACE_LIMIT:
            traces[i]["steps"].append((t, kind, what))

    def arrive(i: int) -> None:
        now = engine.now
        if i < TRACE_LIMIT:
            traces[i] = {"id": i + 1, "arrived_s": round(now, 3), "steps": [], "category": ""}
        note(i, now, "start", "invoked with InvocationType=Event: the caller gets 202 at once; the event is queued")
        attempt(i, now, 1)

    def attempt(i: int, t0: float, n: int) -> None:
        state["attempts"] += 1
        fail = timed_out or i == poison or r.random() < p
        engine.at(engine.now + run_s, finish, i, t0, n, fail)

    def finish(i: int, t0: float, n: int, fail: bool) -> None:
        now = engine.now
        if not fail:
            state["succeeded"] += 1
            histogram[n] = histogram.get(n, 0) + 1
            note(i, now, "ok", f"attempt {n} succeeded")
            if i < TRACE_LIMIT:
                traces[i]["category"] = "first try" if n == 1 else "after retry"
                traces[i]["outcome"] = "succeeded"
                traces[i]["attempts"] = n
            tick.step()
            return
        why = (f"timed out after {prm.timeout_s:g} s" if timed_out else "function error")
        if n <= len(waits):
            next_start = now + waits[n - 1]
            if next_start - t0 > max_age:
                gone = max(now, t0 + max_age)
                note(i, now, "fail", f"attempt {n} failed ({why}); the retry would come after the maximum event age")
                dead(i, t0, n, "EventAgeExceeded", gone)
                return
            note(i, now, "fail", f"attempt {n} failed ({why}); retry in {waits[n - 1]:g} s")
            engine.at(next_start, attempt, i, t0, n + 1)
            return
        note(i, now, "fail", f"attempt {n} failed ({why}); no retries left")
        dead(i, t0, n, "RetriesExhausted", now)

    def dead(i: int, t0: float, n: int, condition: str, when: float) -> None:
        state["dead"] += 1
        reasons[condition] = reasons.get(condition, 0) + 1
        histogram[n] = histogram.get(n, 0) + 1
        dead_times.append(when - t0)
        where = {"destination": "sent to the on-failure destination (invocation record)",
                 "dlq": "sent to the dead-letter queue (event only)",
                 "none": "discarded (no destination or DLQ configured)"}[prm.on_failure]
        note(i, when, "dead", f"{condition}: {where}")
        if i < TRACE_LIMIT:
            traces[i]["category"] = condition
            traces[i]["outcome"] = "dead_lettered"
            traces[i]["attempts"] = n
        if not first_dead:
            first_dead.append((i, n, condition, when))
        tick.step()

    for i, t in enumerate(_arrivals(r, prm.events, prm.arrival_rate)):
        engine.at(t, arrive, i)
    engine.run()
    tick.flush()

    record = None
    if first_dead:
        i, n, condition, when = first_dead[0]
        error = (f"Task timed out after {prm.timeout_s:.2f} seconds" if timed_out
                 else "Error: could not process order")
        record = _async_failure_record(prm, seed, i, n, condition, when, error)
    examples = _pick_examples(traces, ["first try", "after retry", "RetriesExhausted", "EventAgeExceeded"])
    return Result(params=prm, succeeded=state["succeeded"], dead_lettered=state["dead"], lost=0,
                  attempts=state["attempts"], reasons=reasons, attempts_histogram=histogram,
                  dead_letter_times=dead_times, examples=[_steps_rounded(e) for e in examples],
                  failure_record=record, sim_end_s=engine.now, warnings=_async_warnings(prm))


def _async_warnings(prm: Params) -> list[str]:
    warnings = []
    if prm.duration_ms > prm.timeout_s * 1000:
        warnings.append(f"The handler takes {prm.duration_ms:g} ms but the timeout is {prm.timeout_s:g} s: "
                        "every attempt times out, and a timeout counts as a function error.")
    needed = sum(ASYNC_RETRY_WAITS_S[:prm.max_retries])
    if prm.max_event_age_s < needed + prm.duration_ms / 1000 * (prm.max_retries + 1):
        warnings.append(f"A maximum event age of {prm.max_event_age_s} s is shorter than the retry schedule "
                        f"({needed:g} s of waits): events can age out before their last retry.")
    if prm.on_failure == "none":
        warnings.append("No on-failure destination or DLQ: failed events are discarded and lost.")
    return warnings


def _async_failure_record(prm: Params, seed, i: int, attempts: int, condition: str, when: float,
                          error: str) -> dict | None:
    payload = {"orderId": f"order-{i + 1}"}
    if prm.on_failure == "destination":
        return {
            "target": "on-failure destination",
            "content": "the full invocation record, request and response details (destination: SQS, SNS, "
                       "Lambda, EventBridge or S3)",
            "body": {
                "version": "1.0",
                "timestamp": _stamp(when),
                "requestContext": {"requestId": _request_id(seed, i), "functionArn": FUNCTION_ARN + ":$LATEST",
                                   "condition": condition, "approximateInvokeCount": attempts},
                "requestPayload": payload,
                "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
                "responsePayload": {"errorMessage": error, "errorType": "Error"},
            },
        }
    if prm.on_failure == "dlq":
        return {
            "target": "dead-letter queue",
            "content": "the event only, with no response details; the error travels in message attributes "
                       "(DLQ: a standard SQS queue or SNS topic)",
            "body": payload,
            "attributes": {"RequestID": _request_id(seed, i), "ErrorCode": "200", "ErrorMessage": error[:1024]},
        }
    return None


# --- sqs ------------------------------------------------------------------------------------


class _Message:
    __slots__ = ("i", "sent", "receives")

    def __init__(self, i: int, sent: float):
        self.i, self.sent, self.receives = i, sent, 0


def _run_sqs(prm: Params, seed, progress) -> Result:
    r = rng(seed)
    engine = Engine()
    tick = _Progress(progress)
    p, k, vt, size = prm.failure_rate, prm.max_receive_count, float(prm.visibility_timeout_s), prm.batch_size
    run_s = min(prm.duration_ms / 1000, prm.timeout_s)
    timed_out = prm.duration_ms > prm.timeout_s * 1000
    poison = prm.poison_at - 1
    visible: deque[_Message] = deque()
    state = {"idle": SQS_POLLERS, "pending": False, "succeeded": 0, "dead": 0, "attempts": 0,
             "duplicates": 0, "batches": 0, "failed_batches": 0}
    histogram: dict[int, int] = {}
    dead_times: list[float] = []
    traces: dict[int, dict] = {}
    first_dead: list[tuple[_Message, float]] = []

    def note(m: _Message, kind: str, what: str) -> None:
        if m.i < TRACE_LIMIT:
            traces[m.i]["steps"].append((engine.now, kind, what))

    def send(messages: list[_Message]) -> None:
        for m in messages:
            if m.i < TRACE_LIMIT:
                traces[m.i] = {"id": m.i + 1, "arrived_s": round(engine.now, 3), "steps": [], "category": ""}
            note(m, "start", "sent to the queue")
        show(messages)

    def show(messages: list[_Message]) -> None:
        """Messages become visible (sent, or their visibility timeout expired)."""
        for m in messages:
            if m.receives >= k:
                state["dead"] += 1
                histogram[m.receives] = histogram.get(m.receives, 0) + 1
                dead_times.append(engine.now - m.sent)
                note(m, "dead", f"visible again with ReceiveCount {m.receives} = maxReceiveCount: "
                                "SQS moves it to the DLQ")
                if m.i < TRACE_LIMIT:
                    traces[m.i]["category"] = "dead-lettered"
                    traces[m.i]["outcome"] = "dead_lettered"
                    traces[m.i]["attempts"] = m.receives
                if not first_dead:
                    first_dead.append((m, engine.now))
                tick.step()
            else:
                if m.receives:
                    note(m, "info", "visibility timeout expired: visible again")
                visible.append(m)
        if not state["pending"]:
            state["pending"] = True
            engine.after(0, dispatch)

    def dispatch() -> None:
        state["pending"] = False
        while state["idle"] and visible:
            batch = [visible.popleft() for _ in range(min(size, len(visible)))]
            state["idle"] -= 1
            state["batches"] += 1
            fails = []
            for m in batch:
                m.receives += 1
                state["attempts"] += 1
                fails.append(timed_out or m.i == poison or r.random() < p)
                note(m, "info", f"received (ReceiveCount {m.receives}) in a batch of {len(batch)}; "
                        f"invisible for {vt:g} s; the poller invokes the function synchronously")
            engine.at(engine.now + run_s, done, batch, fails, engine.now)

    def done(batch: list[_Message], fails: list[bool], received: float) -> None:
        state["idle"] += 1
        back: list[_Message] = []
        any_failed = any(fails)
        if any_failed:
            state["failed_batches"] += 1
        for m, failed in zip(batch, fails):
            if not any_failed or (prm.partial_batch and not failed):
                state["succeeded"] += 1
                histogram[m.receives] = histogram.get(m.receives, 0) + 1
                note(m, "ok", "processed; the poller deletes it from the queue"
                     + (" (reported as succeeded in the partial batch response)" if any_failed else ""))
                if m.i < TRACE_LIMIT:
                    traces[m.i]["category"] = "first try" if m.receives == 1 else "after retry"
                    traces[m.i]["outcome"] = "succeeded"
                    traces[m.i]["attempts"] = m.receives
                tick.step()
            elif failed:
                back.append(m)
                why = "timed out" if timed_out else "failed"
                note(m, "fail", f"{why}" + (": listed in batchItemFailures" if prm.partial_batch
                                    else ": the whole batch returns to the queue"))
            else:
                back.append(m)
                state["duplicates"] += 1
                note(m, "returned", "processed fine, but another message failed the batch: it returns too "
                        "(it will be processed again)")
                if m.i < TRACE_LIMIT:
                    traces[m.i]["returned_ok"] = True
        if back:
            engine.at(received + vt, show, back)
        if visible and not state["pending"]:
            state["pending"] = True
            engine.after(0, dispatch)

    messages = [_Message(i, t) for i, t in enumerate(_arrivals(r, prm.events, prm.arrival_rate))]
    if prm.arrival_rate == 0:
        engine.at(0.0, send, messages)
    else:
        for m in messages:
            engine.at(m.sent, send, [m])
    engine.run()
    tick.flush()

    for trace in traces.values():
        if trace.pop("returned_ok", False) and trace["category"] in ("after retry", "dead-lettered"):
            trace["category"] = "returned with its batch"
    record = None
    if first_dead:
        m, when = first_dead[0]
        record = {
            "target": "queue's dead-letter queue",
            "content": "the original message, unchanged (body and attributes); SQS moved it by the source queue's "
                       "redrive policy, not the function's DLQ setting",
            "body": {"orderId": f"order-{m.i + 1}"},
            "attributes": {"ApproximateReceiveCount": str(m.receives), "SentTimestamp": _stamp(m.sent)},
        }
    warnings = []
    if prm.visibility_timeout_s < 6 * prm.timeout_s:
        warnings.append(f"Visibility timeout {prm.visibility_timeout_s:g} s is under 6 x the function timeout "
                        f"({6 * prm.timeout_s:g} s), AWS's recommendation: throttled batches can return early.")
    if prm.max_receive_count < 5:
        warnings.append("maxReceiveCount under 5: AWS suggests at least 5 so throttling alone does not "
                        "send messages to the DLQ.")
    if timed_out:
        warnings.append(f"The handler takes {prm.duration_ms:g} ms but the timeout is {prm.timeout_s:g} s: "
                        "every batch times out.")
    examples = _pick_examples(traces, ["first try", "returned with its batch", "after retry", "dead-lettered"])
    return Result(params=prm, succeeded=state["succeeded"], dead_lettered=state["dead"], lost=0,
                  attempts=state["attempts"], reasons={"maxReceiveCount": state["dead"]} if state["dead"] else {},
                  attempts_histogram=histogram, dead_letter_times=dead_times,
                  examples=[_steps_rounded(e) for e in examples], failure_record=record, sim_end_s=engine.now,
                  warnings=warnings,
                  extra={"duplicate_processing": state["duplicates"], "batches": state["batches"],
                         "failed_batches": state["failed_batches"],
                         "mean_batch_size": round(state["attempts"] / max(1, state["batches"]), 3)})


# --- stream ---------------------------------------------------------------------------------


def _run_stream(prm: Params, seed, progress) -> Result:
    r = rng(seed)
    engine = Engine()
    tick = _Progress(progress)
    n_records = prm.events
    arrivals = list(_arrivals(r, n_records, prm.arrival_rate))
    p, size = prm.failure_rate, prm.batch_size
    run_s = min(prm.duration_ms / 1000, prm.timeout_s)
    timed_out = prm.duration_ms > prm.timeout_s * 1000
    poison = prm.poison_at - 1
    retention = prm.retention_hours * 3600.0
    max_age = float(prm.max_record_age_s) if prm.max_record_age_s != -1 else math.inf
    max_retries = prm.max_retry_attempts if prm.max_retry_attempts != -1 else math.inf
    attempts = [0] * n_records
    state = {"next": 0, "succeeded": 0, "dead": 0, "lost": 0, "invocations": 0, "block_start": None,
             "max_block": 0.0, "scheduled": False, "failures": 0}
    pending: list[list[int]] = []  # [start, end, retries] batches to finish before reading on (bisect halves)
    reasons: dict[str, int] = {}
    dead_times: list[float] = []
    ages: list[tuple[float, float]] = []
    log: list[dict] = []
    log_dropped = [0]
    discarded: list[dict] = []

    def add_log(entry: dict) -> None:
        last = log[-1] if log else None
        if entry["kind"] == "ok" and last and last["kind"] == "ok":
            last.update(t_end=entry["t_end"], last=entry["last"], batches=last["batches"] + 1)
            return
        if (entry["kind"] == "fail" and last and last["kind"] == "fail"
                and (last["first"], last["last"]) == (entry["first"], entry["last"])):
            last.update(t_end=entry["t"], failures=last["failures"] + 1, retries=entry["retries"])
            return
        if len(log) >= SHARD_LOG_LIMIT:
            log_dropped[0] += 1
            return
        log.append(entry)

    def schedule_poll(at: float) -> None:
        if not state["scheduled"]:
            state["scheduled"] = True
            engine.at(at, poll)

    def poll() -> None:
        state["scheduled"] = False
        now = engine.now
        if pending:
            start, end, retries = pending.pop(0)
            invoke(start, end, retries)
            return
        # records past the stream's retention are gone before anyone read them
        first_lost = state["next"]
        while state["next"] < n_records and arrivals[state["next"]] + retention <= now:
            state["next"] += 1
        if state["next"] > first_lost:
            count = state["next"] - first_lost
            state["lost"] += count
            tick.step(count)
            add_log({"kind": "lost", "t": round(now, 3), "first": first_lost + 1, "last": state["next"],
                     "what": f"{count} records expired from the stream before being read (data loss)"})
        # with MaximumRecordAgeInSeconds, records already too old are discarded without an invocation
        first_old = state["next"]
        while state["next"] < n_records and now - arrivals[state["next"]] >= max_age:
            state["next"] += 1
        if state["next"] > first_old:
            discard(first_old, state["next"], 0, "RecordAgeExceeded", now, invoked=False)
        start = state["next"]
        if start >= n_records:
            end_block(now)
            return
        if arrivals[start] > now:
            end_block(now)
            ticks = math.ceil((arrivals[start] - now) / STREAM_POLL_INTERVAL_S)
            schedule_poll(now + max(1, ticks) * STREAM_POLL_INTERVAL_S)
            return
        end = start
        while end < n_records and end - start < size and arrivals[end] <= now:
            end += 1
        state["next"] = end
        invoke(start, end, 0)

    def invoke(start: int, end: int, retries: int) -> None:
        now = engine.now
        state["invocations"] += 1
        ages.append((now, now - arrivals[end - 1]))
        for j in range(start, end):
            attempts[j] += 1
        count = end - start
        failed = (timed_out or start <= poison < end
                  or (p > 0 and r.random() < 1 - (1 - p) ** count))
        engine.at(now + run_s, done, start, end, retries, failed)

    def done(start: int, end: int, retries: int, failed: bool) -> None:
        now = engine.now
        count = end - start
        if not failed:
            state["succeeded"] += count
            tick.step(count)
            add_log({"kind": "ok", "t": round(now - run_s, 3), "t_end": round(now, 3), "first": start + 1,
                     "last": end, "batches": 1})
            if not pending:
                end_block(now)
            after_batch(now, end, count)
            return
        state["failures"] += 1
        if state["block_start"] is None:
            state["block_start"] = now - run_s
        if prm.bisect and count > 1:
            middle = start + (count + 1) // 2
            pending[:0] = [[start, middle, retries], [middle, end, retries]]
            add_log({"kind": "split", "t": round(now, 3), "first": start + 1, "last": end,
                     "what": f"batch failed; bisect: {start + 1}-{middle} and {middle + 1}-{end}"})
            schedule_poll(now)
            return
        retries += 1
        oldest = arrivals[start]
        deadline = min(oldest + retention, oldest + max_age)
        add_log({"kind": "fail", "t": round(now, 3), "t_end": round(now, 3), "first": start + 1, "last": end,
                 "failures": 1, "retries": retries - 1})
        if retries > max_retries:
            discard(start, end, retries, "RetryAttemptsExhausted", now)
            schedule_poll(now)
            return
        backoff = min(STREAM_BACKOFF_START_S * 2.0 ** min(retries - 1, 30), STREAM_BACKOFF_MAX_S)
        next_try = now + backoff
        if next_try >= deadline:
            when = max(now, deadline)
            reason = "RecordExpired" if oldest + retention <= oldest + max_age else "RecordAgeExceeded"
            engine.at(when, discard_then_poll, start, end, retries, reason)
            return
        pending.insert(0, [start, end, retries])
        schedule_poll(next_try)

    def discard_then_poll(start: int, end: int, retries: int, reason: str) -> None:
        discard(start, end, retries, reason, engine.now)
        schedule_poll(engine.now)

    def discard(start: int, end: int, retries: int, reason: str, now: float, invoked: bool = True) -> None:
        count = end - start
        state["dead"] += count
        reasons[reason] = reasons.get(reason, 0) + count
        for j in range(start, end):
            dead_times.append(now - arrivals[j])
        tick.step(count)
        where = {"destination": "batch details sent to the on-failure destination",
                 "none": "dropped (no on-failure destination)"}[prm.on_failure]
        add_log({"kind": "discard", "t": round(now, 3), "first": start + 1, "last": end,
                 "what": f"{reason}: {count} record{'s' if count != 1 else ''} discarded; {where}"})
        if len(discarded) < 50:
            discarded.append({"first": start + 1, "last": end, "reason": reason, "t": round(now, 3),
                              "failed_attempts": retries, "invoked": invoked})
        if not pending:
            end_block(now)

    def end_block(now: float) -> None:
        if state["block_start"] is not None:
            state["max_block"] = max(state["max_block"], now - state["block_start"])
            state["block_start"] = None

    def after_batch(now: float, end: int, count: int) -> None:
        if pending or (end < n_records and arrivals[end] <= now):
            schedule_poll(now)  # more records waiting: keep going until caught up
        else:
            schedule_poll(now + STREAM_POLL_INTERVAL_S)

    if n_records:
        schedule_poll(arrivals[0])
    engine.run()
    tick.flush()

    histogram: dict[int, int] = {}
    for a in attempts:
        histogram[a] = histogram.get(a, 0) + 1
    record = None
    if discarded and prm.on_failure == "destination":
        d = discarded[0]
        record = {
            "target": "on-failure destination",
            "content": "metadata about the discarded batch (shard and sequence numbers), not the records: read "
                       "them from the stream before they expire (SQS or SNS destination; S3 also gets the records)"
                       + ("" if d["reason"] == "RetryAttemptsExhausted" else
                          f". The condition value {d['reason']} is this model's label, not checked against AWS"),
            "body": {
                "requestContext": {"requestId": _request_id(seed, d["first"]), "functionArn": FUNCTION_ARN,
                                   "condition": d["reason"], "approximateInvokeCount": d["failed_attempts"]},
                "responseContext": ({"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}
                                    if d["invoked"] else {}),
                "version": "1.0",
                "timestamp": _stamp(d["t"]),
                "KinesisBatchInfo": {
                    "shardId": "shardId-000000000000",
                    "startSequenceNumber": str(d["first"]),
                    "endSequenceNumber": str(d["last"]),
                    "approximateArrivalOfFirstRecord": _stamp(arrivals[d["first"] - 1]),
                    "approximateArrivalOfLastRecord": _stamp(arrivals[d["last"] - 1]),
                    "batchSize": d["last"] - d["first"] + 1,
                    "streamArn": STREAM_ARN,
                },
            },
        }
    warnings = []
    if prm.max_retry_attempts == -1 and prm.max_record_age_s == -1 and not prm.bisect:
        warnings.append("Default stream settings: a failing record blocks its shard until it expires "
                        f"({prm.retention_hours:g} h here). Set --max-retry-attempts, --max-record-age-s, "
                        "--bisect and an on-failure destination.")
    if timed_out:
        warnings.append(f"The handler takes {prm.duration_ms:g} ms but the timeout is {prm.timeout_s:g} s: "
                        "every batch times out.")
    end_time = engine.now
    return Result(params=prm, succeeded=state["succeeded"], dead_lettered=state["dead"], lost=state["lost"],
                  attempts=sum(attempts), reasons=reasons, attempts_histogram=histogram,
                  dead_letter_times=dead_times, examples=[], failure_record=record, sim_end_s=end_time,
                  warnings=warnings,
                  extra={"invocations": state["invocations"], "failed_invocations": state["failures"],
                         "blocked_s": round(state["max_block"], 3),
                         "max_iterator_age_s": round(max((a for _, a in ages), default=0.0), 3),
                         "iterator_age": _age_series(ages, end_time),
                         "discarded_batches": discarded,
                         "shard_log": log, "shard_log_more": log_dropped[0],
                         "poison_record": prm.poison_at or None})


def _age_series(ages: list[tuple[float, float]], end: float) -> list[dict]:
    """IteratorAge (age of the last record of each batch sent) as the maximum per time bucket."""
    if not ages:
        return []
    width = max(end, 1e-9) / ITERATOR_AGE_POINTS
    buckets: dict[int, float] = {}
    for t, age in ages:
        b = min(int(t / width), ITERATOR_AGE_POINTS - 1)
        buckets[b] = max(buckets.get(b, 0.0), age)
    return [{"t": round(b * width, 3), "age_s": round(buckets[b], 3)} for b in sorted(buckets)]
