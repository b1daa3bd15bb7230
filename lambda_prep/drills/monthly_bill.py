"""A month's Lambda bill: requests, duration, memory, architecture, the free tier."""

from __future__ import annotations

from lambda_prep.drills.base import Drill, money, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.pricing import monthly_bill

KIND = "monthly-bill"
TOPIC = "pricing-performance"
SUMMARY = "a month's bill, x86_64 vs arm64, with and without the free tier"
SOURCES = (facts.PRICING_URL,)


def generate(rng, seed: int) -> Drill:
    requests = pick(rng, (5_000_000, 10_000_000, 30_000_000, 100_000_000))
    duration_ms = pick(rng, (50, 120, 200, 400))
    memory_mb = pick(rng, (512, 1024, 2048))
    arch = pick(rng, facts.ARCHITECTURES)
    bill = monthly_bill(requests, duration_ms, memory_mb, arch, free_tier=True)  # the pricing model's own bill
    right = money(bill.total)
    other = "arm64" if arch == "x86_64" else "x86_64"
    raw = {
        money(monthly_bill(requests, duration_ms, memory_mb, arch, free_tier=False).total): "forgetting the free tier",
        money(monthly_bill(requests, duration_ms, memory_mb, other, free_tier=True).total):
            f"pricing the duration at the {other} rate",
        money(monthly_bill(requests, duration_ms, memory_mb, arch, free_tier=True).duration_cost):
            "forgetting the per-request charge",
        money(monthly_bill(requests, -(-duration_ms // 100) * 100, memory_mb, arch, free_tier=True).total):
            "rounding the duration up to 100 ms (billing is per 1 ms since December 2020)",
    }
    wrong = {text: why for text, why in raw.items() if text != right}
    choices, misconceptions = options(rng, right, wrong)
    rate = facts.gb_second(arch)
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"requests_per_month": requests, "duration_ms": duration_ms, "memory_mb": memory_mb,
                "architecture": arch, "free_tier": True},
        prompt=(f"A function on {arch} with {memory_mb:,} MB runs {requests / 1e6:g} million times a month, "
                f"{duration_ms} ms each. With the always-free tier, and leaving cold starts aside, about what is "
                f"the month's bill (us-east-1, on demand, {facts.PRICES_AS_OF} prices)?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"Compute: {requests:,} x {duration_ms / 1000:g} s x {memory_mb / 1024:g} GB = "
                     f"{bill.gb_seconds:,.0f} GB-s, less {facts.FREE_GB_SECONDS.value:,} free, at ${rate:.10g} per "
                     f"GB-s ({arch}) = {money(bill.duration_cost)}. Requests: ({requests:,} - "
                     f"{facts.FREE_REQUESTS.value:,} free) x ${facts.REQUEST_PER_MILLION.value:.2f} per million = "
                     f"{money(bill.request_cost)}. Total {right}. arm64 (Graviton) costs about 20% less per GB-s. "
                     f"Cold starts add their INIT time at the same rate (billed since August 2025)."),
        simulate=(f"lambda-prep simulate pricing --requests-per-month {requests} --duration-ms {duration_ms} "
                  f"--memory-mb {memory_mb} --architecture {arch} --cold-start-ratio 0"),
    )
