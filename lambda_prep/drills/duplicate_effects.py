"""An async function charges a card and some attempts fail after the charge: how many customers pay twice?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, distinct, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.idempotency import async_theory

KIND = "duplicate-effects"
TOPIC = "system-design"
SUMMARY = "side effects done twice by async retries without an idempotency key"
SOURCES = (facts.ASYNC_ERRORS_URL, facts.IDEMPOTENT_URL)


def whole(value: float) -> str:
    return f"{round(value):,}"


def generate(rng, seed: int) -> Drill:
    events = pick(rng, (1_000, 10_000, 100_000))
    p = pick(rng, (0.05, 0.1, 0.2, 0.3))
    q = pick(rng, (0.25, 0.5, 0.75))  # share of failures that come after the charge went through
    retries = pick(rng, (0, 1, 2, 2))
    # The idempotency model's closed form, with the transport's own redelivery set aside (AWS gives no rate).
    theory = async_theory(p, q, retries, 0.0)
    expected = events * theory["duplicate_rate"]
    right = whole(expected)
    wrong = {
        "0": "thinking a retry only follows a failure, so the charge never happened (a failure after the "
             "charge, such as a timeout waiting for the reply, makes the retry charge again)",
        whole(events * p): "counting every failed attempt as a double charge (only failures after the charge are)",
        whole(events * p ** (retries + 1)): "confusing double charges with the events that end in the on-failure "
                                            "destination (all attempts failed)",
    }
    if retries != facts.ASYNC_MAX_RETRIES.value:
        default = async_theory(p, q, facts.ASYNC_MAX_RETRIES.value, 0.0)["duplicate_rate"]
        wrong[whole(events * default)] = (f"assuming the default of {facts.ASYNC_MAX_RETRIES.value} retries "
                                          "whatever the setting")
    wrong = distinct(wrong, right, tolerance=0.15)  # "about": keep only choices a rough estimate can tell apart
    choices, misconceptions = options(rng, right, wrong)
    attempts = retries + 1
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"events": events, "failure_rate": p, "after_effect": q, "max_retries": retries,
                "duplicate_rate": round(theory["duplicate_rate"], 8)},
        prompt=(f"A function invoked asynchronously charges a card. Each attempt fails {p:.0%} of the time, "
                f"independently, and {q:.0%} of those failures happen after the charge went through (a timeout "
                f"waiting for the payment API's reply). MaximumRetryAttempts is {retries}, there is no idempotency "
                f"key, and assume the queue itself never delivers an event twice. Out of {events:,} events, about "
                f"how many customers are charged twice or more?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=((f"With MaximumRetryAttempts 0 there is one attempt and no retry: nobody is charged twice by "
                      f"Lambda. Duplicates can still come from the async queue itself (it is at least once), which "
                      f"is why the handler needs an idempotency key anyway."
                      if retries == 0 else
                      f"A charge is repeated when an attempt fails after charging and the retry charges again. "
                      f"Each event gets up to {attempts} attempts; the chance of two or more charges is "
                      f"1 - P(no charge) - P(exactly one) = {theory['duplicate_rate']:.4f}, so {events:,} x "
                      f"{theory['duplicate_rate']:.4f} = about {right}. Roughly: a first attempt fails after the "
                      f"charge ({p:.0%} x {q:.0%}) and the retry then charges again.")
                     + " With a conditional write on an idempotency key (e.g. DynamoDB PutItem with "
                       "attribute_not_exists on the event's id), the first charge wins and every repeat is rejected: "
                       "zero double charges."),
        simulate=(f"lambda-prep simulate idempotency --source async --events {events} --failure-rate {p:g} "
                  f"--after-effect {q:g} --max-retries {retries} --redelivery-rate 0 --seed {seed}"),
    )
