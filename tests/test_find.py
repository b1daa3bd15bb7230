"""Finding and filtering questions: show, search, flag, mistakes, quiz filters."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lambda_prep import library
from lambda_prep.study.scheduler import Scheduler
from lambda_prep.study.store import Review, Store

BANKS = library.load_all_banks(include_user=False)
BY_ID = {q.id: q for q in BANKS.questions}
T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone.utc)


def run(*args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "LAMBDA_PREP_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "lambda_prep", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120)


def answer(store: Store, qid: str, correct: bool, when: dt.datetime) -> None:
    q = BY_ID[qid]
    rating = 3 if correct else 1
    scheduler = Scheduler(0.9, fuzz=False)
    store.record(Review(qid, q.topic, rating, when, 3000, "x", correct),
                 lambda card: scheduler.review(card, qid, q.topic, rating, when, 3000))


@pytest.fixture
def store(data_home):
    s = library.open_store()
    yield s
    s.close()


def some(kind: str, n: int = 1, topic: str | None = None) -> list[str]:
    return [q.id for q in BANKS.questions if q.type == kind and (topic is None or q.topic == topic)][:n]


# --- mistakes --------------------------------------------------------------------------------------


def test_mistakes_most_often_wrong_first_then_most_recent(store):
    a, b, c, d = some("single", 4)
    answer(store, a, False, T0)
    answer(store, b, False, T0 + dt.timedelta(days=1))
    answer(store, b, False, T0 + dt.timedelta(days=2))
    answer(store, c, False, T0 + dt.timedelta(days=3))
    answer(store, d, True, T0 + dt.timedelta(days=4))  # never wrong: not a mistake
    rows = library.mistakes(store, BANKS)
    assert [r["id"] for r in rows] == [b, c, a]
    assert rows[0]["wrong"] == 2 and rows[0]["answered"] == 2
    # quiz --mistakes: most recently failed first
    assert [q.id for q in library.mistake_questions(store, BANKS, [])] == [c, b, a]


def test_quiz_mistakes_asks_only_failed_questions_and_says_so_when_none(data_home, store):
    fresh = run("quiz", "--mistakes", "--no-interactive", home=data_home)
    assert fresh.returncode == 0 and "No mistakes to practise" in fresh.stdout
    a, b, c = some("true-false", 3)
    answer(store, a, False, T0)
    answer(store, b, True, T0)
    answer(store, c, False, T0 + dt.timedelta(hours=1))
    result = run("quiz", "--mistakes", "--no-interactive", "--seed", "1", home=data_home, stdin="1\n2\n")
    assert result.returncode == 0, result.stderr
    asked = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert len(asked) == 2
    prompts = result.stdout
    assert " ".join(BY_ID[c].prompt.split())[:50] in " ".join(prompts.split())
    assert " ".join(BY_ID[b].prompt.split())[:50] not in " ".join(prompts.split())


def test_mistakes_command_lists_and_exports_json(data_home, store):
    (a,) = some("multi")
    answer(store, a, False, T0)
    table = run("mistakes", home=data_home)
    assert table.returncode == 0 and a in table.stdout and "quiz --mistakes" in table.stdout
    rows = json.loads(run("mistakes", "--json", home=data_home).stdout)
    assert rows[0]["id"] == a and rows[0]["topic"] == BY_ID[a].topic


# --- filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [("2", (2,)), ("2-3", (2, 3)), (" 1 - 2 ", (1, 2)), (None, (1, 2, 3))])
def test_difficulty_parses(text, expected):
    assert library.parse_difficulty(text) == expected


@pytest.mark.parametrize("args,message", [
    (["--difficulty", "4"], "--difficulty takes 1, 2 or 3"),
    (["--difficulty", "3-1"], "--difficulty takes 1, 2 or 3"),
    (["--type", "essay"], "'essay' is not one of"),
    (["--mistakes", "--due"], "exclude each other"),
    (["--due", "--extra-new", "5"], "--extra-new adds new questions"),
    (["--extra-new", "-1"], "-1 is not in the range"),
])
def test_bad_filters_exit_2(args, message, data_home):
    result = run("quiz", *args, home=data_home)
    assert result.returncode == 2 and message in result.stderr


def test_type_and_difficulty_filters_choose_only_matching_questions(store):
    filters = library.Filters((3,), ("recall",))
    _, _, plan, _ = library.prepare_quiz(store, BANKS, topic_names=[], count=1000, mode="all", seed=1,
                                         now=T0, filters=filters, extra_new=1000)
    assert plan.questions
    assert all(q.type == "recall" and q.difficulty == 3 for q in plan.questions)
    expected = sum(q.type == "recall" and q.difficulty == 3 for q in BANKS.questions)
    assert len(plan.questions) == expected


def test_extra_new_raises_todays_limit_only(store):
    _, _, plan, config = library.prepare_quiz(store, BANKS, topic_names=[], count=1000, mode="new", seed=1, now=T0)
    assert len(plan.questions) == config.new_per_day
    _, _, more, _ = library.prepare_quiz(store, BANKS, topic_names=[], count=1000, mode="new", seed=1, now=T0,
                                         extra_new=7)
    assert len(more.questions) == config.new_per_day + 7


# --- flags -----------------------------------------------------------------------------------------


def test_a_flagged_question_is_not_asked_until_cleared(data_home, store):
    (qid,) = some("single", 1, "layers")
    flagged = run("flag", qid, "--kind", "outdated", "--note", "quota changed", home=data_home)
    assert flagged.returncode == 0, flagged.stderr
    _, _, plan, _ = library.prepare_quiz(store, BANKS, topic_names=["layers"], count=1000, mode="new", seed=1,
                                         now=T0, extra_new=1000)
    assert qid not in {q.id for q in plan.questions}
    listing = run("flag", "--list", home=data_home).stdout
    assert f"- `{qid}` (layers): outdated" in listing and "quota changed" in listing
    as_json = json.loads(run("flag", "--list", "--json", home=data_home).stdout)
    assert as_json[0]["id"] == qid and as_json[0]["note"] == "quota changed"
    assert run("flag", "--clear", qid, home=data_home).returncode == 0
    _, _, plan, _ = library.prepare_quiz(store, BANKS, topic_names=["layers"], count=1000, mode="new", seed=1,
                                         now=T0, extra_new=1000)
    assert qid in {q.id for q in plan.questions}


@pytest.mark.parametrize("args,message", [
    (["no-such-question"], "no question with id 'no-such-question'"),
    (["lim-payload"], "Did you mean"),
    (["--clear", "lim-payloads"], "is not flagged"),
    (["lim-payloads", "--kind", "boring"], "--kind must be one of wrong, outdated, unclear"),
    ([], "name the question to flag"),
    (["lim-payloads", "--list"], "--list takes no ID"),
    (["lim-payloads", "--json"], "--json goes with --list"),
])
def test_bad_flag_calls_exit_2(args, message, data_home):
    result = run("flag", *args, home=data_home)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr


# --- show and search -------------------------------------------------------------------------------


def test_show_gives_the_answer_sources_and_history(data_home, store):
    (qid,) = some("single")
    answer(store, qid, False, T0)
    result = run("show", qid, home=data_home)
    assert result.returncode == 0, result.stderr
    q = BY_ID[qid]
    for url in q.sources:
        assert url in result.stdout.splitlines() or f"  {url}" in result.stdout.splitlines()
    assert "Your history: 1 answer, 1 wrong" in result.stdout
    data = json.loads(run("show", qid, "--json", home=data_home).stdout)
    assert data["answer"] == list(q.answer) and data["history"][0]["correct"] is False
    assert "syllabus" not in data
    missing = run("show", "nope", home=data_home)
    assert missing.returncode == 2 and "no question with id 'nope'" in missing.stderr


def test_search_ranks_questions_and_explainers_holding_every_word_first():
    hits = library.search(BANKS, "visibility timeout")
    assert hits[0]["matched"] == hits[0]["of"] == 2
    assert any(h["kind"] == "question" for h in hits) and any(h["kind"] == "explainer" for h in hits)
    assert all(a["matched"] >= b["matched"] for a, b in zip(hits, hits[1:]))
    top = BY_ID[hits[0]["id"]] if hits[0]["kind"] == "question" else None
    assert top is None or "visibility" in (top.prompt + top.explanation).lower()
    stemmed = {h["id"] for h in library.search(BANKS, "throttled retries", limit=50) if h["id"]}
    assert stemmed & {q.id for q in BANKS.questions if "throttl" in q.prompt.lower()}


def test_search_command_shows_ids_and_handles_nothing(data_home):
    result = run("search", "SnapStart", "--limit", "3", home=data_home)
    assert result.returncode == 0 and "3 results" in result.stdout
    nothing = run("search", "xyzzyplugh", home=data_home)
    assert nothing.returncode == 0 and "Nothing matches" in nothing.stdout
    empty = run("search", "  ", home=data_home)
    assert empty.returncode == 2 and "search needs some words" in empty.stderr
