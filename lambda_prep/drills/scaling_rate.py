"""How long does Lambda take to scale one function to N environments?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, distinct, options, pick
from lambda_prep.sims import facts

KIND = "scaling-rate"
TOPIC = "concurrency"
SUMMARY = "the per-function scaling rate: 1,000 environments every 10 seconds"
SOURCES = (facts.SCALING_URL,)


def seconds_to_reach(target: int) -> float:
    # The concurrency model's token bucket: the first 1,000 at once, then 100 more each second.
    burst, refill = facts.SCALING_BURST.value, facts.SCALING_REFILL_PER_S.value
    return max(0.0, (target - burst) / refill)


def throttled_during_ramp(target: int) -> float:
    # Requests of 1 s each arriving at `target` per second need `target` environments; while the
    # bucket refills, the shortfall (target - available) is throttled each second: a triangle.
    return (target - facts.SCALING_BURST.value) * seconds_to_reach(target) / 2


def generate(rng, seed: int) -> Drill:
    target = pick(rng, (2_000, 2_500, 3_000, 3_500, 4_000, 4_500, 5_000))
    seconds = seconds_to_reach(target)
    right = f"About {seconds:g} seconds"
    old = max(0.0, (target - 3_000) / 500) * 60  # the retired model: burst 3,000 then 500 a minute
    wrong = distinct({
        f"About {old:g} seconds": "the retired model: a burst of 500-3,000, then 500 more per minute",
        f"About {target / 1_000 * 60:g} seconds": "1,000 environments per minute instead of per 10 seconds",
        "At once: Lambda scales instantly up to the account limit": "no per-function scaling rate",
        f"About {target / 100:g} seconds": "forgetting the first 1,000 come at once",
    }, right)
    choices, misconceptions = options(rng, right, wrong)
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"target_concurrency": target, "account_limit": 10_000, "seconds": seconds,
                "throttled_during_ramp": throttled_during_ramp(target)},
        prompt=(f"Traffic to one function jumps from nothing to {target:,} requests a second, each taking 1 s, "
                f"so it needs {target:,} concurrent environments. The account limit has been raised to 10,000. How long until Lambda can run all "
                f"{target:,} at once?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"Each function scales by up to {facts.SCALING_BURST.value:,} execution environments every "
                     f"10 seconds (a steady {facts.SCALING_REFILL_PER_S.value:g} a second after the first 1,000): "
                     f"({target:,} - 1,000) / 100 = {seconds:g} s. Requests beyond what is available are "
                     f"throttled meanwhile: with 1-second requests arriving at {target:,} a second, about "
                     f"{throttled_during_ramp(target):,.0f} of them. The old 500-3,000 burst plus 500 a minute "
                     f"was replaced in 2023."),
        simulate=(f"lambda-prep simulate concurrency --no-sqs --account-limit 10000 --arrival-rate {target} "
                  f"--duration-ms 1000 --requests {target * (int(seconds) + 20)} --seed {seed}"),
    )
