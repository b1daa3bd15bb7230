"""Startup and load times of the study commands, as medians and as ratios to `python -c pass`.

Prints figures; asserts nothing (speed is checked by reading these, never by timed tests).
Targets (issue 2, on a 2-core machine): --version <= 100 ms; topics <= 200 ms; quiz to the first
question on screen <= 300 ms (issue 8: exam too, piped and in a terminal); validate of the built-in
banks <= 250 ms; a synthetic 10,000-question bank loaded on the second run <= 400 ms; stats --json
over 100,000 reviews <= 300 ms.

    python benchmarks/bench_startup.py [--runs 11]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _measure import EXE, compile_bytecode, first_quiz_question, require_exe, timed, until


def synthetic_bank(path: Path, count: int) -> None:
    lines = ["questions:"]
    for i in range(count):
        lines += [
            f"  - id: synthetic-{i:05d}",
            "    topic: synthetic",
            "    type: single",
            f"    prompt: Synthetic question number {i} about the maximum timeout of a function?",
            '    choices: ["3 seconds", "15 minutes", "1 hour", "5 minutes"]',
            '    answer: "15 minutes"',
            "    explanation: >",
            "      The maximum is 900 seconds. Three seconds is the default; an hour is a common guess.",
            "    sources: [https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html]",
            "    last_verified: 2026-11-01",
            "    difficulty: 2",
            "    syllabus: [S31]",
        ]
    path.write_text("\n".join(lines) + "\n")


def synthetic_history(home: Path, reviews: int, cards: int) -> None:
    """A progress database with `reviews` reviews over `cards` cards, spread over a year."""
    env = {**os.environ, "LAMBDA_PREP_HOME": str(home)}
    subprocess.run([EXE, "config"], env=env, stdout=subprocess.DEVNULL, check=True)  # creates the schema
    rng = random.Random(1)
    ids = [f"synthetic-{i:05d}" for i in range(cards)]
    now = dt.datetime.now(dt.timezone.utc)
    db = sqlite3.connect(home / "progress.db")
    rows = []
    for n in range(reviews):
        at = now - dt.timedelta(seconds=rng.randrange(365 * 86400))
        rows.append((rng.choice(ids), "synthetic", rng.choice((1, 3, 3, 3, 4)), at.isoformat(timespec="seconds"),
                     rng.randrange(2000, 30000), "1", 1, rng.choice((0, 2, 2))))
    db.executemany("INSERT INTO reviews (question_id, topic, rating, reviewed_at, duration_ms, answer, correct, "
                   "state_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT INTO cards VALUES (?, ?, 'synthetic', 2, NULL, ?, 5.0, ?, ?, 5, 0)", [
        (qid, i, rng.uniform(1, 100), (now + dt.timedelta(days=rng.randrange(60))).isoformat(timespec="seconds"),
         (now - dt.timedelta(days=rng.randrange(30))).isoformat(timespec="seconds")) for i, qid in enumerate(ids)])
    db.commit()
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    require_exe()
    compile_bytecode()

    work = Path(tempfile.mkdtemp(prefix="lambda-prep-bench-"))
    plain_home, history_home, big_home = work / "plain", work / "history", work / "big"
    base = {**os.environ, "NO_COLOR": "1"}
    big_bank = work / "synthetic-10000.yaml"
    synthetic_bank(big_bank, 10_000)
    synthetic_history(history_home, 100_000, 2_000)

    env_plain = {**base, "LAMBDA_PREP_HOME": str(plain_home)}
    env_history = {**base, "LAMBDA_PREP_HOME": str(history_home)}
    env_big = {**base, "LAMBDA_PREP_HOME": str(big_home)}
    # Warm the caches once, as a learner's second run would find them.
    for env, cmd in [(env_plain, [EXE, "topics"]), (env_history, [EXE, "stats", "--json"]),
                     (env_big, [EXE, "validate", str(big_bank)])]:
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first_big, _ = timed([EXE, "validate", str(big_bank)], {**env_big, "LAMBDA_PREP_HOME": str(work / "cold")})
    drill = [EXE, "drill", "--no-interactive", "--count", "1", "--seed", "1"]
    exam = [EXE, "exam", "--seed", "1"]

    cases = {
        "python -c pass": (lambda: timed([sys.executable, "-c", "pass"], base), None),
        "lambda-prep --version": (lambda: timed([EXE, "--version"], env_plain), 100),
        "lambda-prep topics": (lambda: timed([EXE, "topics"], env_plain), 200),
        "quiz: start to first question": (lambda: first_quiz_question(env_plain), 300),
        "drill: first scenario on screen": (lambda: until(drill, env_plain, (b"Your prediction",)), 300),
        # the learner's own pace per question type is read from the log before the first question
        "quiz: first question, 100k reviews": (lambda: first_quiz_question(env_history), 300),
        "exam: first question, piped": (lambda: until(exam + ["--no-interactive"], env_plain, (b"Answer (",)), 300),
        # the bottom bar with the countdown is drawn with the question
        "exam: first question, terminal": (lambda: until(exam, env_plain, (b"Time left",), terminal=True), 300),
        "validate (built-in banks)": (lambda: timed([EXE, "validate"], env_plain), 250),
        "10,000-question bank, 2nd run": (lambda: timed([EXE, "validate", str(big_bank)], env_big), 400),
        "stats --json, 100,000 reviews": (lambda: timed([EXE, "stats", "--json"], env_history), 300),
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(args.runs):  # round-robin, so machine noise spreads over every case
        for name, (run, _target) in cases.items():
            samples[name].append(run())
    baseline = statistics.median(w for w, _ in samples["python -c pass"])
    print(f"{'case':<34} {'median ms':>10} {'min ms':>8} {'CPU ms':>7} {'x python':>9} {'target ms':>10}")
    for name, (_run, target) in cases.items():
        median = statistics.median(w for w, _ in samples[name]) * 1000
        cpu = statistics.median(c for _, c in samples[name]) * 1000
        verdict = "" if target is None else ("  ok" if median <= target else "  OVER")
        print(f"{name:<34} {median:>10.0f} {min(w for w, _ in samples[name]) * 1000:>8.0f} {cpu:>7.0f} "
              f"{median / (baseline * 1000):>9.1f} {target or '':>10}{verdict}")
    print(f"(10,000-question bank, first run without a cache: {first_big * 1000:.0f} ms; "
          f"{args.runs} runs each, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"Python {sys.version.split()[0]})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
