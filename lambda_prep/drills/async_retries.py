"""An async function fails some of the time: how many events reach the on-failure destination?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, count, distinct, options, pick
from lambda_prep.sims import facts

KIND = "async-retries"
TOPIC = "retries"
SUMMARY = "how many async events end in the DLQ or on-failure destination"
SOURCES = (facts.ASYNC_ERRORS_URL,)


def dead_lettered(events: int, failure_rate: float, retries: int) -> float:
    # The retries model's closed form: every attempt fails independently; an event is dead-lettered
    # only when the first attempt and all `retries` retries fail: p^(retries + 1).
    return events * failure_rate ** (retries + 1)


def generate(rng, seed: int) -> Drill:
    events = pick(rng, (1_000, 10_000, 50_000, 100_000))
    p = pick(rng, (0.1, 0.2, 0.3, 0.4, 0.5))
    retries = pick(rng, (0, 1, 2))
    right = count(dead_lettered(events, p, retries))
    wrong = distinct({
        count(events * p ** retries): "forgetting the first attempt (counting only the retries)",
        count(events * p): "forgetting the retries (only the first attempt fails)",
        count(events * p ** (facts.ASYNC_MAX_RETRIES.value + 1)): "assuming the default of 2 retries whatever the setting",
        count(events * p * (retries + 1)): "adding the failure rate once per attempt instead of multiplying",
    }, right)
    choices, misconceptions = options(rng, right, wrong)
    attempts = retries + 1
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"events": events, "failure_rate": p, "max_retries": retries},
        prompt=(f"A function invoked asynchronously fails {p:.0%} of the time, each attempt independently. "
                f"Its MaximumRetryAttempts is {retries}. Out of {events:,} events, about how many end in the "
                f"on-failure destination?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"Each event gets the first attempt plus {retries} "
                     f"retr{'y' if retries == 1 else 'ies'}: {attempts} attempt{'s' if attempts != 1 else ''} "
                     f"in all. It is dead-lettered only if all of them fail: p^{attempts} = {p:g}^{attempts} = "
                     f"{p ** attempts:.4g}, so {events:,} x {p ** attempts:.4g} = {right}. Lambda retries async "
                     f"events at most {facts.ASYNC_MAX_RETRIES.value} times (0-2 is the setting), waiting about "
                     f"1 and then 2 minutes."),
        simulate=(f"lambda-prep simulate retries --source async --events {events} --failure-rate {p:g} "
                  f"--max-retries {retries} --seed {seed}"),
    )
