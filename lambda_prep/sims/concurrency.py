"""concurrency: the account limit, reserved concurrency, the scaling rate, throttles, and the SQS trap.

Synchronous traffic meets the environment pool (pool.py): a request that needs a new environment
is throttled (429) when the function is at its concurrency cap (reserved concurrency, else the
account limit, 1,000 by default) or when the per-function scaling rate is spent (a token bucket:
1,000 environments, refilled at 100 per second, F7). Reserving more than the account limit minus
100 is refused, as AWS refuses it.

The SQS panel: a backlog in a standard queue, read by an event source mapping whose pollers start
with 5 concurrent batches and add up to 300 a minute while messages are waiting. Without maximum
concurrency the pollers ignore the function's reserved concurrency: a throttled batch is retried
with backoff until its visibility timeout runs out, then returns to the queue with its receive
count raised, and good messages reach the dead-letter queue after maxReceiveCount receives. With
maximum concurrency on the mapping (the fix, Jan 2023) the pollers stop reading at the cap, and
waiting messages are not received, so their count does not grow.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from lambda_prep.sims import facts as F
from lambda_prep.sims import pool as P
from lambda_prep.sims import sqs
from lambda_prep.sims.common import ParamError, check_choice, check_range, envelope, erlang_b
from lambda_prep.sims.engine import Engine

SQS_MAX_BATCHES = int(F.SQS_MAX_BATCHES)
SQS_DEMO_RESERVED = 5  # demo reserved concurrency for the SQS panel when --concurrency-limit is unset

SOURCES = (F.QUOTAS_URL, F.CONCURRENCY_URL, F.SCALING_URL, F.INVOKE_API_URL, F.SQS_SCALING_URL,
           F.SQS_ERRORS_URL, F.SCALING_CONFIG_URL)

ASSUMPTIONS = (
    "one function in the account: without reserved concurrency it may use the whole account limit",
    "the scaling rate is spent only when a new environment starts (token bucket 1,000, +100/s)",
    "the RPS limit (10 x the concurrency cap) is counted in whole seconds; AWS states it per second, not how it "
    "is metered",
    "init time 250 ms and keep-alive 600 s (AWS documents neither)",
    "SQS: all messages are waiting at t = 0",
    sqs.THROTTLE_ASSUMPTION,
    sqs.ASSUMPTION,
    sqs.CEILING_NOTE,
)



@dataclass(frozen=True)
class Params:
    arrival_rate: float = 1200.0
    requests: int = 30_000
    duration_ms: float = 1000.0
    duration_dist: str = "fixed"
    init_ms: float = P.INIT_MS_BY_RUNTIME["python"]
    keep_alive_s: float = 600.0
    account_limit: int = P.ACCOUNT_CONCURRENCY
    concurrency_limit: int | None = None  # reserved concurrency of the function
    sqs: bool = True
    sqs_messages: int = 10_000
    batch_size: int = 10
    visibility_timeout_s: float = 30.0
    max_receive_count: int = 5
    sqs_reserved: int | None = None  # None: --concurrency-limit, else SQS_DEMO_RESERVED
    max_concurrency: int | None = None  # the fix's ScalingConfig.MaximumConcurrency; None: = reserved

    def __post_init__(self) -> None:
        self.validate()

    @property
    def limit(self) -> int:
        return self.account_limit if self.concurrency_limit is None else self.concurrency_limit

    @property
    def max_reserved(self) -> int:
        return self.account_limit - P.UNRESERVED_MINIMUM

    @property
    def effective_sqs_reserved(self) -> int:
        if self.sqs_reserved is not None:
            return self.sqs_reserved
        if self.concurrency_limit is not None:
            return self.concurrency_limit
        return min(SQS_DEMO_RESERVED, max(self.max_reserved, 1))

    @property
    def effective_max_concurrency(self) -> int:
        if self.max_concurrency is not None:
            return self.max_concurrency
        return min(SQS_MAX_BATCHES, max(2, self.effective_sqs_reserved))

    def validate(self) -> None:
        check_range("arrival_rate", self.arrival_rate, 1e-6, 100_000,
                    why="requests per second, Poisson; the model stops at 100,000")
        check_range("requests", self.requests, 1, 10_000_000,
                    why="the number of requests to simulate; the model stops at 10 million")
        check_range("duration_ms", self.duration_ms, 1, P.MAX_TIMEOUT_MS,
                    why="handler time; a function times out after at most 900 s")
        check_choice("duration-dist", self.duration_dist, P.DURATION_DISTS)
        check_range("init_ms", self.init_ms, 0, P.MAX_INIT_MS,
                    why="the INIT phase may last at most 10 s for on-demand functions")
        check_range("keep_alive_s", self.keep_alive_s, 0, 86_400,
                    why="idle seconds before an environment is reclaimed (a model assumption)")
        check_range("account_limit", self.account_limit, 1, 1_000_000,
                    why="concurrent executions per Region: 1,000 by default, raised on request; "
                        "the model stops at 1,000,000")
        if self.concurrency_limit is not None:
            if self.max_reserved < 0:
                raise ParamError(f"--concurrency-limit cannot be set with --account-limit {self.account_limit:,} "
                                 "(reserved concurrency may use at most the account limit minus the 100 "
                                 "that must stay unreserved)")
            check_range("concurrency_limit", self.concurrency_limit, 0, self.max_reserved,
                        why=f"reserved concurrency may use at most the account limit ({self.account_limit:,}) "
                            "minus the 100 that must stay unreserved")
        # The SQS options' ranges are checked even without --sqs: a typo is reported, not ignored.
        check_range("sqs_messages", self.sqs_messages, 1, 100_000,
                    why="messages waiting in the queue; the model stops at 100,000")
        check_range("batch_size", self.batch_size, 1, 10_000,
                    why="SQS event source mapping batch size: 1 to 10,000 for a standard queue")
        check_range("visibility_timeout_s", self.visibility_timeout_s, 0, 43_200,
                    why="SQS visibility timeout: 0 s to 12 h")
        check_range("max_receive_count", self.max_receive_count, 1, 1_000,
                    why="the redrive policy's maxReceiveCount: 1 to 1,000")
        if self.max_concurrency is not None:
            check_range("max_concurrency", self.max_concurrency, 2, SQS_MAX_BATCHES,
                        why="ScalingConfig.MaximumConcurrency of an SQS event source mapping is 2 to 1,000")
        if self.sqs_reserved is not None:
            if self.max_reserved < 1:
                raise ParamError(f"--sqs-reserved cannot be set with --account-limit {self.account_limit:,} "
                                 "(at least 100 must stay unreserved)")
            check_range("sqs_reserved", self.sqs_reserved, 1, self.max_reserved,
                        why="the SQS function's reserved concurrency: at least 1, at most the account "
                            "limit minus the 100 that must stay unreserved")
        if self.sqs:
            if self.visibility_timeout_s * 1000 < self.duration_ms:
                raise ParamError(
                    f"--visibility-timeout-s must be at least the handler time ({self.duration_ms / 1000:g} s), "
                    f"got {self.visibility_timeout_s:g} (Lambda rejects an SQS mapping whose function "
                    "timeout exceeds the queue's visibility timeout; AWS recommends 6x)")


# --- the SQS panel ------------------------------------------------------------------------------

@dataclass
class SqsStats:
    name: str
    messages: int
    processed: int = 0
    dead_lettered: int = 0
    dead_letter_ratio: float = 0.0
    receives: int = 0
    mean_receives: float = 0.0
    throttled_invokes: int = 0
    returned_batches: int = 0
    peak_batches_in_flight: int = 0
    peak_concurrency: int = 0
    drain_s: float = 0.0
    receive_counts: dict = field(default_factory=dict)  # receives a processed message needed -> messages
    samples: list = field(default_factory=list)  # [t, visible, in_flight_batches, busy, dlq, processed]

    def to_json(self) -> dict:
        out = asdict(self)
        out.pop("samples")
        return out


def run_sqs(params: Params, seed: int, *, fixed: bool) -> SqsStats:
    """A backlog of messages drained through the event source mapping (sims/sqs.py), trap
    (fixed=False: the pollers may reach the mapping's ceiling) or fix (maximum concurrency)."""
    engine = Engine()
    reserved = params.effective_sqs_reserved
    pool = P.Pool(engine, P.PoolConfig(cold_s=params.init_ms / 1000.0, keep_alive_s=params.keep_alive_s,
                                       limit=reserved))
    _, durations_rng = P.traffic_rngs(seed)
    durations = P.durations(durations_rng, params.duration_ms / 1000.0, params.duration_dist)
    stats = SqsStats(name="fix: maximum concurrency" if fixed else "trap: no maximum concurrency",
                     messages=params.sqs_messages)
    counts: dict[int, int] = {}  # receives a processed message needed -> messages

    def invoke(batch: sqs.Batch) -> bool:
        now = engine.now
        env = pool.acquire(now)
        if env is None:
            return False  # throttled: the mapping backs off and retries, or the batch goes back
        end = pool.start(env, now) + next(durations)
        stats.peak_concurrency = max(stats.peak_concurrency, pool.busy)
        engine.at(end, completed, env, batch)
        return True

    def completed(env, batch: sqs.Batch) -> None:
        pool.release(env, engine.now)
        stats.processed += len(batch.messages)
        for m in batch.messages:
            counts[m.receives] = counts.get(m.receives, 0) + 1
        queue.finished(batch)

    queue = sqs.Mapping(engine, batch_size=params.batch_size, visibility_timeout_s=params.visibility_timeout_s,
                        max_receive_count=params.max_receive_count, run_s=params.duration_ms / 1000.0,
                        invoke=invoke, cap=params.effective_max_concurrency if fixed else SQS_MAX_BATCHES)

    def sample() -> None:
        stats.samples.append([engine.now, len(queue.visible), queue.in_flight, pool.busy, queue.dead_lettered,
                              stats.processed])
        if queue.outstanding:
            engine.after(1.0, sample)

    engine.at(0.0, queue.send, [sqs.Message(i, 0.0) for i in range(params.sqs_messages)])
    engine.at(1.0, sample)
    engine.run()
    pool.finish(engine.now)
    stats.dead_lettered = queue.dead_lettered
    stats.receives = queue.receives
    stats.throttled_invokes = queue.throttled_invokes
    stats.returned_batches = queue.returned_batches
    stats.peak_batches_in_flight = queue.peak_in_flight
    stats.drain_s = queue.drained_at or 0.0
    stats.dead_letter_ratio = round(stats.dead_lettered / stats.messages, 6)
    stats.mean_receives = round(stats.receives / stats.messages, 4)
    stats.receive_counts = {str(c): counts[c] for c in sorted(counts)}
    return stats


# --- the synchronous run ------------------------------------------------------------------------

@dataclass
class Result:
    params: dict
    requests: int
    accepted: int
    throttled: int
    throttled_ratio: float
    throttled_by: dict
    avg_concurrency: float
    peak_concurrency: int
    avg_environments: float
    peak_environments: int
    cold_starts: int
    limit: int
    unreserved: int
    erlang_b: float
    offered_load: float
    simulated_s: float
    latency_ms: dict
    samples: list = field(default_factory=list)
    sqs: dict = field(default_factory=dict)  # {"trap": SqsStats, "fix": SqsStats}
    assumptions: tuple = ASSUMPTIONS

    def to_json(self) -> dict:
        return envelope("concurrency", self.params, self.assumptions, SOURCES, {
            "requests": self.requests,
            "accepted": self.accepted,
            "throttled": self.throttled,
            "throttled_ratio": self.throttled_ratio,
            "throttled_by": self.throttled_by,
            "avg_concurrency": self.avg_concurrency,
            "peak_concurrency": self.peak_concurrency,
            "avg_environments": self.avg_environments,
            "peak_environments": self.peak_environments,
            "cold_starts": self.cold_starts,
            "limit": self.limit,
            "unreserved": self.unreserved,
            "offered_load": self.offered_load,
            "erlang_b": self.erlang_b,
            "simulated_s": self.simulated_s,
            "latency_ms": self.latency_ms,
            "sqs": {name: s.to_json() for name, s in self.sqs.items()},
        })


def total_steps(params: Params) -> int:
    return params.requests


def run(params: Params, seed: int, progress=None) -> Result:
    expected_s = params.requests / params.arrival_rate
    config = P.PoolConfig(cold_s=params.init_ms / 1000.0, keep_alive_s=params.keep_alive_s,
                          limit=params.limit, rps_limit=int(F.RPS_PER_ENVIRONMENT) * params.limit,
                          sample_every_s=expected_s / 120.0)
    arrivals_rng, durations_rng = P.traffic_rngs(seed)
    engine = Engine()
    pool = P.Pool(engine, config)
    histogram = P.LatencyHistogram()
    pool.drive(P.poisson_arrivals(arrivals_rng, params.arrival_rate, params.requests),
               P.durations(durations_rng, params.duration_ms / 1000.0, params.duration_dist),
               histogram, progress)
    stats = pool.stats
    load = params.arrival_rate * params.duration_ms / 1000.0
    sqs = {}
    if params.sqs:
        sqs = {"trap": run_sqs(params, seed, fixed=False), "fix": run_sqs(params, seed, fixed=True)}
    params_json = asdict(params)
    params_json.update(effective_limit=params.limit, effective_sqs_reserved=params.effective_sqs_reserved,
                       effective_max_concurrency=params.effective_max_concurrency)
    return Result(
        params=params_json, requests=stats.requests, accepted=stats.accepted, throttled=stats.throttled,
        throttled_ratio=round(stats.throttled_ratio, 6),
        throttled_by={"concurrency_limit": stats.throttled_limit, "scaling_rate": stats.throttled_scaling,
                      "rps_limit": stats.throttled_rate},
        avg_concurrency=round(stats.avg_busy, 4), peak_concurrency=stats.peak_busy,
        avg_environments=round(stats.avg_alive, 4), peak_environments=stats.peak_alive,
        cold_starts=stats.cold_starts, limit=params.limit,
        unreserved=params.account_limit - (params.concurrency_limit or 0),
        erlang_b=round(erlang_b(params.limit, load), 6), offered_load=round(load, 4),
        simulated_s=round(stats.horizon_s, 3), latency_ms=histogram.summary(), samples=stats.samples,
        sqs=sqs)
