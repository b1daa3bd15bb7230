"""Noisy neighbours: functions sharing the account's concurrency, one burst, and reserved concurrency.

Every function in a Region draws on one account pool (1,000 by default). A function without
reserved concurrency uses the unreserved part; a burst from one of them fills it and the others
are throttled (sync callers get 429). Reserved concurrency is both a floor and a ceiling: it sets
capacity aside for one function only, and that function can never use more. AWS keeps at least
100 unreserved, so reservations add up to at most the account limit minus 100.

The run is played twice on the same traffic: once with no reservations, once with the reservations
asked for. Model choices: Poisson arrivals, a fixed handler time per function, synchronous callers
(a throttle is a 429 and the request is lost; no SDK retry), environments available at once (the
scaling rate is `simulate concurrency`'s subject).

Closed form the tests check (Erlang-B is insensitive to the service time and, for several classes
sharing one loss pool, every class sees the same blocking): in steady state a pool of c with total
offered load a = sum(rate x duration) throttles a share B(c, a) of every function in it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Callable

from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_range, envelope, erlang_b, rng

NAME = "noisy-neighbours"
FUNCTIONS = ("checkout", "search", "importer")
DURATIONS_S = {"checkout": 4.0, "search": 5.0, "importer": 8.0}  # model choice: handler time per function
RUN_S = 150.0
BURST_START_S = 30.0
BUCKET_S = 5.0
DEFAULT_RESERVE = (("checkout", 250), ("search", 200))
SOURCES = (F.CONCURRENCY_URL, F.QUOTAS_URL, F.METRICS_URL, F.SCALING_URL)


@dataclass(frozen=True)
class Params:
    checkout_rate: float = 50.0  # requests/s: 50 x 4 s = 200 concurrent
    search_rate: float = 30.0  # 30 x 5 s = 150 concurrent
    burst_rate: float = 250.0  # the importer's burst: 250 x 8 s = 2,000 concurrent wanted
    burst_s: float = 60.0  # how long the burst lasts, starting at t = 30 s
    account_concurrency: int = int(F.ACCOUNT_CONCURRENCY.value)
    reserve: tuple = DEFAULT_RESERVE  # the fix tried in the second run (None: this default)

    def __post_init__(self) -> None:
        if self.reserve is None:
            object.__setattr__(self, "reserve", DEFAULT_RESERVE)
        items = self.reserve.items() if isinstance(self.reserve, dict) else self.reserve
        reserve = tuple(_pair(item) for item in items)
        object.__setattr__(self, "reserve", reserve)
        check_range("checkout_rate", self.checkout_rate, 0, 500, why="requests per second")
        check_range("search_rate", self.search_rate, 0, 500, why="requests per second")
        check_range("burst_rate", self.burst_rate, 0, 1_000, why="requests per second; 0 = no burst")
        check_range("burst_s", self.burst_s, 0, RUN_S - BURST_START_S,
                    why=f"the burst starts at {BURST_START_S:g} s and the run lasts {RUN_S:g} s")
        check_range("account_concurrency", self.account_concurrency, 100, 20_000,
                    why="the Region's concurrency quota, default 1,000")
        names = [n for n, _ in reserve]
        for name, value in reserve:
            if name not in FUNCTIONS:
                raise ParamError(f"--reserve names a function of the demo ({', '.join(FUNCTIONS)}), got {name!r}")
            check_range("reserve", value, 0, self.account_concurrency, why=f"reserved concurrency for {name}")
        if len(set(names)) != len(names):
            raise ParamError("--reserve gives a function twice")
        most = self.account_concurrency - int(F.UNRESERVED_MINIMUM.value)
        if sum(v for _, v in reserve) > most:
            raise ParamError(f"--reserve must add up to at most {most:,} (the account's "
                             f"{self.account_concurrency:,} minus the {int(F.UNRESERVED_MINIMUM.value)} AWS keeps "
                             f"unreserved), got {sum(v for _, v in reserve):,}")
        if self.checkout_rate * DURATIONS_S["checkout"] + self.search_rate * DURATIONS_S["search"] == 0 \
                and self.burst_rate == 0:
            raise ParamError("--checkout-rate, --search-rate and --burst-rate are all 0: nothing to simulate")

    def rate(self, name: str, t: float) -> float:
        if name == "importer":
            return self.burst_rate if BURST_START_S <= t < BURST_START_S + self.burst_s else 0.0
        return self.checkout_rate if name == "checkout" else self.search_rate


def _pair(item) -> tuple[str, int]:
    """("checkout", 250), ["checkout", 250] or "checkout=250" (as typed) -> ("checkout", 250)."""
    typed = item
    if isinstance(item, str):
        name, _, value = item.partition("=")
        item = (name.strip(), value.strip())
    try:
        name, value = item
        return str(name), int(value)
    except (TypeError, ValueError):
        raise ParamError(f"--reserve takes NAME=N, e.g. checkout=250 ({', '.join(FUNCTIONS)}), got {typed!r}") \
            from None


@dataclass
class Scenario:
    label: str
    reserved: dict  # function -> reserved concurrency
    requests: dict
    throttled: dict
    peak: dict  # peak concurrency per function
    unreserved_pool: int
    peak_claimed: int  # ClaimedAccountConcurrency: reservations + unreserved in use
    series: list[dict] = field(default_factory=list)  # per bucket: concurrency and throttles per function

    def to_json(self) -> dict:
        return {
            "label": self.label,
            "reserved": self.reserved,
            "unreserved_pool": self.unreserved_pool,
            "functions": {name: {"requests": self.requests[name], "throttled": self.throttled[name],
                                 "throttled_ratio": round(self.throttled[name] / self.requests[name], 6)
                                 if self.requests[name] else 0.0,
                                 "peak_concurrency": self.peak[name]} for name in FUNCTIONS},
            "peak_claimed_account_concurrency": self.peak_claimed,
            "series": self.series,
        }


@dataclass
class Result:
    params: Params
    before: Scenario
    after: Scenario

    def theory(self) -> dict:
        """Steady-state throttle shares (Erlang-B) during the burst and outside it."""
        prm = self.params
        out = {}
        for scenario in (self.before, self.after):
            shared = [n for n in FUNCTIONS if n not in scenario.reserved]
            rows = {}
            for phase, t in (("quiet", 0.0), ("burst", BURST_START_S)):
                load = sum(prm.rate(n, t) * DURATIONS_S[n] for n in shared)
                row = {"unreserved": round(erlang_b(scenario.unreserved_pool, load), 6) if shared else None}
                for name, cap in scenario.reserved.items():
                    row[name] = round(erlang_b(cap, prm.rate(name, t) * DURATIONS_S[name]), 6)
                rows[phase] = row
            out[scenario.label] = rows
        return out

    def assumptions(self) -> list[str]:
        return [
            "Three functions in one account: checkout and search serve steady traffic; importer bursts "
            f"from t = {BURST_START_S:g} s (the demo's traffic).",
            "Handler times are fixed (checkout 4 s, search 5 s, importer 8 s); arrivals are Poisson.",
            "Callers are synchronous: a throttled request gets 429 and is lost (Lambda does not retry; an SDK "
            "might).",
            "Environments are available at once: the per-function scaling rate is left out (see simulate "
            "concurrency).",
            "Both runs see exactly the same requests, so the difference is the reservations alone.",
        ]

    def to_json(self) -> dict:
        results = {"before": self.before.to_json(), "after": self.after.to_json(), "theory": self.theory(),
                   "bucket_s": BUCKET_S, "run_s": RUN_S, "burst_start_s": BURST_START_S,
                   "durations_s": DURATIONS_S}
        return envelope(NAME, self.params, self.assumptions(), SOURCES, results)


def _arrivals(prm: Params, seed) -> list[tuple[float, int]]:
    r = rng(seed)
    out: list[tuple[float, int]] = []
    for k, name in enumerate(FUNCTIONS):
        if name == "importer":
            start, end, rate = BURST_START_S, BURST_START_S + prm.burst_s, prm.burst_rate
        else:
            start, end, rate = 0.0, RUN_S, prm.rate(name, 0.0)
        if rate <= 0:
            continue
        t = start
        while True:
            t += r.expovariate(rate)
            if t >= end:
                break
            out.append((t, k))
    out.sort()
    return out


def play(prm: Params, arrivals: list[tuple[float, int]], reserved: dict, label: str) -> Scenario:
    """One run of the traffic against the account pool with the given reservations."""
    cap = [reserved.get(n) for n in FUNCTIONS]
    pool = prm.account_concurrency - sum(reserved.values())
    duration = [DURATIONS_S[n] for n in FUNCTIONS]
    running = [deque() for _ in FUNCTIONS]  # end times, in order (fixed handler time per function)
    busy = [0, 0, 0]
    shared_busy = 0
    requests, throttled, peak = [0, 0, 0], [0, 0, 0], [0, 0, 0]
    buckets = int(RUN_S / BUCKET_S)
    series = [{"t": k * BUCKET_S, "concurrency": [0, 0, 0], "throttled": [0, 0, 0], "requests": [0, 0, 0]}
              for k in range(buckets)]
    peak_claimed = 0
    reserved_total = sum(reserved.values())
    for t, k in arrivals:
        for j in range(3):
            ends = running[j]
            while ends and ends[0] <= t:
                ends.popleft()
                busy[j] -= 1
                if cap[j] is None:
                    shared_busy -= 1
        row = series[min(buckets - 1, int(t / BUCKET_S))]
        requests[k] += 1
        row["requests"][k] += 1
        if (busy[k] >= cap[k]) if cap[k] is not None else (shared_busy >= pool):
            throttled[k] += 1
            row["throttled"][k] += 1
            continue
        busy[k] += 1
        if cap[k] is None:
            shared_busy += 1
        running[k].append(t + duration[k])
        peak[k] = max(peak[k], busy[k])
        row["concurrency"][k] = max(row["concurrency"][k], busy[k])
        peak_claimed = max(peak_claimed, reserved_total + shared_busy)
    named = lambda values: {n: values[j] for j, n in enumerate(FUNCTIONS)}  # noqa: E731
    return Scenario(label=label, reserved=dict(reserved), requests=named(requests), throttled=named(throttled),
                    peak=named(peak), unreserved_pool=pool, peak_claimed=peak_claimed,
                    series=[{"t": row["t"], "concurrency": named(row["concurrency"]),
                             "throttled": named(row["throttled"]), "requests": named(row["requests"])}
                            for row in series])


def run(params: Params, seed: int | None = 1, progress: Callable[[int], None] | None = None) -> Result:
    arrivals = _arrivals(params, seed)
    before = play(params, arrivals, {}, "no reservations")
    if progress is not None:
        progress(1)
    after = play(params, arrivals, dict(params.reserve), "with reservations")
    if progress is not None:
        progress(1)
    return Result(params=params, before=before, after=after)
