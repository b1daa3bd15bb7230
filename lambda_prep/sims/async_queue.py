"""The async event queue under throttling: events wait, age, retry with backoff, expire.

An asynchronous invoke (S3, SNS, EventBridge, InvocationType=Event) puts the event in Lambda's own
queue and the caller gets 202 at once. Lambda's pollers then invoke the function. When the function
has no concurrency left the invoke is throttled (429): Lambda returns the event to the queue and
tries again, the interval growing from 1 s to at most 5 min, for up to MaximumEventAgeInSeconds
(default and maximum 6 h). A function error is retried separately (MaximumRetryAttempts, 0-2,
about 1 min then 2 min later). An event past its maximum age, or out of retries, is dropped
(AsyncEventsDropped), after going to the on-failure destination or DLQ if one is configured.

Model choices (labelled in the assumptions): Poisson arrivals at a constant rate for a window;
fixed handler duration; the throttle backoff doubles from 1 s to the 5-min cap (AWS documents only
the ends); the queue is read at once (no poller delay) and AWS's unquantified slower reading of a
long queue is left out; an event whose next try would come after its maximum age is dropped when
it reaches that age.

Closed forms the tests check: one throttled event retried at 1, 2, 4 ... s after its first try has
its n-th retry at 2^n - 1 s; with ample concurrency nothing is throttled and
P(dropped) = p^(retries + 1); reserved concurrency 0 drops every event at once, with no retries.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Callable

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_range, envelope, percentile, rng

NAME = "async-queue"
ON_FAILURE = C.ON_FAILURE
BUCKETS = 40  # points on the metric charts
BACKOFF_FIRST_S, BACKOFF_MAX_S = F.ASYNC_THROTTLE_BACKOFF_S.value
ERROR_WAITS_S = F.ASYNC_RETRY_WAITS_S.value
DEMO_MAX_EVENT_AGE_S = 600  # the demo's value, so that something ages out in a short run

SOURCES = (F.ASYNC_ERRORS_URL, F.ASYNC_RETAIN_URL, F.METRICS_URL, F.CONCURRENCY_URL)


@dataclass(frozen=True)
class Params:
    arrival_rate: float = 20.0  # events per second while traffic lasts (model choice)
    traffic_s: float = 300.0  # how long events keep arriving (model choice)
    concurrency_limit: int = 10  # the function's reserved concurrency (its cap)
    duration_ms: float = 1000.0  # handler time per invocation (model choice)
    failure_rate: float = 0.0  # probability that one attempt fails with a function error
    max_retries: int = int(F.ASYNC_MAX_RETRIES.value)
    max_event_age_s: int = DEMO_MAX_EVENT_AGE_S
    on_failure: str = "destination"

    def __post_init__(self) -> None:
        check_range("arrival_rate", self.arrival_rate, 0.01, 1_000, why="events per second")
        check_range("traffic_s", self.traffic_s, 1, 3_600, why="seconds of traffic; model limit 1 h")
        if self.arrival_rate * self.traffic_s > 200_000:
            raise ParamError(f"--arrival-rate x --traffic-s must be at most 200,000 events (model limit), "
                             f"got {self.arrival_rate * self.traffic_s:,.0f}")
        check_range("concurrency_limit", self.concurrency_limit, 0, 900,
                    why="reserved concurrency: at most the account's 1,000 minus the 100 kept unreserved; "
                        "0 throttles everything")
        check_range("duration_ms", self.duration_ms, 1, 900_000, why="handler time, up to the 900 s timeout")
        check_range("failure_rate", self.failure_rate, 0, 1, why="a probability per attempt")
        check_range("max_retries", self.max_retries, 0, int(F.ASYNC_MAX_RETRIES.value),
                    why="MaximumRetryAttempts is 0-2, default 2")
        check_range("max_event_age_s", self.max_event_age_s, 60, int(F.ASYNC_MAX_EVENT_AGE_S.value),
                    why="MaximumEventAgeInSeconds is 60 s to 6 h, default 6 h")
        if self.on_failure not in ON_FAILURE:
            raise ParamError(f"--on-failure must be one of {', '.join(ON_FAILURE)}, got {self.on_failure!r}")


def throttle_backoff_s(throttles: int) -> float:
    """Wait before the next try after the `throttles`-th throttle: 1, 2, 4 ... capped at 300 s."""
    return min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** (throttles - 1))


@dataclass
class Result:
    params: Params
    received: int
    succeeded: int
    dropped_age: int  # EventAgeExceeded
    dropped_retries: int  # RetriesExhausted (function errors)
    dropped_no_concurrency: int  # reserved concurrency 0: no retries at all
    throttles: int
    function_errors: int
    invocations: int
    ages_at_invoke: list[float]  # AsyncEventAge of every invocation, sorted
    series: list[dict]  # per bucket: received, invoked, throttled, dropped, waiting (the most at once), max age
    bucket_s: float
    sim_end_s: float
    examples: list[dict] = field(default_factory=list)

    @property
    def dropped(self) -> int:
        return self.dropped_age + self.dropped_retries + self.dropped_no_concurrency

    @property
    def capacity_per_s(self) -> float:
        return self.params.concurrency_limit / (self.params.duration_ms / 1000)

    def assumptions(self) -> list[str]:
        prm = self.params
        out = [
            f"Events arrive at random (Poisson) at {prm.arrival_rate:g}/s for {prm.traffic_s:g} s; each run "
            f"takes {prm.duration_ms:g} ms.",
            f"A throttled event is retried after 1 s, then 2, 4, 8 ... s, capped at {BACKOFF_MAX_S:g} s: AWS "
            "documents the 1 s start and the 5-min cap, the doubling is the model's.",
            "Lambda's slower reading of a long queue is left out (AWS gives no figures), so ages here are a "
            "lower bound for a very long backlog.",
            "An event whose next try would come after its maximum age is dropped when it reaches that age.",
            "Duplicates from the eventually consistent queue are not modelled.",
        ]
        if prm.max_event_age_s != F.ASYNC_MAX_EVENT_AGE_S.value:
            out.append(f"Maximum event age {prm.max_event_age_s:,} s is this run's setting; AWS's default is "
                       f"{int(F.ASYNC_MAX_EVENT_AGE_S.value):,} s (6 h).")
        return out

    def theory(self) -> dict:
        prm = self.params
        n = prm.max_retries + 1
        p = prm.failure_rate
        offered = prm.arrival_rate
        return {
            "capacity_per_s": round(self.capacity_per_s, 6),
            "offered_per_s": offered,
            "overloaded": offered > self.capacity_per_s,
            "excess_events": max(0.0, round((offered - self.capacity_per_s) * prm.traffic_s, 3)),
            "dropped_ratio_if_no_throttling": p ** n,
        }

    def to_json(self) -> dict:
        ages = self.ages_at_invoke
        results = {
            "received": self.received,
            "succeeded": self.succeeded,
            "dropped": self.dropped,
            "dropped_by_reason": {"EventAgeExceeded": self.dropped_age, "RetriesExhausted": self.dropped_retries,
                                  "ReservedConcurrencyZero": self.dropped_no_concurrency},
            "sent_to": self.params.on_failure if self.dropped else None,
            "lost": self.dropped if self.params.on_failure == "none" else 0,
            "throttles": self.throttles,
            "function_errors": self.function_errors,
            "invocations": self.invocations,
            "async_event_age_s": {"p50": round(percentile(ages, 50), 3), "p99": round(percentile(ages, 99), 3),
                                  "max": round(ages[-1], 3) if ages else 0.0},
            "theory": self.theory(),
            "bucket_s": round(self.bucket_s, 3),
            "series": self.series,
            "examples": self.examples,
            "simulated_s": round(self.sim_end_s, 3),
        }
        return envelope(NAME, self.params, self.assumptions(), SOURCES, results)


def total_steps(params: Params) -> int:
    """About how many events a run handles (the CLI shows a progress bar for big runs)."""
    return int(params.arrival_rate * params.traffic_s)


def _telling(stories: dict[int, list]) -> list[int]:
    """The first event served at once, the most-throttled one served, and the first one dropped."""
    chosen: list[int] = []
    kinds = {i: [k for _, k, _ in steps] for i, steps in stories.items()}
    at_once = [i for i, k in kinds.items() if "throttled" not in k and "dropped" not in k]
    served_late = [i for i, k in kinds.items() if "throttled" in k and "dropped" not in k]
    dropped = [i for i, k in kinds.items() if "dropped" in k]
    if at_once:
        chosen.append(min(at_once))
    if served_late:
        chosen.append(max(served_late, key=lambda i: (kinds[i].count("throttled"), -i)))
    if dropped:
        chosen.append(min(dropped))
    return sorted(chosen)


def run(params: Params, seed: int | None = 1, progress: Callable[[int], None] | None = None, *,
        arrivals: list[float] | None = None) -> Result:
    """Simulate; `arrivals` (times in s) replaces the Poisson traffic, for hand-computed cases."""
    r = rng(seed)
    prm = params
    run_s = prm.duration_ms / 1000
    max_age = float(prm.max_event_age_s)
    # one heap of (time, seq, kind, event); kinds: 0 arrive/try, 1 finish
    heap: list = []
    seq = 0
    if arrivals is None:
        arrivals, t = [], 0.0
        while True:
            t += r.expovariate(prm.arrival_rate)
            if t > prm.traffic_s:
                break
            arrivals.append(t)
    arrivals = sorted(arrivals)
    for i, at in enumerate(arrivals):
        heap.append((at, seq, 0, i))
        seq += 1
    heapq.heapify(heap)
    born = arrivals
    throttled = [0] * len(born)  # throttles so far, per event
    attempts = [0] * len(born)  # function attempts so far
    busy = 0
    counters = {"ok": 0, "age": 0, "retries": 0, "zero": 0, "throttles": 0, "errors": 0, "invocations": 0}
    ages: list[float] = []
    horizon = prm.traffic_s + max_age + run_s * 3 + sum(ERROR_WAITS_S) + 1
    bucket = horizon / BUCKETS
    rows = [{"t": round(k * bucket, 3), "received": 0, "invoked": 0, "throttled": 0, "dropped": 0,
             "waiting": 0, "max_age_s": 0.0, "busy": 0} for k in range(BUCKETS)]
    waiting_delta = [0] * (BUCKETS + 1)  # +1 when an event enters the queue, -1 when it leaves it
    queued = [0]  # events in the queue now: a bar's peak can be far above its value at the bar's end
    # a sample of events keep their step-by-step story; three telling ones are shown
    stories: dict[int, list] = {i: [] for i in range(0, len(born), max(1, len(born) // 400))}
    done = [0]  # events that reached their end (ran or dropped), for the progress bar

    def finished() -> None:
        done[0] += 1
        if progress is not None and done[0] % 1_000 == 0:
            progress(1_000)

    def slot(time: float) -> int:
        return min(BUCKETS - 1, int(time / bucket))

    def enter_queue(time: float) -> None:
        k = slot(time)
        waiting_delta[k] += 1
        queued[0] += 1
        rows[k]["waiting"] = max(rows[k]["waiting"], queued[0])

    def leave_queue(time: float) -> None:
        waiting_delta[slot(time)] -= 1
        queued[0] -= 1

    def drop(i: int, when: float, reason: str) -> None:
        finished()
        counters[reason] += 1
        rows[slot(when)]["dropped"] += 1
        leave_queue(when)
        if i in stories:
            stories[i].append((when, "dropped", {"age": "maximum event age reached",
                                                 "retries": "function error, no retries left",
                                                 "zero": "reserved concurrency 0: no retries"}[reason]))

    while heap:
        now, _, kind, i = heapq.heappop(heap)
        if kind == 1:  # an invocation ends
            busy -= 1
            fail = r.random() < prm.failure_rate
            if not fail:
                finished()
                counters["ok"] += 1
                if i in stories:
                    stories[i].append((now, "ok", f"attempt {attempts[i]} succeeded"))
                continue
            counters["errors"] += 1
            if attempts[i] > prm.max_retries:
                if i in stories:
                    stories[i].append((now, "error", f"attempt {attempts[i]} failed"))
                enter_queue(now)
                drop(i, now, "retries")
                continue
            retry_at = now + ERROR_WAITS_S[attempts[i] - 1]
            enter_queue(now)
            if retry_at - born[i] > max_age:
                drop(i, max(now, born[i] + max_age), "age")
            else:
                if i in stories:
                    stories[i].append((now, "error", f"attempt {attempts[i]} failed; retry in "
                                                     f"{ERROR_WAITS_S[attempts[i] - 1]:g} s"))
                heapq.heappush(heap, (retry_at, seq, 0, i))
                seq += 1
            continue
        # kind 0: the event is taken from the queue and Lambda tries to invoke
        if attempts[i] == 0 and throttled[i] == 0:
            rows[slot(now)]["received"] += 1
            enter_queue(now)
            if i in stories:
                stories[i].append((now, "queued", "queued; the caller already has 202"))
        if prm.concurrency_limit == 0:
            drop(i, now, "zero")
            continue
        if busy >= prm.concurrency_limit:
            counters["throttles"] += 1
            throttled[i] += 1
            rows[slot(now)]["throttled"] += 1
            wait = throttle_backoff_s(throttled[i])
            if now + wait - born[i] > max_age:
                if i in stories:
                    stories[i].append((now, "throttled", f"throttled (429); a retry in {wait:g} s would pass "
                                                         "the maximum event age"))
                drop(i, born[i] + max_age, "age")
            else:
                if i in stories:
                    stories[i].append((now, "throttled", f"throttled (429); back in the queue for {wait:g} s"))
                heapq.heappush(heap, (now + wait, seq, 0, i))
                seq += 1
            continue
        busy += 1
        attempts[i] += 1
        counters["invocations"] += 1
        age = now - born[i]
        ages.append(age)
        row = rows[slot(now)]
        row["invoked"] += 1
        row["max_age_s"] = max(row["max_age_s"], round(age, 3))
        row["busy"] = max(row["busy"], busy)
        leave_queue(now)
        if i in stories:
            stories[i].append((now, "invoked", f"invoked (attempt {attempts[i]}), AsyncEventAge {age:.1f} s"))
        heapq.heappush(heap, (now + run_s, seq, 1, i))
        seq += 1
    if progress is not None and done[0] % 1_000:
        progress(done[0] % 1_000)

    waiting = 0
    for k, row in enumerate(rows):
        waiting += waiting_delta[k]
        row["waiting"] = max(row["waiting"], waiting)  # the most at once in the bar
    # the clock ran to the latest possible drop; show the run up to its last activity (and one quiet bar)
    active = [k for k, row in enumerate(rows) if row["received"] or row["invoked"] or row["dropped"]
              or row["throttled"] or row["waiting"]]
    rows = rows[:min(BUCKETS, (active[-1] + 2) if active else 1)]
    ages.sort()
    examples = [{"id": i + 1, "arrived_s": round(born[i], 3),
                 "steps": [{"t": round(t, 3), "kind": k, "what": w} for t, k, w in stories[i]]}
                for i in _telling(stories)]
    return Result(params=prm, received=len(born), succeeded=counters["ok"], dropped_age=counters["age"],
                  dropped_retries=counters["retries"], dropped_no_concurrency=counters["zero"],
                  throttles=counters["throttles"], function_errors=counters["errors"],
                  invocations=counters["invocations"], ages_at_invoke=ages, series=rows, bucket_s=bucket,
                  sim_end_s=horizon, examples=examples)
