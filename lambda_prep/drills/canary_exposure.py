"""A bad version shifted in by CodeDeploy: how many requests reach it before the alarm rolls it back?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, count, distinct, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.deploy import CONFIGS, PERIOD_S, Params, expected, weight

KIND = "canary-exposure"
TOPIC = "deployment"
SUMMARY = "requests that reach a bad version before CodeDeploy's alarm rolls it back"
SOURCES = (facts.CODEDEPLOY_CONFIGS_URL, facts.CODEDEPLOY_ROLLBACK_URL, facts.ALIAS_ROUTING_URL)
CHOSEN = ("LambdaCanary10Percent5Minutes", "LambdaCanary10Percent10Minutes", "LambdaLinear10PercentEvery1Minute",
          "LambdaLinear10PercentEvery2Minutes", "LambdaLinear10PercentEvery3Minutes", "LambdaAllAtOnce")
CANARY_PERCENT = CONFIGS["LambdaCanary10Percent5Minutes"][1]


def draw(rng) -> Params:
    """A scenario the alarm catches during the deployment (the question is about the rollback)."""
    while True:
        prm = Params(config=pick(rng, CHOSEN), arrival_rate=pick(rng, (10, 20, 50)),
                     new_error_rate=pick(rng, (0.05, 0.1, 0.2)), alarm_threshold=pick(rng, (10, 30, 60)))
        if expected(prm)["status"] == "rolled back: alarm":
            return prm


def generate(rng, seed: int) -> Drill:
    prm = draw(rng)
    outcome = expected(prm)  # the deploy model's closed form: rate x the area under the weight curve
    exposed, alarm_at = outcome["exposed"], outcome["alarm_at_s"]
    minutes = round(alarm_at / PERIOD_S)
    shares = [weight(prm, k * PERIOD_S) for k in range(minutes)]
    unstopped = expected(Params(**{**prm.__dict__, "alarm": False}))["exposed"]
    right = count(exposed)
    wrong = distinct({
        count(prm.arrival_rate * alarm_at): "forgetting that only the shifted share of traffic goes to the new version",
        count(unstopped): "thinking CodeDeploy finishes the traffic shift before it acts on the alarm",
        count(outcome["bad"]): "counting only the failed requests, not everyone routed to the bad version",
        **({count(exposed * CANARY_PERCENT / 100): f"thinking every deployment starts with a {CANARY_PERCENT}% canary"}
           if prm.kind == "all-at-once" else {}),
        "None: the pre-traffic hook stops a bad version":
            "thinking the BeforeAllowTraffic hook sees real traffic (it runs before any shifts; this one passed)",
    }, right)
    wrong = dict(rng.sample(sorted(wrong.items()), min(3, len(wrong))))
    choices, misconceptions = options(rng, right, wrong)
    kind, percent, step = CONFIGS[prm.config]
    how = {"canary": f"{percent}% of traffic first, the rest after {step} minutes",
           "linear": f"{percent}% more traffic every {step} minute{'s' if step > 1 else ''}",
           "all-at-once": "all traffic at once"}[kind]
    base = prm.baseline_error_rate
    runs: list[list] = []  # the weights minute by minute, as runs: [[share, minutes], ...]
    for w in shares:
        if runs and runs[-1][0] == w:
            runs[-1][1] += 1
        else:
            runs.append([w, 1])
    share_text = ", then ".join(f"{w:.0%} for {n} minute{'s' if n > 1 else ''}" for w, n in runs)
    minute_sum = sum(shares)
    first_minute = prm.arrival_rate * PERIOD_S * (shares[0] * prm.new_error_rate + (1 - shares[0]) * base)
    per_minute = prm.arrival_rate * PERIOD_S * (shares[-1] * prm.new_error_rate + (1 - shares[-1]) * base)
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"config": prm.config, "arrival_rate": prm.arrival_rate, "new_error_rate": prm.new_error_rate,
                "baseline_error_rate": base, "alarm_threshold": prm.alarm_threshold, "alarm_at_s": alarm_at,
                "exposed": exposed},
        prompt=(f"CodeDeploy shifts a Lambda alias to a new version with CodeDeployDefault.{prm.config} ({how}). "
                f"The new version fails {prm.new_error_rate:.0%} of its requests (the old one {base:.1%}); the "
                f"pre-traffic hook passes. An alarm on the alias's Errors, summed per minute, goes into ALARM at "
                f"{prm.alarm_threshold} or more and is set to roll the deployment back. Traffic is a steady "
                f"{prm.arrival_rate:g} requests a second. About how many requests reach the new version before "
                f"the rollback?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"The alias sends each request to the new version with the current weight. Minute by minute "
                     f"the new version's share is {share_text}. In minute {minutes} the errors come to about "
                     f"{prm.arrival_rate:g} x {PERIOD_S} x ({shares[-1]:.0%} x {prm.new_error_rate:g} + "
                     f"{1 - shares[-1]:.0%} x {base:g}) = {per_minute:.1f}, at or over {prm.alarm_threshold}: "
                     f"the alarm fires at {alarm_at / 60:g} min and CodeDeploy points the alias back at the old "
                     f"version. Requests that saw the new version: {prm.arrival_rate:g} x {PERIOD_S} s x "
                     f"{minute_sum:g} (the shares added up) = {right}, of which about {count(outcome['bad'])} "
                     f"failed."
                     + (f" At {shares[0]:.0%} the errors stayed under the threshold (about {first_minute:.1f} a "
                        f"minute): a canary protects you only if the alarm is sensitive enough to see its share."
                        if len(runs) > 1 and first_minute < prm.alarm_threshold and kind == "canary" else "")
                     + " Real alarms see metrics a little late, so a real rollback comes somewhat later."),
        simulate=(f"lambda-prep simulate deploy --config {prm.config} --arrival-rate {prm.arrival_rate:g} "
                  f"--new-error-rate {prm.new_error_rate:g} --alarm-threshold {prm.alarm_threshold} --seed {seed}"),
    )
