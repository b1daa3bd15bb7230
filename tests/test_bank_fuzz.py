"""Mutated real banks never crash the loader, and every problem points at a real place.

Hypothesis mutates the built-in banks (byte flips, YAML syntax, aliases, tags, deep brackets,
control characters, truncation) with a fixed seed and a bounded number of examples, so the test
is the same on every run and stays within seconds. benchmarks/adversarial_banks.py runs the same
kind of mutations by the thousand and prints figures.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import tracemalloc
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambda_prep import paths
from lambda_prep.bank import load_banks
from lambda_prep.bank.validation import check_file

TODAY = dt.date(2026, 11, 22)
BANKS = sorted(paths.builtin_banks_dir().glob("*.yaml"))
PEAK_LIMIT = 40_000_000  # bytes traced per mutant; a built-in bank takes well under 1 MB

SNIPPETS = [
    b"&a ", b"*a", b"*a *a", b"&a [*a]", b"<<: *a\n", b"<<: !!python/object:os.system {}\n",
    b"!!int ", b"!!float ", b"!!bool ", b"!!timestamp ", b"!!binary ", b"!!set ", b"!!str ",
    b"!!python/object/apply:os.system ", b"!custom ", b"!<tag:x> ", b"%TAG ! tag:yaml.org,2002:\n",
    b"[" * 40, b"{" * 40, b"[" * 300, b"]", b"}", b"- ", b": ", b"? ", b"---\n", b"...\n", b"|", b">",
    b"'", b'"', b"#", b"\t", b"\x00", b"\x07", b"\x1b", b"\xff", b"\xe9", b"\xc3", b"\xef\xbb\xbf",
    b"\r", b"\n", b"\n  - ", b"\n    ", b"2026-13-01", b"2026-02-30 25:00:00", b"0000-01-01",
    b"9" * 5000, b"1e999", b".nan", b"~", b"yes", b"0o17", b"0x", b"=", b"<<",
]
LAUGHS = (b"\n    lol0: &lol0 [a,a,a,a,a,a,a,a,a,a]" + b"".join(
    f"\n    lol{i}: &lol{i} [{','.join([f'*lol{i - 1}'] * 10)}]".encode() for i in range(1, 7)))

mutation = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 7)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.sampled_from(SNIPPETS + [LAUGHS])),
    st.tuples(st.just("value"), st.floats(0, 1), st.sampled_from(SNIPPETS)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 400)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("repeat"), st.floats(0, 1), st.integers(1, 50)),
)


def mutate(data: bytes, steps) -> bytes:
    for kind, where, arg in steps:
        at = int(where * len(data))
        if kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ (1 << arg)]) + data[at + 1:]
        elif kind == "insert":
            data = data[:at] + arg + data[at:]
        elif kind == "value":  # right before a value, where tags and odd scalars bite
            found = data.find(b": ", at)
            at = found + 2 if found >= 0 else at
            data = data[:at] + arg + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + arg:]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "repeat":  # a line repeated: duplicate keys, ids, deeper indentation
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            line = data[start:end + 1 if end >= 0 else len(data)]
            data = data[:start] + line * arg + data[start:]
    return data


def assert_positioned(problems, data: bytes) -> None:
    lines = data.count(b"\n") + 1
    for problem in problems:
        assert 1 <= problem.line <= lines + 1, problem
        assert problem.col >= 1, problem
        assert len(problem.message) < 600, problem


@settings(max_examples=120, derandomize=True, database=None, deadline=timedelta(seconds=5),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(bank=st.sampled_from(BANKS), steps=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_real_banks_give_positioned_problems_within_bounds(bank, steps):
    data = mutate(bank.read_bytes(), steps)
    tracemalloc.start()
    try:
        questions, problems = check_file(Path("bank.yaml"), data, TODAY)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_LIMIT
    assert_positioned(problems, data)
    assert questions == [] or problems == []
    # Through load_banks, cold then cached: the same answer, never an exception.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.yaml"
        path.write_bytes(data)
        results = [load_banks([path], cache=Path(folder) / "cache", today=TODAY, display_root=Path(folder))
                   for _ in range(2)]
    assert results[0] == results[1]
    assert [str(p) for p in results[0].problems] == [str(p) for p in problems]
