"""Scenario drills: keyed by the models, distinct distractors, runnable simulate commands, determinism."""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from lambda_prep.drills.base import parse_number, within
from lambda_prep.drills.registry import KINDS, NAMES, get
from lambda_prep.sims import facts, iam
from lambda_prep.sims.common import erlang_b

SEEDS = range(1, 61)


def first_number(text: str) -> float | None:
    match = re.search(r"-?[\d,]*\.?\d+", text)
    return parse_number(match.group(0)) if match else None


# --- the contract, over every kind -----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_drill_is_complete_and_its_wrong_choices_name_a_misconception(kind):
    for seed in SEEDS:
        d = kind.generate(seed)
        assert d.kind == kind.name and d.topic == kind.topic
        assert d.prompt and d.explanation and d.simulate.startswith("lambda-prep simulate ")
        assert d.sources and all(url.startswith("https://") for url in d.sources)
        assert d.answer in d.choices and len(d.choices) >= 3 and len(set(d.choices)) == len(d.choices)
        wrong = [c for c in d.choices if c != d.answer]
        assert set(d.misconceptions) == set(wrong), (kind.name, seed)
        assert all(why for why in d.misconceptions.values())
        assert d.check(d.answer) == (True, None)
        for choice in wrong:
            assert d.check(choice) == (False, d.misconceptions[choice])
        # Where the answer is a figure ("2,500", "$12.47", "About 30 seconds"), every wrong figure
        # differs from it by more than rounding.
        numeric = re.fullmatch(r"(About )?\$?[\d,.]+( seconds|%)?", d.answer)
        answer_number = first_number(d.answer) if numeric else None
        for choice in wrong:
            n = first_number(choice)
            if n is not None and answer_number is not None:
                assert not within(n, answer_number, 0.005), (kind.name, seed, choice, d.answer)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_same_seed_same_drill_different_seeds_different_scenarios(kind):
    assert kind.generate(7).to_json() == kind.generate(7).to_json()
    scenarios = {json.dumps(kind.generate(seed).params, sort_keys=True) for seed in SEEDS}
    assert len(scenarios) >= 5, f"{kind.name}: only {len(scenarios)} distinct scenarios in {len(SEEDS)} seeds"


def test_the_kinds_are_listed_explicitly_and_cover_eight_or_more_topics_worth():
    assert len(KINDS) >= 8 and len(set(NAMES)) == len(NAMES)
    from lambda_prep.topics import TOPICS

    assert {k.topic for k in KINDS} <= set(TOPICS)


# --- the keyed answer is the model's (recomputed here from the drawn parameters) -------------------


def test_async_retries_answer_is_p_to_the_attempts():
    for seed in SEEDS:
        d = get("async-retries").generate(seed)
        p, r, n = d.params["failure_rate"], d.params["max_retries"], d.params["events"]
        assert within(first_number(d.answer), n * p ** (r + 1), 0.01)


def test_sqs_redrive_answer_is_p_to_the_max_receive_count():
    for seed in SEEDS:
        d = get("sqs-redrive").generate(seed)
        p, k, n = d.params["failure_rate"], d.params["max_receive_count"], d.params["messages"]
        assert within(first_number(d.answer), n * p ** k, 0.01)


def test_concurrency_answer_follows_erlang_b_on_littles_law():
    for seed in SEEDS:
        d = get("concurrency-needed").generate(seed)
        load = d.params["arrival_rate"] * d.params["duration_ms"] / 1000
        blocked = erlang_b(d.params["reserved_concurrency"], load)
        band = "under 1%" if blocked < 0.01 else "1-10%" if blocked < 0.10 else "over 10%"
        assert band in d.answer, (seed, blocked, d.answer)


def test_scaling_answer_is_the_token_bucket():
    for seed in SEEDS:
        d = get("scaling-rate").generate(seed)
        target = d.params["target_concurrency"]
        expected = (target - facts.SCALING_BURST.value) / facts.SCALING_REFILL_PER_S.value
        assert first_number(d.answer) == pytest.approx(expected)


def test_cold_share_is_e_to_the_minus_rate_times_lifetime():
    for seed in SEEDS:
        d = get("cold-starts").generate(seed)
        share = math.exp(-d.params["requests_per_hour"] / 3600 * d.params["idle_lifetime_min"] * 60)
        assert first_number(d.answer) == round(share * 100)


def test_monthly_bill_by_hand():
    for seed in SEEDS:
        d = get("monthly-bill").generate(seed)
        p = d.params
        gb_s = p["requests_per_month"] * p["duration_ms"] / 1000 * p["memory_mb"] / 1024
        compute = max(gb_s - 400_000, 0) * facts.gb_second(p["architecture"])
        requests = max(p["requests_per_month"] - 1_000_000, 0) / 1e6 * 0.20
        assert first_number(d.answer) == pytest.approx(compute + requests, abs=0.006), (seed, d.answer)


def test_payload_answer_follows_the_documented_limits():
    for seed in SEEDS:
        d = get("payload-limits").generate(seed)
        limit = 6 * 1024 if d.params["invocation"] == "sync" else 1024
        assert d.answer.startswith("Accepted") == (d.params["payload_kb"] <= limit)


def test_invoke_permission_answer_is_the_iam_truth_table():
    for seed in SEEDS:
        d = get("invoke-permission").generate(seed)
        p = d.params
        if p["explicit_deny"]:
            assert "explicit Deny" in d.answer
        elif p["cross_account"]:
            assert (d.answer == "Allowed") == (p["identity_allows"] and p["resource_allows"])
        else:
            assert (d.answer == "Allowed") == (p["identity_allows"] or p["resource_allows"])
        assert iam.decide(p["identity_allows"], p["resource_allows"], p["explicit_deny"], p["cross_account"])


def test_layers_answer_checks_both_quotas():
    for seed in SEEDS:
        d = get("layers-fit").generate(seed)
        sizes = d.params["layer_sizes_mb"]
        expected = ("more than 5 layers" if len(sizes) > 5 else
                    "exceed 250 MB" if d.params["function_mb"] + sum(sizes) > 250 else "within both quotas")
        assert expected in d.answer


def test_invocation_status_by_the_documented_semantics():
    expected = {("sync", "ok"): 200, ("sync", "error"): 200, ("sync", "throttled"): 429}
    for seed in SEEDS:
        d = get("invocation-status").generate(seed)
        p = d.params
        assert p["status"] == (202 if p["invocation"] == "async" else expected[(p["invocation"], p["outcome"])])
        assert str(p["status"]) in d.answer
        assert ("X-Amz-Function-Error" in d.answer) == (p["invocation"] == "sync" and p["outcome"] == "error")


def test_db_connections_is_littles_law():
    for seed in SEEDS:
        d = get("db-connections").generate(seed)
        assert first_number(d.answer) == pytest.approx(d.params["arrival_rate"] * d.params["duration_ms"] / 1000)


# --- the simulate command runs and shows the same figures ------------------------------------------


def simulate_json(drill, tmp_path: Path) -> dict:
    folder = tmp_path / drill.id
    folder.mkdir()
    for name, text in drill.files.items():
        (folder / name).write_text(text)
    args = shlex.split(drill.simulate_in(folder))[1:]
    env = {**os.environ, "LAMBDA_PREP_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-m", "lambda_prep", *args, "--json"], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, (drill.simulate, result.stderr)
    return json.loads(result.stdout)["results"]


def test_the_simulations_show_the_drills_figures(tmp_path):
    for seed in (1, 2, 3):
        d = get("async-retries").generate(seed)
        theory = simulate_json(d, tmp_path)["theory"]
        assert theory["dead_letter_ratio"] == pytest.approx(d.params["failure_rate"] ** (d.params["max_retries"] + 1))

        d = get("sqs-redrive").generate(seed)
        theory = simulate_json(d, tmp_path)["theory"]
        assert theory["dead_letter_ratio"] == pytest.approx(d.params["failure_rate"] ** d.params["max_receive_count"])

        d = get("concurrency-needed").generate(seed)
        assert simulate_json(d, tmp_path)["erlang_b"] == pytest.approx(d.params["throttled_share"], abs=1e-3)

        d = get("monthly-bill").generate(seed)
        assert within(simulate_json(d, tmp_path)["bill"]["total_usd"], first_number(d.answer), 0.005)

        d = get("payload-limits").generate(seed)
        assert simulate_json(d, tmp_path)["payload"]["accepted"] == d.answer.startswith("Accepted")

        d = get("invoke-permission").generate(seed)
        decision = simulate_json(d, tmp_path)["decision"]
        assert {"Allow": "Allowed", "ImplicitDeny": "implicit deny", "ExplicitDeny": "explicit Deny"}[decision] in d.answer

        d = get("layers-fit").generate(seed)
        failed = {c["check"] for c in simulate_json(d, tmp_path)["checks"] if not c["ok"]}
        assert ("layers per function" in failed) == ("more than 5 layers" in d.answer)

        d = get("invocation-status").generate(seed)
        results = simulate_json(d, tmp_path)
        first = results["sync"]["calls"][0] if d.params["invocation"] == "sync" else results["async"]["events"][0]
        assert first["status"] == d.params["status"]

        d = get("db-connections").generate(seed)
        direct = simulate_json(d, tmp_path)["direct"]
        assert direct["busy_avg"] == pytest.approx(first_number(d.answer), rel=0.15)
        assert direct["db_connections_avg"] >= 0.95 * first_number(d.answer)  # "at least"

        d = get("cold-starts").generate(seed)
        assert simulate_json(d, tmp_path)["cold_start_ratio"] == pytest.approx(d.params["cold_share"], abs=0.03)


def test_the_scaling_ramp_throttles_what_the_drill_says(tmp_path):
    d = get("scaling-rate").generate(2)
    results = simulate_json(d, tmp_path)
    assert results["throttled_by"]["scaling_rate"] == pytest.approx(d.params["throttled_during_ramp"], rel=0.1)


# --- the command ------------------------------------------------------------------------------------


def run(*args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "LAMBDA_PREP_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "lambda_prep", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120)


def test_drill_json_one_object_per_drill_with_the_verdict(data_home):
    result = run("drill", "sqs-redrive", "--count", "2", "--seed", "7", "--json", home=data_home, stdin="1\n")
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(objects) == 2
    for key in ("id", "kind", "params", "prompt", "choices", "answer", "explanation", "simulate"):
        assert key in objects[0]
    assert objects[0]["given"] == objects[0]["choices"][0]
    assert objects[0]["correct"] == (objects[0]["given"] == objects[0]["answer"])
    assert "correct" not in objects[1]  # input ended: no answer read
    again = run("drill", "sqs-redrive", "--count", "2", "--seed", "7", "--json", home=data_home)
    assert [json.loads(l)["prompt"] for l in again.stdout.splitlines()] == [o["prompt"] for o in objects]


def test_plain_drill_names_the_misconception_and_counts_for_the_card(data_home):
    d = get("async-retries").generate(3)
    wrong = next(i for i, c in enumerate(d.choices, 1) if c != d.answer)
    result = run("drill", "async-retries", "--count", "1", "--seed", "3", "--no-interactive", home=data_home,
                 stdin=f"{wrong}\n")
    assert result.returncode == 0, result.stderr
    assert "✗ Not quite" in result.stdout and f"That answer comes from {d.misconceptions[d.choices[wrong - 1]]}" \
        in " ".join(result.stdout.split())
    assert "Watch it: lambda-prep simulate retries" in result.stdout
    show = run("show", "drill-async-retries", "--json", home=data_home)
    assert show.returncode == 2  # drills are not bank questions
    from lambda_prep.study.store import Store

    with Store(data_home / "progress.db") as store:
        assert store.card("drill-async-retries") is not None


@pytest.mark.parametrize("args,message", [
    (["nope"], "unknown drill kind 'nope'"),
    (["--list", "async-retries"], "--list takes no KIND"),
    (["--count", "0"], "0 is not in the range"),
])
def test_bad_drill_arguments_exit_2(args, message, data_home):
    result = run("drill", *args, home=data_home)
    assert result.returncode == 2 and message in result.stderr


def test_list_json(data_home):
    rows = json.loads(run("drill", "--list", "--json", home=data_home).stdout)
    assert [r["kind"] for r in rows] == list(NAMES)


def test_quiz_mixes_in_drills_and_drills_only_asks_only_drills(data_home):
    mixed = run("quiz", "--count", "10", "--seed", "2", "--no-interactive", home=data_home, stdin="1\n" * 40)
    lines = mixed.stdout.splitlines()
    drills = {lines[i + 1] for i, line in enumerate(lines) if "scenario drill" in line}
    assert len(drills) == 2  # the default drills-per-session (a missed one may come back at the end)
    only = run("quiz", "--drills-only", "--count", "3", "--seed", "2", "--no-interactive", home=data_home,
               stdin="1\n" * 10)
    headers = [line for line in only.stdout.splitlines() if line.startswith("[")]
    assert headers and all("scenario drill" in line for line in headers)
    run("config", "drills-per-session", "0", home=data_home)
    none = run("quiz", "--count", "10", "--seed", "3", "--no-interactive", home=data_home, stdin="1\n" * 40)
    assert "scenario drill" not in none.stdout


def test_explainers_and_simulation_footers_point_to_the_drills_of_their_topic():
    from lambda_prep.paths import explainers_dir
    from lambda_prep.views.sims.common import drills_for, interview_footer

    for kind in KINDS:
        try_it = (explainers_dir() / f"{kind.topic}.md").read_text().split("## Try it", 1)[1]
        assert f"lambda-prep drill {kind.name}" in try_it, kind.name
        assert kind.name in drills_for(kind.topic)
    from rich.console import Console

    console = Console(width=80, record=True)
    console.print(interview_footer(["say this"], explain_topic="retries"))
    assert "lambda-prep drill async-retries" in console.export_text()


def test_a_quiz_draws_scenarios_only_for_the_drills_it_asks(tmp_path):
    # Every TAB and every quiz start pays for what it imports: a session with two drills must not
    # import every drill kind's simulation to draw scenarios it never shows.
    code = """
import datetime as dt, sys
from lambda_prep import library
banks = library.load_all_banks()
store = library.open_store()
now = dt.datetime(2026, 12, 7, 12, tzinfo=dt.timezone.utc)
_, _, plan, _ = library.prepare_quiz(store, banks, topic_names=[], count=10, mode="all", seed=1, now=now)
drills = [q for q in plan.questions if q.id.startswith("drill-")]
kinds = sorted(m for m in sys.modules if m.startswith("lambda_prep.drills.") and m.split(".")[-1]
               not in ("base", "registry"))
print(len(drills), len(kinds), all(q.prompt and q.choices for q in drills))
"""
    env = {**os.environ, "LAMBDA_PREP_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    asked, imported, complete = out.stdout.split()
    assert int(asked) == 2 and complete == "True"  # the default: two drills a session, each a whole question
    assert int(imported) <= int(asked) < len(KINDS)
