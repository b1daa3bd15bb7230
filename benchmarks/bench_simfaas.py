"""lambda-prep's cold-start model against SimFaaS 0.2.2 on the same workload, in the same run.

Workload (issue 10, section 4; the SimFaaS README's example): 1,000,000 requests, Poisson at
0.9/s, exponential handler time of mean 2 s, init 250 ms, keep-alive (expiration threshold) 600 s.
SimFaaS runs for the time those requests take (1,000,000 / 0.9 s), with exponential warm and cold
service times of means 2 s and 2.25 s.

Each side runs in its own fresh process, one after the other, so neither pays for the other's
imports or garbage. Ours is the real command, `lambda-prep simulate cold-start --json ...`
(process start-up included). Then memory: peak RSS and tracemalloc peak at 100,000 and 1,000,000
requests, which should be about the same (the model keeps a histogram, not the requests).

    pip install simfaas==0.2.2      # into your own venv only; it is not a dependency
    python benchmarks/bench_simfaas.py [--requests 1000000] [--repeat 1]

Prints figures; asserts nothing (speed is never a test).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from _measure import compile_bytecode

RATE, DURATION_S, INIT_S, KEEP_ALIVE_S = 0.9, 2.0, 0.25, 600.0

SIMFAAS = """
import json, sys, time
from simfaas.ServerlessSimulator import ServerlessSimulator
requests = int(sys.argv[1])
sim = ServerlessSimulator(arrival_rate={rate}, warm_service_rate=1 / {duration},
                          cold_service_rate=1 / ({duration} + {init}), expiration_threshold={keep},
                          max_time=requests / {rate})
start = time.perf_counter()
sim.generate_trace(debug_print=False, progress=False)
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "p_cold": sim.get_cold_start_prob(),
                  "servers": sim.get_average_server_count()}}))
""".format(rate=RATE, duration=DURATION_S, init=INIT_S, keep=KEEP_ALIVE_S)

MEMORY = """
import json, resource, sys, tracemalloc
from lambda_prep.sims import cold_start as model
requests, trace = int(sys.argv[1]), sys.argv[2] == "trace"
params = model.Params(requests=requests, arrival_rate={rate}, duration_ms={duration} * 1000, duration_dist="exp",
                      init_ms={init} * 1000, keep_alive_s={keep})
if trace:
    tracemalloc.start()
model.run(params, 1)
# VmHWM (Linux) is this process's own peak; ru_maxrss can carry the parent's peak across exec
try:
    hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    peak_kb = int(hwm.split()[1])
except (OSError, StopIteration):
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = {{"peak_rss_mb": peak_kb / 1024}}
if trace:
    out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
print(json.dumps(out))
""".format(rate=RATE, duration=DURATION_S, init=INIT_S, keep=KEEP_ALIVE_S)


def ours(requests: int) -> tuple[float, dict]:
    args = [sys.executable, "-m", "lambda_prep", "simulate", "cold-start", "--json", "--requests", str(requests),
            "--arrival-rate", str(RATE), "--duration-dist", "exp", "--duration-ms", str(DURATION_S * 1000),
            "--init-ms", str(INIT_S * 1000), "--keep-alive-s", str(KEEP_ALIVE_S)]
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    return seconds, json.loads(done.stdout)["results"]


def run_simfaas(requests: int) -> dict:
    done = subprocess.run([sys.executable, "-c", SIMFAAS, str(requests)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"SimFaaS failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def memory(requests: int, trace: bool) -> dict:
    done = subprocess.run([sys.executable, "-c", MEMORY, str(requests), "trace" if trace else "rss"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side; the best time counts")
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    try:
        import simfaas  # noqa: F401  (only to see whether it is installed)
    except ImportError:
        print("SimFaaS is not installed: skipping the comparison. Install it into your own venv with\n"
              "    pip install simfaas==0.2.2\n(it is not a dependency of lambda-prep).")
        return
    compile_bytecode()  # as an installed package has it: a bare editable checkout would recompile each run
    n = args.requests
    print(f"workload: {n:,} requests, Poisson {RATE}/s, exponential {DURATION_S:g} s, init {INIT_S * 1000:g} ms, "
          f"keep-alive {KEEP_ALIVE_S:g} s")
    our_times, their_times = [], []
    for _ in range(args.repeat):
        seconds, result = ours(n)
        our_times.append(seconds)
        theirs = run_simfaas(n)
        their_times.append(theirs["seconds"])
    ours_s, theirs_s = min(our_times), min(their_times)
    print(f"lambda-prep simulate cold-start --json: {ours_s:6.2f} s (whole command, process start included)"
          f"   P(cold) {result['cold_start_ratio']:.5f}  environments {result['avg_environments']:.2f}")
    print(f"SimFaaS 0.2.2 generate_trace:          {theirs_s:6.2f} s (simulation only)"
          f"              P(cold) {theirs['p_cold']:.5f}  environments {theirs['servers']:.2f}")
    print(f"ratio: lambda-prep is {theirs_s / ours_s:.1f}x faster")
    if args.no_memory:
        return
    print("memory of the model (run in-process, fresh interpreter each):")
    for requests in (100_000, n):
        rss = memory(requests, trace=False)["peak_rss_mb"]
        traced = memory(requests, trace=True)["tracemalloc_peak_mb"]
        print(f"  {requests:>9,} requests: peak RSS {rss:6.1f} MB, tracemalloc peak {traced:6.2f} MB")


if __name__ == "__main__":
    main()
