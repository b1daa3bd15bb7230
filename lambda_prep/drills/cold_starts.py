"""One environment kept warm by steady traffic: what share of requests starts cold?"""

from __future__ import annotations

from lambda_prep.sims import facts
from lambda_prep.drills.base import Drill, distinct, options, pick
from lambda_prep.sims.cold_start import expected_cold_ratio_single

KIND = "cold-starts"
TOPIC = "cold-starts"
SUMMARY = "the cold share of sparse traffic for a given idle lifetime"
SOURCES = (facts.RUNTIME_ENV_URL,)


def generate(rng, seed: int) -> Drill:
    # Only scenarios where the answer is neither ~0% nor ~100% (e^-x for x from 0.25 to 3).
    per_hour, idle_min = pick(rng, [(h, m) for h in (3, 6, 12, 20, 30) for m in (5, 10, 15, 30)
                                    if 0.25 <= h * m / 60 <= 3])
    rate = per_hour / 3600
    share = expected_cold_ratio_single(rate, idle_min * 60)  # the cold-start model's closed form e^(-rate x T)
    right = f"About {share:.0%}"
    wrong = distinct({
        "About 0%: cold starts only happen after a deployment": "thinking an environment is never reclaimed",
        "About 100%: every request after a gap starts cold": "thinking an environment never waits between requests",
        f"About {min(1.0, 1 / (rate * idle_min * 60)):.0%}": "dividing by the expected requests instead of e^(-x)",
        f"About {1 - share:.0%}": "taking the warm share for the cold share",
    }, right)
    choices, misconceptions = options(rng, right, wrong)
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"requests_per_hour": per_hour, "idle_lifetime_min": idle_min, "cold_share": round(share, 4)},
        prompt=(f"A function gets {per_hour} requests an hour at random moments, each short. Assume an idle "
                f"execution environment is reclaimed after {idle_min} minutes (AWS documents no fixed figure; "
                f"this is the assumption). About what share of requests starts cold?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"With random (Poisson) arrivals, a request starts cold when the gap since the last one is "
                     f"longer than the idle lifetime: P = e^(-rate x T) = e^(-{per_hour}/h x {idle_min} min) = "
                     f"e^(-{rate * idle_min * 60:.2f}) = {share:.1%}. More traffic warms it; provisioned "
                     f"concurrency removes the cold starts it covers (and bills for being ready). Keep-warm pings "
                     f"only keep one environment warm."),
        simulate=(f"lambda-prep simulate cold-start --arrival-rate {rate:.6g} --duration-ms 50 "
                  f"--keep-alive-s {idle_min * 60} --requests 20000 --seed {seed}"),
    )
