"""A CloudWatch alarm on a function's Errors, "M out of N" datapoints: in which minute does it fire?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.observability import Params, evaluate_alarm, run

KIND = "alarm-fires"
TOPIC = "monitoring"
SUMMARY = "the minute an 'M out of N' alarm on Errors goes to ALARM, if it does"
SOURCES = (facts.ALARMS_URL, facts.METRICS_URL)

MINUTES = 12
NEVER = "It never fires"


def first_alarm(values: list[int], threshold: float, m: int, n: int) -> int | None:
    states = evaluate_alarm(values, threshold, m, n)
    return states.index("ALARM") if "ALARM" in states else None


def consecutive(values: list[int], threshold: float, m: int) -> int | None:
    """The minute ending the first run of m breaching datapoints in a row (a misreading of M out of N)."""
    run_length = 0
    for minute, value in enumerate(values):
        run_length = run_length + 1 if value >= threshold else 0
        if run_length >= m:
            return minute
    return None


def _after_window(values: list[int], threshold: float, n: int) -> int | None:
    first = next((minute for minute, value in enumerate(values) if value >= threshold), None)
    return None if first is None or first + n - 1 >= len(values) else first + n - 1


def label(minute: int | None) -> str:
    return NEVER if minute is None else f"Minute {minute}"


def _scenario(rng, seed: int):
    params = Params(minutes=MINUTES, arrival_rate=pick(rng, (5.0, 10.0, 20.0)),
                    error_rate=pick(rng, (0.001, 0.005, 0.01)),
                    incident_at_min=pick(rng, (2, 3, 4, 5)), incident_minutes=pick(rng, (1, 2, 3, 4)),
                    incident_error_rate=pick(rng, (0.02, 0.05, 0.1)), incident_slowdown=pick(rng, (1.0, 4.0)),
                    alarm_threshold=pick(rng, (5.0, 10.0, 20.0)),
                    **dict(zip(("alarm_datapoints", "alarm_periods"), pick(rng, ((2, 3), (3, 5), (2, 5), (3, 3))))))
    values = [row["errors"] for row in run(params, seed).minutes]  # the observability model's datapoints
    m, n, t = params.alarm_datapoints, params.alarm_periods, params.alarm_threshold
    right = label(first_alarm(values, t, m, n))
    readings = (
        (first_alarm(values, t, 1, 1), "alarming on the first datapoint over the threshold (it takes M of them)"),
        (consecutive(values, t, m), "thinking the M breaching datapoints must be consecutive (any M of the last N "
                                    "will do)"),
        (first_alarm(values, t, n, n), "thinking all N datapoints must breach (only M of them must)"),
        (_after_window(values, t, n), "waiting for the whole N-minute window to pass after the first breach (the "
                                      "alarm fires as soon as M breach)"),
    )
    wrong: dict[str, str] = {}
    for minute, why in readings:
        if label(minute) != right:
            wrong.setdefault(label(minute), why)
    return params, values, right, wrong


def generate(rng, seed: int) -> Drill:
    # Draw until the scenario tells at least two misreadings apart from the right answer: a drill where
    # every reading gives the same minute teaches nothing. The draw is seeded, so the seed fixes the scenario.
    for _ in range(50):
        params, values, right, wrong = _scenario(rng, seed)
        if len(wrong) >= 2:
            break
    choices, misconceptions = options(rng, right, wrong)
    m, n, t = params.alarm_datapoints, params.alarm_periods, params.alarm_threshold
    series = ", ".join(str(v) for v in values)
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"minutes": MINUTES, "arrival_rate": params.arrival_rate, "error_rate": params.error_rate,
                "incident_at_min": params.incident_at_min, "incident_minutes": params.incident_minutes,
                "incident_error_rate": params.incident_error_rate, "incident_slowdown": params.incident_slowdown,
                "threshold": t, "datapoints": m, "periods": n, "errors": values},
        prompt=(f"A CloudWatch alarm watches a function's Errors metric (Sum, one-minute period): a minute breaches "
                f"when it has {t:g} errors or more, and the alarm goes to ALARM when {m} out of the last {n} "
                f"datapoints breach. The errors per minute, from minute 0, are: {series}. In which minute does the "
                f"alarm first go to ALARM?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"'{m} out of {n}': at each minute CloudWatch looks at the last {n} datapoints and alarms if at "
                     f"least {m} of them are {t:g} or more; they need not be consecutive. "
                     + (f"The first minute where that holds is {right[len('Minute '):]}."
                        if right != NEVER else "No window of that length ever holds enough breaching minutes.")
                     + f" 'M out of N' keeps one noisy minute from paging you: a smaller M fires sooner, and a longer N "
                       "tolerates quiet minutes between the bad ones."),
        simulate=(f"lambda-prep simulate observability --minutes {MINUTES} --arrival-rate {params.arrival_rate:g} "
                  f"--error-rate {params.error_rate:g} --incident-at-min {params.incident_at_min} "
                  f"--incident-minutes {params.incident_minutes} --incident-error-rate {params.incident_error_rate:g} "
                  f"--incident-slowdown {params.incident_slowdown:g} --alarm-threshold {t:g} "
                  f"--alarm-datapoints {m} --alarm-periods {n} --seed {seed}"),
    )
