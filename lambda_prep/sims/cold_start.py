"""cold-start: requests meet a pool of execution environments.

Requests arrive (Poisson, or background traffic plus bursts); each takes an idle warm
environment if there is one (the most recently used: a model assumption, see pool.py), else a
new environment starts: init (or a SnapStart restore) and then the handler. Environments idle
for the keep-alive time are reclaimed (AWS documents no figure: 600 s is a model assumption).
The same traffic is then replayed on-demand, with provisioned concurrency and with SnapStart, and
each is priced (INIT is billed for every function since 1 Aug 2025).

Pure: params + seed -> Result. Latency percentiles come from a 1-ms histogram (memory bounded by
the largest latency, not by the number of requests).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from lambda_prep.sims import choices as C
from lambda_prep.sims import pool as P
from lambda_prep.sims import facts
from lambda_prep.sims.common import ParamError, check_choice, check_range, envelope
from lambda_prep.sims.engine import Engine

SECONDS_PER_MONTH = facts.SECONDS_PER_MONTH  # the 730-hour month AWS pricing examples use
COMPARE_REQUESTS = 20_000  # the comparison replays at most this many requests of the traffic
TIMELINE_S = 60.0  # the environment timeline covers at most the first minute...
TIMELINE_RUNS = 1000  # ... or the first 1,000 invocations
RUNTIMES = C.RUNTIMES

SOURCES = (facts.RUNTIME_ENV_URL, facts.INIT_BILLING_URL, facts.QUOTAS_URL, facts.CONCURRENCY_URL,
           facts.SCALING_URL, facts.PROVISIONED_URL, facts.SNAPSTART_URL, facts.MEMORY_URL, facts.PRICING_URL,
           # the evidence for the keep-alive and reuse defaults (AWS documents neither)
           facts.IDLE_TIME_UNPUBLISHED_URL, facts.SIMFAAS_DATA_URL, facts.SIMFAAS_COMPARISON_URL,
           facts.SIMFAAS_SCHEDULER_URL, facts.IDLE_2017_URL)

ASSUMPTIONS = (
    "keep-alive: AWS keeps an idle environment 'for some time' and publishes no figure; the default 600 s is the "
    "idle time in Mahmoudi & Khazaei's 20 measured AWS workloads, which this model reproduces about as well as "
    "their SimFaaS simulator (cold-start probability off by 13% on average, environments by 3%); a 2017 "
    "experiment saw 45-60 minutes, so the figure changes over time: try --keep-alive-s",
    "an arriving request takes the most recently used idle environment (--reuse mru); AWS does not say; SimFaaS "
    "takes the newest, which behaves the same, and least-recently-used (--reuse lru) misses the measured cold "
    "starts by about 70%",
    "init time by runtime, and the SnapStart restore time, are illustrative figures, not AWS's",
    "no maintenance recycling: AWS terminates environments every few hours even under steady traffic (not "
    "modelled: about one extra cold start per environment every few hours)",
    "function timeout not modelled (a long exponential draw runs to completion)",
    "the RPS limit (10 x the concurrency limit) is counted in whole seconds; provisioned concurrency's own "
    "10 x PC limit is not modelled",
)


@dataclass(frozen=True)
class Params:
    arrival_rate: float = 2.0  # requests per second (background rate for the burst pattern)
    requests: int = 3_000
    pattern: str = "poisson"
    burst_size: int = 100
    burst_every_s: float = 900.0
    burst_at_s: float = 30.0
    duration_ms: float = 1000.0
    duration_dist: str = "fixed"
    runtime: str = "python"
    init_ms: float | None = None  # None: by runtime
    restore_ms: float | None = None  # None: RESTORE_MS_DEFAULT
    keep_alive_s: float = 600.0
    provisioned: int = 0
    snapstart: bool = False
    concurrency_limit: int | None = None  # reserved concurrency; None: the account limit applies
    memory_mb: int = 128
    architecture: str = "x86_64"
    reuse: str = "mru"
    compare: bool = True

    def __post_init__(self) -> None:
        self.validate()

    # -- derived ----------------------------------------------------------------------------
    @property
    def effective_init_ms(self) -> float:
        return P.INIT_MS_BY_RUNTIME[self.runtime] if self.init_ms is None else float(self.init_ms)

    @property
    def effective_restore_ms(self) -> float:
        return P.RESTORE_MS_DEFAULT if self.restore_ms is None else float(self.restore_ms)

    @property
    def limit(self) -> int:
        return P.ACCOUNT_CONCURRENCY if self.concurrency_limit is None else self.concurrency_limit

    def validate(self) -> None:
        P.check_traffic(self, max_requests=10_000_000)
        check_choice("runtime", self.runtime, RUNTIMES)
        check_choice("architecture", self.architecture, facts.ARCHITECTURES)
        if self.init_ms is not None:
            check_range("init_ms", self.init_ms, 0, P.MAX_INIT_MS,
                        why="the INIT phase may last at most 10 s for on-demand functions")
        if self.restore_ms is not None:
            check_range("restore_ms", self.restore_ms, 0, P.MAX_INIT_MS,
                        why="SnapStart restore time; the model caps it like init at 10 s")
        check_range("keep_alive_s", self.keep_alive_s, 0, 86_400,
                    why="idle seconds before an environment is reclaimed (a model assumption); "
                        "AWS recycles environments every few hours anyway")
        check_range("memory_mb", self.memory_mb, P.MIN_MEMORY_MB, P.MAX_MEMORY_MB,
                    why="Lambda memory is 128 MB to 10,240 MB")
        max_reserved = P.ACCOUNT_CONCURRENCY - P.UNRESERVED_MINIMUM
        if self.concurrency_limit is not None:
            check_range("concurrency_limit", self.concurrency_limit, 0, max_reserved,
                        why="reserved concurrency may use at most the account limit (1,000) minus the "
                            "100 that must stay unreserved")
        check_range("provisioned", self.provisioned, 0, min(self.limit, max_reserved),
                    why="provisioned concurrency cannot exceed the function's reserved concurrency, "
                        "nor the unreserved account concurrency minus 100")
        if self.snapstart:
            if self.runtime not in P.SNAPSTART_RUNTIMES:
                raise ParamError(f"--snapstart needs --runtime java, python or dotnet, got {self.runtime} "
                                 "(on managed runtimes SnapStart supports Java 11+, Python 3.12+ and .NET 8+; "
                                 "a container image of any runtime can use it through the snapshot hooks or the "
                                 "SnapStart image label, which this model does not simulate)")
            if self.provisioned:
                raise ParamError("--snapstart cannot be combined with --provisioned "
                                 f"{self.provisioned} (must be 0: SnapStart does not support "
                                 "provisioned concurrency)")



# --- results ------------------------------------------------------------------------------------

@dataclass
class Scenario:
    """One run of the pool on the traffic, with its cost."""

    name: str
    requests: int
    cold_starts: int
    cold_start_ratio: float
    throttled: int
    throttled_ratio: float
    avg_environments: float
    avg_busy: float
    peak_environments: int
    peak_busy: int
    latency_ms: dict
    provisioned: int
    snapstart: bool
    simulated_s: float
    cost: dict
    available: bool = True
    note: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Result:
    params: dict
    requests: int
    accepted: int
    cold_starts: int
    cold_start_ratio: float
    throttled: int
    throttled_ratio: float
    throttled_by: dict
    avg_environments: float
    avg_busy: float
    peak_environments: int
    peak_busy: int
    environments_started: int
    environments_reclaimed: int
    provisioned_invocations: int
    simulated_s: float
    latency_ms: dict
    cost: dict
    comparison: list
    comparison_requests: int
    timeline: list = field(default_factory=list)
    timeline_end_s: float = 0.0
    samples: list = field(default_factory=list)
    assumptions: tuple = ASSUMPTIONS

    def to_json(self) -> dict:
        return envelope("cold-start", self.params, self.assumptions, SOURCES, {
            "requests": self.requests,
            "accepted": self.accepted,
            "cold_starts": self.cold_starts,
            "cold_start_ratio": self.cold_start_ratio,
            "throttled": self.throttled,
            "throttled_ratio": self.throttled_ratio,
            "throttled_by": self.throttled_by,
            "avg_environments": self.avg_environments,
            "avg_busy": self.avg_busy,
            "peak_environments": self.peak_environments,
            "peak_busy": self.peak_busy,
            "environments_started": self.environments_started,
            "environments_reclaimed": self.environments_reclaimed,
            "provisioned_invocations": self.provisioned_invocations,
            "simulated_s": self.simulated_s,
            "latency_ms": self.latency_ms,
            "cost": self.cost,
            "comparison_requests": self.comparison_requests,
            "comparison": [s.to_json() for s in self.comparison],
        })


# --- running ------------------------------------------------------------------------------------

def _traffic(params: Params, generator, count: int):
    if params.pattern == "burst":
        return P.burst_arrivals(generator, params.arrival_rate, count, burst_size=params.burst_size,
                                every_s=params.burst_every_s, first_s=params.burst_at_s)
    return P.poisson_arrivals(generator, params.arrival_rate, count)


def simulate(params: Params, seed: int, *, requests: int, provisioned: int, snapstart: bool,
             progress=None, timeline: bool = False, samples: bool = False):
    """One pool run on the traffic of `seed`; returns (PoolStats, LatencyHistogram)."""
    cold_ms = params.effective_restore_ms if snapstart else params.effective_init_ms
    expected_s = requests / params.arrival_rate if params.arrival_rate > 0 else (
        params.burst_at_s + params.burst_every_s * requests / max(params.burst_size, 1))
    config = P.PoolConfig(
        cold_s=cold_ms / 1000.0, keep_alive_s=params.keep_alive_s, limit=params.limit,
        rps_limit=int(facts.RPS_PER_ENVIRONMENT) * params.limit, provisioned=provisioned, reuse=params.reuse,
        timeline_s=TIMELINE_S if timeline else 0.0, timeline_max_runs=TIMELINE_RUNS,
        sample_every_s=(expected_s / 60.0) if samples else 0.0)
    arrivals_rng, durations_rng = P.traffic_rngs(seed)
    engine = Engine()
    pool = P.Pool(engine, config)
    histogram = P.LatencyHistogram()
    pool.drive(_traffic(params, arrivals_rng, requests),
               P.durations(durations_rng, params.duration_ms / 1000.0, params.duration_dist),
               histogram, progress)
    return pool.stats, histogram


def cost(params: Params, stats: P.PoolStats, *, provisioned: int, snapstart: bool) -> dict:
    """What the simulated window costs, and the same per 730-hour month at this traffic.

    On-demand: $0.20 per 1M requests + GB-s of handler and init (INIT billed since 1 Aug 2025).
    Provisioned: GB-s configured for the whole window + invoked GB-s at the provisioned rate, the
    spill-over on on-demand rates. SnapStart: the restore time is billed like init (upper bound:
    AWS bills the "Billed Restore Duration"); Python and .NET also pay snapshot caching and restore
    charges, not included (prices not verified). Free tier ignored.
    """
    gb = params.memory_mb / 1024.0
    rate = facts.gb_second(params.architecture)
    requests = facts.request_cost(stats.accepted)
    duration = (stats.handler_s + stats.init_s) * gb * rate
    provisioned_cost = 0.0
    if provisioned:
        configured = provisioned * gb * stats.horizon_s * facts.PROVISIONED_GB_SECOND.value
        invoked = stats.provisioned_handler_s * gb * facts.PROVISIONED_INVOKED_GB_SECOND.value
        provisioned_cost = configured + invoked
    total = requests + duration + provisioned_cost
    month = total * SECONDS_PER_MONTH / stats.horizon_s if stats.horizon_s > 0 else 0.0
    notes = []
    if provisioned and params.architecture != "x86_64":
        notes.append("provisioned rates are the x86 ones (arm64 rates not verified)")
    if snapstart and params.runtime in ("python", "dotnet"):
        notes.append("plus SnapStart snapshot caching and restore charges (not included)")
    return {"requests_usd": round(requests, 6), "duration_usd": round(duration, 6),
            "provisioned_usd": round(provisioned_cost, 6), "total_usd": round(total, 6),
            "per_month_usd": round(month, 2), "prices_as_of": facts.PRICES_AS_OF,
            "note": "; ".join(notes)}


def _scenario(name: str, params: Params, stats: P.PoolStats, histogram: P.LatencyHistogram, *,
              provisioned: int, snapstart: bool, note: str = "") -> Scenario:
    return Scenario(
        name=name, requests=stats.requests, cold_starts=stats.cold_starts,
        cold_start_ratio=round(stats.cold_start_ratio, 6), throttled=stats.throttled,
        throttled_ratio=round(stats.throttled_ratio, 6), avg_environments=round(stats.avg_alive, 4),
        avg_busy=round(stats.avg_busy, 4), peak_environments=stats.peak_alive,
        peak_busy=stats.peak_busy, latency_ms=histogram.summary(), provisioned=provisioned,
        snapstart=snapstart, simulated_s=round(stats.horizon_s, 3),
        cost=cost(params, stats, provisioned=provisioned, snapstart=snapstart), note=note)


def comparison(params: Params, seed: int, count: int, progress=None) -> list[Scenario]:
    """On-demand, provisioned concurrency and SnapStart on the same traffic (same seed)."""
    stats, histogram = simulate(params, seed, requests=count, provisioned=0, snapstart=False,
                                progress=progress)
    out = [_scenario("on-demand", params, stats, histogram, provisioned=0, snapstart=False,
                     note=f"init {params.effective_init_ms:g} ms on each cold start")]
    if params.provisioned:
        n, how = params.provisioned, "as --provisioned"
    else:
        # sized for the peak: every invocation of the on-demand run would have found one
        n = max(1, min(stats.peak_busy, params.limit, P.ACCOUNT_CONCURRENCY - P.UNRESERVED_MINIMUM))
        how = "= the on-demand run's peak busy environments"
    stats, histogram = simulate(params, seed, requests=count, provisioned=n, snapstart=False,
                                progress=progress)
    out.append(_scenario("provisioned", params, stats, histogram, provisioned=n, snapstart=False,
                         note=f"{n} environments {how}; spill-over starts cold"))
    if params.runtime in P.SNAPSTART_RUNTIMES:
        stats, histogram = simulate(params, seed, requests=count, provisioned=0, snapstart=True,
                                    progress=progress)
        out.append(_scenario("snapstart", params, stats, histogram, provisioned=0, snapstart=True,
                             note=f"restore {params.effective_restore_ms:g} ms instead of init"))
    else:
        empty = P.PoolStats()
        scenario = _scenario("snapstart", params, empty, P.LatencyHistogram(), provisioned=0,
                             snapstart=True, note=f"not available on the managed {params.runtime} runtime "
                                                  "(Java 11+, Python 3.12+, .NET 8+); as a container image "
                                                  "it can, with the snapshot hooks or the SnapStart label")
        scenario.available = False
        out.append(scenario)
    return out


def total_steps(params: Params) -> int:
    """Progress steps run() reports: the main run plus the comparison runs."""
    count = min(params.requests, COMPARE_REQUESTS) if params.compare else 0
    return params.requests + count * 3


def run(params: Params, seed: int, progress=None) -> Result:
    stats, histogram = simulate(params, seed, requests=params.requests,
                                provisioned=params.provisioned, snapstart=params.snapstart,
                                progress=progress, timeline=True, samples=True)
    count = min(params.requests, COMPARE_REQUESTS)
    scenarios = comparison(params, seed, count, progress) if params.compare else []
    params_json = asdict(params)
    params_json.update(init_ms=params.effective_init_ms, restore_ms=params.effective_restore_ms,
                       concurrency_limit=params.concurrency_limit, effective_limit=params.limit)
    return Result(
        params=params_json, requests=stats.requests, accepted=stats.accepted,
        cold_starts=stats.cold_starts, cold_start_ratio=round(stats.cold_start_ratio, 6),
        throttled=stats.throttled, throttled_ratio=round(stats.throttled_ratio, 6),
        throttled_by={"concurrency_limit": stats.throttled_limit, "scaling_rate": stats.throttled_scaling,
                      "rps_limit": stats.throttled_rate},
        avg_environments=round(stats.avg_alive, 4), avg_busy=round(stats.avg_busy, 4),
        peak_environments=stats.peak_alive, peak_busy=stats.peak_busy,
        environments_started=stats.envs_started, environments_reclaimed=stats.envs_reclaimed,
        provisioned_invocations=stats.provisioned_invocations,
        simulated_s=round(stats.horizon_s, 3), latency_ms=histogram.summary(),
        cost=cost(params, stats, provisioned=params.provisioned, snapstart=params.snapstart),
        comparison=scenarios, comparison_requests=count if params.compare else 0,
        timeline=stats.timeline, timeline_end_s=stats.timeline_end_s, samples=stats.samples)


def expected_cold_ratio_single(rate: float, keep_alive_s: float) -> float:
    """F3/F4: the cold share e^(-lambda T) (one environment, or negligible durations)."""
    return math.exp(-rate * keep_alive_s)
