"""rds-proxy: Lambda environments and a database's max_connections, without and with RDS Proxy.

The same traffic runs twice through the environment pool (pool.py):
- direct: each environment opens one database connection in init and keeps it until the
  environment is reclaimed, so connections = environments ALIVE (busy + idle), not busy ones
  (simulation-notes F12). When the database is at max_connections, a new environment's init
  cannot connect: the invocation fails and the environment is discarded (Lambda resets an
  environment whose init failed).
- proxy: environments connect to RDS Proxy instead; each invocation borrows one of the pool's
  database connections (pool size = MaxConnectionsPercent x max_connections, default 100%) for
  its handler time and gives it back. When all are borrowed the invocation waits, first come first
  served, up to ConnectionBorrowTimeout (default 120 s); past that it fails. Waits replace errors.
  With no session pinning and one transaction per invocation, the proxy is an M/G/c queue (F6).

max_connections is a parameter with an example default: on RDS it depends on instance memory
(PostgreSQL LEAST(DBInstanceClassMemory/9531392, 5000); MySQL DBInstanceClassMemory/12582880).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import asdict, dataclass, field

from lambda_prep.sims import pool as P
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import check_range, envelope
from lambda_prep.sims.engine import Engine

SOURCES = (F.RDS_POOL_URL, F.TIMEOUT_URL, F.RUNTIME_ENV_URL)

ASSUMPTIONS = (
    "direct: one connection per environment, opened in init and held until the environment is reclaimed",
    "proxy: one transaction per invocation holding a database connection for the whole handler time; "
    "no session pinning; waiting clients served first come, first served",
    "max_connections 100 is an example (it depends on the instance's memory); no other database clients",
    "init 250 ms, keep-alive 600 s, most-recently-used reuse (AWS documents none of them)",
)



@dataclass(frozen=True)
class Params:
    arrival_rate: float = 2.0  # background requests per second
    requests: int = 3_000
    pattern: str = "burst"
    burst_size: int = 300
    burst_every_s: float = 120.0
    burst_at_s: float = 30.0
    duration_ms: float = 200.0
    duration_dist: str = "fixed"
    init_ms: float = P.INIT_MS_BY_RUNTIME["python"]
    keep_alive_s: float = 600.0
    concurrency_limit: int | None = None
    max_connections: int = 100
    max_connections_percent: int = 100
    borrow_timeout_s: float = 120.0
    reuse: str = "mru"

    def __post_init__(self) -> None:
        self.validate()

    @property
    def limit(self) -> int:
        return P.ACCOUNT_CONCURRENCY if self.concurrency_limit is None else self.concurrency_limit

    @property
    def pool_size(self) -> int:
        return max(1, math.floor(self.max_connections * self.max_connections_percent / 100))

    def validate(self) -> None:
        P.check_traffic(self, max_requests=2_000_000)
        check_range("init_ms", self.init_ms, 0, P.MAX_INIT_MS,
                    why="the INIT phase may last at most 10 s for on-demand functions")
        check_range("keep_alive_s", self.keep_alive_s, 0, 86_400,
                    why="idle seconds before an environment is reclaimed (a model assumption)")
        if self.concurrency_limit is not None:
            check_range("concurrency_limit", self.concurrency_limit, 0,
                        P.ACCOUNT_CONCURRENCY - P.UNRESERVED_MINIMUM,
                        why="reserved concurrency may use at most the account limit (1,000) minus the "
                            "100 that must stay unreserved")
        check_range("max_connections", self.max_connections, 1, 100_000,
                    why="the database's max_connections; on RDS it depends on instance memory; "
                        "the model stops at 100,000")
        check_range("max_connections_percent", self.max_connections_percent, 1, 100,
                    why="RDS Proxy MaxConnectionsPercent is 1 to 100 (% of max_connections)")
        check_range("borrow_timeout_s", self.borrow_timeout_s, 0, 3_600,
                    why="RDS Proxy ConnectionBorrowTimeout is 0 (no limit) to 3,600 s")


@dataclass
class Scenario:
    name: str
    requests: int = 0
    accepted: int = 0
    succeeded: int = 0
    errors: int = 0
    error_ratio: float = 0.0
    throttled: int = 0
    waited: int = 0
    wait_ratio: float = 0.0
    wait_ms: dict = field(default_factory=dict)
    latency_ms: dict = field(default_factory=dict)
    db_connections_avg: float = 0.0
    db_connections_peak: int = 0
    environments_avg: float = 0.0
    environments_peak: int = 0
    busy_avg: float = 0.0
    busy_peak: int = 0
    cold_starts: int = 0
    simulated_s: float = 0.0
    # [t, alive, busy, db_connections, waiting, errors]: peaks (errors: count) since the previous sample
    samples: list = field(default_factory=list)

    def to_json(self) -> dict:
        out = asdict(self)
        out.pop("samples")
        return out


@dataclass
class Result:
    params: dict
    requests: int
    max_connections: int
    pool_size: int
    direct: Scenario
    proxy: Scenario
    assumptions: tuple = ASSUMPTIONS

    def to_json(self) -> dict:
        return envelope("rds-proxy", self.params, self.assumptions, SOURCES, {
            "requests": self.requests,
            "max_connections": self.max_connections,
            "pool_size": self.pool_size,
            "direct": self.direct.to_json(),
            "proxy": self.proxy.to_json(),
        })


def _traffic(params: Params, seed: int):
    arrivals_rng, durations_rng = P.traffic_rngs(seed)
    if params.pattern == "burst":
        arrivals = P.burst_arrivals(arrivals_rng, params.arrival_rate, params.requests,
                                    burst_size=params.burst_size, every_s=params.burst_every_s,
                                    first_s=params.burst_at_s)
    else:
        arrivals = P.poisson_arrivals(arrivals_rng, params.arrival_rate, params.requests)
    return arrivals, P.durations(durations_rng, params.duration_ms / 1000.0, params.duration_dist)


def _expected_s(params: Params) -> float:
    if params.pattern == "poisson":
        return params.requests / params.arrival_rate
    per_cycle = params.arrival_rate * params.burst_every_s + params.burst_size
    return params.burst_at_s + params.burst_every_s * params.requests / max(per_cycle, 1e-9)


def _config(params: Params, *, alive_cap: int | None) -> P.PoolConfig:
    return P.PoolConfig(cold_s=params.init_ms / 1000.0, keep_alive_s=params.keep_alive_s,
                        limit=params.limit, reuse=params.reuse, alive_cap=alive_cap,
                        sample_every_s=_expected_s(params) / 120.0)


def run_direct(params: Params, seed: int, progress=None) -> Scenario:
    """Each environment holds a connection: the pool may not have more than max_connections alive."""
    engine = Engine()
    pool = P.Pool(engine, _config(params, alive_cap=params.max_connections))
    latency = P.LatencyHistogram()
    arrivals, durations = _traffic(params, seed)
    pool.drive(arrivals, durations, latency, progress)
    s = pool.stats
    return Scenario(
        name="direct: a connection per environment", requests=s.requests, accepted=s.accepted,
        succeeded=s.accepted, errors=s.refused, error_ratio=round(s.refused / s.requests, 6),
        throttled=s.throttled, latency_ms=latency.summary(), wait_ms=P.LatencyHistogram().summary(),
        db_connections_avg=round(s.avg_alive, 4), db_connections_peak=s.peak_alive,
        environments_avg=round(s.avg_alive, 4), environments_peak=s.peak_alive,
        busy_avg=round(s.avg_busy, 4), busy_peak=s.peak_busy, cold_starts=s.cold_starts,
        simulated_s=round(s.horizon_s, 3),
        samples=[[x[0], x[1], x[2], x[1], 0, x[7]] for x in s.samples])


def run_proxy(params: Params, seed: int, progress=None) -> Scenario:
    """Environments borrow a pooled connection per invocation; when none is free they wait."""
    engine = Engine()
    pool = P.Pool(engine, _config(params, alive_cap=None))
    latency, waits = P.LatencyHistogram(), P.LatencyHistogram()
    size, timeout = params.pool_size, params.borrow_timeout_s
    state = {"in_use": 0, "area": 0.0, "changed": 0.0, "peak": 0, "errors": 0, "waiting": 0,
             "errors_since": 0, "slice_in_use": 0, "slice_waiting": 0}
    waiters: deque[list] = deque()  # [env, arrived, duration, since, active]

    def set_in_use(delta: int) -> None:
        now = engine.now
        state["area"] += state["in_use"] * (now - state["changed"])
        state["changed"] = now
        state["in_use"] += delta
        if state["in_use"] > state["peak"]:
            state["peak"] = state["in_use"]
        if state["in_use"] > state["slice_in_use"]:
            state["slice_in_use"] = state["in_use"]

    def borrow(env, arrived: float, duration: float) -> None:
        if state["in_use"] < size:
            set_in_use(+1)
            engine.after(duration, give_back, env, arrived)
            return
        waiter = [env, arrived, duration, engine.now, True]
        waiters.append(waiter)
        state["waiting"] += 1
        if state["waiting"] > state["slice_waiting"]:
            state["slice_waiting"] = state["waiting"]
        if timeout > 0:
            engine.after(timeout, time_out, waiter)

    def give_back(env, arrived: float) -> None:
        now = engine.now
        pool.release(env, now)
        latency.add((now - arrived) * 1000.0)
        while waiters and not waiters[0][4]:
            waiters.popleft()
        if waiters:
            waiter = waiters.popleft()
            waiter[4] = False
            state["waiting"] -= 1
            waits.add((now - waiter[3]) * 1000.0)
            engine.after(waiter[2], give_back, waiter[0], waiter[1])  # the connection changes hands
        else:
            set_in_use(-1)

    def time_out(waiter: list) -> None:
        if not waiter[4]:
            return
        waiter[4] = False
        state["waiting"] -= 1
        state["errors"] += 1
        state["errors_since"] += 1
        waits.add(timeout * 1000.0)
        pool.release(waiter[0], engine.now)

    samples = []
    every = _expected_s(params) / 120.0
    next_sample = 0.0
    arrivals, durations = _traffic(params, seed)
    count = 0
    t = 0.0
    for t, d in zip(arrivals, durations):
        engine.run(t)
        count += 1
        if progress is not None and count % 10_000 == 0:
            progress(10_000)
        if t >= next_sample:
            samples.append([round(t, 6), *pool.slice_peaks(), state["slice_in_use"], state["slice_waiting"],
                            state["errors_since"]])
            state.update(errors_since=0, slice_in_use=state["in_use"], slice_waiting=state["waiting"])
            next_sample = (math.floor(t / every) + 1) * every
        env = pool.acquire(t)
        if env is None:
            continue
        engine.at(pool.start(env, t), borrow, env, t, d)
    horizon = t
    engine.run()  # let every accepted request finish: waits and errors are counted in full
    engine.now = max(engine.now, horizon)
    set_in_use(0)
    if state["errors_since"] or state["slice_waiting"]:  # what happened after the last arrival
        samples.append([round(engine.now, 6), *pool.slice_peaks(), state["slice_in_use"],
                        state["slice_waiting"], state["errors_since"]])
    if progress is not None and count % 10_000:
        progress(count % 10_000)
    s = pool.finish(engine.now)
    waited = waits.count
    return Scenario(
        name="RDS Proxy: a pooled connection per invocation", requests=s.requests, accepted=s.accepted,
        succeeded=s.accepted - state["errors"], errors=state["errors"],
        error_ratio=round(state["errors"] / s.requests, 6), throttled=s.throttled, waited=waited,
        wait_ratio=round(waited / s.accepted, 6) if s.accepted else 0.0, wait_ms=waits.summary(),
        latency_ms=latency.summary(),
        db_connections_avg=round(state["area"] / s.horizon_s, 4) if s.horizon_s else 0.0,
        db_connections_peak=state["peak"], environments_avg=round(s.avg_alive, 4),
        environments_peak=s.peak_alive, busy_avg=round(s.avg_busy, 4), busy_peak=s.peak_busy,
        cold_starts=s.cold_starts, simulated_s=round(s.horizon_s, 3), samples=samples)


def total_steps(params: Params) -> int:
    return 2 * params.requests


def run(params: Params, seed: int, progress=None) -> Result:
    direct = run_direct(params, seed, progress)
    proxy = run_proxy(params, seed, progress)
    params_json = asdict(params)
    params_json.update(pool_size=params.pool_size, effective_limit=params.limit)
    return Result(params=params_json, requests=params.requests, max_connections=params.max_connections,
                  pool_size=params.pool_size, direct=direct, proxy=proxy)
