"""The exam as pure logic: choosing questions, the clock, flags, saving as answered, history."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from lambda_prep.bank.model import Question
from lambda_prep.study.exam import Answer, Exam, Go, Submit, TimeUp, ToggleFlag, choose, history
from lambda_prep.study.scheduler import Scheduler
from lambda_prep.study.store import Store

UTC = dt.timezone.utc
START = dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def question(qid: str, topic: str = "limits", qtype: str = "single") -> Question:
    if qtype == "recall":
        return Question(id=qid, topic=topic, type="recall", prompt=f"Explain {qid}", explanation="e",
                        sources=("https://docs.aws.amazon.com/x",), last_verified="2026-11-01", difficulty=2,
                        model_answer="m", key_points=("a",))
    if qtype == "true-false":
        return Question(id=qid, topic=topic, type="true-false", prompt=f"True? {qid}", explanation="e",
                        sources=("https://docs.aws.amazon.com/x",), last_verified="2026-11-01", difficulty=2,
                        choices=("True", "False"), answer=("True",))
    answer = ("right", "also right") if qtype == "multi" else ("right",)
    return Question(id=qid, topic=topic, type=qtype, prompt=f"Pick for {qid}", explanation=f"why {qid}",
                    sources=("https://docs.aws.amazon.com/x",), last_verified="2026-11-01", difficulty=2,
                    choices=("right", "also right", "wrong 1", "wrong 2"), answer=answer)


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


class ScriptUI:
    """Plays a script of (seconds to think, action) steps; records what it was shown."""

    timed = True

    def __init__(self, clock: Clock, steps):
        self.clock, self.steps, self.seen = clock, list(steps), []

    def ask(self, exam, index):
        self.seen.append(index)
        seconds, action = self.steps.pop(0)
        self.clock.advance(seconds)
        if callable(action):
            action = action(exam, index)
        if isinstance(action, BaseException):
            raise action
        return action


def right(exam, index):
    slot = exam.slots[index]
    return Answer(tuple(c for c in slot.choices if c in slot.question.answer))


def wrong(exam, index):
    return Answer(("wrong 1",))


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "p.db") as s:
        yield s


def make(store, ui, clock, questions, minutes=10, pass_mark=72):
    return Exam(store, Scheduler(seed=1), ui, questions, rng=random.Random(1), clock=clock, minutes=minutes,
                pass_mark=pass_mark, seed=1)


# --- choosing ----------------------------------------------------------------------------------


def test_choice_questions_only_spread_across_topics_in_proportion():
    bank = ([question(f"a{i}", "a") for i in range(30)] + [question(f"b{i}", "b") for i in range(10)]
            + [question(f"c{i}", "c", "multi") for i in range(20)] + [question(f"r{i}", "a", "recall") for i in range(50)])
    chosen = choose(bank, count=12, rng=random.Random(4))
    assert len(chosen) == 12 and all(q.type != "recall" for q in chosen)
    assert Counter(q.topic for q in chosen) == {"a": 6, "b": 2, "c": 4}  # 30:10:20 of 60


def test_same_seed_same_exam_and_topic_filter():
    bank = [question(f"{t}{i}", t) for t in "abcd" for i in range(10)]
    first = [q.id for q in choose(bank, count=10, rng=random.Random(7))]
    assert first == [q.id for q in choose(bank, count=10, rng=random.Random(7))]
    assert first != [q.id for q in choose(bank, count=10, rng=random.Random(8))]
    only = choose(bank, count=40, topics=["b", "d"], rng=random.Random(1))
    assert len(only) == 20 and {q.topic for q in only} == {"b", "d"}


def test_odd_seats_go_to_the_largest_remainders():
    bank = [question(f"a{i}", "a") for i in range(5)] + [question(f"b{i}", "b") for i in range(3)]
    # 3 of 8: quotas 1.875 and 1.125 -> a gets the odd seat
    assert Counter(q.topic for q in choose(bank, count=3, rng=random.Random(1))) == {"a": 2, "b": 1}


# --- the clock ---------------------------------------------------------------------------------


def test_time_up_submits_what_is_answered_and_a_late_answer_does_not_count(store):
    clock = Clock()
    qs = [question(f"q{i}") for i in range(3)]
    ui = ScriptUI(clock, [(60, right), (9 * 60 + 30, right)])  # the second answer comes 30 s too late
    result = make(store, ui, clock, qs, minutes=10).run()
    assert result.status == "time-up"
    assert [s.answered for s in result.slots] == [True, False, False]
    assert (result.correct, result.total, result.score) == (1, 3, 1 / 3)
    assert result.seconds_used == 600  # the whole allowance, not a second more
    assert [s.seconds for s in result.slots] == [60, 540, 0]
    assert len(store.reviews()) == 1  # the late answer was not fed to the scheduler either


def test_the_ui_reporting_time_up_ends_the_exam(store):
    clock = Clock()
    ui = ScriptUI(clock, [(5, right), (600, TimeUp())])
    result = make(store, ui, clock, [question("a"), question("b")], minutes=10).run()
    assert result.status == "time-up" and result.answered == 1
    assert history(store)[0]["status"] == "time-up"


def test_remaining_counts_down_with_the_clock(store):
    clock = Clock()
    remaining = []
    ui = ScriptUI(clock, [(90, lambda exam, i: remaining.append(exam.remaining()) or Submit())])
    make(store, ui, clock, [question("a")], minutes=10).run()
    assert remaining == [510.0]


# --- navigation, flags, changes ----------------------------------------------------------------


def test_flag_go_back_and_change_an_answer(store):
    clock = Clock()
    qs = [question("a"), question("b", qtype="multi"), question("c", qtype="true-false")]
    ui = ScriptUI(clock, [
        (10, ToggleFlag()),  # flag a, still on a
        (5, wrong),  # answer a (wrong) -> b
        (20, right),  # b -> c
        (8, right),  # c -> stays on the last question (all answered)
        (1, Go(0)),  # back to the flagged question
        (12, right),  # change a's answer: now right
        (2, Submit()),
    ])
    result = make(store, ui, clock, qs).run()
    assert ui.seen == [0, 0, 1, 2, 2, 0, 1]
    assert result.status == "submitted" and result.correct == 3 and result.passed
    assert [s.flagged for s in result.slots] == [True, False, False]
    assert result.slots[0].seconds == 10 + 5 + 12
    # The scheduler saw one attempt per question: the first (wrong, so Again) for a.
    reviews = store.reviews()
    assert [(r[0], r[6]) for r in reviews] == [("a", 0), ("b", 1), ("c", 1)]
    assert reviews[0][2] == 1  # Again
    saved = store.query("SELECT position, given, correct, flagged FROM exam_answers ORDER BY position")
    assert saved[0] == (0, '["right"]', 1, 1)


def test_a_flagged_first_answer_is_unsure_so_hard_at_best(store):
    clock = Clock()
    ui = ScriptUI(clock, [(10, lambda e, i: Answer(right(e, i).selected, flag=True)), (1, Submit())])
    make(store, ui, clock, [question("a")]).run()
    assert store.reviews()[0][2] == 2  # Hard: right but marked for review


def test_after_the_last_question_the_first_unanswered_comes_back(store):
    clock = Clock()
    ui = ScriptUI(clock, [(1, Go(2)), (1, right), (1, right), (1, Submit())])
    make(store, ui, clock, [question(x) for x in "abc"]).run()
    assert ui.seen == [0, 2, 0, 1]


# --- saving ------------------------------------------------------------------------------------


def test_each_answer_is_saved_before_the_next_question(store):
    clock = Clock()
    snapshots = []

    def look(exam, index):
        snapshots.append((store.review_count(),
                          store.query("SELECT count(*) FROM exam_answers WHERE given IS NOT NULL")[0][0]))
        return right(exam, index)

    ui = ScriptUI(clock, [(3, look), (3, look), (3, look), (1, Submit())])
    make(store, ui, clock, [question(x) for x in "abc"]).run()
    assert snapshots == [(0, 0), (1, 1), (2, 2)]


def test_ctrl_c_keeps_the_answers_and_records_the_exam_incomplete(store):
    clock = Clock()
    ui = ScriptUI(clock, [(4, right), (6, KeyboardInterrupt())])
    exam = make(store, ui, clock, [question(x) for x in "abc"])
    with pytest.raises(KeyboardInterrupt):
        exam.run()
    assert store.review_count() == 1
    row = history(store)[0]
    assert (row["status"], row["answered"], row["correct"], row["passed"]) == ("incomplete", 1, 1, None)
    assert row["seconds_used"] == 10


def test_an_exam_killed_mid_way_is_listed_as_incomplete(store):
    clock = Clock()

    def die(exam, index):
        raise SystemExit  # stands for a kill: nothing after this runs

    ui = ScriptUI(clock, [(4, right), (2, die)])
    with pytest.raises(SystemExit):
        make(store, ui, clock, [question(x) for x in "ab"]).run()
    row = history(store)[0]
    assert (row["status"], row["answered"], row["seconds_used"]) == ("incomplete", 1, 4)


def test_history_newest_first_with_pass_and_fail(store):
    clock = Clock()
    make(store, ScriptUI(clock, [(1, wrong), (1, Submit())]), clock, [question("a"), question("b")]).run()
    clock.advance(3600)
    make(store, ScriptUI(clock, [(1, right), (1, right), (1, Submit())]), clock, [question("a"), question("b")]).run()
    rows = history(store)
    assert [(r["correct"], r["total"], r["passed"], r["status"]) for r in rows] == [
        (2, 2, True, "submitted"), (0, 2, False, "submitted")]
    assert rows[0]["pass_mark"] == 0.72 and rows[0]["seconds_allowed"] == 600


# --- scoring -----------------------------------------------------------------------------------


@pytest.mark.parametrize("right_answers,passed", [(18, True), (17, False)])
def test_pass_mark_is_inclusive(store, right_answers, passed):
    clock = Clock()
    steps = [(1, right)] * right_answers + [(1, wrong)] * (25 - right_answers) + [(1, Submit())]
    result = make(store, ScriptUI(clock, steps), clock, [question(f"q{i}") for i in range(25)], minutes=60).run()
    assert result.passed is passed  # 18/25 is exactly 72%


def test_json_shape(store):
    clock = Clock()
    qs = [question("a", "limits"), question("b", "retries", "multi")]
    ui = ScriptUI(clock, [(7, right), (3, lambda e, i: Answer(("right",), flag=True)), (0, Submit())])
    data = make(store, ui, clock, qs, pass_mark=50).run().to_json()
    assert {k: data[k] for k in ("correct", "total", "score", "passed", "pass_mark", "status")} == {
        "correct": 1, "total": 2, "score": 0.5, "passed": True, "pass_mark": 0.5, "status": "submitted"}
    assert data["topics"] == {"limits": {"correct": 1, "total": 1, "score": 1.0},
                              "retries": {"correct": 0, "total": 1, "score": 0.0}}
    assert data["answers"][1] == {"id": "b", "topic": "retries", "given": ["right"],
                                  "answer": ["right", "also right"], "correct": False, "seconds": 3.0,
                                  "flagged": True}
