"""The cold-start model against real AWS Lambda measurements (not against another model).

Mahmoudi & Khazaei measured 20 workloads on AWS Lambda (Poisson arrivals from 0.0019 to 1.0 per
second, a handler of about 2 s) and published, for each, the cold-start probability (with its
standard error) and the average number of instances; they validated their simulator SimFaaS on
this data (tests/sims/data/aws_lambda_measurements_simfaas.csv, from
https://github.com/pacslab/simfaas/blob/master/examples/exp.csv). SimFaaS's own comparison
(https://github.com/pacslab/simfaas/blob/master/examples/04-Experiment-Comparison.ipynb) feeds its
simulator the mean warm and cold service times over all experiments and an expiration threshold
of 600 s, and reports a cold-start mean absolute percentage error (MAPE) of 12.23%. We run our
model on the same inputs: exponential handler time of the mean warm time, init = mean cold - mean
warm, keep-alive 600 s, seed 1.

Tolerances, stated: P(cold) MAPE at most 15%. SimFaaS's own error on these measurements is
12.23% as published, and 11.8-13.3% when SimFaaS 0.2.2 is rerun here on 200,000 requests per
workload (seeds 1-3); ours is 12.8-14.1% on the same runs (13.5% on average, 12.7% at 1,000,000
requests): `python benchmarks/validate_cold_start.py`. The measurements alone carry standard
errors of 4-21% of each value. Average instances: MAPE at most 5% (ours 3.2-3.3%, SimFaaS
2.9-3.2%). Reusing the least recently used environment instead (LRU) misses the measurements by
far more (69% and 33-45%), which is the evidence for the most-recently-used default.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lambda_prep.sims import cold_start

DATA = Path(__file__).parent / "data" / "aws_lambda_measurements_simfaas.csv"
COLD_MAPE_TOLERANCE = 0.15  # see the docstring: SimFaaS 11.8-13.3% (12.23% published), ours 12.8-14.1%
KEEP_ALIVE_S = 600  # SimFaaS's expiration_threshold; the data records IdleMinutesBeforeKill = 10


def measurements() -> list[dict]:
    with DATA.open() as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def mape(reuse: str, requests: int) -> tuple[float, float]:
    """Mean absolute percentage errors of P(cold) and of the average instance count."""
    rows = measurements()
    warm = sum(float(r["ServiceTimeWarm"]) for r in rows) / len(rows)
    cold = sum(float(r["ServiceTimeCold"]) for r in rows) / len(rows)
    cold_errors, instance_errors = [], []
    for row in rows:
        params = cold_start.Params(arrival_rate=float(row["ArrivalRate"]), requests=requests, duration_dist="exp",
                                   duration_ms=warm, init_ms=cold - warm, keep_alive_s=KEEP_ALIVE_S, reuse=reuse,
                                   compare=False)
        result = cold_start.run(params, 1).to_json()["results"]
        measured_cold, measured_instances = float(row["ColdStartProbability"]), float(row["AverageInstanceCount"])
        cold_errors.append(abs(result["cold_start_ratio"] - measured_cold) / measured_cold)
        instance_errors.append(abs(result["avg_environments"] - measured_instances) / measured_instances)
    return sum(cold_errors) / len(rows), sum(instance_errors) / len(rows)


def test_the_data_is_the_published_measurements():
    rows = measurements()
    assert len(rows) == 20
    assert {float(r["IdleMinutesBeforeKill"]) for r in rows} == {10.0}
    assert float(rows[0]["ColdStartProbability"]) == pytest.approx(0.34298826173826175)


@pytest.fixture(scope="module")
def mru():
    return mape("mru", 200_000)


def test_cold_start_probability_matches_aws_about_as_well_as_simfaas(mru):
    cold_mape, _ = mru
    assert cold_mape <= COLD_MAPE_TOLERANCE, f"P(cold) MAPE {cold_mape:.2%}"


def test_average_instance_count_matches_aws_within_5_percent(mru):
    _, instance_mape = mru
    assert instance_mape <= 0.05, f"instances MAPE {instance_mape:.2%}"


def test_reusing_the_least_recently_used_environment_misses_the_measurements(mru):
    """The reuse order is not documented; the measurements favour most-recently-used (SimFaaS's
    newest-instance-first): LRU keeps every environment warm and starts far fewer cold."""
    lru_cold, lru_instances = mape("lru", 50_000)
    assert lru_cold > 4 * mru[0] and lru_instances > 4 * mru[1]
