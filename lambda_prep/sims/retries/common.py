"""What the three retry models share: parameters, the result, AWS figures and small helpers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_range, envelope

SOURCES = C.EVENT_SOURCES
ON_FAILURE = C.ON_FAILURE

ASYNC_RETRY_WAITS_S = F.ASYNC_RETRY_WAITS_S.value
ASYNC_MAX_EVENT_AGE_S = int(F.ASYNC_MAX_EVENT_AGE_S)
SQS_DEFAULT_VISIBILITY_TIMEOUT_S = int(F.SQS_DEFAULT_VISIBILITY_TIMEOUT_S)
STREAM_TYPES = C.STREAM_TYPES
STREAM_POLL_INTERVAL_S = {"kinesis": 1.0 / F.KINESIS_POLLS_PER_S.value,  # once a second per shard
                          "dynamodb": 1.0 / F.DDB_POLLS_PER_S.value}  # "a base rate of 4 times per second"
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
DDB_STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/my-table/stream/2025-01-01T00:00:00.000"
EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)  # the simulated clock's t = 0 (for timestamps)

RUN_SOURCES = {
    "async": (F.ASYNC_ERRORS_URL, F.DG + "invocation-async-retain-records.html"),
    "sqs": (F.DG + "services-sqs-parameters.html", F.DG + "services-sqs-configure.html", F.SQS_ERRORS_URL,
            "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
            F.SQS_SCALING_URL),
    "stream": (F.KINESIS_PARAMS_URL, F.DG + "kinesis-on-failure-destination.html", F.DG + "with-kinesis.html"),
}
RUN_ASSUMPTIONS = {
    "async": ("attempts fail independently with the failure rate", "no queue delay before the first attempt"),
    "sqs": ("attempts fail independently with the failure rate; a batch fails if any message fails "
            "(unless partial batch responses are on)",
            "the mapping's pollers: 5 at first, +5 a second while messages wait, halved after a second with a "
            "failed batch (not with partial batch responses: AWS does not scale polling down then)"),
    "stream": ("attempts fail independently with the failure rate; a batch fails if any record fails",
               "a failing batch is retried with backoff from 1 s doubling to 5 min (AWS does not document the timing)",
               "bisected halves are retried at once and keep the parent's retry count (AWS: splitting does not "
               "count towards the retry quota)"),
}

@dataclass(frozen=True)
class CommonParams:
    """What every source takes. Each source adds its own fields in its module (async_.Params,
    sqs.Params, stream.Params), so a parameter that does not apply to a source cannot be set on it."""

    source: str = field(default="", init=False)  # set by each source's class, reported in --json
    failure_rate: float = 0.3  # model assumption: probability that one attempt fails
    events: int = 1_000
    arrival_rate: float = 1.0  # events/s (Poisson); 0 = all waiting at t = 0
    duration_ms: float = 100.0  # model assumption: handler time per invocation
    timeout_s: float = 3.0  # AWS default function timeout
    poison_at: int | None = 0  # an event that always fails (1-based); 0 = none
    on_failure: str = "destination"  # destination | dlq | none

    def __post_init__(self) -> None:
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


@dataclass
class Result:
    params: CommonParams
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
        return envelope("retries", prm, RUN_ASSUMPTIONS[prm.source], RUN_SOURCES[prm.source], out)


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



# --- helpers --------------------------------------------------------------------------------


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
