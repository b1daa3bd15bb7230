"""Deploy: a new version shifted in behind a weighted alias by CodeDeploy, an alarm, a rollback.

CodeDeploy moves a Lambda alias from the old version to the new one with a predefined
configuration: canary (10 % first, the rest after N minutes), linear (10 % more every N minutes)
or all at once. Before any traffic moves a pre-traffic hook (a Lambda function) can test the new
version; after all of it has moved a post-traffic hook can test again; either one failing fails
the deployment. A CloudWatch alarm attached to the deployment group, when it goes to ALARM during
the deployment, makes CodeDeploy roll back: the alias points to the old version again. The
question an interviewer asks: how many requests saw the bad version?

Model choices (labelled): requests arrive at random at a steady rate; the alias sends each one to
the new version with the current weight; every request to the new version fails with
`new_error_rate`, to the old with `baseline_error_rate`; the alarm watches the alias's Errors
(both versions) summed over 1-minute periods from the start of the shift, and goes to ALARM at
the end of the first period with at least `alarm_threshold` errors; the rollback is instant. Real
CloudWatch metrics arrive with some delay, so a real rollback comes somewhat later.

Closed form (`expected`) the tests check: the requests sent to the new version are
rate x (area under the weight curve up to the rollback); for a canary of 10 % caught at the end of
its first minute, that is 0.1 x rate x 60.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_range, envelope, rng

NAME = "deploy"
CONFIGS = {name: (kind, percent, minutes) for name, kind, percent, minutes in F.CODEDEPLOY_LAMBDA_CONFIGS.value}
HOOK_RESULTS = C.HOOK_RESULTS
PERIOD_S = 60  # the alarm's period (model choice; 1 minute is CloudWatch's standard resolution)
AFTER_S = 300  # traffic watched after the deployment ends
BUCKETS = 48
SOURCES = (F.CODEDEPLOY_CONFIGS_URL, F.CODEDEPLOY_ROLLBACK_URL, F.CODEDEPLOY_HOOKS_URL, F.ALIAS_ROUTING_URL,
           F.METRICS_URL)


@dataclass(frozen=True)
class Params:
    config: str = "LambdaCanary10Percent5Minutes"
    arrival_rate: float = 20.0  # requests/s
    new_error_rate: float = 0.1  # the bad version
    baseline_error_rate: float = 0.001  # the old version
    alarm_threshold: int = 10  # alias Errors per minute that put the alarm in ALARM
    alarm: bool = True  # the alarm is attached to the deployment group, with automatic rollback on alarm
    pre_hook: str = "pass"
    post_hook: str = "pass"
    hook_s: float = 60.0  # how long each hook takes (model choice)

    def __post_init__(self) -> None:
        match = {name.lower(): name for name in CONFIGS}
        name = match.get(str(self.config).removeprefix("CodeDeployDefault.").lower())
        if name is None:
            raise ParamError(f"--config must be one of {', '.join(CONFIGS)}, got {self.config!r}")
        object.__setattr__(self, "config", name)
        check_range("arrival_rate", self.arrival_rate, 0.1, 500, why="requests per second")
        check_range("new_error_rate", self.new_error_rate, 0, 1, why="share of the new version's requests that fail")
        check_range("baseline_error_rate", self.baseline_error_rate, 0, 1,
                    why="share of the old version's requests that fail")
        check_range("alarm_threshold", self.alarm_threshold, 1, 1_000_000, why="errors per minute")
        check_range("hook_s", self.hook_s, 0, 3_600, why="seconds each hook runs")
        for hook in ("pre_hook", "post_hook"):
            if getattr(self, hook) not in HOOK_RESULTS:
                raise ParamError(f"--{hook.replace('_', '-')} must be pass or fail, got {getattr(self, hook)!r}")

    @property
    def kind(self) -> str:
        return CONFIGS[self.config][0]

    def shift_s(self) -> float:
        """Seconds from the first traffic shift to 100 % on the new version."""
        kind, percent, minutes = CONFIGS[self.config]
        if kind == "canary":
            return minutes * 60.0
        if kind == "linear":
            return (math.ceil(100 / percent) - 1) * minutes * 60.0
        return 0.0


def weight(prm: Params, t: float) -> float:
    """Share of traffic on the new version at `t` seconds after the shift began (no rollback)."""
    if t < 0:
        return 0.0
    kind, percent, minutes = CONFIGS[prm.config]
    if kind == "canary":
        return percent / 100 if t < minutes * 60 else 1.0
    if kind == "linear":
        return min(1.0, percent / 100 * (int(t // (minutes * 60)) + 1))
    return 1.0


def _area(prm: Params, start: float, end: float) -> float:
    """Integral of the weight over [start, end) (seconds after the shift began); piecewise constant."""
    if end <= start:
        return 0.0
    kind, _, minutes = CONFIGS[prm.config]
    step = minutes * 60.0 if kind != "all-at-once" else end - start
    total, t = 0.0, start
    while t < end:
        edge = min(end, (math.floor(t / step) + 1) * step) if step > 0 else end
        total += weight(prm, t) * (edge - t)
        t = edge
    return total


def expected(prm: Params) -> dict:
    """The deployment without randomness: when the alarm fires, how many requests the new version saw."""
    rate, shift_end = prm.arrival_rate, prm.shift_s()
    if prm.pre_hook == "fail":
        return {"status": "failed: pre-traffic hook", "rollback_at_s": 0.0, "exposed": 0.0, "bad": 0.0,
                "exposed_share_of_deployment": 0.0, "alarm_at_s": None}
    watch_end = shift_end + prm.hook_s  # the post-traffic hook runs after the last shift
    alarm_at = None
    k = 1
    while (k - 1) * PERIOD_S < watch_end:
        a, b = (k - 1) * PERIOD_S, k * PERIOD_S
        on_new = _area(prm, a, b)
        errors = rate * (on_new * prm.new_error_rate + (PERIOD_S - on_new) * prm.baseline_error_rate)
        if errors >= prm.alarm_threshold:
            alarm_at = float(b)
            break
        k += 1
    if alarm_at is not None and prm.alarm:
        end, status = alarm_at, "rolled back: alarm"
    elif prm.post_hook == "fail":
        end, status = watch_end, "rolled back: post-traffic hook"
    else:
        end, status = watch_end, "succeeded"
    exposed = rate * _area(prm, 0, end)
    return {"status": status, "alarm_at_s": alarm_at, "rollback_at_s": end if status.startswith("rolled") else None,
            "exposed": exposed, "bad": exposed * prm.new_error_rate,
            "exposed_share_of_deployment": exposed / (rate * end) if end else 0.0}


@dataclass
class Result:
    params: Params
    status: str
    requests: int  # the whole run, including the watch after the deployment
    during: int  # requests while the deployment was in progress (the alias was shifting)
    on_new: int  # of those, sent to the new version (errors_* count the same window)
    errors_new: int
    errors_old: int
    alarm_at_s: float | None  # seconds after the shift began
    ended_at_s: float  # deployment over (succeeded, rolled back or failed), after the shift began
    series: list[dict]
    bucket_s: float
    comparison: list[dict]

    def assumptions(self) -> list[str]:
        prm = self.params
        return [
            f"Requests arrive at random at {prm.arrival_rate:g}/s; the alias sends each to the new version with the "
            "current weight.",
            f"The new version fails {prm.new_error_rate:g} of its requests, the old one {prm.baseline_error_rate:g} "
            "(model values).",
            f"The alarm watches the alias's Errors summed per minute from the first shift and fires at the end of "
            f"the first minute with at least {prm.alarm_threshold}; the rollback is instant. Real metrics arrive "
            "with some delay, so a real rollback comes later.",
            f"Each hook runs {prm.hook_s:g} s (model value); the pre-traffic hook runs before the first shift, the "
            "post-traffic hook after the last.",
            "Without the alarm attached (--no-alarm) nothing stops the deployment: the alarm fires but the new "
            "version takes all the traffic.",
            "Times are counted from the first traffic shift (after the pre-traffic hook).",
        ]

    def to_json(self) -> dict:
        prm = self.params
        results = {
            "status": self.status,
            "config": {"name": prm.config, "kind": prm.kind, "percent": CONFIGS[prm.config][1],
                       "minutes": CONFIGS[prm.config][2], "full_shift_after_s": prm.shift_s()},
            "requests": self.requests,
            "on_new_version": self.on_new,
            "requests_during_deployment": self.during,
            "exposed_share": round(self.on_new / self.during, 6) if self.during else 0.0,
            "errors_new_version": self.errors_new,
            "errors_old_version": self.errors_old,
            "alarm_at_s": self.alarm_at_s,
            "ended_at_s": self.ended_at_s,
            "expected": _rounded(expected(prm)),
            "bucket_s": self.bucket_s,
            "series": self.series,
            "comparison": self.comparison,
        }
        return envelope(NAME, prm, self.assumptions(), SOURCES, results)


def _rounded(values: dict) -> dict:
    return {k: round(v, 6) if isinstance(v, float) else v for k, v in values.items()}


def _binomial(r, n: int, p: float) -> int:
    if p <= 0 or n == 0:
        return 0
    if p >= 1:
        return n
    if n > 60:  # a rounded normal: plenty for counts of requests per second
        return min(n, max(0, round(r.gauss(n * p, math.sqrt(n * p * (1 - p))))))
    return sum(1 for _ in range(n) if r.random() < p)


def _poisson(r, mean: float) -> int:
    """Knuth's method for small means, a rounded normal above 30 (enough for requests per second)."""
    if mean > 30:
        return max(0, round(r.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, r.random()
    while product > limit:
        k += 1
        product *= r.random()
    return k


def run(params: Params, seed: int | None = 1, progress: Callable[[int], None] | None = None) -> Result:
    prm = params
    r = rng(seed)
    shift_end = prm.shift_s()
    watch_end = shift_end + prm.hook_s
    horizon = (0.0 if prm.pre_hook == "fail" else watch_end) + AFTER_S
    seconds = int(math.ceil(horizon))
    bucket = max(1.0, math.ceil(seconds / BUCKETS))
    rows = [{"t": k * bucket, "weight": 0.0, "requests": 0, "on_new": 0, "errors": 0, "alarm": False}
            for k in range(int(math.ceil(seconds / bucket)))]
    requests = during = on_new = errors_new = errors_old = 0
    period_errors = 0
    alarm_at: float | None = None
    rolled_back_at: float | None = None
    status = "succeeded"
    if prm.pre_hook == "fail":
        status, rolled_back_at = "failed: pre-traffic hook", 0.0
    for s in range(seconds):
        live = rolled_back_at is None
        w = weight(prm, s) if live else 0.0
        n = _poisson(r, prm.arrival_rate)
        new = _binomial(r, n, w)
        bad_new = _binomial(r, new, prm.new_error_rate)
        bad_old = _binomial(r, n - new, prm.baseline_error_rate)
        requests += n
        if live and s < watch_end:  # what the deployment itself exposed
            during += n
            on_new += new
            errors_new += bad_new
            errors_old += bad_old
        row = rows[int(s // bucket)]
        row["weight"] = max(row["weight"], w)
        row["requests"] += n
        row["on_new"] += new
        row["errors"] += bad_new + bad_old
        period_errors += bad_new + bad_old
        if (s + 1) % PERIOD_S == 0:
            # the alarm only stops the deployment while it is in progress
            if alarm_at is None and period_errors >= prm.alarm_threshold and live and s + 1 <= watch_end:
                alarm_at = float(s + 1)
                row["alarm"] = True
                if prm.alarm:
                    rolled_back_at, status = alarm_at, "rolled back: alarm"
            period_errors = 0
        if live and rolled_back_at is None and s + 1 == int(watch_end) and prm.post_hook == "fail":
            rolled_back_at, status = watch_end, "rolled back: post-traffic hook"
    ended = rolled_back_at if rolled_back_at is not None else watch_end
    comparison = []
    for name in CONFIGS:
        variant = Params(**{**{k: getattr(prm, k) for k in prm.__dataclass_fields__}, "config": name})
        row = _rounded(expected(variant))
        row["config"] = name
        row["full_shift_after_s"] = variant.shift_s()
        comparison.append(row)
    if progress is not None:
        progress(seconds)
    return Result(params=prm, status=status, requests=requests, during=during, on_new=on_new, errors_new=errors_new,
                  errors_old=errors_old, alarm_at_s=alarm_at, ended_at_s=ended, series=rows, bucket_s=bucket,
                  comparison=comparison)
