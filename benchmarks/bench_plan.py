"""Timings of the interview plan and the optimizer, as medians.

Prints figures; asserts nothing (speed is checked by reading these, never by timed tests).
Targets (issue 7, on a 2-core machine): `plan` for 600 questions and 60 days left <= 300 ms;
`optimize` on 10,000 reviews <= 2 s; quiz to the first question on screen with a plan set <= 300 ms.

    python benchmarks/bench_plan.py [--runs 11]
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
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from _measure import EXE, compile_bytecode, first_quiz_question, require_exe, timed  # noqa: E402
from synthetic_learner import review_log  # noqa: E402

TYPES = ("single", "single", "multi", "true-false", "recall")


def extra_bank(path: Path, count: int) -> None:
    """`count` questions of mixed types in 6 topics, beside the built-in banks."""
    lines = ["questions:"]
    for i in range(count):
        kind = TYPES[i % len(TYPES)]
        lines += [f"  - id: extra-{i:05d}", f"    topic: extra-{i % 6}", f"    type: {kind}",
                  f"    prompt: Extra question number {i} about the maximum timeout of a function?"]
        if kind == "recall":
            lines += ["    answer: Fifteen minutes (900 seconds), set per function.",
                      "    key_points: [900 seconds, configurable per function]"]
        elif kind == "true-false":
            lines += ["    answer: true"]
        elif kind == "multi":
            lines += ['    choices: ["900 seconds", "15 minutes", "1 hour", "5 minutes"]',
                      '    answer: ["900 seconds", "15 minutes"]']
        else:
            lines += ['    choices: ["3 seconds", "15 minutes", "1 hour", "5 minutes"]', '    answer: "15 minutes"']
        lines += ["    explanation: >", "      The maximum is 900 seconds.",
                  "    sources: [https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html]",
                  "    last_verified: 2026-11-01", f"    difficulty: {1 + i % 3}"]
    path.write_text("\n".join(lines) + "\n")


def seen_half(home: Path, ids: list[str]) -> None:
    """Half the questions seen: FSRS states spread as after a few weeks of study."""
    rng = random.Random(1)
    now = dt.datetime.now(dt.timezone.utc)
    db = sqlite3.connect(home / "progress.db")
    rows = []
    for i, qid in enumerate(ids[::2]):
        last = now - dt.timedelta(days=rng.randrange(10), hours=rng.randrange(20))
        stability = rng.uniform(1, 30)
        rows.append((qid, i, "x", 2, None, stability, rng.uniform(3, 8),
                     (last + dt.timedelta(days=max(1, round(stability)))).isoformat(timespec="seconds"),
                     last.isoformat(timespec="seconds"), 3, 0))
    db.executemany("INSERT INTO cards (question_id, card_id, topic, state, step, stability, difficulty, due, "
                   "last_review, reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()


def store_log(home: Path, rows) -> None:
    db = sqlite3.connect(home / "progress.db")
    db.executemany("INSERT INTO reviews (question_id, topic, rating, reviewed_at, duration_ms, answer, correct, "
                   "state_before) VALUES (?, 'synthetic', ?, ?, NULL, '', ?, ?)",
                   [(q, r, at.isoformat(timespec="seconds"), int(r > 1), s) for q, r, at, s in rows])
    db.commit()
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    require_exe()
    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="lambda-prep-bench-plan-"))
    base = {**os.environ, "NO_COLOR": "1"}
    interview = (dt.date.today() + dt.timedelta(days=60)).isoformat()

    # The built-in questions, topped up to 600 from the user's banks folder while there are fewer.
    from lambda_prep import library  # (the ids of the built-in questions)

    os.environ["LAMBDA_PREP_HOME"] = str(work / "empty")
    extra = max(0, 600 - len(library.load_all_banks().questions))
    fresh, half, logged = work / "fresh", work / "half", work / "logged"
    envs = {}
    for home in (fresh, half, logged):
        env = {**base, "LAMBDA_PREP_HOME": str(home)}
        envs[home] = env
        (home / "banks").mkdir(parents=True)
        if extra:
            extra_bank(home / "banks" / "extra.yaml", extra)
        subprocess.run([EXE, "plan", "--interview", interview, "--minutes-per-day", "45"], env=env,
                       stdout=subprocess.DEVNULL, check=True)
    out = subprocess.run([EXE, "plan", "--json"], env=envs[fresh], capture_output=True, text=True, check=True)
    import json

    report = json.loads(out.stdout)
    total = report["questions"]
    assert total >= 600 and report["days_left"] in (59, 60, 61), (total, report["days_left"])

    os.environ["LAMBDA_PREP_HOME"] = str(half)
    banks = library.load_all_banks()
    seen_half(half, [q.id for q in banks.questions])
    noplan = work / "noplan"  # the same learner without a plan, for comparison
    shutil.copytree(half, noplan)
    envs[noplan] = {**base, "LAMBDA_PREP_HOME": str(noplan)}
    subprocess.run([EXE, "plan", "--clear"], env=envs[noplan], stdout=subprocess.DEVNULL, check=True)
    store_log(logged, review_log(10_000))

    cases = {
        "python -c pass": (lambda: timed([sys.executable, "-c", "pass"], base), None),
        f"plan, {total} questions, 60 days (new learner)": (lambda: timed([EXE, "plan"], envs[fresh]), 300),
        f"plan, {total} questions, 60 days (half seen)": (lambda: timed([EXE, "plan"], envs[half]), 300),
        "plan --json, same (half seen)": (lambda: timed([EXE, "plan", "--json"], envs[half]), 300),
        "quiz to first question, plan set": (lambda: first_quiz_question(envs[half]), 300),
        "quiz to first question, same, no plan": (lambda: first_quiz_question(envs[noplan]), None),
        # Every screen cuts due dates with the plan's cap (library.planned_cards); without a plan, one settings read.
        "stats --json, plan set (half seen)": (lambda: timed([EXE, "stats", "--json"], envs[half]), 300),
        "stats --json, same, no plan": (lambda: timed([EXE, "stats", "--json"], envs[noplan]), 300),
        "optimize, 10,000 reviews": (lambda: timed([EXE, "optimize"], envs[logged]), 2000),
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(args.runs):  # round-robin, so machine noise spreads over every case
        for name, (run, _target) in cases.items():
            samples[name].append(run())
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'case':<46} {'wall ms':>8} {'min ms':>7} {'CPU ms':>7} {'target ms':>10}")
    for name, (_run, target) in cases.items():
        wall = statistics.median(w for w, _ in samples[name]) * 1000
        cpu = statistics.median(c for _, c in samples[name]) * 1000
        least = min(w for w, _ in samples[name]) * 1000
        verdict = "" if target is None else ("  ok" if wall <= target else "  OVER")
        print(f"{name:<46} {wall:>8.0f} {least:>7.0f} {cpu:>7.0f} {target or '':>10}{verdict}")

    # The pieces, in process. The due dates every screen shows (library.planned_cards), against reading
    # the cards alone: with a plan, the cap; without one, one settings read.
    from lambda_prep.study.scheduler import utcnow
    from lambda_prep.study.store import Store

    for label, home in (("plan set", half), ("no plan", noplan)):
        with Store(home / "progress.db") as store:
            cut, read = [], []
            for _ in range(21):
                start = time.perf_counter()
                cards = library.planned_cards(store, banks, utcnow(), 4)
                cut.append(time.perf_counter() - start)
                start = time.perf_counter()
                store.cards()
                read.append(time.perf_counter() - start)
        print(f"library.planned_cards, {len(cards)} cards, {label}: {statistics.median(cut) * 1000:.1f} ms "
              f"(store.cards() alone: {statistics.median(read) * 1000:.1f} ms)")
    # The simulation behind `plan`, and the fit behind `optimize`.
    from lambda_prep.study import optimize, plan

    bank = [plan.NewCard(f"t{i % 14}", 30.0 if i % 5 else 90.0) for i in range(600)]
    shares = plan.Shares(plan.FIRST_RATING_SHARES, plan.PASS_RATING_SHARES, False)
    for minutes in (30, 60, 240):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            choice = plan.choose_retention(plan.Model(), days_left=60, seen=[], unseen=bank, budget_s=minutes * 60,
                                           shares=shares)
            times.append(time.perf_counter() - start)
        print(f"choose_retention, 600 new, 60 days, {minutes:>3} min/day: {statistics.median(times) * 1000:6.0f} ms "
              f"({len(choice.candidates)} simulations; chose {choice.best.retention:.2f})")
    rows = review_log(10_000)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        fit = optimize.fit(rows, plan.DEFAULT_WEIGHTS)
        times.append(time.perf_counter() - start)
    print(f"optimize.fit, 10,000 reviews ({fit.items} items; one fit + two evaluations): "
          f"{statistics.median(times) * 1000:.0f} ms; held-back log loss {fit.before['log_loss']} -> "
          f"{fit.after['log_loss']}, RMSE {fit.before['rmse']} -> {fit.after['rmse']}")
    imports, bare = [], []
    for _ in range(args.runs):  # interleaved, medians: one run means nothing on a busy machine
        imports.append(timed([sys.executable, "-c", "import fsrs_rs_python"], base)[1])
        bare.append(timed([sys.executable, "-c", "pass"], base)[1])
    print(f"import fsrs_rs_python: {(statistics.median(imports) - statistics.median(bare)) * 1000:.0f} ms CPU "
          f"over python -c pass (medians)")
    print(f"({args.runs} runs each, {os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
