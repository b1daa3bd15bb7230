"""Time `lambda-prep simulate`: the 1,000,000-request cold-start run and every default demo.

Prints figures; asserts nothing (issue 4 §4: the targets are <= 2 s with memory that grows with
environments, not requests, for the big run, and <= 1 s for each default demo).

    python benchmarks/bench_simulate.py [--repeat 5]

Each run is a fresh subprocess (interpreter start-up included, as a user would see it), output
thrown away, not a terminal (so nothing animates or draws a progress bar). Peak RSS is the
largest resident set of the children, from resource.getrusage(RUSAGE_CHILDREN).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BIG_RUN = ["simulate", "cold-start", "--json", "--requests", "1000000", "--arrival-rate", "0.9",
           "--duration-dist", "exp", "--duration-ms", "2000", "--init-ms", "250", "--keep-alive-s", "600"]


def command() -> list[str]:
    """The installed console script next to this interpreter, else `python -m lambda_prep`."""
    script = Path(sys.executable).with_name("lambda-prep")
    if script.exists():
        return [str(script)]
    found = shutil.which("lambda-prep")
    return [found] if found else [sys.executable, "-m", "lambda_prep"]


def timed(args: list[str]) -> tuple[float, int, str]:
    """Wall seconds, exit code and the tail of stderr of one run."""
    env = dict(os.environ, COLUMNS="100", NO_COLOR="1")
    start = time.perf_counter()
    done = subprocess.run(command() + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          env=env, cwd=ROOT)
    lines = done.stderr.strip().splitlines()
    return time.perf_counter() - start, done.returncode, lines[-1] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median reported)")
    repeat = parser.parse_args().repeat

    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, command: {' '.join(command())}")
    print(f"\n1. lambda-prep {' '.join(BIG_RUN)}")
    times = []
    for _ in range(repeat):
        seconds, code, err = timed(BIG_RUN)
        if code != 0:
            print(f"   failed (exit {code}): {err}")
            break
        times.append(seconds)
    if times:
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux
        print(f"   median {statistics.median(times):.2f} s over {len(times)} runs "
              f"(min {min(times):.2f}, max {max(times):.2f}); peak RSS {peak_kb / 1024:.1f} MB (target <= 2 s)")

    from lambda_prep.sims.registry import NAMES

    print(f"\n2. default demos, median of {repeat} runs each (target <= 1 s)")
    for name in NAMES:
        times = []
        note = ""
        for _ in range(repeat):
            seconds, code, err = timed(["simulate", name])
            if code != 0:
                note = f"skipped: exit {code}" + (f" ({err})" if err else "")
                break
            times.append(seconds)
        if note:
            print(f"   {name:<12} {note}")
        else:
            print(f"   {name:<12} {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
