"""Retries through Lambda's internal queue (asynchronous invocation)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lambda_prep.sims.common import check_range, rng
from lambda_prep.sims.engine import Engine
from lambda_prep.sims.retries.common import (
    ASYNC_MAX_EVENT_AGE_S, ASYNC_RETRY_WAITS_S, FUNCTION_ARN, CommonParams, Result, TRACE_LIMIT, _Progress,
    _arrivals, _pick_examples, _request_id, _stamp, _steps_rounded,
)


@dataclass(frozen=True)
class Params(CommonParams):
    """Asynchronous invocation: Lambda's own queue, its retries and the event age."""

    source: str = field(default="async", init=False)
    max_retries: int = 2  # MaximumRetryAttempts
    max_event_age_s: int = ASYNC_MAX_EVENT_AGE_S  # MaximumEventAgeInSeconds

    def validate(self) -> None:
        super().validate()
        check_range("max_retries", self.max_retries, 0, 2,
                    why="asynchronous invocation allows 0-2 retries: MaximumRetryAttempts, default 2")
        check_range("max_event_age_s", self.max_event_age_s, 60, 21_600,
                    why="MaximumEventAgeInSeconds is 60 s to 6 h, default 6 h")


def run(prm: Params, seed, progress) -> Result:
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
