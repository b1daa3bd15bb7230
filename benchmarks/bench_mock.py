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

EXE = shutil.which("lambda-prep")
REPO = Path(__file__).resolve().parent.parent


def first_question(env: dict, interactive: bool) -> float:
    """From starting `lambda-prep mock` to its first question's answer prompt on stdout.

    Plain mode reads stdin from a pipe; interactive mode runs in a pseudo-terminal and waits for
    the editor's instruction line (prompt_toolkit loaded, the question drawn)."""
    args = [EXE, "mock", "--count", "6", "--seed", "1"]
    start = time.perf_counter()
    if interactive:
        import pty

        pid, fd = pty.fork()
        if pid == 0:
            os.execve(EXE, args, env)
        marker = b"finishes"
    else:
        proc = subprocess.Popen(args + ["--no-interactive"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        fd = proc.stdout.fileno()
        marker = b"Your answer ("
    seen = b""
    while marker not in seen:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    elapsed = time.perf_counter() - start
    if interactive:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    else:
        proc.kill()
        proc.wait()
    return elapsed


def quiz_first_question(env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen([EXE, "quiz", "--no-interactive", "--count", "1", "--seed", "1"], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seen = b""
    while b"Answer (" not in seen and b"Answer in your head" not in seen:
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    elapsed = time.perf_counter() - start
    proc.kill()
    proc.wait()
    return elapsed


def cpu_to_first_question(cmd: list[str], env: dict) -> float:
    """CPU seconds (user + system) of a run that shows the first question and ends on empty
    input: less sensitive than wall time when other jobs share the machine."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, input=b"", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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
    if not EXE:
        sys.exit("lambda-prep is not on PATH: pip install . first")
    # pip writes bytecode when it installs a package; an editable checkout under
    # PYTHONDONTWRITEBYTECODE=1 (as on this machine) would recompile every module on every run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "lambda_prep")], check=False,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""}, stdout=subprocess.DEVNULL)
    work = Path(tempfile.mkdtemp(prefix="lambda-prep-bench-mock-"))
    env = {**os.environ, "NO_COLOR": "1", "LAMBDA_PREP_HOME": str(work), "TERM": "xterm-256color"}
    subprocess.run([EXE, "topics"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm caches
    cases = {
        "python -c pass": lambda: _timed([sys.executable, "-c", "pass"], env),
        "quiz: first question (comparison)": lambda: quiz_first_question(env),
        "mock: first question, plain": lambda: first_question(env, interactive=False),
        "mock: first question, terminal": lambda: first_question(env, interactive=True),
        "CPU: python -c pass": lambda: cpu_to_first_question([sys.executable, "-c", "pass"], env),
        "CPU: quiz, first question + EOF": lambda: cpu_to_first_question(
            [EXE, "quiz", "--no-interactive", "--count", "1", "--seed", "1"], env),
        "CPU: mock, first question + EOF": lambda: cpu_to_first_question(
            [EXE, "mock", "--no-interactive", "--count", "6", "--seed", "1"], env),
    }
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):  # round-robin, so machine noise spreads over every case
        for name, run in cases.items():
            samples[name].append(run())
    print(f"{'case':<34} {'median ms':>10} {'min ms':>8} {'target ms':>10}")
    for name in cases:
        median = statistics.median(samples[name]) * 1000
        target = 300 if name.startswith(("mock", "CPU: mock")) else None
        verdict = "" if target is None else ("  ok" if median <= target else "  OVER")
        print(f"{name:<34} {median:>10.0f} {min(samples[name]) * 1000:>8.0f} {target or '':>10}{verdict}")
    median, worst, words = check_times(max(args.runs * 5, 50))
    verdict = "ok" if median <= 50 else "OVER"
    print(f"{'check one answer + myths':<34} {median:>10.1f} {'':>8} {50:>10}  {verdict} "
          f"(max {worst:.1f} ms; {words} words)")
    print(f"({args.runs} runs each, {os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    shutil.rmtree(work, ignore_errors=True)


def _timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
