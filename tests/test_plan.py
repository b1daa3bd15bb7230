"""The interview plan: the due-date cap, new questions per day, the retention for the day, the
optimizer, and the `plan` / `optimize` commands."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambda_prep import library
from lambda_prep.cli import app
from lambda_prep.study import optimize, planning
from lambda_prep.study import plan as model
from lambda_prep.study.scheduler import Scheduler, study_day, utcnow

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_learner import TRUE_WEIGHTS, review_log  # noqa: E402

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def today() -> dt.date:
    return study_day(utcnow(), 4)


# --- the model agrees with py-fsrs (and so the simulator schedules as the quiz does) ----------------


def _py_fsrs_replay(weights, history):
    import fsrs

    scheduler = fsrs.Scheduler(parameters=weights, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    moment = dt.datetime(2026, 1, 1, 12, tzinfo=dt.timezone.utc)
    card = fsrs.Card(card_id=1)
    for rating, delta in history:
        moment += dt.timedelta(days=delta)
        card, _ = scheduler.review_card(card, fsrs.Rating(rating), moment)
    return card, (card.due - moment).days


def _model_replay(fsrs_model: model.Model, history):
    s, d = fsrs_model.initial(history[0][0])
    r = None
    for rating, delta in history[1:]:
        if delta == 0:
            s, d = fsrs_model.short_term(s, rating), fsrs_model.next_difficulty(d, rating)
        else:
            r = fsrs_model.recall(delta, s)
            s, d = fsrs_model.after_review(s, d, r, rating)
    return s, d, r


def _histories(count: int, seed: int = 3):
    rng = random.Random(seed)
    for _ in range(count):
        yield [(rng.choice((1, 2, 3, 4)), 0)] + [(rng.choice((1, 2, 3, 3, 3, 4)), rng.choice((0, 1, 2, 5, 13, 40)))
                                                 for _ in range(rng.randrange(1, 8))]


@pytest.mark.parametrize("weights", [model.DEFAULT_WEIGHTS, TRUE_WEIGHTS], ids=["default", "other"])
def test_the_simulators_fsrs_formulas_are_py_fsrs_s(weights):
    from fsrs.scheduler import DEFAULT_PARAMETERS

    assert tuple(DEFAULT_PARAMETERS) == model.DEFAULT_WEIGHTS
    fsrs_model = model.Model(weights)
    for history in _histories(200):
        card, interval = _py_fsrs_replay(weights, history)
        s, d, _ = _model_replay(fsrs_model, history)
        assert s == pytest.approx(card.stability, rel=1e-9) and d == pytest.approx(card.difficulty, rel=1e-9)
        if history[-1][0] > 1:
            assert fsrs_model.interval(s, 0.9) == interval


def test_the_simulators_inlined_review_step_is_the_model():
    # One question, always recalled and rated Good: the simulation must follow Model step by step.
    fsrs_model = model.Model(TRUE_WEIGHTS)
    shares = model.Shares(model.FIRST_RATING_SHARES, (0.0, 1.0, 0.0), False)
    card = model.SeenCard("t", 30.0, stability=3.0, difficulty=6.0, last=-3, due=0)
    run_ = model.simulate(fsrs_model, 0.9, days_left=40, seen=[card], unseen=[], budget_s=3600, shares=shares,
                          draws=[[0.0] * 24])
    s, d, last, day, reviews = 3.0, 6.0, -3, 0, 0
    while day < 40:
        r = fsrs_model.recall(day - last, s)
        s, d = fsrs_model.after_review(s, d, r, 3)
        last, reviews = day, reviews + 1
        day = min(day + fsrs_model.interval(s, 0.9), 39) if day < 39 else 40
    assert sum(run_.reviews_per_day) == reviews
    assert run_.recall_on_day == pytest.approx(fsrs_model.recall(40 - last, s), rel=1e-12)


# --- the plan changes the schedule --------------------------------------------------------------------


def test_a_plan_three_days_away_cuts_an_easy_review_fsrs_would_put_6_days_out():
    banks = library.load_all_banks()
    question = banks.questions[0]
    now = utcnow()
    with library.open_store() as store:
        free = Scheduler(0.9, fuzz=False).review(None, question.id, question.topic, 4, now)
        assert (free.due - now).days >= 6  # FSRS alone: an Easy first answer waits 8 days
        library.update_plan(store, interview=(today() + dt.timedelta(days=3)).isoformat(), minutes=30,
                            topic_names=[], now=now)
        scheduler, _, _, _ = library.prepare_quiz(store, banks, topic_names=[], count=5, mode="all", seed=1, now=now)
        capped = scheduler.review(None, question.id, question.topic, 4, now)
    interview_start = dt.datetime.combine(today() + dt.timedelta(days=3), dt.time(4)).astimezone(dt.timezone.utc)
    assert capped.due <= interview_start - dt.timedelta(days=1) + dt.timedelta(hours=1)  # on the eve at the latest
    assert capped.due > now
    # Only the due date moved: FSRS's memory state is the one it computed.
    assert (capped.stability, capped.difficulty, capped.state) == (free.stability, free.difficulty, free.state)


def test_a_review_on_the_eve_is_due_by_the_day_and_one_on_the_day_is_left_alone():
    eve = dt.datetime(2027, 1, 9, 4, tzinfo=dt.timezone.utc)
    day = eve + dt.timedelta(days=1)
    far = day + dt.timedelta(days=30)
    assert model.cap_due(far, eve - dt.timedelta(days=5), eve, day) == eve
    assert model.cap_due(far, eve + dt.timedelta(hours=3), eve, day) == day
    assert model.cap_due(far, day + dt.timedelta(hours=3), eve, day) == far
    near = eve - dt.timedelta(days=2)
    assert model.cap_due(near, eve - dt.timedelta(days=5), eve, day) == near
    # Spread over the last days: a cut interval may end two days before the eve ...
    assert model.cap_due(far, eve - dt.timedelta(days=5), eve, day, 2) == eve - dt.timedelta(days=2)
    # ... and a review made on or after that slot (its last before the day) is due on the day at the latest.
    assert model.cap_due(far, eve - dt.timedelta(hours=20), eve, day, 2) == day


def test_new_per_day_covers_every_question_before_the_date_for_a_synthetic_bank():
    bank = [model.NewCard(f"topic-{i % 7}", 30.0 if i % 4 else 90.0) for i in range(250)]
    shares = model.Shares(model.FIRST_RATING_SHARES, model.PASS_RATING_SHARES, False)
    choice = model.choose_retention(model.Model(), days_left=21, seen=[], unseen=bank, budget_s=120 * 60,
                                    shares=shares)
    best = choice.best
    first_interval = model.Model().first_interval(best.retention)
    spread = model.spread_days(250, sum(card.seconds for card in bank) / 250, 120, 21)
    deadline = model.last_intro_day(21, first_interval, spread)
    assert sum(best.new_per_day[:deadline + 1]) == 250 and best.late == 0 and best.unseen_on_day == 0
    # Every question (but those answered Easy the first time, which wait longer) reviewed at least
    # twice after the day it was first seen, before the interview day.
    assert best.fewest_reviews >= 2
    # The daily figure the quiz uses spreads what is left over the days that leave two reviews.
    left = 250
    for day in range(deadline + 1):
        left -= model.needed_new(left, day, 21, first_interval, spread)
    assert left == 0


def test_the_quiz_takes_new_questions_per_day_from_the_plan():
    banks = library.load_all_banks()
    now = utcnow()
    with library.open_store() as store:
        library.update_plan(store, interview=(today() + dt.timedelta(days=20)).isoformat(), minutes=600,
                            topic_names=["cold-starts", "retries"], now=now)
        _, _, quiz_plan, config = library.prepare_quiz(store, banks, topic_names=[], count=100, mode="new", seed=1,
                                                       now=now)
    wanted = [q for q in banks.questions if q.topic in ("cold-starts", "retries")]
    seconds = sum(model.DEFAULT_SECONDS[q.type] for q in wanted) / len(wanted)
    days = model.last_intro_day(20, model.Model().first_interval(0.9), model.spread_days(len(wanted), seconds, 600, 20)) + 1
    # What the date asks for, or the usual 20 a day if that is more; all within the 600 minutes.
    assert config.new_per_day == max(math.ceil(len(wanted) / days), 20)
    assert {q.topic for q in quiz_plan.questions} <= {"cold-starts", "retries"}
    assert len(quiz_plan.questions) == config.new_per_day


def test_the_chosen_retention_beats_0_9_and_0_97_on_recall_on_the_day():
    # 300 questions, 30 days, 20 minutes a day: too little time to review at a high retention.
    bank = [model.NewCard(f"topic-{i % 10}", 30.0 if i % 5 else 90.0) for i in range(300)]
    shares = model.Shares(model.FIRST_RATING_SHARES, model.PASS_RATING_SHARES, False)
    choice = model.choose_retention(model.Model(), days_left=30, seen=[], unseen=bank, budget_s=20 * 60,
                                    shares=shares)
    by_retention = {run.retention: run for run in choice.candidates}
    assert choice.best.retention not in (0.9, 0.97)
    assert choice.best.recall_on_day > by_retention[0.9].recall_on_day
    assert choice.best.recall_on_day > by_retention[0.97].recall_on_day
    # Within the budget on every day.
    assert max(choice.best.minutes_per_day) <= 20


def test_seconds_per_answer_use_the_learners_medians_once_there_are_enough():
    start = dt.datetime(2026, 5, 1, 9, tzinfo=dt.timezone.utc)
    answers = [(f"q{i}", start + dt.timedelta(seconds=12 * i)) for i in range(30)]
    timing = model.seconds_per_answer(answers, {f"q{i}": "single" for i in range(30)})
    assert timing.seconds["single"] == 12 and timing.measured["single"] == 29
    assert timing.seconds["recall"] == model.DEFAULT_SECONDS["recall"] and timing.measured["recall"] == 0
    few = model.seconds_per_answer(answers[:5], {f"q{i}": "single" for i in range(30)})
    assert few.seconds["single"] == model.DEFAULT_SECONDS["single"]


# --- the optimizer ---------------------------------------------------------------------------------


def _predicted(weights, history):
    _, _, r = _model_replay(model.Model(weights), history[:-1] + [(history[-1][0], history[-1][1])])
    return r


def test_the_optimizer_improves_log_loss_on_a_synthetic_learner_and_recovers_its_weights():
    rows = review_log(3000)
    result = optimize.fit(rows, model.DEFAULT_WEIGHTS)
    assert result.accepted and result.weights is not None
    assert result.after["log_loss"] < result.before["log_loss"]
    fitted = result.weights
    # Roughly recovered: initial stabilities of Again and Good move towards the truth ...
    for k in (0, 2):
        assert abs(fitted[k] - TRUE_WEIGHTS[k]) < abs(model.DEFAULT_WEIGHTS[k] - TRUE_WEIGHTS[k])
    # ... and the fitted model's predicted recall is closer to the learner's true recall.
    items = optimize.items_from_log(rows)
    error = {"fitted": 0.0, "default": 0.0}
    for _, history in items:
        truth = _predicted(TRUE_WEIGHTS, history)
        error["fitted"] += abs(_predicted(fitted, history) - truth)
        error["default"] += abs(_predicted(model.DEFAULT_WEIGHTS, history) - truth)
    assert error["fitted"] < 0.9 * error["default"]


def test_the_optimizer_declines_on_too_little_data():
    result = optimize.fit(review_log(300), model.DEFAULT_WEIGHTS)
    assert not result.accepted and result.weights is None
    assert str(optimize.MIN_ITEMS) in result.reason


def test_fsrs_rs_and_py_fsrs_give_the_same_intervals_for_the_same_weights():
    import fsrs_rs_python as rs

    assert [round(x, 4) for x in rs.DEFAULT_PARAMETERS] == list(model.DEFAULT_WEIGHTS)
    for weights in (model.DEFAULT_WEIGHTS, TRUE_WEIGHTS):
        engine = rs.FSRS(list(weights))
        for history in _histories(100, seed=11):
            history = [history[0]] + [(r, max(d, 1)) for r, d in history[1:]]  # fsrs-rs items: a day apart
            state = engine.memory_state(rs.FSRSItem([rs.FSRSReview(r, d) for r, d in history]))
            card, interval = _py_fsrs_replay(weights, history)
            assert state.stability == pytest.approx(card.stability, rel=1e-4)
            assert state.difficulty == pytest.approx(card.difficulty, rel=1e-4)
            if history[-1][0] > 1:
                assert round(engine.next_interval(state.stability, 0.9, 3)) == interval


# --- the commands ---------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["--interview", "today"],
    ["--interview", "2026-02-30"],
    ["--interview", "PAST"],
    ["--interview", "TODAY"],
    ["--interview", "FAR"],
    ["--interview", "SOON", "--minutes-per-day", "0"],
    ["--interview", "SOON", "--minutes-per-day", "-5"],
    ["--clear", "--interview", "SOON"],
    ["--topic", "retries"],
    ["--minutes-per-day", "30"],
])
def test_bad_dates_and_arguments_exit_2_with_the_valid_range(args):
    dates = {"PAST": today() - dt.timedelta(days=3), "TODAY": today(), "SOON": today() + dt.timedelta(days=10),
             "FAR": today() + dt.timedelta(days=6 * 365)}
    args = [dates[a].isoformat() if a in dates else a for a in args]
    result = run("plan", *args)
    assert result.exit_code == 2, result.output
    message = result.stderr
    if "--interview" in args and "--clear" not in args and "--minutes-per-day" not in args:
        tomorrow = (today() + dt.timedelta(days=1)).isoformat()
        assert f"from {tomorrow} (tomorrow)" in message
    if "0" in args or "-5" in args:
        assert "from 1 to 1440" in message
    with library.open_store() as store:
        assert planning.load(store) is None  # nothing was set


def test_plan_sets_shows_json_and_clears():
    interview = (today() + dt.timedelta(days=30)).isoformat()
    result = run("plan", "--interview", interview, "--minutes-per-day", "45")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "30 days left" in out and "45 min a day" in out and "Retention for the day" in out
    assert "new per day" in out and "minutes/day" in out and "on the day" in out
    data = json.loads(run("plan", "--json").stdout)
    assert data["interview"] == interview and data["days_left"] == 30 and data["minutes_per_day"] == 45
    assert len(data["daily"]) == 30 and data["retention"] in model.RETENTIONS
    assert {row["topic"] for row in data["topics_recall"]} >= {"cold-starts", "retries"}
    assert isinstance(data["on_track"], bool)
    assert "interview " + interview in run("config").stdout
    assert "Plan: 30 days to the interview" in run("topics").stdout
    assert json.loads(run("stats", "--json").stdout)["plan"]["days_left"] == 30
    assert run("plan", "--minutes-per-day", "60").exit_code == 0
    assert json.loads(run("plan", "--json").stdout)["minutes_per_day"] == 60
    cleared = run("plan", "--clear")
    assert cleared.exit_code == 0 and "normal scheduling resumes" in cleared.stdout
    assert "No interview plan" in run("plan").stdout
    assert "Plan:" not in run("topics").stdout


def test_behind_says_by_how_much_and_what_to_do():
    interview = (today() + dt.timedelta(days=20)).isoformat()
    result = run("plan", "--interview", interview, "--minutes-per-day", "60")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Behind" in out and "minutes a day" in out and ("leave out" in out or "study only" in out)
    data = json.loads(run("plan", "--json").stdout)
    assert not data["on_track"] and data["late"] > 0 and data["minutes_needed"] > 60 and data["drop_topics"]
    # Following the advice puts the learner on track.
    run("plan", "--minutes-per-day", str(data["minutes_needed"]))
    assert json.loads(run("plan", "--json").stdout)["on_track"]


def test_too_close_to_the_day_says_more_minutes_will_not_do():
    run("plan", "--interview", (today() + dt.timedelta(days=2)).isoformat(), "--minutes-per-day", "10")
    result = run("plan")
    assert "too close for two reviews" in result.stdout


def test_a_date_more_than_a_year_away_is_accepted_with_a_note():
    result = run("plan", "--interview", (today() + dt.timedelta(days=400)).isoformat())
    assert result.exit_code == 0, result.output
    assert "more than 365 days away" in result.stdout


def test_the_plan_ends_by_itself_after_the_day_and_says_so_once():
    with library.open_store() as store:
        planning.save(store, model.PlanSettings(today() - dt.timedelta(days=1), 30))
    first = run("topics")
    assert first.exit_code == 0 and "has passed: the plan has ended" in first.stdout
    second = run("topics")
    assert "has passed" not in second.stdout and "Plan:" not in second.stdout
    assert "none" in run("config").stdout.split("interview plan", 1)[1].splitlines()[0]


def test_the_quiz_shows_the_plan_in_one_line(sample_bank):
    run("plan", "--interview", (today() + dt.timedelta(days=12)).isoformat())
    result = run("quiz", "--bank", str(sample_bank), "--topic", "sample", "--seed", "1", input="4\n")
    assert result.exit_code == 0, result.output
    assert "Plan: 12 days to the interview" in result.stdout


def test_optimize_declines_without_enough_reviews_and_config_shows_the_defaults():
    result = run("optimize")
    assert result.exit_code == 0, result.output
    assert "needs 400" in result.stdout and "Not changed" in result.stdout
    assert "FSRS-6 defaults" in run("config").stdout


def _store_log(rows):
    with library.open_store() as store:
        store.db.executemany(
            "INSERT INTO reviews (question_id, topic, rating, reviewed_at, duration_ms, answer, correct, state_before)"
            " VALUES (?, 'synthetic', ?, ?, NULL, '', ?, ?)",
            [(qid, rating, at.isoformat(timespec="seconds"), int(rating > 1), state) for qid, rating, at, state in rows])


def test_optimize_keeps_better_weights_and_stats_and_plan_use_them():
    _store_log(review_log(3000))
    result = run("optimize", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["accepted"] and data["after"]["log_loss"] < data["before"]["log_loss"]
    assert "fitted on 3000 reviews" in run("config").stdout
    with library.open_store() as store:
        assert planning.weights(store) == tuple(data["weights"])
        scheduler, *_ = library.prepare_quiz(store, library.load_all_banks(), topic_names=[], count=1, mode="all",
                                             seed=1, now=utcnow())
    assert tuple(scheduler._scheduler.parameters) == tuple(data["weights"])
    run("plan", "--interview", (today() + dt.timedelta(days=10)).isoformat())
    assert json.loads(run("plan", "--json").stdout)["weights"] == "fitted"
    assert run("optimize", "--reset").exit_code == 0
    assert "FSRS-6 defaults" in run("config").stdout


def test_stats_mastery_follows_the_fitted_forgetting_curve(sample_bank):
    run("quiz", "--bank", str(sample_bank), "--topic", "sample", "--seed", "1", input="4\n2\n\na\n\n1 3\n")
    now = utcnow() + dt.timedelta(days=20)
    from lambda_prep.study import stats

    banks = library.load_all_banks([sample_bank])
    with library.open_store() as store:
        before = stats.topic_overview(store, banks.questions, now)
        store.set_setting("fsrs_weights", json.dumps(list(model.DEFAULT_WEIGHTS[:20]) + [0.5]))
        after = stats.topic_overview(store, banks.questions, now)
    mastery = {row["topic"]: row["mastery"] for row in before}
    changed = {row["topic"]: row["mastery"] for row in after}
    assert changed["sample"] != mastery["sample"]


def test_optimize_without_fsrs_rs_python_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # as if not installed
    result = run("optimize")
    assert result.exit_code == 1 and 'pip install "lambda-prep[optimize]"' in result.stderr


def test_quiz_and_plan_never_load_the_optimizer(data_home, sample_bank):
    import subprocess

    code = ("import sys\nfrom lambda_prep.cli import app\n"
            "for args in (['plan', '--interview', sys.argv[1]], ['quiz', '--bank', sys.argv[2], '--topic', 'sample',"
            " '--count', '1']):\n"
            "    try:\n        app(args)\n    except SystemExit:\n        pass\n"
            "print('LOADED' if 'fsrs_rs_python' in sys.modules else 'NOT LOADED')\n")
    result = subprocess.run([sys.executable, "-c", code, (today() + dt.timedelta(days=9)).isoformat(),
                             str(sample_bank)], input="4\n", capture_output=True, text=True, timeout=120,
                            env={**__import__("os").environ, "LAMBDA_PREP_HOME": str(data_home)})
    assert "Plan: 9 days to the interview" in result.stdout, result.stdout + result.stderr
    assert result.stdout.strip().endswith("NOT LOADED")


def test_on_the_interview_day_the_plan_says_so_and_cuts_nothing():
    with library.open_store() as store:
        planning.save(store, model.PlanSettings(today(), 30))
    result = run("plan")
    assert result.exit_code == 0 and "The interview is today" in result.stdout
    assert "Plan: the interview is today" in run("topics").stdout
    banks = library.load_all_banks()
    question = banks.questions[0]
    now = utcnow()
    with library.open_store() as store:
        scheduler, *_ = library.prepare_quiz(store, banks, topic_names=[], count=1, mode="all", seed=1, now=now)
    card = scheduler.review(None, question.id, question.topic, 4, now)
    assert (card.due - now).days >= 6  # a review on the day is left alone


def test_a_card_scheduled_before_the_plan_comes_back_before_the_day():
    from lambda_prep.study.scheduler import CardState
    from lambda_prep.study.store import Review

    banks = library.load_all_banks()
    question = banks.questions[0]
    now = utcnow()
    last = now - dt.timedelta(days=5)
    with library.open_store() as store:
        store.record(Review(question.id, question.topic, 3, last, None, "", True),
                     lambda before: CardState(question.id, question.topic, 2, None, 40.0, 5.0,
                                              now + dt.timedelta(days=35), last, 3, 0))
        library.update_plan(store, interview=(today() + dt.timedelta(days=3)).isoformat(), minutes=30,
                            topic_names=[], now=now)
        eve = now + dt.timedelta(days=2)
        _, _, quiz_plan, _ = library.prepare_quiz(store, banks, topic_names=[question.topic], count=50, mode="due",
                                                  seed=1, now=eve)
        assert question.id in [q.id for q in quiz_plan.questions]  # due on the eve, not in 35 days
        _, _, today_plan, _ = library.prepare_quiz(store, banks, topic_names=[question.topic], count=50, mode="due",
                                                   seed=1, now=now)
        assert question.id not in [q.id for q in today_plan.questions]


# --- every screen shows the plan's due dates; the database keeps FSRS's --------------------------------


def _interview_start(days: int) -> dt.datetime:
    return dt.datetime.combine(today() + dt.timedelta(days=days), dt.time(4)).astimezone(dt.timezone.utc)


def _answered_before_the_plan(days_out: int = 40):
    """A built-in question answered yesterday, due `days_out` days from now (FSRS's date); its stored row."""
    from lambda_prep.study.scheduler import CardState
    from lambda_prep.study.store import Review

    question = library.load_all_banks().questions[0]
    now = utcnow()
    last = now - dt.timedelta(days=1)
    with library.open_store() as store:
        store.record(Review(question.id, question.topic, 4, last, None, "", True),
                     lambda before: CardState(question.id, question.topic, 2, None, 45.0, 4.2,
                                              now + dt.timedelta(days=days_out), last, 1, 0))
    return question, _stored_row(question.id)


def _stored_row(question_id: str):
    import sqlite3

    from lambda_prep import paths

    with sqlite3.connect(paths.database_path()) as db:
        return db.execute("SELECT due, stability, difficulty, state, last_review FROM cards WHERE question_id = ?",
                          (question_id,)).fetchone()


def _forecast_dates(report: dict) -> list[str]:
    return [day["date"] for day in report["forecast"] for _ in range(day["due"])]


def test_every_screen_shows_a_card_scheduled_before_the_plan_due_before_the_day():
    import re

    question, row = _answered_before_the_plan(40)
    stored_due = dt.datetime.fromisoformat(row[0])
    interview = today() + dt.timedelta(days=10)
    assert run("plan", "--interview", interview.isoformat()).exit_code == 0
    mastery_before = json.loads(run("topics", "--json").stdout)

    stats = json.loads(run("stats", "--json").stdout)
    dates = _forecast_dates(stats)
    assert len(dates) == 1 and dates[0] < interview.isoformat()  # in the 30-day forecast, before the day
    assert stats["due"]["next_30_days"] == 1
    shown = json.loads(run("show", question.id, "--json").stdout)["card"]
    assert dt.datetime.fromisoformat(shown["due"]) < _interview_start(10)
    assert (shown["stability_days"], shown["difficulty"]) == (45.0, 4.2)  # the memory model as FSRS left it
    review = run("review")
    assert review.exit_code == 0 and "Nothing is due for review" in review.stdout
    days = int(re.search(r"The next review is due in (\d+) days?", review.stdout).group(1))
    assert days <= 10
    topics = run("topics")
    assert topics.exit_code == 0 and "Plan: 10 days to the interview" in topics.stdout
    # Only the due date is cut: predicted recall (mastery) is the memory model's, plan or not.
    assert mastery_before == json.loads(run("topics", "--json").stdout)
    assert _stored_row(question.id) == row  # nothing cut in the database

    assert run("plan", "--clear").exit_code == 0
    assert _forecast_dates(json.loads(run("stats", "--json").stdout)) == []  # 40 days out: beyond the forecast
    assert dt.datetime.fromisoformat(json.loads(run("show", question.id, "--json").stdout)["card"]["due"]) == \
        stored_due.replace(microsecond=0)
    assert re.search(r"The next review is due in (39|40) days", run("review").stdout)
    assert json.loads(run("topics", "--json").stdout) == mastery_before
    assert _stored_row(question.id) == row


def test_the_summary_after_a_quiz_counts_a_card_scheduled_before_the_plan_before_the_day(sample_bank):
    _answered_before_the_plan(40)
    run("plan", "--interview", (today() + dt.timedelta(days=4)).isoformat())
    result = run("quiz", "--bank", str(sample_bank), "--topic", "sample", "--count", "1", "--seed", "1", input="4\n")
    assert result.exit_code == 0, result.output
    # The question just answered (a learning step minutes away) and the earlier card, cut to the eve.
    assert "1 learning step within the hour, 2 in the next 7 days" in " ".join(result.stdout.split())


def test_the_exam_feeds_the_schedule_with_the_plans_cap():
    banks = library.load_all_banks()
    question = banks.questions[0]
    now = utcnow()
    with library.open_store() as store:
        library.update_plan(store, interview=(today() + dt.timedelta(days=3)).isoformat(), minutes=30,
                            topic_names=[], now=now)
        exam = library.prepare_exam(store, banks, None, topic_names=[], count=5, minutes=10, pass_mark=None, seed=1,
                                    clock=utcnow)
    card = exam.scheduler.review(None, question.id, question.topic, 4, now)
    assert now < card.due < _interview_start(3)  # FSRS alone would wait 8 days after an Easy first answer


def test_a_drill_an_exam_and_a_mock_schedule_with_the_fitted_weights_and_the_plans_retention():
    # An answer must schedule the same wherever it is given: the quiz used the learner's fitted
    # weights and the plan's retention, the other ways of answering used the defaults.
    fitted = list(model.DEFAULT_WEIGHTS[:20]) + [0.5]
    banks = library.load_all_banks()
    now = utcnow()
    with library.open_store() as store:
        store.set_setting("fsrs_weights", json.dumps(fitted))
        library.update_plan(store, interview=(today() + dt.timedelta(days=20)).isoformat(), minutes=30,
                            topic_names=[], now=now)
        store.set_setting("plan_retention", "0.8")  # what `plan` chose and remembered
        mock, _ = library.prepare_mock(store, banks, None, topic_names=[], count=2, level="mid", minutes_per_answer=2,
                                       seed=1, now=now)
        for scheduler in (library._answer_scheduler(store, None, now, None),  # a drill: no banks loaded
                          library.prepare_exam(store, banks, None, topic_names=[], count=3, minutes=10,
                                               pass_mark=None, seed=1, clock=utcnow).scheduler,
                          mock._scheduler_factory()):
            assert tuple(scheduler._scheduler.parameters) == pytest.approx(tuple(fitted))
            assert scheduler._scheduler.desired_retention == 0.8 and scheduler.cap is not None
