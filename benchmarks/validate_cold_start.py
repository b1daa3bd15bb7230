"""The cold-start model, and SimFaaS 0.2.2 if installed, against AWS Lambda measurements.

The 20 workloads Mahmoudi & Khazaei measured on AWS Lambda and published with SimFaaS
(tests/sims/data/aws_lambda_measurements_simfaas.csv, from pacslab/simfaas examples/exp.csv), run
as SimFaaS's own comparison does (examples/04-Experiment-Comparison.ipynb): the mean warm and
cold service times over all experiments, exponential, an expiration threshold (keep-alive) of
600 s. Prints each model's mean absolute percentage error (MAPE) for the cold-start probability
and the average instance count, and ours with LRU reuse for contrast. SimFaaS is not a dependency:
`pip install simfaas==0.2.2` into your own venv to include it (it takes a few minutes).

    python benchmarks/validate_cold_start.py [--requests 200000] [--seeds 3]

Each figure is the mean over seeds 1..N, with its range: a single run moves by about a point.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "sims" / "data" / "aws_lambda_measurements_simfaas.csv"
KEEP_ALIVE_S = 600


def rows() -> list[dict]:
    with DATA.open() as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def ours(row: dict, warm: float, cold: float, requests: int, seed: int, reuse: str) -> tuple[float, float]:
    from lambda_prep.sims import cold_start

    params = cold_start.Params(arrival_rate=float(row["ArrivalRate"]), requests=requests, duration_dist="exp",
                               duration_ms=warm, init_ms=cold - warm, keep_alive_s=KEEP_ALIVE_S, reuse=reuse,
                               compare=False)
    result = cold_start.run(params, seed).to_json()["results"]
    return result["cold_start_ratio"], result["avg_environments"]


def run_simfaas(row: dict, warm: float, cold: float, requests: int, seed: int) -> tuple[float, float]:
    import numpy as np
    from simfaas.ServerlessSimulator import ServerlessSimulator

    np.random.seed(seed)
    rate = float(row["ArrivalRate"])
    sim = ServerlessSimulator(arrival_rate=rate, warm_service_rate=1000 / warm, cold_service_rate=1000 / cold,
                              expiration_threshold=KEEP_ALIVE_S, max_time=requests / rate)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        sim.generate_trace(debug_print=False, progress=False)
    result = sim.get_result_dict()
    return result["prob_cold"], result["inst_count_avg"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200_000, help="requests per experiment")
    parser.add_argument("--seeds", type=int, default=3, help="runs per model (seeds 1..N)")
    args = parser.parse_args()
    data = rows()
    warm = sum(float(r["ServiceTimeWarm"]) for r in data) / len(data)
    cold = sum(float(r["ServiceTimeCold"]) for r in data) / len(data)
    models = {"lambda-prep (mru)": lambda r, seed: ours(r, warm, cold, args.requests, seed, "mru"),
              "lambda-prep (lru)": lambda r, seed: ours(r, warm, cold, args.requests, seed, "lru")}
    try:
        import simfaas  # noqa: F401
        models["SimFaaS 0.2.2"] = lambda r, seed: run_simfaas(r, warm, cold, args.requests, seed)
    except ImportError:
        print("SimFaaS not installed: pip install simfaas==0.2.2 to compare it too")
    print(f"{len(data)} AWS measurements, {args.requests:,} simulated requests each, seeds 1-{args.seeds}")
    for name, model in models.items():
        start = time.perf_counter()
        cold_mapes, instance_mapes = [], []
        for seed in range(1, args.seeds + 1):
            cold_errors, instance_errors = [], []
            for row in data:
                p_cold, instances = model(row, seed)
                measured_cold = float(row["ColdStartProbability"])
                measured_instances = float(row["AverageInstanceCount"])
                cold_errors.append(abs(p_cold - measured_cold) / measured_cold)
                instance_errors.append(abs(instances - measured_instances) / measured_instances)
            cold_mapes.append(100 * sum(cold_errors) / len(data))
            instance_mapes.append(100 * sum(instance_errors) / len(data))
        print(f"{name:18s} P(cold) MAPE {sum(cold_mapes) / len(cold_mapes):5.2f}% ({min(cold_mapes):.2f}-"
              f"{max(cold_mapes):.2f})   instances MAPE {sum(instance_mapes) / len(instance_mapes):5.2f}% "
              f"({min(instance_mapes):.2f}-{max(instance_mapes):.2f})   {time.perf_counter() - start:.0f} s")
    print("SimFaaS's published comparison on the same data: P(cold) MAPE 12.23% "
          "(pacslab/simfaas examples/04-Experiment-Comparison.ipynb)")


if __name__ == "__main__":
    main()
