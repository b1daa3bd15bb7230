"""pricing: a month of Lambda, x86 vs arm64, the free tier, a memory sweep, the break-even with Fargate.

Lambda prices come from `sims.prices` (US East, on demand; lambda-facts.md §11; dated PRICES_AS_OF,
sourced PRICING_URL). Exact formulas (simulation-notes.md F10):
    billed ms      = ceil(duration ms)                  (1-ms billing)
    GB-s           = requests x billed s x memory MB / 1024
    month $        = requests/1M x $0.20 + GB-s x $/GB-s(arch)
    free tier      = 1M requests + 400,000 GB-s per month, always free, both architectures
                     (modelled as if this were the account's only function)
    break-even     R* = Fargate $/month / (2,628,000 s x Lambda $/request), free tier ignored

Memory sweep (like AWS Lambda Power Tuning): the given duration at the given memory is split into a
CPU-bound part and a waiting part (`cpu_bound`, default 1.0 = all CPU). The CPU part scales with the
vCPU share (1,769 MB = 1 vCPU); MODEL ASSUMPTION: single-threaded code gains nothing beyond one
vCPU. The waiting part does not change with memory.

Fargate prices are from SECONDARY sources (vantage.sh, wring.co, as transcribed in
simulation-notes.md F10), not the AWS page; per-second billing, 730-hour month. EC2 is not modelled:
no EC2 price has been checked against an AWS page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from lambda_prep.sims import prices
from lambda_prep.sims.common import ParamError, check_range
from lambda_prep.sims.limits import MB_PER_VCPU, MEMORY_MAX_MB, MEMORY_MIN_MB

ARCHES = ("x86_64", "arm64")
HOURS_PER_MONTH = 730
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600  # 2,628,000
FARGATE = {  # $ per vCPU-hour, $ per GB-hour, Linux, us-east-1, on demand (secondary sources)
    "x86_64": {"vcpu_hour": 0.04048, "gb_hour": 0.004445},
    "arm64": {"vcpu_hour": 0.03238, "gb_hour": 0.00356},
}
FARGATE_SOURCES = (
    "https://www.vantage.sh/blog/fargate-pricing",
    "https://www.wring.co/blog/aws-fargate-pricing-guide",
)
FARGATE_VCPU = (0.25, 0.5, 1, 2, 4, 8, 16)
REFERENCE_TASKS = ((0.25, 0.5), (1.0, 2.0))  # the two task sizes of simulation-notes F10
SWEEP_MEMORY_MB = (128, 256, 512, 1024, 1536, 1769, 2048, 3008, 4096, 6144, 8192, 10240)
TIER_1_GB_SECONDS = {"x86_64": 6e9, "arm64": 7.5e9}  # the first tier's size (lambda-facts §11)

SOURCES = prices.SOURCES + FARGATE_SOURCES


def billed_ms(duration_ms: float) -> int:
    return math.ceil(round(duration_ms, 6))


def per_request_cost(duration_ms: float, memory_mb: float, arch: str = "x86_64") -> float:
    """$ for one invocation, no free tier: request + billed duration."""
    return prices.request_cost(1) + prices.duration_cost(billed_ms(duration_ms) / 1000 * memory_mb / 1024, arch)


def fargate_monthly(vcpu: float, gb: float, arch: str = "x86_64", tasks: int = 1) -> float:
    rate = FARGATE[arch]
    return tasks * (vcpu * rate["vcpu_hour"] + gb * rate["gb_hour"]) * HOURS_PER_MONTH


def break_even_rps(lambda_per_request: float, fargate_per_month: float, rps_per_task: float = 0.0) -> float | None:
    """Requests per second above which Fargate is cheaper (free tier ignored).

    With one task always enough (rps_per_task 0): R* = F / (2,628,000 x p). With tasks of capacity
    R each, Fargate costs ceil(r / R) x F, so the lines cross only if F / (2,628,000 x p) <= R;
    otherwise a fully loaded task still costs more per request than Lambda: None.
    """
    r_star = fargate_per_month / (SECONDS_PER_MONTH * lambda_per_request)
    if rps_per_task and r_star > rps_per_task:
        return None
    return r_star


@dataclass(frozen=True)
class Params:
    requests_per_month: float = 3_000_000
    duration_ms: float = 100.0
    memory_mb: int = 512
    arch: str = "x86_64"
    free_tier: bool = True
    cpu_bound: float = 1.0
    fargate_vcpu: float = 0.25
    fargate_gb: float = 0.5
    fargate_rps_per_task: float = 0.0

    def __post_init__(self) -> None:
        check_range("requests", self.requests_per_month, 0, 1e12, why="requests in a month")
        check_range("duration_ms", self.duration_ms, 1, 900_000,
                    why="one invocation's duration; the 900 s timeout caps it")
        check_range("memory_mb", self.memory_mb, MEMORY_MIN_MB, MEMORY_MAX_MB,
                    why="Lambda's memory range, in 1-MB steps")
        check_range("cpu_bound", self.cpu_bound, 0, 1,
                    why="the share of the duration spent computing; the rest is waiting (I/O)")
        if self.arch not in ARCHES:
            raise ParamError(f"--arch must be one of {', '.join(ARCHES)}, got {self.arch!r}")
        if self.fargate_vcpu not in FARGATE_VCPU:
            raise ParamError(f"--fargate-vcpu must be one of {', '.join(f'{v:g}' for v in FARGATE_VCPU)}, "
                             f"got {self.fargate_vcpu:g} (Fargate task sizes)")
        check_range("fargate_gb", self.fargate_gb, 0.5, 120, why="Fargate task memory in GB")
        check_range("fargate_rps_per_task", self.fargate_rps_per_task, 0.001, 1e6, or_value=0,
                    why="requests per second one task can serve; 0 = one task is always enough (a model assumption)")


@dataclass
class Bill:
    arch: str
    free_tier: bool
    requests: float
    billed_ms: int
    gb_seconds: float
    free_requests: float
    free_gb_seconds: float
    request_cost: float
    duration_cost: float

    @property
    def total(self) -> float:
        return self.request_cost + self.duration_cost

    def to_json(self) -> dict:
        return {"arch": self.arch, "free_tier": self.free_tier, "requests": self.requests,
                "billed_ms_per_request": self.billed_ms, "gb_seconds": round(self.gb_seconds, 6),
                "free_requests_used": self.free_requests, "free_gb_seconds_used": round(self.free_gb_seconds, 6),
                "request_cost_usd": round(self.request_cost, 6), "duration_cost_usd": round(self.duration_cost, 6),
                "total_usd": round(self.total, 6)}


def monthly_bill(requests: float, duration_ms: float, memory_mb: float, arch: str = "x86_64",
                 free_tier: bool = True) -> Bill:
    ms = billed_ms(duration_ms)
    gb_s = requests * ms / 1000 * memory_mb / 1024
    free_req = min(requests, prices.FREE_REQUESTS) if free_tier else 0.0
    free_gbs = min(gb_s, prices.FREE_GB_SECONDS) if free_tier else 0.0
    return Bill(arch, free_tier, requests, ms, gb_s, free_req, free_gbs,
                prices.request_cost(requests - free_req), prices.duration_cost(gb_s - free_gbs, arch))


@dataclass
class SweepRow:
    memory_mb: int
    duration_ms: float
    billed_ms: int
    cost_per_million: float
    monthly: float
    cheapest: bool = False
    fastest: bool = False
    chosen: bool = False

    def to_json(self) -> dict:
        return {"memory_mb": self.memory_mb, "duration_ms": round(self.duration_ms, 3), "billed_ms": self.billed_ms,
                "cost_per_million_usd": round(self.cost_per_million, 6), "monthly_usd": round(self.monthly, 6),
                "cheapest": self.cheapest, "fastest": self.fastest, "chosen": self.chosen}


@dataclass
class BreakEven:
    vcpu: float
    gb: float
    fargate_monthly: float
    rps: float | None
    rps_per_task: float = 0.0  # 0: one task serves any load (simulation-notes F10)

    @property
    def requests_per_month(self) -> float | None:
        return None if self.rps is None else self.rps * SECONDS_PER_MONTH

    def to_json(self) -> dict:
        return {"fargate_vcpu": self.vcpu, "fargate_gb": self.gb, "fargate_monthly_usd": round(self.fargate_monthly, 4),
                "fargate_rps_per_task": self.rps_per_task or None,
                "break_even_rps": None if self.rps is None else round(self.rps, 4),
                "break_even_requests_per_month": None if self.rps is None else round(self.requests_per_month)}


@dataclass
class Result:
    params: Params
    seed: int
    bill: Bill
    bill_no_free_tier: Bill
    other_arch: Bill
    per_request: float
    sweep: list[SweepRow]
    cheapest_memory_mb: int
    fastest_memory_mb: int
    break_even: list[BreakEven]
    chart: list[dict]
    notes: list[str]

    @property
    def monthly_cost(self) -> float:
        return self.bill.total

    def to_json(self) -> dict:
        p = self.params
        return {
            "simulation": "pricing",
            "seed": self.seed,
            "params": {"requests_per_month": p.requests_per_month, "duration_ms": p.duration_ms,
                       "memory_mb": p.memory_mb, "arch": p.arch, "free_tier": p.free_tier, "cpu_bound": p.cpu_bound,
                       "fargate_vcpu": p.fargate_vcpu, "fargate_gb": p.fargate_gb,
                       "fargate_rps_per_task": p.fargate_rps_per_task},
            "monthly_cost_usd": round(self.monthly_cost, 6),
            "bill": self.bill.to_json(),
            "bill_without_free_tier": self.bill_no_free_tier.to_json(),
            "other_arch": self.other_arch.to_json(),
            "cost_per_request_usd": self.per_request,
            "memory_sweep": [r.to_json() for r in self.sweep],
            "cheapest_memory_mb": self.cheapest_memory_mb,
            "fastest_memory_mb": self.fastest_memory_mb,
            "break_even": [b.to_json() for b in self.break_even],
            "chart": self.chart,
            "prices": {"as_of": prices.PRICES_AS_OF, "source": prices.PRICING_URL,
                       "request_per_million_usd": prices.REQUEST_PER_MILLION, "gb_second_usd": dict(prices.GB_SECOND),
                       "free_requests": prices.FREE_REQUESTS, "free_gb_seconds": prices.FREE_GB_SECONDS,
                       "fargate": FARGATE, "fargate_sources": list(FARGATE_SOURCES),
                       "fargate_note": "secondary sources, not the AWS page"},
            "notes": list(self.notes),
        }


def sweep_duration_ms(p: Params, memory_mb: float) -> float:
    """Duration at another memory size: the CPU part scales with the vCPU share up to one vCPU."""
    cpu_at_config = p.cpu_bound * p.duration_ms
    wait = p.duration_ms - cpu_at_config
    speed_config = min(1.0, p.memory_mb / MB_PER_VCPU)
    speed = min(1.0, memory_mb / MB_PER_VCPU)
    return wait + cpu_at_config * speed_config / speed


def run(params: Params, seed: int = 1, progress: Callable[[int], None] | None = None) -> Result:
    p = params
    bill = monthly_bill(p.requests_per_month, p.duration_ms, p.memory_mb, p.arch, p.free_tier)
    no_free = monthly_bill(p.requests_per_month, p.duration_ms, p.memory_mb, p.arch, False)
    other = "arm64" if p.arch == "x86_64" else "x86_64"
    other_bill = monthly_bill(p.requests_per_month, p.duration_ms, p.memory_mb, other, p.free_tier)
    per_request = per_request_cost(p.duration_ms, p.memory_mb, p.arch)

    rows = []
    for memory in sorted(set(SWEEP_MEMORY_MB) | {p.memory_mb}):
        duration = sweep_duration_ms(p, memory)
        ms = billed_ms(duration)
        cost = per_request_cost(duration, memory, p.arch)
        rows.append(SweepRow(memory, duration, ms, cost * 1_000_000,
                             monthly_bill(p.requests_per_month, duration, memory, p.arch, p.free_tier).total,
                             chosen=memory == p.memory_mb))
    cheapest = min(rows, key=lambda r: (round(r.cost_per_million, 9), r.billed_ms, r.memory_mb))
    fastest = min(rows, key=lambda r: (r.billed_ms, round(r.cost_per_million, 9), r.memory_mb))
    cheapest.cheapest = True
    fastest.fastest = True

    tasks = [(p.fargate_vcpu, p.fargate_gb)] + [t for t in REFERENCE_TASKS if t != (p.fargate_vcpu, p.fargate_gb)]
    breaks = []
    for i, (vcpu, gb) in enumerate(tasks):
        monthly = fargate_monthly(vcpu, gb, p.arch)
        capacity = p.fargate_rps_per_task if i == 0 else 0.0  # a capacity is given for the chosen task only
        breaks.append(BreakEven(vcpu, gb, monthly, break_even_rps(per_request, monthly, capacity), capacity))

    main = breaks[0]
    centre = main.rps if main.rps else 1.0
    low = 10 ** math.floor(math.log10(centre / 100))
    high = 10 ** math.ceil(math.log10(centre * 100))
    points = 61
    chart = []
    for i in range(points):
        rps = low * (high / low) ** (i / (points - 1))
        lam = rps * SECONDS_PER_MONTH * per_request
        n_tasks = max(1, math.ceil(rps / p.fargate_rps_per_task)) if p.fargate_rps_per_task else 1
        chart.append({"rps": rps, "lambda_usd": lam,
                      "fargate_usd": fargate_monthly(p.fargate_vcpu, p.fargate_gb, p.arch, n_tasks)})

    notes = [
        f"Prices as of {prices.PRICES_AS_OF} from {prices.PRICING_URL} (US East, on demand, first tier); the "
        "arm64 rate is confidence M (transcribed).",
        "Free tier: 1M requests and 400,000 GB-s a month, shared by every function in the account and both "
        "architectures; modelled as if this were the only function.",
        "Fargate: $0.04048/vCPU-h + $0.004445/GB-h (x86), $0.03238 + $0.00356 (arm64), from secondary sources "
        "(vantage.sh, wring.co), not the AWS page; a 730-hour month; the break-even ignores the free tier.",
        "Fargate capacity: " + ("one task is assumed to serve any load (simulation-notes F10)."
                                if not p.fargate_rps_per_task else
                                f"one task serves {p.fargate_rps_per_task:g} requests/s (model assumption)."),
        "Memory sweep: the CPU part scales with memory up to one vCPU (1,769 MB); single-threaded code gains "
        "nothing beyond (model assumption). arm64 is priced with the same duration (real speed varies).",
        "Not modelled: EC2 (no AWS-sourced price checked), provisioned concurrency, /tmp above 512 MB, "
        "data transfer, tiered discounts above the first tier.",
    ]
    if bill.gb_seconds > TIER_1_GB_SECONDS[p.arch]:
        notes.append("This month is above the first pricing tier; the tier discounts are not modelled.")
    if progress:
        progress(1)
    return Result(p, seed, bill, no_free, other_bill, per_request, rows, cheapest.memory_mb, fastest.memory_mb,
                  breaks, chart, notes)
