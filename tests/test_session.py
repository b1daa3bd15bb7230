"""Choosing questions (due first, daily new limit, interleaving, seeds) and running a quiz."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest

from lambda_prep.bank.model import Question
from lambda_prep.study.grading import Rating
from lambda_prep.study.scheduler import Scheduler
from lambda_prep.study.session import ChoiceAnswer, Quiz, RecallAnswer, Summary, UndoRequested, plan
from lambda_prep.study.store import Review, Store
from lambda_prep.errors import EndOfInput

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def question(qid: str, topic: str = "limits", qtype: str = "single", difficulty: int = 2) -> Question:
    if qtype == "recall":
        return Question(id=qid, topic=topic, type="recall", prompt=f"Explain {qid}", explanation="e",
                        sources=("https://docs.aws.amazon.com/x",), last_verified="2026-11-01",
                        difficulty=difficulty, model_answer="model", key_points=("a", "b"))
    return Question(id=qid, topic=topic, type=qtype, prompt=f"Pick for {qid}", explanation="e",
                    sources=("https://docs.aws.amazon.com/x",), last_verified="2026-11-01", difficulty=difficulty,
                    choices=("right", "wrong 1", "wrong 2"), answer=("right",))


def seen(store: Store, qid: str, topic: str, when: dt.datetime, rating: int = 3):
    scheduler = Scheduler(seed=1)
    return store.record(Review(qid, topic, rating, when, 1000, "x", True),
                        lambda before: scheduler.review(before, qid, topic, rating, when))


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "p.db") as s:
        yield s


def test_due_questions_come_first_then_new_up_to_the_daily_limit(store):
    bank = [question(f"n{i}") for i in range(10)] + [question("d1"), question("d2")]
    seen(store, "d1", "limits", NOW - dt.timedelta(days=10))
    seen(store, "d2", "limits", NOW - dt.timedelta(days=10))
    result = plan(bank, store.cards(), now=NOW, rng=random.Random(1), count=20, new_allowed=3)
    ids = [q.id for q in result.questions]
    assert ids[:2] in (["d1", "d2"], ["d2", "d1"])
    assert len(ids) == 5 and all(i.startswith("n") for i in ids[2:])
    assert (result.due_total, result.new_total) == (2, 10)


def test_modes_and_count(store):
    bank = [question(f"n{i}") for i in range(5)] + [question("d1")]
    seen(store, "d1", "limits", NOW - dt.timedelta(days=10))
    cards = store.cards()
    assert [q.id for q in plan(bank, cards, now=NOW, rng=random.Random(1), mode="due").questions] == ["d1"]
    assert "d1" not in [q.id for q in plan(bank, cards, now=NOW, rng=random.Random(1), mode="new").questions]
    assert len(plan(bank, cards, now=NOW, rng=random.Random(1), count=2).questions) == 2


def test_a_question_seen_today_and_not_due_is_not_asked(store):
    bank = [question("a")]
    seen(store, "a", "limits", NOW - dt.timedelta(days=1))
    seen(store, "a", "limits", NOW - dt.timedelta(hours=1), rating=4)
    assert plan(bank, store.cards(), now=NOW, rng=random.Random(1)).questions == []


def test_topics_are_interleaved_and_filtered():
    bank = [question(f"{t}{i}", topic=t) for t in ("a", "b", "c") for i in range(3)]
    chosen = plan(bank, {}, now=NOW, rng=random.Random(5), count=9).questions
    topics = [q.topic for q in chosen]
    assert all(topics[i] != topics[i + 1] for i in range(len(topics) - 1))
    only_b = plan(bank, {}, now=NOW, rng=random.Random(5), topics=["b"]).questions
    assert {q.topic for q in only_b} == {"b"}


def test_same_seed_same_order_and_new_questions_easiest_first():
    bank = [question(f"q{i}", difficulty=1 + i % 3) for i in range(12)]
    first = [q.id for q in plan(bank, {}, now=NOW, rng=random.Random(9)).questions]
    assert first == [q.id for q in plan(bank, {}, now=NOW, rng=random.Random(9)).questions]
    assert first != [q.id for q in plan(bank, {}, now=NOW, rng=random.Random(10)).questions]
    difficulties = [next(q for q in bank if q.id == i).difficulty for i in first]
    assert difficulties == sorted(difficulties)


def test_a_removed_question_keeps_its_history_and_is_not_asked(store):
    seen(store, "gone", "limits", NOW - dt.timedelta(days=30))
    chosen = plan([question("kept")], store.cards(), now=NOW, rng=random.Random(1)).questions
    assert [q.id for q in chosen] == ["kept"]
    assert store.card("gone") is not None and len(store.reviews("gone")) == 1


def test_editing_a_question_keeps_its_progress(store):
    seen(store, "q", "limits", NOW - dt.timedelta(hours=1))
    edited = replace(question("q"), prompt="A reworded prompt", choices=("right", "other"))
    result = plan([edited], store.cards(), now=NOW + dt.timedelta(minutes=30), rng=random.Random(1))
    assert result.new_total == 0  # still known: progress follows the id, not the text


class ScriptedUI:
    """Answers from a script: a list of ('pick', text) / ('recall', rating) / EndOfInput / KeyboardInterrupt."""

    def __init__(self, script, steps=()):
        self.script = list(script)
        self.steps = list(steps)  # what the learner does after each feedback: "next", "undo", "stop"
        self.shown = []
        self.undone = []

    def _next(self):
        step = self.script.pop(0)
        if isinstance(step, type) and issubclass(step, BaseException):
            raise step()
        if step == "u":  # `u` typed at the prompt: take back the previous answer
            raise UndoRequested()
        return step

    def ask_choice(self, question, choices, position, total):
        return ChoiceAnswer((self._next(),), 8.0)

    def ask_recall(self, question, position, total, preview):
        assert set(preview()) == {1, 2, 3, 4}
        return RecallAnswer("typed", (0, 1), Rating(self._next()), 20.0)

    def show_outcome(self, outcome, now):
        self.shown.append((outcome.question.id, outcome.correct, outcome.rating))

    def next_step(self, outcome, last):
        return self.steps.pop(0) if self.steps else "next"

    def show_undone(self, question, done):
        self.undone.append((question.id if question else None, done))


def quiz(store, ui):
    return Quiz(store, Scheduler(seed=1), ui, rng=random.Random(1), clock=lambda: NOW)


def test_each_answer_is_graded_saved_and_shown(store):
    ui = ScriptedUI(["right", 3])
    summary = quiz(store, ui).run([question("a"), question("r", qtype="recall")])
    assert ui.shown == [("a", True, Rating.GOOD), ("r", True, Rating.GOOD)]
    assert store.review_count() == 2 and summary.by_topic() == {"limits": (2, 2)}


def test_a_failed_question_comes_back_once_at_the_end(store):
    ui = ScriptedUI(["wrong 1", "right", "wrong 2"])
    quiz(store, ui).run([question("a"), question("b")])
    assert [s[0] for s in ui.shown] == ["a", "b", "a"]
    assert [s[2] for s in ui.shown] == [Rating.AGAIN, Rating.GOOD, Rating.AGAIN]


def test_end_of_input_ends_cleanly_keeping_answers(store):
    summary = quiz(store, ScriptedUI(["right", EndOfInput])).run([question("a"), question("b")])
    assert summary.ended_early and len(summary.outcomes) == 1 and store.review_count() == 1


def test_ctrl_c_keeps_every_answer_already_given(store):
    summary = Summary()
    with pytest.raises(KeyboardInterrupt):
        quiz(store, ScriptedUI(["right", "right", KeyboardInterrupt])).run(
            [question("a"), question("b"), question("c")], summary)
    assert summary.interrupted and len(summary.outcomes) == 2
    assert {r[0] for r in store.reviews()} == {"a", "b"}


def test_learning_steps_minutes_away_are_not_called_due_now():
    from lambda_prep.study.scheduler import CardState
    from lambda_prep.study.session import next_due_counts

    now = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone.utc)
    cards = {
        "soon": CardState("soon", "t", 1, 0, 1.0, 5.0, now + dt.timedelta(minutes=5), now),
        "now": CardState("now", "t", 3, 0, 1.0, 5.0, now - dt.timedelta(minutes=1), now),
        "review": CardState("review", "t", 2, None, 9.0, 5.0, now + dt.timedelta(hours=2), now),
        "later": CardState("later", "t", 2, None, 9.0, 5.0, now + dt.timedelta(days=3), now),
    }
    counts = next_due_counts(cards, set(cards), now, day_start_hour=4)
    assert counts["due_now"] == 2  # the relearning step whose time has come, and today's review
    assert counts["learning_soon"] == 1
    assert counts["next"] == now + dt.timedelta(minutes=5)
    assert counts["next_7_days"] == 2


def test_the_verdict_shows_the_interval_the_rating_menu_previewed():
    import io

    from lambda_prep.study.scheduler import CardState
    from lambda_prep.study.session import Outcome
    from lambda_prep.terminal import Terminal
    from lambda_prep.views.common import span
    from lambda_prep.views.quiz import show_outcome

    reviewed = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone.utc)
    due = reviewed + dt.timedelta(minutes=5, seconds=30)  # Hard on a new card: the menu said "6 min"
    question = Question("q", "t", "single", "Which?", "Because.", ("https://docs.aws.amazon.com/x",), "2026-11-01",
                        1, ("a", "b"), ("a",))
    out = io.StringIO()
    term = Terminal(stdin=io.StringIO(), stdout=out, interactive=False, no_color=True)
    card = CardState("q", "t", 1, 1, 1.0, 5.0, due, reviewed)
    show_outcome(term, Outcome(question, True, Rating.HARD, card, "a", reviewed), reviewed + dt.timedelta(seconds=40))
    assert span((due - reviewed).total_seconds()) == "6 min"
    assert "next review in 6 min" in out.getvalue()


# --- undo and stop --------------------------------------------------------------------------------


def _snapshot(store):
    cards = store.query("SELECT * FROM cards ORDER BY question_id")
    reviews = store.query("SELECT * FROM reviews ORDER BY id")
    return cards, reviews


def test_undo_after_the_feedback_restores_card_and_log_exactly_and_asks_again(store):
    seen(store, "a", "limits", NOW - dt.timedelta(days=3))  # a known card: undo must restore it, not delete it
    ui = ScriptedUI(["wrong 1", "right", "right"], steps=["undo", "next", "next"])
    summary = quiz(store, ui).run([question("a"), question("b")])
    assert ui.undone == [("a", True)]
    # "a" asked, taken back, asked again (right this time), then "b"; no end-of-session repeat of "a"
    assert [s[0] for s in ui.shown] == ["a", "a", "b"]
    assert [(o.question.id, o.correct) for o in summary.outcomes] == [("a", True), ("b", True)]
    assert summary.undone == 1
    assert len(store.reviews("a")) == 2  # the first review from before the quiz, and the new answer


def test_undo_alone_leaves_the_store_exactly_as_before(store):
    seen(store, "a", "limits", NOW - dt.timedelta(days=3))
    before = _snapshot(store)
    # answer wrong (which also queues it again for the end), undo, then input ends at the re-asked question
    ui = ScriptedUI(["wrong 1", EndOfInput], steps=["undo"])
    summary = quiz(store, ui).run([question("a")])
    assert summary.ended_early and summary.outcomes == []
    assert _snapshot(store) == before


def test_undo_of_a_new_question_removes_its_card(store):
    ui = ScriptedUI(["right", EndOfInput], steps=["undo"])
    quiz(store, ui).run([question("n")])
    assert store.card("n") is None and store.reviews("n") == []


def test_u_at_the_next_prompt_takes_back_the_previous_answer(store):
    ui = ScriptedUI(["wrong 1", "u", "right", "right"])
    summary = quiz(store, ui).run([question("a"), question("b")])
    assert [s[0] for s in ui.shown] == ["a", "a", "b"]
    assert [o.correct for o in summary.outcomes] == [True, True]
    assert [r[6] for r in store.reviews()] == [1, 1]  # the wrong answer left the log


def test_u_with_nothing_to_take_back_says_so_and_asks_on(store):
    ui = ScriptedUI(["u", "right"])
    quiz(store, ui).run([question("a")])
    assert ui.undone == [(None, False)] and store.review_count() == 1


def test_undo_refuses_when_the_question_was_answered_again_elsewhere(store):
    from lambda_prep.study.session import save

    outcome = save(store, Scheduler(seed=1), question("a"), Rating.GOOD, True, "right", 5.0, NOW)
    save(store, Scheduler(seed=1), question("a"), Rating.GOOD, True, "right", 5.0, NOW)  # another terminal
    before = _snapshot(store)
    assert store.undo(outcome.receipt) is False and _snapshot(store) == before


def test_stop_after_the_feedback_ends_the_session_with_what_was_answered(store):
    ui = ScriptedUI(["right"], steps=["stop"])
    summary = quiz(store, ui).run([question("a"), question("b"), question("c")])
    assert len(summary.outcomes) == 1 and summary.stopped == 2 and not summary.interrupted
