"""Lambda prices the simulations use (US East, on demand), each with its source and date.

From shared/reference/lambda-facts.md §11. Rates the fact sheet marks M (transcribed from the
pricing page, whose rate tables load via JavaScript) are labelled as such wherever they are shown.
"""

from __future__ import annotations

PRICES_AS_OF = "2026-11"
PRICING_URL = "https://aws.amazon.com/lambda/pricing/"

REQUEST_PER_MILLION = 0.20  # $ per 1M requests, x86 and arm64 (pricing page examples; confidence H)
GB_SECOND = {"x86_64": 0.0000166667, "arm64": 0.0000133334}  # first pricing tier (confidence M-H / M)
PROVISIONED_GB_SECOND = 0.0000041667  # $ per GB-s of provisioned concurrency configured (confidence M)
PROVISIONED_INVOKED_GB_SECOND = 0.0000097222  # $ per GB-s of duration on provisioned environments (M)
FREE_REQUESTS = 1_000_000  # per month, always free (not 12-month)
FREE_GB_SECONDS = 400_000  # per month, always free; does not apply to provisioned concurrency
BILLING_GRANULARITY_MS = 1  # since Dec 2020

SOURCES = (
    PRICING_URL,
    "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html",
    "https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/",
)


def request_cost(requests: float) -> float:
    return requests / 1_000_000 * REQUEST_PER_MILLION


def duration_cost(gb_seconds: float, arch: str = "x86_64") -> float:
    return gb_seconds * GB_SECOND[arch]
