"""The adversarial pass over the bank loader (issue 14), run by hand: prints figures, asserts nothing.

Mutates the real built-in banks by the thousand (byte flips, YAML syntax, aliases, tags, deep
brackets, control characters, invalid UTF-8, truncation, repeated lines), generates token-level
YAML, and replays the reliability report's reproductions (alias bombs in every field, 1-5 MB
lists, deep nesting, 5,000-digit integers). Each input goes through check_file (memory traced),
then load_banks cold and cached (which must agree), and a sample through `lambda-prep validate`.

    python benchmarks/adversarial_banks.py [--mutants 4000] [--generated 2000] [--cli 150] [--seed 1]

A crash is any exception escaping check_file or load_banks (or a traceback from the command);
a hang is an input over --hang seconds; a bad position is a problem outside the file's lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from lambda_prep import paths
from lambda_prep.bank import load_banks
from lambda_prep.bank.validation import check_file

TODAY = dt.date(2026, 11, 22)
SNIPPETS = [
    b"&a ", b"*a", b"*a *a", b"&a [*a]", b"<<: *a\n", b"<<: !!python/object:os.system {}\n",
    b"!!int ", b"!!float ", b"!!bool ", b"!!timestamp ", b"!!binary ", b"!!set ", b"!!omap ", b"!!str ",
    b"!!python/object/apply:os.system ", b"!!python/name:os.system ", b"!custom ", b"!<tag:x> ",
    b"%TAG ! tag:yaml.org,2002:python/\n", b"%YAML 1.1\n", b"[" * 40, b"{" * 40, b"[" * 300, b"{a: " * 100,
    b"]", b"}", b"- ", b": ", b"? ", b"---\n", b"...\n", b"|", b">", b"|-\n", b"'", b'"', b"#", b"\t",
    b"\x00", b"\x07", b"\x1b", b"\x7f", b"\xff", b"\xe9", b"\xc3", b"\xef\xbb\xbf", b"\xed\xa0\x80",
    b"\r", b"\n", b"\n  - ", b"\n    ", b"2026-13-01", b"2026-02-30 25:00:00", b"0000-01-01",
    b"2026-01-01T10:00:00+99:00", b"9" * 5000, b"1e999", b".nan", b"~", b"yes", b"0o17", b"0x", b"0b2",
    b"1_000", b"=", b"<<", b"\\u0000", b'"\\x00"', b"\xe2\x80\xa8",
]
TOKENS = [
    "questions:", "  - ", "    ", "id: ", "topic: ", "type: ", "prompt: ", "choices: ", "answer: ",
    "explanation: ", "sources: ", "last_verified: ", "difficulty: ", "key_points: ", "tags: ", "myth: ",
    "single", "multi", "true-false", "recall", "true", "false", "yes", "1", "2", "3", "2026-11-01",
    "2026-13-01", "https://docs.aws.amazon.com/lambda/", "[", "]", "{", "}", ", ", ": ", "- ", "&a ",
    "*a", "<<: ", "!!int ", "!!str ", "!!python/object:os.system ", "'", '"', "|", ">", "#", "\n",
    "\t", "---", "~", "x", "a b", "9" * 50, "\x07", "\u00e9",
]


def mutate(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data) + 1)
        kind = rng.choice(["flip", "insert", "insert", "value", "value", "delete", "truncate", "repeat"])
        if kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]
        elif kind == "insert":
            data = data[:at] + rng.choice(SNIPPETS) + data[at:]
        elif kind == "value":  # right before a value, where tags and odd scalars bite
            found = data.find(b": ", at)
            at = found + 2 if found >= 0 else at
            data = data[:at] + rng.choice(SNIPPETS) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + rng.randint(1, 400):]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "repeat":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            line = data[start:end + 1 if end >= 0 else len(data)]
            data = data[:start] + line * rng.randint(1, 50) + data[start:]
    return data


def generated(rng: random.Random) -> bytes:
    """Token-level YAML, line by line so that much of it parses and reaches validation."""
    lines = ["questions:"] if rng.random() < 0.8 else []
    for _ in range(rng.randint(1, 60)):
        indent = rng.choice(["  - ", "    ", "      - ", "", "  "])
        lines.append(indent + "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 4))))
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def laughs(levels: int, field: str) -> bytes:
    lines = ['lol0: &lol0 [' + ','.join(['"lol"'] * 10) + ']']
    lines += [f'lol{i}: &lol{i} [' + ','.join([f'*lol{i - 1}'] * 10) + ']' for i in range(1, levels + 1)]
    extra = "type: true-false\n    " if field == "answer" else ""
    return ('questions:\n  - ' + extra + '\n    '.join(lines) + f'\n    {field}: *lol{levels}\n').encode()


def report_cases() -> list[tuple[str, bytes]]:
    cases = [(f"laughs{n}-{field}", laughs(n, field)) for n in (3, 7, 9, 12)
             for field in ("type", "difficulty", "last_verified", "answer", "prompt")]
    for megabytes in (1, 2.5, 5):
        items = int(megabytes * 1_000_000 / 2)
        cases.append((f"list-{megabytes}MB", ("questions:\n  - id: x\n    tags: [" + "a," * items + "]\n").encode()))
        cases.append((f"block-list-{megabytes}MB", ("questions:\n" + "  - a\n" * (items // 3)).encode()))
        cases.append((f"text-{megabytes}MB", ("questions:\n  - prompt: " + "a" * (items * 2) + "\n").encode()))
    for depth in (250, 1000, 100_000):
        cases.append((f"deep{depth}", ("questions:\n  - id: x\n    prompt: " + "[" * depth + "]" * depth + "\n").encode()))
        cases.append((f"deepmap{min(depth, 2000)}", ("q:\n" + "".join(" " * (i + 1) + f"k{i}:\n"
                                                                       for i in range(min(depth, 2000)))).encode()))
    cases.append(("bigint", b"questions:\n  - id: x\n    difficulty: " + b"1" * 5000 + b"\n"))
    cases.append(("bigfloat", b"questions:\n  - id: x\n    difficulty: " + b"1" * 19000 + b".5\n"))
    cases.append(("ctrl", b"questions:\n" + b"  - id: x\n" * 199 + b"  - id: y\x07\n"))
    cases.append(("anchors-many", ("a: [" + ", ".join(f"&a{i} x" for i in range(50_000)) + "]\n").encode()))
    cases.append(("keys-many", ("a: {" + ", ".join(f"k{i}: 1" for i in range(200_000)) + "}\n").encode()))
    cases.append(("values-500k", ("questions:\n" + ("  - [" + ",".join(["ab"] * 60) + "]\n") * 9000).encode()))
    question = ("  - {{id: q{i}, topic: t, type: single, prompt: p, choices: [a, b], answer: c, explanation: e,"
                " sources: [https://docs.aws.amazon.com/x], last_verified: 2026-11-01, difficulty: 4}}\n")
    tags = "[" + ",".join(f"t{j}" for j in range(999)) + "]"  # unique items: duplicate checks stay linear
    cases.append(("lists-490x999", ("questions:\n" + "".join(f"  - {{id: q{i}, tags: {tags}}}\n"
                                                             for i in range(490))).encode()))
    keys = ", ".join(f"explanatio{i}: x" for i in range(999))  # near-miss field names: "did you mean"
    cases.append(("near-miss-keys", ("questions:\n" + "".join(f"  - {{{keys}}}\n" for _ in range(240))).encode()))
    long_choices = ", ".join("abcdefgh " * 40 + str(i) for i in range(8))
    long_answers = ", ".join("abcdefgh " * 20 + f"{i:05d}" for i in range(1000))
    cases.append(("near-miss-answers", ("questions:\n" + "".join(
        f"  - {{id: q{n}, type: multi, choices: [{long_choices}], answer: [{long_answers}]}}\n"
        for n in range(30))).encode()))
    cases.append(("problems-10k", ("questions:\n" + "".join(question.format(i=i) for i in range(10_000))).encode()))
    return cases


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def bounded(seconds: float, run):
    """run(), raising Hang if it takes longer than `seconds`."""
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return run()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def run_one(data: bytes, hang_s: float, folder: Path) -> dict:
    """Check one input in-process; return what happened.

    Time is that of a cold load_banks (no tracing); memory is traced in a separate check_file run,
    which tracing slows several times, so it gets five times the hang limit.
    """
    out = {"crash": None, "hang": False, "peak": 0, "seconds": 0.0, "bad_pos": 0, "mismatch": False,
           "problems": 0}
    path = folder / "bank.yaml"
    path.write_bytes(data)
    cache = folder / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    try:
        start = time.perf_counter()
        cold = bounded(hang_s, lambda: load_banks([path], cache=cache, today=TODAY, display_root=folder))
        out["seconds"] = time.perf_counter() - start
        warm = bounded(hang_s, lambda: load_banks([path], cache=cache, today=TODAY, display_root=folder))
        uncached = bounded(hang_s, lambda: load_banks([path], today=TODAY, display_root=folder))
        out["mismatch"] = not (cold == warm == uncached)
        tracemalloc.start()
        try:
            _questions, problems = bounded(hang_s * 5, lambda: check_file(Path("bank.yaml"), data, TODAY))
            out["peak"] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        lines = data.count(b"\n") + 1
        out["bad_pos"] = sum(not (1 <= p.line <= lines + 1 and p.col >= 1) for p in problems)
        out["problems"] = len(problems)
    except Hang:
        out["hang"] = True
    except BaseException as exc:  # noqa: BLE001 - counting every escape is the point
        out["crash"] = f"{type(exc).__name__}: {str(exc)[:80]}"
    return out


def run_cli(inputs: list[bytes], hang_s: float, folder: Path) -> tuple[int, int, int, float]:
    exe = shutil.which("lambda-prep")
    env = {**os.environ, "LAMBDA_PREP_HOME": str(folder / "home"), "NO_COLOR": "1"}
    crashes = hangs = unclear = 0
    slowest = 0.0
    for index, data in enumerate(inputs):
        path = folder / f"cli{index}.yaml"
        path.write_bytes(data)
        start = time.perf_counter()
        try:
            done = subprocess.run([exe, "validate", str(path)], env=env, capture_output=True, timeout=hang_s * 4)
        except subprocess.TimeoutExpired:
            hangs += 1
            continue
        slowest = max(slowest, time.perf_counter() - start)
        if b"Traceback" in done.stderr or b"Traceback" in done.stdout or done.returncode not in (0, 1):
            crashes += 1
        elif done.returncode == 1 and f"cli{index}.yaml:".encode() not in done.stdout:
            unclear += 1
    return crashes, hangs, unclear, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=4000)
    parser.add_argument("--generated", type=int, default=2000)
    parser.add_argument("--cli", type=int, default=150, help="mutants also run through lambda-prep validate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hang", type=float, default=5.0, help="seconds after which an input counts as a hang")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    rng = random.Random(args.seed)
    banks = [p.read_bytes() for p in sorted(paths.builtin_banks_dir().glob("*.yaml"))]
    groups = {  # made one at a time, so this process's peak RSS reflects the loader, not the inputs
        "mutants of the real banks": (mutate(rng, rng.choice(banks)) for _ in range(args.mutants)),
        "generated YAML": (generated(rng) for _ in range(args.generated)),
        "report reproductions": (data for _name, data in report_cases()),
    }
    work = Path(tempfile.mkdtemp(prefix="lambda-prep-adversarial-"))
    crash_kinds: Counter = Counter()
    print(f"{'inputs':<28} {'tried':>6} {'crashes':>8} {'hangs':>6} {'bad pos':>8} {'cache!=':>8} "
          f"{'max MB':>7} {'max s':>6} {'median ms':>10}")
    totals = Counter()
    for name, inputs in groups.items():
        results = [run_one(data, args.hang, work) for data in inputs]
        if not results:
            continue
        crashes = [r["crash"] for r in results if r["crash"]]
        crash_kinds.update(crashes)
        times = sorted(r["seconds"] for r in results)
        row = dict(tried=len(results), crashes=len(crashes), hangs=sum(r["hang"] for r in results),
                   bad_pos=sum(r["bad_pos"] for r in results), mismatch=sum(r["mismatch"] for r in results))
        totals.update(row)
        print(f"{name:<28} {row['tried']:>6} {row['crashes']:>8} {row['hangs']:>6} {row['bad_pos']:>8} "
              f"{row['mismatch']:>8} {max(r['peak'] for r in results) / 1e6:>7.1f} {times[-1]:>6.2f} "
              f"{times[len(times) // 2] * 1000:>10.1f}")
    print(f"{'total':<28} {totals['tried']:>6} {totals['crashes']:>8} {totals['hangs']:>6} {totals['bad_pos']:>8} "
          f"{totals['mismatch']:>8}")
    sample = [mutate(rng, rng.choice(banks)) for _ in range(args.cli)] + [data for _name, data in report_cases()]
    slow = [(name, run_one(data, args.hang, work)["seconds"]) for name, data in report_cases()]
    print("slowest reproductions (cold load_banks): " + ", ".join(
        f"{name} {seconds:.2f} s" for name, seconds in sorted(slow, key=lambda x: -x[1])[:4]))
    crashes, hangs, unclear, slowest = run_cli(sample, args.hang, work)
    print(f"through `lambda-prep validate FILE`: {len(sample)} inputs, {crashes} tracebacks or odd exit codes, "
          f"{hangs} hangs, {unclear} exit 1 without a file:line:col problem; slowest {slowest:.2f} s")
    for kind, count in crash_kinds.most_common(10):
        print(f"  crash x{count}: {kind}")
    cache_files = list((work / "home" / "cache").glob("*"))
    print(f"largest cache file: {max((p.stat().st_size for p in cache_files), default=0) / 1e6:.2f} MB; "
          f"peak RSS of this process: {_max_rss_mb():.0f} MB; seed {args.seed}; Python {sys.version.split()[0]}")
    shutil.rmtree(work, ignore_errors=True)


def _max_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
