"""Little's law: how much concurrency does this traffic need, and is the reserved setting enough?"""

from __future__ import annotations

from lambda_prep.sims import facts
from lambda_prep.drills.base import Drill, count, options, pick
from lambda_prep.sims.common import erlang_b

KIND = "concurrency-needed"
TOPIC = "concurrency"
SUMMARY = "Little's law and throttling under reserved concurrency (Erlang-B)"
SOURCES = (facts.CONCURRENCY_URL,)


def generate(rng, seed: int) -> Drill:
    rate = pick(rng, (20, 50, 100, 200, 400))
    duration_ms = pick(rng, (100, 200, 250, 400, 500))
    busy = rate * duration_ms / 1000  # Little's law: L = lambda x W
    reserved = max(1, round(busy * pick(rng, (0.5, 0.8, 1.0, 1.5, 2.0))))
    blocked = erlang_b(reserved, busy)  # the concurrency model's own steady-state check
    if blocked < 0.01:
        verdict = "Almost never throttled (under 1% of requests)"
    elif blocked < 0.10:
        verdict = "Throttled now and then (1-10% of requests)"
    else:
        verdict = "Throttled often (over 10% of requests)"
    wrong = {v: why for v, why in (
        ("Almost never throttled (under 1% of requests)",
         "comparing the reserved value with the request rate per second, not with requests in flight"),
        ("Throttled now and then (1-10% of requests)",
         "forgetting that random arrivals bunch up, so a limit at the average still throttles"),
        ("Throttled often (over 10% of requests)",
         "counting a request per second as a whole environment for the whole second"),
        ("Every request beyond the first is throttled", "thinking concurrency means requests per second"),
    )}
    choices, misconceptions = options(rng, verdict, wrong)
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"arrival_rate": rate, "duration_ms": duration_ms, "reserved_concurrency": reserved,
                "average_concurrency": busy, "throttled_share": round(blocked, 4)},
        prompt=(f"A function receives {rate} requests per second (random arrivals), each taking {duration_ms} ms. "
                f"Its reserved concurrency is {reserved}. What happens?"),
        choices=choices, answer=verdict, misconceptions=misconceptions,
        explanation=(f"Concurrency is requests in flight, not requests per second. Little's law: "
                     f"{rate}/s x {duration_ms / 1000:g} s = {count(busy)} busy environments on average. With "
                     f"{reserved} reserved, random arrivals are throttled about {blocked:.1%} of the time "
                     f"(Erlang-B, which the simulation reproduces). A synchronous caller gets 429 at once; Lambda "
                     f"does not retry it (the SDK may)."),
        simulate=(f"lambda-prep simulate concurrency --no-sqs --arrival-rate {rate} --duration-ms {duration_ms} "
                  f"--concurrency-limit {reserved} --seed {seed}"),
    )
