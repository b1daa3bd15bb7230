"""Speed of the mock interview: first question on screen, and checking one typed answer.

Prints figures; asserts nothing (speed is read here, never checked by timed tests).
Targets (issue 8): `mock` shows its first question <= 300 ms; checking an answer <= 50 ms.

    python benchmarks/bench_mock.py [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _measure import EXE, REPO, compile_bytecode, first_quiz_question, require_exe, timed, until


def first_question(env: dict, interactive: bool) -> tuple[float, float]:
    """From starting `lambda-prep mock` to its first question's answer prompt: plain mode reads
    stdin from a pipe; in a pseudo-terminal, to the editor's instruction line (prompt_toolkit
    loaded, the question drawn)."""
    args = [EXE, "mock", "--count", "6", "--seed", "1"]
    if interactive:
        return until(args, env, (b"finishes",), terminal=True)
    return until(args + ["--no-interactive"], env, (b"Your answer (",))


def to_eof(cmd: list[str], env: dict) -> tuple[float, float]:
    """A run that shows the first question and ends on empty input."""
    return timed(cmd, env, stdin="")


def check_times(runs: int) -> tuple[float, float, int]:
    """Checking a ~200-word answer against the longest recall question of the banks (fresh caches)."""
    sys.path.insert(0, str(REPO))
    from lambda_prep import library
    from lambda_prep.study import answers, myths

    questions = [q for q in library.load_all_banks().questions if q.type == "recall"]
    q = max(questions, key=lambda q: len(q.key_points))
    text = (q.model_answer + " ") * max(1, 200 // max(len(q.model_answer.split()), 1))
    loaded = library.load_myths().myths
    samples = []
    for _ in range(runs):
        answers._analyse.cache_clear()
        answers._wording.cache_clear()
        answers._similar.cache_clear()
        start = time.perf_counter()
        answers.check(text, q.key_points, q.phrasings)
        myths.detect(text, loaded)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples), len(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    require_exe()
    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="lambda-prep-bench-mock-"))
    env = {**os.environ, "NO_COLOR": "1", "LAMBDA_PREP_HOME": str(work), "TERM": "xterm-256color"}
    subprocess.run([EXE, "topics"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm caches
    cases = {
        "python -c pass": lambda: timed([sys.executable, "-c", "pass"], env),
        "quiz: first question (comparison)": lambda: first_quiz_question(env),
        "mock: first question, plain": lambda: first_question(env, interactive=False),
        "mock: first question, terminal": lambda: first_question(env, interactive=True),
        "quiz: first question + EOF": lambda: to_eof([EXE, "quiz", "--no-interactive", "--count", "1", "--seed", "1"],
                                                     env),
        "mock: first question + EOF": lambda: to_eof([EXE, "mock", "--no-interactive", "--count", "6", "--seed", "1"],
                                                     env),
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(args.runs):  # round-robin, so machine noise spreads over every case
        for name, run in cases.items():
            samples[name].append(run())
    print(f"{'case':<34} {'median ms':>10} {'min ms':>8} {'CPU ms':>7} {'target ms':>10}")
    for name in cases:
        median = statistics.median(w for w, _ in samples[name]) * 1000
        cpu = statistics.median(c for _, c in samples[name]) * 1000
        target = 300 if name.startswith("mock") else None
        verdict = "" if target is None else ("  ok" if median <= target else "  OVER")
        print(f"{name:<34} {median:>10.0f} {min(w for w, _ in samples[name]) * 1000:>8.0f} {cpu:>7.0f} "
              f"{target or '':>10}{verdict}")
    median, worst, words = check_times(max(args.runs * 5, 50))
    verdict = "ok" if median <= 50 else "OVER"
    print(f"{'check one answer + myths':<34} {median:>10.1f} {'':>8} {50:>10}  {verdict} "
          f"(max {worst:.1f} ms; {words} words)")
    print(f"({args.runs} runs each, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"Python {sys.version.split()[0]})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
