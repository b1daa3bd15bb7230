"""The mock interview: choosing questions, follow-ups by premise, scheduling, saving, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambda_prep import library, paths
from lambda_prep.bank import load_banks
from lambda_prep.cli import app
from lambda_prep.errors import EndOfInput
from lambda_prep.study import mock
from lambda_prep.study.grading import Rating
from lambda_prep.study.myths import load_myths
from lambda_prep.study.scheduler import Scheduler
from lambda_prep.study.store import Store

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.timezone.utc)
runner = CliRunner()


@pytest.fixture
def bank():
    return {q.id: q for q in load_banks([DATA / "mock_bank.yaml"]).questions}


@pytest.fixture
def store(data_home):
    with Store(data_home / "progress.db") as s:
        yield s


class FakeUI:
    """Types the given answers; can untick or tick marks; records what was asked."""

    timed = True

    def __init__(self, typed, marks=None, interrupt_at=None):
        self.typed = list(typed)
        self.marks = marks or {}  # answer number (0-based) -> marks to return
        self.asked: list[str] = []
        self.interrupt_at = interrupt_at

    def ask(self, question, prompt, position, total, follow_up, limit_seconds):
        if self.interrupt_at is not None and len(self.asked) == self.interrupt_at:
            raise KeyboardInterrupt
        self.asked.append(prompt)
        if not self.typed:
            raise EndOfInput()
        return self.typed.pop(0)

    def confirm_marks(self, answer):
        return self.marks.get(len(self.asked) - 1, answer.covered)

    def show_model_answer(self, answer):
        pass

    def show_rating(self, result, now):
        pass


class Clock:
    """Wall clock fixed at NOW; the timer advances `step` seconds per reading."""

    def __init__(self, step=30.0):
        self.t, self.step = 0.0, step

    def timer(self):
        self.t += self.step
        return self.t


def interview(store, ui, myths=(), step=30.0, minutes=2.0):
    clock = Clock(step)
    return mock.MockInterview(store, lambda: Scheduler(0.9, fuzz=False), ui, lambda: list(myths), wall_clock=lambda: NOW,
                              timer=clock.timer, minutes_per_answer=minutes)


SCALING_ALL = ("Each environment serves one request at a time. It scales by 1000 environments every 10 seconds "
               "per function. Reserved concurrency caps a function.")


# --- choosing --------------------------------------------------------------------------------


def test_follow_ups_are_chosen_by_premise(bank):
    q = bank["mock-scaling"]
    assert mock.follow_ups_to_ask(q, ()) == []
    assert [f.premise for f in mock.follow_ups_to_ask(q, (2,))] == [3]
    assert [f.premise for f in mock.follow_ups_to_ask(q, (0, 1, 2))] == [3, 2]
    assert len(mock.follow_ups_to_ask(q, (0, 1, 2), limit=1)) == 1
    assert len(mock.follow_ups_to_ask(bank["mock-payloads"], ())) == 1  # no premise: always askable


def test_choose_only_open_questions_spread_over_topics_leaning_to_the_weakest():
    questions = [q for q in library.load_all_banks().questions]
    chosen = mock.choose(questions, {}, {}, count=6, rng=random.Random(1))
    assert len(chosen) == 6 and all(q.type == "recall" for q in chosen)
    assert len({q.topic for q in chosen}) == 6
    # One strong topic, the rest unknown: over many draws the strong topic is picked least.
    mastery = {"retries": 1.0}
    counts = {}
    for seed in range(200):
        for q in mock.choose(questions, {}, mastery, count=3, rng=random.Random(seed)):
            counts[q.topic] = counts.get(q.topic, 0) + 1
    assert counts.get("retries", 0) < min(v for t, v in counts.items() if t != "retries")


def test_choose_includes_a_never_seen_question(bank, store):
    questions = list(bank.values())
    seen = {"mock-scaling", "mock-senior-design"}
    cards = {qid: object() for qid in seen}
    chosen = mock.choose(questions, cards, {}, count=3, rng=random.Random(3))
    assert "mock-payloads" in {q.id for q in chosen}


def test_levels_weight_difficulty(bank):
    questions = list(bank.values())
    junior = [mock.choose(questions, {}, {}, count=1, rng=random.Random(s), level="junior")[0].difficulty
              for s in range(40)]
    senior = [mock.choose(questions, {}, {}, count=1, rng=random.Random(s), level="senior")[0].difficulty
              for s in range(40)]
    assert 3 not in junior and 1 not in senior
    assert junior.count(1) > junior.count(2) and senior.count(3) > senior.count(2)


def test_same_seed_same_questions():
    questions = library.load_all_banks().questions
    first = [q.id for q in mock.choose(questions, {}, {}, count=6, rng=random.Random(7))]
    assert first == [q.id for q in mock.choose(questions, {}, {}, count=6, rng=random.Random(7))]


# --- running ---------------------------------------------------------------------------------


def test_follow_up_asked_only_when_the_premise_was_covered(bank, store):
    ui = FakeUI(["It scales quickly.", "It adds 1000 environments every 10 seconds per function.",
                 "They are throttled with a 429 error."])
    result = interview(store, ui).run([bank["mock-scaling"], bank["mock-scaling"]])
    first, second = result.results
    assert first.follow_ups == []  # nothing covered: no follow-up
    assert [a.prompt for a in second.follow_ups] == ["What happens to requests beyond the scaling rate?"]
    assert second.follow_ups[0].covered == (0,)


def test_marks_rating_and_saved_answers(bank, store):
    ui = FakeUI([SCALING_ALL, "Cap it with reserved concurrency and RDS Proxy pools the connections.",
                 "Requests over the rate get a 429 throttle."])
    result = interview(store, ui).run([bank["mock-scaling"]])
    r = result.results[0]
    assert r.main.covered == (0, 1, 2) and len(r.follow_ups) == 2
    assert r.rating == Rating.GOOD and r.scheduled
    assert result.score == 1.0 and result.points == 6
    assert "1000 environments" in " ".join(r.main.check.points[1].evidence)
    rows = store.query("SELECT follow_up, answer, covered, points, seconds FROM mock_answers ORDER BY id")
    assert [(f, json.loads(c), p) for f, _a, c, p, _s in rows] == [(0, [0, 1, 2], 3), (1, [0, 1], 2), (2, [0], 1)]
    assert rows[0][1] == SCALING_ALL and rows[0][4] == 30.0
    assert store.reviews("mock-scaling")[0][2] == int(Rating.GOOD)


def test_the_learner_corrects_the_marks(bank, store):
    ui = FakeUI(["Synchronous up to 6 MB.", ""], marks={0: (0, 1)})
    result = interview(store, ui).run([bank["mock-payloads"]])
    assert result.results[0].main.covered == (0, 1) and result.results[0].rating == Rating.GOOD
    assert json.loads(store.query("SELECT covered FROM mock_answers ORDER BY id")[0][0]) == [0, 1]


def test_a_myth_caps_the_rating_at_again(bank, store):
    myths = load_myths([paths.myths_dir()]).myths
    ui = FakeUI(["Synchronous payloads up to 6 MB; asynchronous payloads are limited to 256 KB.", ""])
    result = interview(store, ui, myths).run([bank["mock-payloads"]])
    r = result.results[0]
    assert [c.myth.belief for c in r.main.myths] == ["Asynchronous invocation payloads are limited to 256 KB"]
    assert r.rating == Rating.AGAIN and r.scheduled
    assert json.loads(store.query("SELECT myths FROM mock_answers")[0][0]) == [r.main.myths[0].myth.id]


def test_a_pass_on_a_card_not_due_leaves_its_schedule_alone(bank, store):
    q = bank["mock-payloads"]
    sched = Scheduler(0.9, fuzz=False)
    card = sched.review(None, q.id, q.topic, 3, NOW - dt.timedelta(hours=1))
    card = sched.review(card, q.id, q.topic, 3, NOW - dt.timedelta(minutes=30))
    from lambda_prep.study.store import Review

    store.record(Review(q.id, q.topic, 3, NOW - dt.timedelta(minutes=30), None, "x", True), lambda _b: card)
    assert card.due > NOW + dt.timedelta(days=1)
    result = interview(store, FakeUI(["Synchronous payloads up to 6 MB, asynchronous up to 1 MB.", ""])).run([q])
    assert result.results[0].rating == Rating.GOOD and not result.results[0].scheduled
    assert store.card(q.id).due == card.due and len(store.reviews(q.id)) == 1
    # A fail on the same card does reach FSRS: forgetting must shorten the interval.
    result = interview(store, FakeUI(["No idea.", ""])).run([q])
    assert result.results[0].scheduled and store.card(q.id).due < card.due


def test_with_an_interview_plan_a_card_due_before_the_day_is_due_in_the_mock_too(bank, store):
    from lambda_prep.study import plan as plan_model
    from lambda_prep.study import planning
    from lambda_prep.study.scheduler import study_day
    from lambda_prep.study.store import Review

    q = bank["mock-payloads"]
    sched = Scheduler(0.9, fuzz=False)
    last = NOW - dt.timedelta(days=10)
    card = sched.review(sched.review(None, q.id, q.topic, 3, last - dt.timedelta(days=3)), q.id, q.topic, 4, last)
    store.record(Review(q.id, q.topic, 4, last, None, "x", True), lambda _b: card)
    assert card.due > NOW + dt.timedelta(days=5)  # FSRS's date: well after the interview
    interview_day = study_day(NOW) + dt.timedelta(days=1)
    planning.save(store, plan_model.PlanSettings(interview_day, 30))
    cap = planning.cap_in_force(store, list(bank.values()), NOW, 4)
    ui = FakeUI(["Synchronous payloads up to 6 MB, asynchronous up to 1 MB.", ""])
    result = mock.MockInterview(store, lambda: Scheduler(0.9, fuzz=False, cap=cap), ui, lambda: [],
                                wall_clock=lambda: NOW, timer=Clock().timer, cap=cap).run([q])
    # Cut to the eve (today), as the quiz would ask it: the answer counts, and its next review comes by the day.
    interview_start = dt.datetime.combine(interview_day, dt.time(4)).astimezone(dt.timezone.utc)
    assert result.results[0].scheduled and NOW < result.results[0].card.due <= interview_start
    assert store.card(q.id).stability > card.stability  # FSRS's own state moved on, uncut


def test_over_time_is_reported_not_cut_off(bank, store):
    ui = FakeUI([SCALING_ALL, "", ""])
    result = interview(store, ui, step=150.0, minutes=2.0).run([bank["mock-scaling"]])
    main = result.results[0].main
    assert main.seconds == 150.0 and main.over_time and main.typed == SCALING_ALL
    assert result.to_json()["questions"][0]["over_time"] is True


def test_ctrl_c_keeps_every_answer_given(bank, store):
    ui = FakeUI([SCALING_ALL, "Reserved concurrency caps it.", "x"], interrupt_at=2)
    result = mock.MockResult(0, "mid", NOW, 2, 2.0)
    with pytest.raises(KeyboardInterrupt):
        interview(store, ui).run([bank["mock-scaling"], bank["mock-payloads"]], result)
    assert result.interrupted and len(result.results) == 1
    assert store.query("SELECT count(*) FROM mock_answers")[0][0] == 2
    assert len(store.reviews("mock-scaling")) == 1  # the main answer was scheduled
    (row,) = mock.history(store)
    assert row["finished"] is False and row["answered"] == 1


def test_end_of_input_ends_the_mock_cleanly(bank, store):
    result = interview(store, FakeUI(["Sync 6 MB."])).run([bank["mock-payloads"], bank["mock-scaling"]])
    assert result.ended_early and len(result.results) == 1


def test_history_lists_mocks_with_scores(bank, store):
    interview(store, FakeUI(["Sync up to 6 MB, async up to 1 MB.", "Put it in S3 and pass a reference."])).run(
        [bank["mock-payloads"]])
    interview(store, FakeUI(["", ""])).run([bank["mock-payloads"]])
    rows = mock.history(store)
    assert [r["score"] for r in rows] == [1.0, 0.0]
    assert rows[0]["topics"] == ["mockdemo"] and rows[0]["finished"] and rows[0]["questions"] == 1


def test_study_next_names_commands(bank, store):
    myths = load_myths([paths.myths_dir()]).myths
    result = interview(store, FakeUI(["Async payloads are limited to 256 KB.", ""]), myths).run([bank["mock-payloads"]])
    things = result.study_next()
    assert len(things) == 3  # one topic asked: the myth first, then the points missed
    assert things[0]["what"].startswith("Outdated belief: Asynchronous invocation payloads are limited to 256 KB")
    assert [t["what"] for t in things[1:]] == ["Synchronous payloads up to 6 MB", "Asynchronous payloads up to 1 MB"]
    assert things[0]["commands"] == ["lambda-prep explain mockdemo", "lambda-prep quiz --topic mockdemo"]
    assert mock.commands_for("retries") == ["lambda-prep explain retries", "lambda-prep simulate retries",
                                            "lambda-prep quiz --topic retries"]


def test_markdown_report(bank, store):
    result = interview(store, FakeUI([SCALING_ALL + "\nSecond line.", "", ""])).run([bank["mock-scaling"]])
    text = mock.report_markdown(result)
    assert "## 1. How does Lambda scale when traffic jumps?" in text
    assert "> Second line." in text and "- [x] One request per environment at a time" in text
    assert "- [ ] RDS Proxy pools connections" in text and "Time: 0:30" in text
    assert "## Score per topic" in text and "| mockdemo | 3 of 6 | 50% |" in text
    assert "`lambda-prep quiz --topic mockdemo`" in text


# --- the command line ------------------------------------------------------------------------


def cli_mock(*args, input=""):
    bank_dir = paths.user_banks_dir()
    bank_dir.mkdir(parents=True, exist_ok=True)
    (bank_dir / "mock_bank.yaml").write_bytes((DATA / "mock_bank.yaml").read_bytes())
    return runner.invoke(app, ["mock", "--topic", "mockdemo", "--seed", "1", *args], input=input)


def order(count: int) -> list[str]:
    """The questions `mock --topic mockdemo --seed 1` asks, in order (a new learner: no cards)."""
    questions = load_banks([DATA / "mock_bank.yaml"]).questions
    return [q.id for q in mock.choose(questions, {}, {}, count=count, rng=random.Random(1), topics=["mockdemo"])]


TYPED = {  # question id -> lines typed: the main answer, then one per follow-up it triggers
    "mock-payloads": ["Sync payloads up to 6 MB; async payloads are limited to 256 KB.", "S3 and pass a reference."],
    "mock-scaling": ["It scales by 1000 environments every 10 seconds per function.", "They get a 429 throttle."],
    "mock-senior-design": ["Set maximum concurrency on the event source mapping."],
}


def test_json_output_shape():
    asked = order(3)
    assert sorted(asked) == sorted(TYPED)
    result = cli_mock("--count", "3", "--json", input="".join(line + "\n" for qid in asked for line in TYPED[qid]))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert 0 <= data["score"] <= 1 and data["finished"] is True
    assert [q["id"] for q in data["questions"]] == asked
    for q in data["questions"]:
        assert set(q) >= {"id", "key_points", "myths", "seconds", "follow_ups"}
        assert all(set(k) == {"point", "covered", "matched"} for k in q["key_points"])
        assert q["seconds"] is None  # piped: not timed
    by_id = {q["id"]: q for q in data["questions"]}
    payloads = by_id["mock-payloads"]
    assert [k["covered"] for k in payloads["key_points"]] == [True, False]
    assert payloads["myths"][0]["id"] == "core-async-payload-256kb"
    assert payloads["myths"][0]["source"] == "https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html"
    assert payloads["rating"] == "Again"
    scaling = by_id["mock-scaling"]
    assert [k["covered"] for k in scaling["key_points"]] == [False, True, False]
    assert [f["answer"] for f in scaling["follow_ups"]] == ["They get a 429 throttle."]
    assert scaling["follow_ups"][0]["key_points"][0]["covered"] is True
    covered = sum(k["covered"] for q in data["questions"] for a in [q, *q["follow_ups"]] for k in a["key_points"])
    assert data["covered"] == covered and data["score"] == round(covered / data["points"], 4)
    assert set(data["topics"]["mockdemo"]) == {"covered", "points", "score"}


def test_plain_mode_one_line_per_answer_and_the_report(tmp_path):
    report = tmp_path / "mock.md"
    asked = order(2)
    typed = {"mock-payloads": "Sync up to 6 MB, async up to 1 MB.\nPut it in S3 and pass a reference.\n",
             "mock-scaling": "\n", "mock-senior-design": "\n"}
    result = cli_mock("--count", "2", "--no-interactive", "--report", str(report),
                      input="".join(typed[qid] for qid in asked))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Your answer (one line" in out and "Mock interview report" in out and "Study next" in out
    if "mock-payloads" in asked:
        assert "Key points: 2 of 2 found" in out and "Follow-up 1" in out
    assert report.read_text().startswith("# Mock interview")
    assert f"Report written to {report}" in out
    history = runner.invoke(app, ["mock", "--history", "--json"])
    assert json.loads(history.stdout)[0]["answered"] == 2


@pytest.mark.parametrize("args, message", [
    (["--count", "0"], "--count must be from 1 to 20, got 0"),
    (["--count", "21"], "--count must be from 1 to 20"),
    (["--minutes-per-answer", "0.1"], "--minutes-per-answer must be from 0.5 to 30"),
    (["--history", "--count", "3"], "--count does not apply with --history"),
    (["--json", "--interactive"], "--interactive does not apply with --json"),
    (["--report", "/no/such/folder/r.md"], "no such folder"),
    (["--topic", "nonsense"], "unknown topic 'nonsense'"),
])
def test_bad_arguments_exit_2_with_the_valid_range(args, message):
    result = runner.invoke(app, ["mock", *args], input="")
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_bad_level_exits_2():
    result = runner.invoke(app, ["mock", "--level", "principal"])
    assert result.exit_code == 2 and "junior" in result.output


def test_damaged_database_is_reported(data_home):
    data_home.mkdir(parents=True, exist_ok=True)
    (data_home / "progress.db").write_bytes(b"this is not a database" * 100)
    result = runner.invoke(app, ["mock", "--history"])
    assert result.exit_code == 1 and "damaged" in result.stderr and "Traceback" not in result.output


def test_migration_adds_the_mock_tables_to_an_existing_database(data_home):
    from lambda_prep.study.store import MIGRATIONS

    data_home.mkdir(parents=True, exist_ok=True)
    with Store(data_home / "progress.db", migrate_to=len(MIGRATIONS) - 1):
        pass
    with Store(data_home / "progress.db") as s:
        assert s.mocks() == []
    db = sqlite3.connect(data_home / "progress.db")
    assert {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")} >= {"mocks", "mock_answers"}
