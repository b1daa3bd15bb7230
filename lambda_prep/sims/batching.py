"""batching: an SQS event source mapping gathers messages into batches and invokes the function.

Standard queue: a batch opens when the first (filter-matching) message is waiting and an
invocation slot is free; it closes when the batch size is reached, the 6 MB payload is reached,
or the batching window has passed since it opened, whichever comes first (AWS: "until one of
these is true"). FIFO queue: no batching window; a message group with a batch in flight waits,
so concurrency is at most the number of active message groups. Every record's latency is the
time from its arrival to the end of the invocation that processed it.

Pure: params + seed -> Result. Validated against a hand-counted steady stream and, for Poisson
arrivals, against E[batch] = E[min(1 + Poisson(rate x window), batch size)].
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import asdict, dataclass, field

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_choice, check_range, envelope, percentile, rng
from lambda_prep.sims.engine import Engine

QUEUES = C.SQS_QUEUES
PATTERNS = C.SPACINGS
PAYLOAD_LIMIT_KB = F.ESM_BATCH_PAYLOAD_MB.value * 1024  # 6 MB, as the batch payload ceiling
EPSILON_S = 1e-9  # an arrival exactly at the window's end still makes the batch
LADDER = ((10, 0), (10, 1), (100, 5), (1_000, 20))  # (batch size, window s) rows of the comparison
FIFO_GROUPS_LADDER = (1, 5, 20)

ASSUMPTIONS = (
    "one batch gathers at a time (a single poller); AWS runs 5 or more pollers in parallel, which "
    "at high traffic splits the stream into more, smaller batches",
    "with no batching window a batch takes only the messages already waiting (a long poll "
    "returns at once); AWS may still return several messages to one receive",
    "the poller ramp (5 batches, then up to 300 more per minute) is not modelled: batches start "
    "as soon as a slot under the maximum concurrency is free",
    "handler time = a fixed part + a per-record part (illustrative, not AWS figures); no errors",
    "each message matches the event filter independently with the given probability; "
    "FIFO messages pick one of the message groups uniformly at random",
)
SOURCES = (
    F.SQS_BATCH_SIZE_DEFAULT.source,
    F.BATCHING_WINDOW_DEFAULT_S.source,
    F.SQS_MAX_BATCHES.source,
    F.FILTERS_PER_ESM.source,
    F.ESM_AT_LEAST_ONCE.source,
    F.PRICING_URL,
)


@dataclass(frozen=True)
class Params:
    queue: str = "standard"
    messages: int = 6_000
    arrival_rate: float = 20.0  # messages per second; 0 = all waiting at t = 0 (a backlog)
    pattern: str = "poisson"
    batch_size: int = F.SQS_BATCH_SIZE_DEFAULT.value
    batching_window_s: int = F.BATCHING_WINDOW_DEFAULT_S.value
    filter_match: float = 1.0  # share of messages the event filter lets through
    message_groups: int = 10  # FIFO only
    max_concurrency: int | None = None  # ScalingConfig.MaximumConcurrency; None: not set
    base_ms: float = 40.0  # handler time per invocation
    per_record_ms: float = 5.0  # handler time per record in the batch
    record_kb: float = 1.0
    memory_mb: int = 128
    architecture: str = "x86_64"
    compare: bool = True

    def __post_init__(self) -> None:
        check_choice("queue", self.queue, QUEUES)
        check_choice("pattern", self.pattern, PATTERNS)
        check_range("messages", self.messages, 1, 1_000_000)
        # 0 is a backlog; a positive rate below 0.001/s (one message in 17 minutes) only overflows the clock
        check_range("arrival_rate", self.arrival_rate, 0.001, 100_000, or_value=0,
                    why="messages per second; 0 puts every message in the queue at the start")
        check_range("filter_match", self.filter_match, 0, 1, why="the share of messages the filter keeps")
        check_range("base_ms", self.base_ms, 0, F.MAX_TIMEOUT_S.value * 1000)
        check_range("per_record_ms", self.per_record_ms, 0, 60_000)
        check_range("record_kb", self.record_kb, 0.001, 1024, why="an SQS message is at most 1 MiB")
        check_range("memory_mb", self.memory_mb, 128, 10_240, why="Lambda memory is 128 MB to 10,240 MB")
        check_choice("architecture", self.architecture, F.ARCHITECTURES)
        if self.max_concurrency is not None:
            check_range("max_concurrency", self.max_concurrency, 2, 1_000,
                        why="ScalingConfig.MaximumConcurrency is 2 to 1,000")
        if self.queue == "fifo":
            check_range("batch_size", self.batch_size, 1, F.SQS_BATCH_SIZE_MAX_FIFO.value,
                        why="a FIFO queue's batch size is at most 10")
            if self.batching_window_s:
                raise ParamError(f"--batching-window-s must be 0 for a FIFO queue, got {self.batching_window_s} "
                                 "(batching windows are not supported for FIFO queues)")
            check_range("message_groups", self.message_groups, 1, 100_000)
        else:
            check_range("batch_size", self.batch_size, 1, F.SQS_BATCH_SIZE_MAX_STANDARD.value,
                        why="a standard queue's batch size is 1 to 10,000")
            check_range("batching_window_s", self.batching_window_s, 0, F.BATCHING_WINDOW_MAX_S.value,
                        why="MaximumBatchingWindowInSeconds is 0 to 300 s")
            if self.batch_size > 10 and self.batching_window_s < 1:
                raise ParamError(f"--batch-size {self.batch_size} needs --batching-window-s of at least 1 "
                                 "(AWS: a batch size above 10 requires a batching window of at least 1 s)")

    @property
    def concurrency_cap(self) -> int:
        return self.max_concurrency or F.SQS_MAX_BATCHES.value

    @property
    def records_per_payload(self) -> int:
        return max(1, int(PAYLOAD_LIMIT_KB // self.record_kb))

    @property
    def effective_batch(self) -> int:
        return min(self.batch_size, self.records_per_payload)


@dataclass
class Run:
    """One replay of the traffic under one configuration."""

    label: str
    batch_size: int
    batching_window_s: int
    message_groups: int
    invocations: int
    records: int
    mean_batch: float
    latency_ms: dict
    peak_concurrency: int
    billed_ms: int
    cost_usd: float
    cost_per_million_messages_usd: float

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Result:
    params: Params
    messages: int
    filtered_out: int
    run: Run
    theory: dict | None
    comparison: list = field(default_factory=list)
    example_batches: list = field(default_factory=list)

    def to_json(self) -> dict:
        params = {**asdict(self.params), "concurrency_cap": self.params.concurrency_cap}
        return envelope("batching", params, ASSUMPTIONS, SOURCES, {
            "messages": self.messages,
            "filtered_out": self.filtered_out,
            "run": self.run.to_json(),
            "theory": self.theory,
            "comparison": [r.to_json() for r in self.comparison],
            "example_batches": self.example_batches,
        })


# --- traffic --------------------------------------------------------------------------------------

def traffic(params: Params, seed: int) -> tuple[list[float], list[int], int]:
    """(arrival times of the messages the filter keeps, their groups, how many were filtered out)."""
    # three generators, so changing the groups or the filter keeps the same arrival times
    gen, pick, keep = rng(seed), rng(seed + 1), rng(seed + 2)
    times, groups, dropped, t = [], [], 0, 0.0
    for i in range(params.messages):
        if params.arrival_rate > 0:
            t = gen.expovariate(params.arrival_rate) + t if params.pattern == "poisson" else i / params.arrival_rate
        group = pick.randrange(params.message_groups)
        if params.filter_match < 1.0 and keep.random() >= params.filter_match:
            dropped += 1
            continue
        times.append(t)
        groups.append(group)
    return times, groups, dropped


# --- standard queue: batches by size, payload and window ------------------------------------------

def standard_batches(times: list[float], batch: int, window_s: float, cap: int, duration_s):
    """Yield (open, close, start, end, first index, count) for each batch, in order."""
    free = [0.0] * min(cap, max(1, len(times)))  # when each invocation slot is next free
    heapq.heapify(free)
    i, n, last_close = 0, len(times), 0.0
    while i < n:
        open_at = max(times[i], last_close, free[0])
        # every message already waiting joins at once, up to the batch size
        j = i
        while j < n and j - i < batch and times[j] <= open_at:
            j += 1
        close = open_at
        if j - i < batch and window_s > 0:
            deadline = open_at + window_s + EPSILON_S
            while j < n and j - i < batch and times[j] <= deadline:
                j += 1
            close = times[j - 1] if j - i == batch else open_at + window_s
        count = j - i
        heapq.heappop(free)
        end = close + duration_s(count)
        heapq.heappush(free, end)
        yield open_at, close, close, end, i, count
        i, last_close = j, close


# --- FIFO queue: one batch in flight per message group ----------------------------------------------

def fifo_batches(times: list[float], groups: list[int], batch: int, cap: int, duration_s):
    """Yield (open, close, start, end, indices) for each batch, in start order."""
    engine = Engine()
    waiting: dict[int, deque] = {}
    busy: set[int] = set()
    heads: list[tuple[float, int, int]] = []  # (arrival, index, group) of free groups' oldest messages
    running = [0]
    out = []

    def push_head(group: int) -> None:
        queue = waiting.get(group)
        if queue and group not in busy:
            first = queue[0]
            heapq.heappush(heads, (times[first], first, group))

    def dispatch() -> None:
        while running[0] < cap and heads:
            _, first, group = heapq.heappop(heads)
            queue = waiting.get(group)
            if group in busy or not queue or queue[0] != first:
                continue  # a stale head
            taken, used = [], []
            # as many as possible from the oldest group, then other free groups (SQS FIFO receive)
            for g in [group]:
                while queue and len(taken) < batch:
                    taken.append(queue.popleft())
                used.append(g)
            while len(taken) < batch and heads:
                _, other_first, other = heads[0]
                other_queue = waiting.get(other)
                if other in busy or other in used or not other_queue or other_queue[0] != other_first:
                    heapq.heappop(heads)
                    continue
                heapq.heappop(heads)
                while other_queue and len(taken) < batch:
                    taken.append(other_queue.popleft())
                used.append(other)
            for g in used:
                busy.add(g)
            running[0] += 1
            now = engine.now
            end = now + duration_s(len(taken))
            out.append((now, now, now, end, sorted(taken)))
            engine.at(end, finish, used)

    def finish(used: list[int]) -> None:
        running[0] -= 1
        for g in used:
            busy.discard(g)
            push_head(g)
        dispatch()

    def arrive(index: int) -> None:
        group = groups[index]
        queue = waiting.setdefault(group, deque())
        queue.append(index)
        if len(queue) == 1:
            push_head(group)
        dispatch()

    for index, t in enumerate(times):
        engine.at(t, arrive, index)
    engine.run()
    out.sort(key=lambda b: b[2])
    return out


# --- running --------------------------------------------------------------------------------------

def _duration(params: Params):
    return lambda count: (params.base_ms + params.per_record_ms * count) / 1000.0


def replay(params: Params, times: list[float], groups: list[int], *, label: str, examples: list | None = None) -> Run:
    duration_s = _duration(params)
    latencies: list[float] = []
    billed_ms = 0
    invocations = 0
    events: list[tuple[float, int]] = []
    if params.queue == "fifo":
        for open_at, close, start, end, taken in fifo_batches(times, groups, params.effective_batch,
                                                              params.concurrency_cap, duration_s):
            invocations += 1
            billed_ms += math.ceil((end - start) * 1000 - 1e-6)
            latencies.extend(end - times[k] for k in taken)
            events += [(start, 1), (end, -1)]
            if examples is not None and len(examples) < 8:
                examples.append({"open_s": round(open_at, 3), "close_s": round(close, 3), "end_s": round(end, 3),
                                 "records": len(taken), "groups": sorted({groups[k] for k in taken})})
    else:
        for open_at, close, start, end, first, count in standard_batches(
                times, params.effective_batch, params.batching_window_s, params.concurrency_cap, duration_s):
            invocations += 1
            billed_ms += math.ceil((end - start) * 1000 - 1e-6)
            latencies.extend(end - times[k] for k in range(first, first + count))
            events += [(start, 1), (end, -1)]
            if examples is not None and len(examples) < 8:
                examples.append({"open_s": round(open_at, 3), "close_s": round(close, 3), "end_s": round(end, 3),
                                 "records": count,
                                 "closed_by": _closed_by(params, count, open_at, close)})
    events.sort(key=lambda e: (e[0], e[1]))
    level = peak = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    latencies.sort()
    records = len(times)
    gb_s = billed_ms / 1000.0 * params.memory_mb / 1024.0
    cost = F.request_cost(invocations) + F.duration_cost(gb_s, params.architecture)
    return Run(
        label=label, batch_size=params.batch_size, batching_window_s=params.batching_window_s,
        message_groups=params.message_groups if params.queue == "fifo" else 0,
        invocations=invocations, records=records,
        mean_batch=round(records / invocations, 4) if invocations else 0.0,
        latency_ms={q: round(percentile(latencies, p) * 1000, 1)
                    for q, p in (("p50", 50), ("p90", 90), ("p99", 99), ("max", 100))},
        peak_concurrency=peak, billed_ms=billed_ms, cost_usd=round(cost, 12),
        cost_per_million_messages_usd=round(cost * 1_000_000 / params.messages, 4))


def _closed_by(params: Params, count: int, open_at: float, close: float) -> str:
    if count >= params.effective_batch:
        return "payload 6 MB" if params.records_per_payload < params.batch_size else "batch size"
    return "window" if params.batching_window_s and close > open_at else "queue empty"


def expected_batch(rate: float, window_s: float, batch: int) -> float:
    """E[min(1 + K, batch)], K ~ Poisson(rate x window): the mean batch for sparse Poisson traffic.

    Exact for one gatherer, no concurrency cap and no backlog: a batch opens at an arrival and
    collects the Poisson arrivals of the next `window_s` seconds, capped at `batch`.
    """
    mean = rate * window_s
    below = [_poisson_pmf(mean, k) for k in range(batch - 1)]  # P(K = k), k = 0 .. batch - 2
    return sum((1 + k) * p for k, p in enumerate(below)) + batch * max(0.0, 1.0 - sum(below))


def _poisson_pmf(mean: float, k: int) -> float:
    if mean <= 0:
        return float(k == 0)
    return math.exp(-mean + k * math.log(mean) - math.lgamma(k + 1))


def run(params: Params, seed: int, progress=None) -> Result:
    times, groups, dropped = traffic(params, seed)
    examples: list = []
    main = replay(params, times, groups, label="your settings", examples=examples)
    if progress:
        progress(params.messages)
    rows = []
    if params.compare:
        if params.queue == "fifo":
            for g in FIFO_GROUPS_LADDER:
                other = Params(**{**asdict(params), "message_groups": g, "compare": False})
                t2, g2, _ = traffic(other, seed)
                rows.append(replay(other, t2, g2, label=f"{g} group{'s' if g > 1 else ''}"))
        else:
            for batch, window in LADDER:
                if (batch, window) == (params.batch_size, params.batching_window_s):
                    continue  # that row is your settings, shown anyway
                other = Params(**{**asdict(params), "batch_size": batch, "batching_window_s": window,
                                  "compare": False})
                rows.append(replay(other, times, groups, label=f"batch {batch:,}, window {window} s"))
    theory = None
    if params.queue == "standard" and params.pattern == "poisson" and params.arrival_rate > 0:
        mean = expected_batch(params.arrival_rate * params.filter_match, params.batching_window_s,
                              params.effective_batch)
        theory = {"mean_batch": round(mean, 4), "invocations": round(len(times) / mean, 1),
                  "note": "E[min(1 + Poisson(rate x window), batch size)]; exact when batches never wait "
                          "for a free slot"}
    return Result(params=params, messages=params.messages, filtered_out=dropped, run=main, theory=theory,
                  comparison=rows, example_batches=examples)


def total_steps(params: Params) -> int:
    return params.messages
