"""More async events than the function's reserved concurrency can take: where do the rest go?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, count, distinct, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.async_queue import Params

KIND = "async-backlog"
TOPIC = "retries"
SUMMARY = "throttled async events wait in Lambda's queue: how many pile up"
SOURCES = (facts.ASYNC_ERRORS_URL, facts.CONCURRENCY_URL)


def excess_events(prm: Params) -> float:
    # The async-queue model's closed form (Result.theory): the function serves concurrency / duration
    # events a second; what arrives beyond that during the traffic waits in Lambda's queue.
    capacity = prm.concurrency_limit / (prm.duration_ms / 1000)
    return max(0.0, (prm.arrival_rate - capacity) * prm.traffic_s)


def generate(rng, seed: int) -> Drill:
    duration_ms = pick(rng, (500, 1000, 2000))
    concurrency = pick(rng, (5, 10, 20))
    capacity = concurrency / (duration_ms / 1000)
    arrival_rate = capacity * pick(rng, (1.5, 2, 3, 4))
    traffic_s = pick(rng, (60, 120, 300))
    age_h = int(facts.ASYNC_MAX_EVENT_AGE_S.value) // 3600
    prm = Params(arrival_rate=arrival_rate, traffic_s=traffic_s, concurrency_limit=concurrency,
                 duration_ms=duration_ms, max_event_age_s=int(facts.ASYNC_MAX_EVENT_AGE_S.value))
    excess = excess_events(prm)
    backoff_first, backoff_max = facts.ASYNC_THROTTLE_BACKOFF_S.value
    waiting = "waiting to be retried"
    right = f"About {count(excess)}, {waiting}"
    figures = distinct({
        f"About {count((arrival_rate - concurrency) * traffic_s)}, {waiting}":
            "treating reserved concurrency as events per second, forgetting how long each run takes",
        f"About {count(arrival_rate * traffic_s)}, {waiting}":
            "forgetting that the function serves events all through the burst",
    }, right)
    nones = {
        "None: the caller got 429 for each extra event and sends it again":
            "thinking async invocations are throttled at the caller (it got 202 as soon as the event was queued)",
        "None: Lambda drops a throttled async event at once":
            "thinking Lambda does not retry throttled async events (it does, up to the maximum event age)",
        "None: Lambda scales past the reserved concurrency for the burst":
            "thinking reserved concurrency is only a floor (it is also a ceiling)",
    }
    # Four choices: the figure most tempting for this scenario and two of the three "none" stories.
    wrong = dict([next(iter(figures.items())), *rng.sample(sorted(nones.items()), 2)])
    choices, misconceptions = options(rng, right, wrong)
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"arrival_rate": arrival_rate, "traffic_s": traffic_s, "concurrency_limit": concurrency,
                "duration_ms": duration_ms, "excess_events": excess},
        prompt=(f"S3 notifications invoke a function asynchronously at {arrival_rate:g} events a second for "
                f"{traffic_s // 60} minute{'s' if traffic_s >= 120 else ''}. The function has reserved concurrency "
                f"{concurrency} and each run takes {duration_ms / 1000:g} s; the maximum event age is left at its "
                f"default. When the burst ends, about how many events are waiting in Lambda's queue?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"{concurrency} environments of {duration_ms / 1000:g} s serve {count(capacity)} events a "
                     f"second; {arrival_rate:g} arrive, so ({arrival_rate:g} - {count(capacity)}) x {traffic_s} s = "
                     f"{count(excess)} pile up. The caller (S3) got 202 for every one. A throttled event (429) goes "
                     f"back to Lambda's queue and is retried, the interval growing from {backoff_first:g} s to "
                     f"{backoff_max / 60:g} minutes, for up to the maximum event age ({age_h} h by default); after "
                     f"that it is dropped, to the on-failure destination or DLQ if one is set. AWS adds that a very "
                     f"long queue is read more slowly, so events can expire sooner than this arithmetic suggests."),
        simulate=(f"lambda-prep simulate async-queue --arrival-rate {arrival_rate:g} --traffic-s {traffic_s} "
                  f"--concurrency-limit {concurrency} --duration-ms {duration_ms} "
                  f"--max-event-age-s {int(facts.ASYNC_MAX_EVENT_AGE_S.value)} --seed {seed}"),
    )
