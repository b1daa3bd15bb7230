"""Drills on the issue-15 simulations (idempotency, lifecycle, managed-instances, observability,
container-image): the keyed answer recomputed by hand from the drawn scenario, and the simulate
command, run as a learner would run it, shows the same figure. The contract test in test_drills.py
covers these kinds too (it is parametrised over the registry)."""

from __future__ import annotations

import json
import math
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from lambda_prep.drills.registry import get

SEEDS = range(1, 61)
NEW = ("duplicate-effects", "billed-duration", "requests-per-environment", "alarm-fires", "package-type")


def run(*args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "LAMBDA_PREP_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "lambda_prep", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120)


def simulate_json(drill, tmp_path: Path) -> dict:
    """Run the drill's own simulate command (as printed to the learner) with --json."""
    args = shlex.split(drill.simulate)[1:]
    result = run(*args, "--json", home=tmp_path / "home")
    assert result.returncode == 0, (drill.simulate, result.stderr)
    return json.loads(result.stdout)["results"]


def whole(text: str) -> int:
    return int(text.replace(",", ""))


# --- duplicate-effects ---------------------------------------------------------------------------


def duplicate_rate_by_enumeration(p: float, q: float, attempts: int) -> float:
    """P(two or more charges), walking every outcome of every attempt (not the closed form).

    An attempt succeeds (charge, stop), fails after charging (charge, retry) or fails before (retry).
    """
    def walk(left: int, charges: int) -> float:
        if left == 0:
            return 1.0 if charges >= 2 else 0.0
        return ((1 - p) * (1.0 if charges + 1 >= 2 else 0.0)
                + p * q * walk(left - 1, charges + 1)
                + p * (1 - q) * walk(left - 1, charges))

    return walk(attempts, 0)


def test_duplicate_effects_answer_is_the_enumerated_probability():
    for seed in SEEDS:
        d = get("duplicate-effects").generate(seed)
        p, q, r, n = (d.params[k] for k in ("failure_rate", "after_effect", "max_retries", "events"))
        expected = duplicate_rate_by_enumeration(p, q, r + 1) * n
        assert whole(d.answer) == pytest.approx(expected, abs=0.51), (seed, d.answer, expected)
        if r == 0:
            assert d.answer == "0"  # one attempt: Lambda itself never charges twice


# --- billed-duration -----------------------------------------------------------------------------


def test_billed_duration_is_init_plus_invoke_rounded_up_to_the_millisecond():
    for seed in SEEDS:
        d = get("billed-duration").generate(seed)
        p = d.params
        invoke = p["duration_ms"] + p["extension_post_ms"]
        init = p["extension_init_ms"] + p["init_ms"] if p["request"] == 1 else 0.0
        assert d.answer == f"{math.ceil(init + invoke):,} ms", (seed, p, d.answer)
        assert "3,000 ms" in d.choices  # the configured timeout is always offered as the tempting wrong one


# --- requests-per-environment --------------------------------------------------------------------

PER_VCPU = {"nodejs": 64, "java": 32, "dotnet": 32, "python": 16}  # the LMI runtime pages' defaults


def test_requests_per_environment_is_the_default_cut_to_memory():
    for seed in SEEDS:
        d = get("requests-per-environment").generate(seed)
        p = d.params
        memory = p["vcpus"] * p["memory_per_vcpu_gib"] * 1024
        default = PER_VCPU[p["runtime"]] * p["vcpus"]
        if p["runtime"] == "python":  # a process, with its own runtime and init, per request
            fits = math.floor(memory / (p["base_memory_mb"] + p["request_memory_mb"]))
        else:
            workers = p["vcpus"] if p["runtime"] == "nodejs" else 1
            fits = math.floor((memory - workers * p["base_memory_mb"]) / p["request_memory_mb"])
        assert whole(d.answer) == min(default, fits), (seed, p, d.answer)
    python = [get("requests-per-environment").generate(s) for s in SEEDS]
    assert any(d.params["runtime"] == "python" and whole(d.answer) < d.params["max_concurrency"] for d in python)


# --- alarm-fires ---------------------------------------------------------------------------------


def m_of_n_by_hand(values, threshold, m, n):
    for minute in range(len(values)):
        window = values[max(0, minute - n + 1):minute + 1]
        if sum(v >= threshold for v in window) >= m:
            return f"Minute {minute}"
    return "It never fires"


def test_alarm_fires_answer_is_m_out_of_the_last_n():
    answers = set()
    for seed in SEEDS:
        d = get("alarm-fires").generate(seed)
        p = d.params
        assert d.answer == m_of_n_by_hand(p["errors"], p["threshold"], p["datapoints"], p["periods"])
        assert ", ".join(map(str, p["errors"])) in d.prompt  # the learner sees the very datapoints
        answers.add(d.answer)
    assert "It never fires" in answers and len(answers) >= 4


# --- package-type --------------------------------------------------------------------------------


def test_package_type_follows_the_quotas_and_code_signing():
    for seed in SEEDS:
        d = get("package-type").generate(seed)
        p = d.params
        unzipped, zipped = p["unzipped_mb"], p["zipped_mb"]
        if unzipped <= 250:
            expected = "uploaded directly" if zipped <= 50 else "through S3"
        else:
            expected = "loses it" if p["code_signing"] else "Only a container image"
        assert expected in d.answer, (seed, p, d.answer)


# --- the simulate command shows the same figures -------------------------------------------------


@pytest.mark.parametrize("seed", (1, 2, 3))
def test_the_newer_simulations_show_the_drills_figures(seed, tmp_path):
    d = get("duplicate-effects").generate(seed)
    results = simulate_json(d, tmp_path)
    assert results["theory"]["duplicate_rate"] == pytest.approx(d.params["duplicate_rate"], abs=1e-6)
    assert whole(d.answer) == round(results["theory"]["duplicate_rate"] * d.params["events"])
    assert results["events_duplicated"] == pytest.approx(whole(d.answer), abs=4 * math.sqrt(whole(d.answer)) + 3)

    d = get("billed-duration").generate(seed)
    row = simulate_json(d, tmp_path)["invocations"][d.params["request"] - 1]
    assert f"{row['billed_ms']:,} ms" == d.answer

    d = get("requests-per-environment").generate(seed)
    assert simulate_json(d, tmp_path)["environment"]["usable_concurrency"] == whole(d.answer)

    d = get("alarm-fires").generate(seed)
    results = simulate_json(d, tmp_path)
    assert [row["errors"] for row in results["minutes"]] == d.params["errors"]
    fired = results["alarm"]["fired_at_min"]
    assert d.answer == (f"Minute {fired[0]}" if fired else "It never fires")

    d = get("package-type").generate(seed)
    verdict = simulate_json(d, tmp_path)["verdict"]
    first = {"A .zip, uploaded directly": ".zip, direct upload", "A .zip, uploaded through S3": ".zip through S3",
             "Only a container image": "container image", "Nothing fits": "nothing fits"}
    assert verdict.startswith(next(v for k, v in first.items() if d.answer.startswith(k)))


@pytest.mark.parametrize("kind", NEW)
def test_drill_command_json_for_each_newer_kind(kind, data_home):
    d = get(kind).generate(3)
    wrong = next(i for i, c in enumerate(d.choices, 1) if c != d.answer)
    result = run("drill", kind, "--count", "1", "--seed", "3", "--json", home=data_home, stdin=f"{wrong}\n")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    assert obj["kind"] == kind and obj["prompt"] == d.prompt and obj["correct"] is False
    assert obj["misconception"] == d.misconceptions[d.choices[wrong - 1]]
    assert obj["simulate"] == d.simulate
