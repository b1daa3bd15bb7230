"""The execution-environment pool that cold-start, concurrency and rds-proxy share.

A request takes an idle warm environment if there is one; otherwise a new environment starts
(init, or a SnapStart restore) and then runs the handler. An environment idle for the keep-alive
time is reclaimed. A concurrency cap (reserved concurrency or the account limit) and the
per-function scaling rate (a token bucket, simulation-notes F7) throttle requests that would need
a new environment.

Model choices (AWS documents none of them; they are labelled as model assumptions wherever shown):
- Which idle environment a request takes: the most recently used one by default ("mru": a stack).
  Keeping a small hot set busy lets the rest age out, so the pool shrinks after a burst; "lru"
  (a queue) spreads requests over all idle environments and keeps every one of them warm.
  Provisioned environments are always used before on-demand ones (AWS: traffic above provisioned
  concurrency "spills over" to on-demand environments).
- Keep-alive is measured from the end of an environment's last invocation (as in F3/F4).
- The scaling rate is spent only when a new environment starts: capacity 1,000, refilled at
  100 per second ("1,000 execution environment instances every 10 seconds", F7).

Speed: idle on-demand environments sit in a deque ordered by the time they went idle (completions
are processed in time order), so both MRU (pop right) and LRU (pop left) keep the order, and the
environments past their keep-alive are always at the left end. Reclaiming is therefore lazy: it
happens when the next request looks for an environment, at the exact time the environment
expired (end of last invocation + keep-alive), so nothing is scheduled per environment and the
time-averages stay exact. Memory grows with the number of environments, never with requests:
latencies go into a histogram of 1-ms bins (`LatencyHistogram`), not a list.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass, field
from itertools import accumulate, chain, islice, repeat
from math import log
from typing import Callable, Iterable, Iterator

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_choice, check_range, rng
from lambda_prep.sims.engine import Engine

# --- AWS figures (lambda-facts.md §1, §6; simulation-notes F7) --------------------------------
# Read from facts.py (dated and sourced there); plain numbers here for the hot loops.
ACCOUNT_CONCURRENCY = int(F.ACCOUNT_CONCURRENCY)
UNRESERVED_MINIMUM = int(F.UNRESERVED_MINIMUM)
SCALING_BURST = int(F.SCALING_BURST)
SCALING_REFILL_PER_S = float(F.SCALING_REFILL_PER_S)
MAX_INIT_MS = int(F.MAX_INIT_MS)
MAX_TIMEOUT_MS = int(F.MAX_TIMEOUT_S) * 1000
MAX_MEMORY_MB, MIN_MEMORY_MB = int(F.MAX_MEMORY_MB), int(F.MIN_MEMORY_MB)

# Init time by runtime: MODEL ASSUMPTIONS. AWS gives no per-runtime figure, only that cold
# starts take "from under 100 ms to over 1 second", that interpreted runtimes (Python, Node.js)
# initialise fastest and that Java is "often slower to initialize" (lambda-runtimes.html).
INIT_MS_BY_RUNTIME = {
    "python": 250.0,
    "nodejs": 200.0,
    "java": 1500.0,
    "dotnet": 800.0,
    "ruby": 300.0,
    "provided": 100.0,  # Go, Rust, ... on provided.al2023
}
SNAPSTART_RUNTIMES = F.SNAPSTART_RUNTIMES.value
RESTORE_MS_DEFAULT = 200.0  # MODEL ASSUMPTION: AWS says only "as low as sub-second startup"

REUSE_CHOICES = C.REUSE
DURATION_DISTS = C.DURATION_DISTS
PATTERNS = C.PATTERNS


# --- traffic ----------------------------------------------------------------------------------

CHUNK = 4096  # random draws made at a time: a list comprehension is much faster than a loop


def _exponentials(rng, mean: float) -> Iterator[list[float]]:
    """Endless chunks of exponential draws of the given mean (inverse transform)."""
    random, scale = rng.random, -mean
    while True:
        # one comprehension, the same numbers as scale * log(u) drawn one by one (about 10% faster
        # than two passes); 1 - random() is in (0, 1], so log never sees 0
        yield [scale * log(1.0 - random()) for _ in repeat(None, CHUNK)]


def poisson_arrivals(rng, rate: float, count: int) -> Iterator[float]:
    """`count` arrival times of a Poisson process of `rate` per second, from time 0."""
    gaps = chain.from_iterable(_exponentials(rng, 1.0 / rate))
    return islice(accumulate(gaps), count)


def burst_arrivals(rng, rate: float, count: int, *, burst_size: int, every_s: float,
                   first_s: float, window_s: float = 1.0) -> Iterator[float]:
    """Background Poisson traffic at `rate` (may be 0) plus bursts of `burst_size` requests
    spread uniformly over `window_s` seconds, at first_s, first_s + every_s, ...; `count` in all."""
    background = poisson_arrivals(rng, rate, count) if rate > 0 else iter(())
    bursts = _bursts(rng, burst_size, every_s, first_s, window_s) if burst_size > 0 else iter(())
    return islice(heapq.merge(background, bursts), count)


def _bursts(rng, size: int, every_s: float, first_s: float, window_s: float) -> Iterator[float]:
    start = first_s
    while True:
        yield from sorted(start + window_s * rng.random() for _ in range(size))
        start += every_s


def durations(rng, mean_s: float, dist: str) -> Iterator[float]:
    """Endless handler durations in seconds: fixed, or exponential of mean `mean_s`."""
    if dist == "exp":
        return chain.from_iterable(_exponentials(rng, mean_s))
    return repeat(mean_s)


def traffic_rngs(seed: int):
    """Two independent generators for a seed: arrivals and durations. Separate streams keep the
    traffic identical across scenarios and across run lengths (a shorter run is a prefix)."""
    return rng(2 * seed), rng(2 * seed + 1)


# --- latency histogram ------------------------------------------------------------------------

BIN_SLACK_MS = 1e-6  # 0.2 s computed as end - start can be 200.00000001 ms: bin it as 200


def ms_bin(ms: float) -> int:
    """The 1-ms bin of a latency, named by its UPPER edge: bin k holds (k-1, k] ms.

    Rounding up is how Lambda bills duration (1-ms granularity, rounded up), and it never reports
    a percentile below the true value: a 1.9 ms handler has p50 2 ms, not 1 ms.
    """
    k = int(ms - BIN_SLACK_MS)
    return k + 1 if k < ms - BIN_SLACK_MS else k


class LatencyHistogram:
    """Counts of latencies in 1-ms bins: memory bounded by the largest latency, not by the
    number of requests; a percentile is exact to 1 ms and never below the true value (the
    bin's upper edge, see ms_bin)."""

    __slots__ = ("bins", "count", "total_ms", "max_ms")

    def __init__(self) -> None:
        self.bins: list[int] = [0] * 1024
        self.count = 0
        self.total_ms = 0.0
        self.max_ms = 0.0

    def add(self, ms: float) -> None:
        k = ms_bin(ms)
        bins = self.bins
        if k >= len(bins):
            bins.extend([0] * (k + 1 - len(bins) + 1024))
        bins[k] += 1
        self.count += 1
        self.total_ms += ms
        if ms > self.max_ms:
            self.max_ms = ms

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile in ms (q in 0..100); 0 when empty."""
        if not self.count:
            return 0.0
        rank = max(1, math.ceil(q / 100 * self.count))
        seen = 0
        for k, n in enumerate(self.bins):
            seen += n
            if seen >= rank:
                return float(k)
        return float(len(self.bins) - 1)

    def summary(self) -> dict:
        return {"p50": self.percentile(50), "p95": self.percentile(95), "p99": self.percentile(99),
                "mean": round(self.total_ms / self.count, 1) if self.count else 0.0,
                "max": round(self.max_ms, 1)}


# --- the pool ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PoolConfig:
    cold_s: float  # init (or SnapStart restore) time of a new on-demand environment, seconds
    keep_alive_s: float  # idle time after which an environment is reclaimed
    limit: int  # concurrency cap: busy environments (reserved concurrency or the account limit)
    provisioned: int = 0  # pre-initialised environments, never reclaimed
    reuse: str = "mru"
    scaling_burst: float = SCALING_BURST
    scaling_refill_per_s: float = SCALING_REFILL_PER_S
    alive_cap: int | None = None  # at most this many environments alive; a start beyond it fails
    rps_limit: int | None = None  # requests per second (10 x the concurrency limit for sync calls); None: off
    timeline_s: float = 0.0  # record each environment's history until this time
    timeline_max_runs: int = 400  # ... or until this many invocations are recorded
    sample_every_s: float = 0.0  # record (t, alive, busy, ...) about this often (0: never)


class Env:
    """One execution environment."""

    __slots__ = ("id", "born", "start", "handler_start", "end", "busy", "fresh", "provisioned",
                 "cold_s", "runs")

    def __init__(self, env_id: int, born: float, cold_s: float, provisioned: bool):
        self.id = env_id
        self.born = born
        self.start = born  # when the current (or last) invocation began
        self.handler_start = born
        self.end = born  # when the last invocation ended: idle since then
        self.busy = False
        self.fresh = not provisioned  # its first request is a cold start
        self.provisioned = provisioned
        self.cold_s = cold_s
        self.runs: list | None = None  # timeline: [[start, handler_start, end], ...] when recorded


@dataclass
class PoolStats:
    """What a pool run measured (all times in seconds)."""

    requests: int = 0
    accepted: int = 0
    cold_starts: int = 0
    provisioned_invocations: int = 0
    throttled_limit: int = 0
    throttled_scaling: int = 0
    throttled_rate: int = 0  # over the requests-per-second quota (FunctionInvocationRateLimitExceeded)
    refused: int = 0  # starts that failed because alive_cap was reached
    envs_started: int = 0
    envs_reclaimed: int = 0
    peak_busy: int = 0
    peak_alive: int = 0
    horizon_s: float = 0.0
    busy_area: float = 0.0  # integral of busy environments over [0, horizon]
    alive_area: float = 0.0  # integral of alive environments over [0, horizon]
    init_s: float = 0.0  # init/restore seconds of on-demand environments (billed since Aug 2025)
    handler_s: float = 0.0  # handler seconds on on-demand environments
    provisioned_handler_s: float = 0.0  # handler seconds on provisioned environments
    # [t, alive, busy, requests, throttled, cold, tokens, refused]: alive and busy are the peaks
    # since the previous sample, the counts are since the previous sample
    samples: list = field(default_factory=list)
    timeline: list = field(default_factory=list)  # see Pool.timeline()
    timeline_end_s: float = 0.0

    @property
    def throttled(self) -> int:
        return self.throttled_limit + self.throttled_scaling + self.throttled_rate

    @property
    def avg_busy(self) -> float:
        return self.busy_area / self.horizon_s if self.horizon_s > 0 else 0.0

    @property
    def avg_alive(self) -> float:
        return self.alive_area / self.horizon_s if self.horizon_s > 0 else 0.0

    @property
    def cold_start_ratio(self) -> float:
        return self.cold_starts / self.accepted if self.accepted else 0.0

    @property
    def throttled_ratio(self) -> float:
        return self.throttled / self.requests if self.requests else 0.0


class Pool:
    """Environments of one function, driven by an Engine's clock.

    Use: `env = pool.acquire(now)` (None: throttled or refused, see `last_refusal`), then
    `handler_start = pool.start(env, now)`, and at completion `pool.release(env, now)`.
    `drive()` is the fast loop for plain request/response traffic.
    """

    def __init__(self, engine: Engine, config: PoolConfig):
        if config.reuse not in REUSE_CHOICES:
            raise ParamError(f"--reuse must be one of {', '.join(REUSE_CHOICES)}, got {config.reuse}")
        self.engine = engine
        self.config = config
        self.stats = PoolStats()
        self.idle: deque[Env] = deque()  # on-demand idle, ordered by idle-since (oldest left)
        self.idle_provisioned: list[Env] = []
        self.envs: dict[int, Env] = {}
        self.busy = 0
        self.alive = 0
        self.tokens = float(config.scaling_burst)
        self.tokens_at = engine.now
        self.last_refusal = ""  # "rate", "limit", "scaling" or "refused" after a failed acquire
        # the RPS quota, counted in 1-second windows [n, n + 1) (MODEL ASSUMPTION: AWS states the
        # quota per second, not how it is metered)
        self.rps_limit = math.inf if config.rps_limit is None else config.rps_limit
        self.rps_window_end = -math.inf
        self.rps_count = 0
        self._next_id = 0
        self._mru = config.reuse == "mru"
        self._recording = config.timeline_s > 0
        self._recorded_runs = 0
        self._timeline_envs: dict[int, dict] = {}
        self._next_sample = 0.0 if config.sample_every_s > 0 else math.inf
        self._fast_until = -math.inf  # drive()'s fast path is off until this time
        self._update_fast_until()
        self._since = [0, 0, 0, 0]  # requests, throttled, cold, refused since the last sample
        self._slice_alive = self._slice_busy = 0  # peaks since the last sample
        for _ in range(config.provisioned):
            self._create(engine.now, provisioned=True)

    # --- environments ---------------------------------------------------------------------

    def _create(self, now: float, *, provisioned: bool = False) -> Env:
        env = Env(self._next_id, now, 0.0 if provisioned else self.config.cold_s, provisioned)
        self._next_id += 1
        self.envs[env.id] = env
        self.alive += 1
        stats = self.stats
        stats.envs_started += 1
        if self.alive > stats.peak_alive:
            stats.peak_alive = self.alive
        if self.alive > self._slice_alive:
            self._slice_alive = self.alive
        if provisioned:
            self.idle_provisioned.append(env)
        if self._recording and now < self.config.timeline_s:
            env.runs = []
            self._timeline_envs[env.id] = {"id": env.id, "born": now, "provisioned": provisioned,
                                           "cold_s": env.cold_s, "reclaimed": None, "runs": env.runs}
        return env

    def _reclaim_expired(self, now: float) -> None:
        idle, keep_alive = self.idle, self.config.keep_alive_s
        while idle and idle[0].end + keep_alive <= now:
            env = idle.popleft()
            gone = env.end + keep_alive
            self.stats.alive_area += gone - env.born
            self.stats.envs_reclaimed += 1
            self.alive -= 1
            del self.envs[env.id]
            if env.runs is not None:
                self._timeline_envs[env.id]["reclaimed"] = gone

    def _refill(self, now: float) -> float:
        if self.tokens < self.config.scaling_burst:
            self.tokens = min(float(self.config.scaling_burst),
                              self.tokens + (now - self.tokens_at) * self.config.scaling_refill_per_s)
        self.tokens_at = now
        return self.tokens

    def slice_peaks(self) -> tuple[int, int]:
        """Peak alive and busy environments since the previous call (a new slice starts now)."""
        peaks = max(self._slice_alive, self.alive), max(self._slice_busy, self.busy)
        self._slice_alive, self._slice_busy = self.alive, self.busy
        return peaks

    def _sample(self, now: float) -> None:
        requests, throttled, cold, refused = self._since
        alive, busy = self.slice_peaks()
        self.stats.samples.append([round(now, 6), alive, busy, requests, throttled, cold,
                                   round(self._refill(now), 3), refused])
        self._since = [0, 0, 0, 0]
        every = self.config.sample_every_s
        self._next_sample = (math.floor(now / every) + 1) * every
        self._update_fast_until()

    def acquire(self, now: float) -> Env | None:
        """An environment for a request arriving now, or None (see `last_refusal`)."""
        stats = self.stats
        stats.requests += 1
        if self.idle and self.idle[0].end + self.config.keep_alive_s <= now:
            self._reclaim_expired(now)
        if now >= self._next_sample:
            self._sample(now)
        self._since[0] += 1
        if self._recording and (now >= self.config.timeline_s
                                or self._recorded_runs >= self.config.timeline_max_runs):
            self._stop_recording(now)
        if now >= self.rps_window_end:
            self.rps_window_end, self.rps_count = math.floor(now) + 1.0, 0
        if self.rps_count >= self.rps_limit:
            stats.throttled_rate += 1
            self._since[1] += 1
            self.last_refusal = "rate"
            return None
        self.rps_count += 1
        if self.idle_provisioned:
            return self.idle_provisioned.pop()
        if self.idle:
            return self.idle.pop() if self._mru else self.idle.popleft()
        if self.busy >= self.config.limit:
            stats.throttled_limit += 1
            self._since[1] += 1
            self.last_refusal = "limit"
            return None
        cap = self.config.alive_cap
        if cap is not None and self.alive >= cap:
            stats.refused += 1
            self._since[3] += 1
            self.last_refusal = "refused"
            return None
        if self.tokens < 1.0 and self._refill(now) < 1.0:
            stats.throttled_scaling += 1
            self._since[1] += 1
            self.last_refusal = "scaling"
            return None
        self._refill(now)
        self.tokens -= 1.0
        return self._create(now)

    def start(self, env: Env, now: float) -> float:
        """Mark `env` busy from now; returns when its handler starts (after init if cold)."""
        stats = self.stats
        stats.accepted += 1
        self.busy += 1
        if self.busy > stats.peak_busy:
            stats.peak_busy = self.busy
        if self.busy > self._slice_busy:
            self._slice_busy = self.busy
        env.busy = True
        env.start = now
        if env.fresh:
            env.fresh = False
            stats.cold_starts += 1
            self._since[2] += 1
            stats.init_s += env.cold_s
            handler_start = now + env.cold_s
        else:
            handler_start = now
        env.handler_start = handler_start
        if env.provisioned:
            stats.provisioned_invocations += 1
        if env.runs is not None and self._recording:
            env.runs.append([now, handler_start, None])
            self._recorded_runs += 1
        return handler_start

    def _stop_recording(self, now: float) -> None:
        """The window ends at its planned end, or at the request that found it full."""
        self._recording = False
        self.stats.timeline_end_s = min(now, self.config.timeline_s)
        self._update_fast_until()

    def _update_fast_until(self) -> None:
        self._fast_until = -math.inf if self._recording else self._next_sample

    def release(self, env: Env, now: float) -> None:
        """The invocation on `env` ended now: it becomes idle."""
        stats = self.stats
        self.busy -= 1
        env.busy = False
        env.end = now
        stats.busy_area += now - env.start
        if env.provisioned:
            stats.provisioned_handler_s += now - env.handler_start
            self.idle_provisioned.append(env)
        else:
            stats.handler_s += now - env.handler_start
            self.idle.append(env)
        if env.runs and env.runs[-1][2] is None:
            env.runs[-1][2] = now

    # --- the fast loop --------------------------------------------------------------------

    def drive(self, arrivals: Iterable[float], durations: Iterable[float],
              latency: LatencyHistogram, progress: Callable[[int], None] | None = None,
              progress_every: int = 10_000) -> None:
        """Serve plain request/response traffic: the i-th arrival gets the i-th duration (even
        when throttled, so scenarios fed the same seed see the same traffic), takes an environment
        and runs init (if cold) plus the handler. Stops at the last arrival (the horizon).

        The common case (a warm on-demand environment, no reclaim, sample or timeline due) is
        `acquire` + `start` + `release` inlined for speed: a 1,000,000-request run must take about
        a second. Everything else goes through the methods, which are the reference semantics (a
        test checks that both give identical results).

        drive() owns the clock: the only events are the releases it schedules, kept on its own
        heap of (end, sequence, env) and popped before each arrival in the order Engine.run would
        (Engine.run/Engine.at per request were half the run time).
        """
        engine = self.engine
        if len(engine):
            raise RuntimeError("Pool.drive owns the clock: schedule nothing else on its engine")
        pending: list = []  # (end, sequence, env): invocations in flight
        seq = 0  # a local counter: cheaper than next(engine._sequence), and drive owns the clock
        push, pop = heapq.heappush, heapq.heappop
        stats = self.stats
        idle, idle_provisioned = self.idle, self.idle_provisioned
        keep_alive = self.config.keep_alive_s
        take = idle.pop if self._mru else idle.popleft  # most or least recently used
        acquire_slow, start_slow, release_slow = self.acquire, self.start, self.release
        hist_bins = latency.bins
        total_ms, max_ms = latency.total_ms, latency.max_ms
        count = slow = rejected = fast_since = 0  # fast-path requests = count - slow; accepted = count - rejected
        report_at = progress_every if progress is not None else -1
        t = engine.now
        # busy environments and the slice peak live in locals here; self.busy and
        # self._slice_busy are written back before any method that reads them is called
        busy, slice_busy, fast_until = self.busy, self._slice_busy, self._fast_until
        rps_limit, rps_window_end, rps_count = self.rps_limit, self.rps_window_end, self.rps_count
        floor = math.floor
        slack = BIN_SLACK_MS
        busy_area = handler_s = 0.0
        for t, d in zip(arrivals, durations):
            while pending and pending[0][0] <= t:
                now, _, env = pop(pending)
                if env.provisioned or env.runs is not None:
                    engine.now, self.busy = now, busy
                    release_slow(env, now)
                    busy = self.busy
                else:  # release(), inlined
                    busy -= 1
                    env.busy = False
                    env.end = now
                    busy_area += now - env.start
                    handler_s += now - env.handler_start
                    idle.append(env)
            count += 1
            if count == report_at:
                progress(progress_every)
                report_at += progress_every
            # fast path: a warm on-demand environment, nothing to reclaim, no sample/timeline due,
            # under the RPS quota in the current second
            if t >= rps_window_end:
                rps_window_end, rps_count = floor(t) + 1.0, 0
            if (idle and not idle_provisioned and t < fast_until
                    and idle[0].end + keep_alive > t and rps_count < rps_limit):
                rps_count += 1
                env = take()
                fast_since += 1
                busy += 1
                if busy > slice_busy:
                    slice_busy = busy
                    if busy > stats.peak_busy:
                        stats.peak_busy = busy
                env.busy = True
                env.start = env.handler_start = t
                end = t + d
            else:
                slow += 1
                if fast_since:
                    self._since[0] += fast_since
                    fast_since = 0
                self.busy, self._slice_busy = busy, slice_busy
                self.rps_window_end, self.rps_count = rps_window_end, rps_count
                stats.busy_area += busy_area
                stats.handler_s += handler_s
                busy_area = handler_s = 0.0
                engine.now = t  # only the methods read the clock; the fast path does not
                env = acquire_slow(t)
                if env is not None:
                    end = start_slow(env, t) + d
                busy, slice_busy, fast_until = self.busy, self._slice_busy, self._fast_until
                rps_window_end, rps_count = self.rps_window_end, self.rps_count
                if env is None:
                    rejected += 1
                    continue
            lat_ms = (end - t) * 1000.0
            edge = lat_ms - slack
            k = int(edge)  # ms_bin(), inlined: the upper edge of the 1-ms bin
            if k < edge:
                k += 1
            try:
                hist_bins[k] += 1
            except IndexError:
                hist_bins.extend([0] * (k + 1 - len(hist_bins) + 1024))
                hist_bins[k] += 1
            total_ms += lat_ms
            if lat_ms > max_ms:
                max_ms = lat_ms
            seq += 1
            push(pending, (end, seq, env))
        engine.now = t
        self.busy, self._slice_busy = busy, slice_busy
        self.rps_window_end, self.rps_count = rps_window_end, rps_count
        stats.busy_area += busy_area
        stats.handler_s += handler_s
        stats.requests += count - slow
        stats.accepted += count - slow
        latency.count += count - rejected
        latency.total_ms, latency.max_ms = total_ms, max_ms
        self._since[0] += fast_since
        if progress is not None and count % progress_every:
            progress(count % progress_every)
        self.finish(t)

    # --- the end --------------------------------------------------------------------------

    def finish(self, horizon: float) -> PoolStats:
        """Close the books at `horizon`: environments still alive count until then (or until
        their keep-alive ran out), invocations still running count as busy until then."""
        stats = self.stats
        if self.config.sample_every_s > 0 and any(self._since):
            self._sample(horizon)  # what happened since the last sample: charts add up to the totals
        stats.horizon_s = horizon
        keep_alive = self.config.keep_alive_s
        for env in self.envs.values():
            if env.busy:
                stats.busy_area += max(0.0, horizon - env.start)
                stats.alive_area += horizon - env.born
            elif env.provisioned:
                stats.alive_area += horizon - env.born
            else:
                gone = min(env.end + keep_alive, horizon)
                stats.alive_area += max(0.0, gone - env.born)
                if env.end + keep_alive <= horizon:
                    stats.envs_reclaimed += 1
                    if env.runs is not None:
                        self._timeline_envs[env.id]["reclaimed"] = env.end + keep_alive
        if self._recording:
            stats.timeline_end_s = min(horizon, self.config.timeline_s)
        stats.timeline = self.timeline()
        return stats

    def timeline(self) -> list[dict]:
        """Environments recorded in the window: id, born, provisioned, cold_s, reclaimed (or
        None), runs [[start, handler_start, end or None], ...]."""
        return [self._timeline_envs[k] for k in sorted(self._timeline_envs)]


def check_traffic(params, *, max_requests: int) -> None:
    """The traffic options cold-start and rds-proxy share: pattern, rate, count, bursts, durations."""
    check_choice("pattern", params.pattern, PATTERNS)
    check_choice("duration-dist", params.duration_dist, DURATION_DISTS)
    check_choice("reuse", params.reuse, REUSE_CHOICES)
    low_rate = 0.0 if params.pattern == "burst" else 1e-6
    check_range("arrival_rate", params.arrival_rate, low_rate, 100_000,
                why="requests per second; the model stops at 100,000")
    check_range("requests", params.requests, 1, max_requests,
                why=f"the number of requests to simulate; the model stops at {max_requests // 1_000_000} million")
    # Burst options are checked even without --pattern burst: a typo there is reported, not ignored.
    check_range("burst_size", params.burst_size, 1 if params.pattern == "burst" and params.arrival_rate == 0 else 0,
                100_000, why="requests in each burst (at least 1 when --arrival-rate is 0)")
    check_range("burst_every_s", params.burst_every_s, 1, 86_400, why="seconds between bursts")
    check_range("burst_at_s", params.burst_at_s, 0, 86_400, why="when the first burst starts")
    check_range("duration_ms", params.duration_ms, 1, MAX_TIMEOUT_MS,
                why="handler time; a function times out after at most 900 s")
