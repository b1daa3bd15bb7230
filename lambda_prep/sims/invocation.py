"""Invocation: the same requests sent to one function three ways, side by side.

- sync (InvocationType=RequestResponse): the caller waits for the handler. It gets HTTP 200 with the
  result, or 200 with the header X-Amz-Function-Error and the error as the body (a function error is
  not a 4xx/5xx for a direct Invoke caller). A throttle is 429 TooManyRequestsException at once.
  Lambda retries nothing: the caller decides.
- async (InvocationType=Event): the caller gets 202 at once; the event waits in Lambda's queue. A
  function error is retried up to MaximumRetryAttempts times (waits of about 1 and 2 minutes); a
  throttle puts the event back in the queue and is retried with backoff from 1 s to 5 min for up to
  the maximum event age (6 h). What still fails goes to the on-failure destination or DLQ.
- esm (poll-based): the same requests as SQS messages; a poller reads batches and invokes the
  function synchronously. A function error returns the batch to the queue after its visibility
  timeout; a throttle makes the poller back off and retry until the visibility timeout expires.

Scenario (model assumptions): the requests are sent every `interval_ms`; the function is at its
concurrency limit (every invoke is throttled) during the first `throttle_s` seconds; each handler run
fails with probability `function_error`; the first attempt of request i uses the same random draw on
all three paths, so they see the same function behaviour; network and service overhead are zero. The
SQS path is the shared queue model (sims/sqs.py): pollers, redrive and throttle retries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from lambda_prep.sims import facts as F
from lambda_prep.sims import sqs
from lambda_prep.sims.common import ParamError, check_range, envelope, rng
from lambda_prep.sims.engine import Engine

ASYNC_RETRY_WAITS_S = F.ASYNC_RETRY_WAITS_S.value
THROTTLE_BACKOFF_START_S, THROTTLE_BACKOFF_MAX_S = F.ASYNC_THROTTLE_BACKOFF_S.value
DETAIL_LIMIT = 12  # requests shown one by one (all are counted)
THROTTLE_REASON = F.CONCURRENCY_THROTTLE_REASON.value

SOURCES = (F.INVOKE_API_URL, F.ASYNC_ERRORS_URL, F.DG + "invocation-async-retain-records.html",
           F.SQS_ERRORS_URL, F.SQS_SCALING_URL)
ASSUMPTIONS = (
    "requests are sent every --interval-ms; the function is at its concurrency limit (every invoke is "
    "throttled) during the first --throttle-s seconds, and free afterwards",
    "each handler run fails with probability --function-error; the first attempt of a request uses the same "
    "draw on all three paths, so they see the same function behaviour",
    "network and service overhead are zero",
    sqs.ASSUMPTION,
    sqs.THROTTLE_ASSUMPTION,
    "async throttle retries double from 1 s to 5 min (AWS gives the range, not the shape)",
)


@dataclass(frozen=True)
class Params:
    requests: int = 8
    interval_ms: float = 100.0
    duration_ms: float = 200.0
    timeout_s: float = 3.0
    function_error: float = 0.3
    throttle_s: float = 0.25
    max_retries: int = 2
    max_event_age_s: int = 21_600
    batch_size: int = 10
    visibility_timeout_s: float = 30.0
    max_receive_count: int = 5

    def __post_init__(self) -> None:
        check_range("requests", self.requests, 1, 100_000, why="model limit")
        check_range("interval_ms", self.interval_ms, 0, 3_600_000, why="time between the caller's requests")
        check_range("duration_ms", self.duration_ms, 1, 900_000, why="handler time; above the timeout it times out")
        check_range("timeout_s", self.timeout_s, 1, 900, why="Lambda's function timeout is 1 s to 900 s")
        check_range("function_error", self.function_error, 0, 1, why="a probability per handler run")
        check_range("throttle_s", self.throttle_s, 0, 86_400,
                    why="seconds from the start during which every invoke is throttled")
        check_range("max_retries", self.max_retries, 0, 2,
                    why="asynchronous invocation allows 0-2 retries: MaximumRetryAttempts, default 2")
        check_range("max_event_age_s", self.max_event_age_s, 60, 21_600,
                    why="MaximumEventAgeInSeconds is 60 s to 6 h, default 6 h")
        check_range("batch_size", self.batch_size, 1, 10_000, why="SQS mapping batch size, default 10")
        check_range("visibility_timeout_s", self.visibility_timeout_s, 0, 43_200,
                    why="SQS visibility timeout is 0 s to 12 h, default 30 s")
        if self.timeout_s > self.visibility_timeout_s:
            raise ParamError(
                f"--visibility-timeout-s must be at least the function timeout ({self.timeout_s:g} s), got "
                f"{self.visibility_timeout_s:g} (Lambda rejects an SQS event source mapping whose function timeout "
                f"exceeds the queue's visibility timeout; AWS recommends 6 x the timeout)")
        check_range("max_receive_count", self.max_receive_count, 1, 1_000,
                    why="redrive policy maxReceiveCount is 1-1,000; AWS suggests at least 5")


@dataclass
class Result:
    params: Params
    sync: dict
    async_: dict
    esm: dict
    timeline: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return envelope("invocation", self.params, ASSUMPTIONS, SOURCES, {
            "requests": self.params.requests,
            "sync": self.sync,
            "async": self.async_,
            "esm": self.esm,
            "timeline": self.timeline,
        })


def run(params: Params, seed: int | None = 1, progress: Callable[[int], None] | None = None) -> Result:
    base = rng(seed)
    first = [base.random() for _ in range(params.requests)]  # first attempt of request i, shared by all paths
    r_async = rng(base.getrandbits(64))
    r_esm = rng(base.getrandbits(64))
    sent = [i * params.interval_ms / 1000 for i in range(params.requests)]
    timeline: list[dict] = []
    sync = _sync(params, sent, first, timeline)
    if progress:
        progress(params.requests)
    async_ = _async(params, sent, first, r_async, timeline)
    if progress:
        progress(params.requests)
    esm = _esm(params, sent, first, r_esm, timeline)
    if progress:
        progress(params.requests)
    timeline.sort(key=lambda row: (row["t"], ("sync", "async", "esm").index(row["path"]), row["request"]))
    return Result(params=params, sync=sync, async_=async_, esm=esm, timeline=timeline[:200])


def _throttled(params: Params, t: float) -> bool:
    return t < params.throttle_s


def _run_time(params: Params) -> tuple[float, bool]:
    timed_out = params.duration_ms > params.timeout_s * 1000
    return (params.timeout_s if timed_out else params.duration_ms / 1000), timed_out


def _error_body(params: Params, timed_out: bool) -> dict:
    if timed_out:
        return {"errorMessage": f"Task timed out after {params.timeout_s:.2f} seconds", "errorType": "Sandbox.Timedout"}
    return {"errorMessage": "could not process order", "errorType": "Error"}


def _note(timeline: list, path: str, i: int, t: float, what: str) -> None:
    if i < DETAIL_LIMIT:
        timeline.append({"t": round(t, 3), "path": path, "request": i + 1, "what": what})


# --- sync -----------------------------------------------------------------------------------


def _sync(params: Params, sent: list[float], first: list[float], timeline: list) -> dict:
    run_s, timed_out = _run_time(params)
    calls, counts, waited = [], {"ok": 0, "function_error": 0, "throttled": 0}, 0.0
    for i, t in enumerate(sent):
        if _throttled(params, t):
            counts["throttled"] += 1
            call = {"request": i + 1, "sent_s": round(t, 3), "waited_ms": 0, "status": 429,
                    "headers": {"x-amzn-ErrorType": "TooManyRequestsException"},
                    "body": {"Type": "User", "Reason": THROTTLE_REASON},
                    "outcome": "throttled", "handled_by": "the caller (retry later); Lambda does not retry"}
            _note(timeline, "sync", i, t, "429 TooManyRequestsException at once; the function did not run")
        elif timed_out or first[i] < params.function_error:
            counts["function_error"] += 1
            waited += run_s
            call = {"request": i + 1, "sent_s": round(t, 3), "waited_ms": round(run_s * 1000),
                    "status": 200, "headers": {"X-Amz-Function-Error": "Unhandled"},
                    "body": _error_body(params, timed_out), "outcome": "function error",
                    "handled_by": "the caller (check the header); Lambda does not retry"}
            _note(timeline, "sync", i, t + run_s,
                  "200 with X-Amz-Function-Error: Unhandled; the error is the body; the caller handles it")
        else:
            counts["ok"] += 1
            waited += run_s
            call = {"request": i + 1, "sent_s": round(t, 3), "waited_ms": round(run_s * 1000), "status": 200,
                    "headers": {}, "body": {"orderId": f"order-{i + 1}", "status": "processed"},
                    "outcome": "succeeded", "handled_by": "-"}
            _note(timeline, "sync", i, t + run_s, "200 with the function's result")
        if i < DETAIL_LIMIT:
            calls.append(call)
    n = params.requests
    return {"succeeded": counts["ok"], "function_errors": counts["function_error"], "throttled": counts["throttled"],
            "errors_seen_by_caller": counts["function_error"] + counts["throttled"],
            "retried_by_lambda": 0, "mean_wait_ms": round(waited / n * 1000, 3), "calls": calls}


# --- async ----------------------------------------------------------------------------------


def _async(params: Params, sent: list[float], first: list[float], r, timeline: list) -> dict:
    run_s, timed_out = _run_time(params)
    engine = Engine()
    waits = ASYNC_RETRY_WAITS_S[:params.max_retries]
    max_age = float(params.max_event_age_s)
    counts = {"succeeded": 0, "on_failure": 0, "runs": 0, "throttle_retries": 0, "error_retries": 0}
    finish_times: list[float] = []
    events: dict[int, dict] = {}
    reasons: dict[str, int] = {}

    def arrive(i: int) -> None:
        if i < DETAIL_LIMIT:
            events[i] = {"request": i + 1, "sent_s": round(engine.now, 3), "status": 202, "waited_ms": 0,
                         "runs": 0, "throttle_retries": 0, "steps": []}
        _note(timeline, "async", i, engine.now, "202 at once; the event waits in Lambda's queue")
        attempt(i, engine.now, 1, 0)

    def step(i: int, what: str) -> None:
        if i < DETAIL_LIMIT:
            events[i]["steps"].append({"t": round(engine.now, 3), "what": what})
        _note(timeline, "async", i, engine.now, what)

    def attempt(i: int, t0: float, n: int, throttles: int) -> None:
        now = engine.now
        if _throttled(params, now):
            counts["throttle_retries"] += 1
            throttles += 1
            if i < DETAIL_LIMIT:
                events[i]["throttle_retries"] = throttles
            delay = min(THROTTLE_BACKOFF_START_S * 2.0 ** min(throttles - 1, 30), THROTTLE_BACKOFF_MAX_S)
            if now + delay - t0 > max_age:
                step(i, "throttled; the event is now older than the maximum event age")
                fail(i, t0, n - 1, "EventAgeExceeded", max(now, t0 + max_age))
                return
            step(i, f"throttled (429 inside Lambda); back to the queue, retry in {delay:g} s")
            engine.at(now + delay, attempt, i, t0, n, throttles)
            return
        counts["runs"] += 1
        if i < DETAIL_LIMIT:
            events[i]["runs"] = n
        u = first[i] if n == 1 else r.random()
        failed = timed_out or u < params.function_error
        engine.at(now + run_s, finished, i, t0, n, throttles, failed)

    def finished(i: int, t0: float, n: int, throttles: int, failed: bool) -> None:
        now = engine.now
        if not failed:
            counts["succeeded"] += 1
            finish_times.append(now - t0)
            step(i, f"run {n} succeeded (an on-success destination, if set, gets the record)")
            if i < DETAIL_LIMIT:
                events[i]["outcome"] = "succeeded"
                events[i]["done_s"] = round(now, 3)
            return
        what = "timed out" if timed_out else "function error"
        if n <= len(waits):
            retry_at = now + waits[n - 1]
            if retry_at - t0 > max_age:
                step(i, f"run {n}: {what}; the retry would be past the maximum event age")
                fail(i, t0, n, "EventAgeExceeded", max(now, t0 + max_age))
                return
            counts["error_retries"] += 1
            step(i, f"run {n}: {what}; Lambda retries in {waits[n - 1]:g} s")
            engine.at(retry_at, attempt, i, t0, n + 1, throttles)
            return
        step(i, f"run {n}: {what}; no retries left")
        fail(i, t0, n, "RetriesExhausted", now)

    def fail(i: int, t0: float, n: int, condition: str, when: float) -> None:
        counts["on_failure"] += 1
        reasons[condition] = reasons.get(condition, 0) + 1
        finish_times.append(when - t0)
        if i < DETAIL_LIMIT:
            events[i]["steps"].append({"t": round(when, 3),
                                       "what": f"{condition}: to the on-failure destination or DLQ"})
            events[i]["outcome"] = "on-failure destination"
            events[i]["condition"] = condition
            events[i]["done_s"] = round(when, 3)
        _note(timeline, "async", i, when, f"{condition}: to the on-failure destination or DLQ")

    for i, t in enumerate(sent):
        engine.at(t, arrive, i)
    engine.run()
    n = params.requests
    return {"accepted": n, "succeeded": counts["succeeded"], "to_on_failure": counts["on_failure"],
            "on_failure_reasons": reasons, "errors_seen_by_caller": 0, "mean_wait_ms": 0.0,
            "function_runs": counts["runs"], "mean_runs": round(counts["runs"] / n, 6),
            "retried_by_lambda": counts["error_retries"] + counts["throttle_retries"],
            "error_retries": counts["error_retries"], "throttle_retries": counts["throttle_retries"],
            "mean_time_to_outcome_s": round(sum(finish_times) / n, 3),
            "max_time_to_outcome_s": round(max(finish_times), 3),
            "events": [events[i] for i in sorted(events)]}


# --- poll-based (SQS event source mapping) ----------------------------------------------------


def _esm(params: Params, sent: list[float], first: list[float], r, timeline: list) -> dict:
    """The queue, its redrive policy and the pollers are the shared SQS model (sims/sqs.py), the same
    as in `simulate concurrency` and `simulate retries --source sqs`; this path only says what the
    function does with a batch and keeps the story of the first requests."""
    run_s, timed_out = _run_time(params)
    engine = Engine()
    vt = float(params.visibility_timeout_s)
    state = {"succeeded": 0}
    batches: list[dict] = []
    finish_times: list[float] = []

    def invoke(batch: sqs.Batch) -> bool:
        now = engine.now
        if batch.tag is None:
            batch.tag = {"batch": queue.batches, "read_s": round(now, 3),
                         "messages": [m.i + 1 for m in batch.messages],
                         "receive": [m.receives for m in batch.messages], "invokes": []}
            if len(batches) < DETAIL_LIMIT:
                batches.append(batch.tag)
        if _throttled(params, now):
            batch.tag["invokes"].append({"t": round(now, 3), "result": "throttled (429)"})
            for m in batch.messages:
                _note(timeline, "esm", m.i, now, "poller's synchronous invoke throttled (429); it backs off")
            return False
        failed = timed_out or any((first[m.i] if m.receives == 1 else r.random()) < params.function_error
                                  for m in batch.messages)
        engine.at(now + run_s, finished, batch, failed)
        return True

    def throttled(batch: sqs.Batch, retry_at: float | None) -> None:
        if retry_at is None:
            batch.tag["result"] = "visibility timeout expired while throttled: back to the queue"

    def finished(batch: sqs.Batch, failed: bool) -> None:
        now, info = engine.now, batch.tag
        if failed:
            info["invokes"].append({"t": round(now, 3), "result": "function error"})
            info["result"] = f"error: the whole batch is visible again after {vt:g} s"
            for m in batch.messages:
                _note(timeline, "esm", m.i, now, "batch failed (function error); visible again after the "
                                                 "visibility timeout")
        else:
            info["invokes"].append({"t": round(now, 3), "result": "200 OK"})
            info["result"] = "succeeded: the poller deletes them"
            for m in batch.messages:
                state["succeeded"] += 1
                finish_times.append(now - m.sent)
                _note(timeline, "esm", m.i, now, f"processed in a batch of {len(batch.messages)}; "
                                                 "deleted from the queue")
        queue.finished(batch, batch.messages if failed else (), error=failed)

    def dead_letter(m: sqs.Message) -> None:
        finish_times.append(engine.now - m.sent)
        _note(timeline, "esm", m.i, engine.now, f"ReceiveCount {m.receives}: SQS moves it to the queue's DLQ")

    def send(m: sqs.Message) -> None:
        _note(timeline, "esm", m.i, engine.now, "message sent to the queue")
        queue.send([m])

    queue = sqs.Mapping(engine, batch_size=params.batch_size, visibility_timeout_s=vt,
                        max_receive_count=params.max_receive_count, run_s=run_s, invoke=invoke,
                        on_dead_letter=dead_letter, on_throttled=throttled)
    for i, t in enumerate(sent):
        engine.at(t, send, sqs.Message(i, t))
    engine.run()
    n = params.requests
    return {"messages": n, "succeeded": state["succeeded"], "to_dlq": queue.dead_lettered, "batches": queue.batches,
            "failed_batches": queue.failed_batches, "invokes": queue.invokes,
            "throttled_invokes": queue.throttled_invokes, "errors_seen_by_caller": 0,
            "peak_pollers": queue.pollers.peak,
            "mean_time_to_outcome_s": round(sum(finish_times) / n, 3),
            "max_time_to_outcome_s": round(max(finish_times), 3), "batch_log": batches}
