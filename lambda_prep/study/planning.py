"""The plan against the learner's data: settings, the inputs of the simulation, the reports.

study/plan.py holds the pure model; this module reads the store and the questions for it, keeps
the plan with the other settings, and says what the quiz must do today.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from lambda_prep.bank.model import Question
from lambda_prep.study import plan as model
from lambda_prep.study.scheduler import card_id_for, study_day

PLAN_KEYS = ("plan_interview", "plan_minutes", "plan_topics", "plan_retention", "plan_status")
WEIGHT_KEYS = ("fsrs_weights", "fsrs_fit")
SIMULATOR = ("lambda-prep's day-by-day simulator: FSRS-6's formulas as py-fsrs computes them, "
             "your weights, your time per answer")


# --- settings ---------------------------------------------------------------------------------


def load(store) -> model.PlanSettings | None:
    raw = store.settings()
    if not raw.get("plan_interview"):
        return None
    return model.PlanSettings(dt.date.fromisoformat(raw["plan_interview"]),
                              float(raw.get("plan_minutes") or model.DEFAULT_MINUTES),
                              tuple(json.loads(raw.get("plan_topics") or "[]")))


def save(store, plan: model.PlanSettings) -> None:
    clear(store)
    store.set_setting("plan_interview", plan.interview.isoformat())
    store.set_setting("plan_minutes", f"{plan.minutes_per_day:g}")
    store.set_setting("plan_topics", json.dumps(list(plan.topics)))


def clear(store) -> None:
    store.delete_settings(PLAN_KEYS)


def weights(store) -> tuple[float, ...]:
    """The learner's fitted FSRS-6 weights, or the defaults (also if the stored ones are unusable:
    scheduling must not fail over them; `optimize` fits them again)."""
    raw = store.settings().get("fsrs_weights")
    if not raw:
        return model.DEFAULT_WEIGHTS
    try:
        fitted = tuple(float(x) for x in json.loads(raw))
    except (ValueError, TypeError):
        return model.DEFAULT_WEIGHTS
    return fitted if len(fitted) == 21 and all(math.isfinite(x) for x in fitted) else model.DEFAULT_WEIGHTS


def weights_info(store) -> dict:
    raw = store.settings()
    if not raw.get("fsrs_weights"):
        return {"source": "default", "weights": list(model.DEFAULT_WEIGHTS)}
    return {"source": "fitted", "weights": json.loads(raw["fsrs_weights"]), **json.loads(raw.get("fsrs_fit") or "{}")}


# --- what the quiz does today -------------------------------------------------------------------


@dataclass(frozen=True)
class Today:
    """The plan's say over today's quiz."""

    interview: dt.date
    days_left: int
    retention: float
    new_per_day: int  # for the whole day (the quiz subtracts those already seen today)
    topics: tuple[str, ...]
    cap: Callable[[dt.datetime, dt.datetime, str], dt.datetime]  # (due, reviewed_at, question_id) -> due
    cards: dict  # the learner's cards, due dates cut by `cap` (read once for the plan and the quiz)


def _day_start(day: dt.date, day_start_hour: int) -> dt.datetime:
    # A naive datetime's astimezone() reads it as local time, daylight saving included.
    return dt.datetime.combine(day, dt.time(hour=day_start_hour)).astimezone(dt.timezone.utc)


def in_force(store, now: dt.datetime, day_start_hour: int) -> tuple[model.PlanSettings, int] | None:
    """The plan and its days left, if one is set and its day has not passed."""
    plan = load(store)
    if plan is None:
        return None
    days_left = plan.days_left(study_day(now, day_start_hour))
    return (plan, days_left) if days_left >= 0 else None


def for_quiz(store, questions: Sequence[Question], now: dt.datetime, day_start_hour: int,
             default_retention: float) -> Today | None:
    """Retention, new questions and the due-date cap for today; None without a plan in force.

    Cheap (no simulation): the first question must appear within 300 ms. The retention is the one
    the last `plan` (or the status line after a quiz) chose.
    """
    found = in_force(store, now, day_start_hour)
    if found is None:
        return None
    plan, days_left = found
    raw = store.settings()
    retention = _retention(raw, default_retention)
    timing = _timing(store, questions)
    wanted, spread, cap = _cap(plan, days_left, questions, timing, day_start_hour)
    cards = capped(store.cards(), cap, now)
    unseen = [q for q in wanted if q.id not in cards]
    shares = _shares(store)
    start = _day_start(study_day(now, day_start_hour), day_start_hour)
    end = start + dt.timedelta(days=1)
    types = {q.id: q.type for q in questions}
    # Today's reviews as the plan has them: cards scheduled before it, cut to the day, count too.
    due_cost = sum(timing.seconds.get(types.get(qid, ""), 30.0) for qid, c in cards.items()
                   if qid in types and c.due < end)
    done_today = store.new_since(start)
    first_interval = model.Model(weights(store)).first_interval(retention)
    # At least the learner's usual pace (config new-per-day): a far interview must not slow it down.
    needed = max(model.needed_new(len(unseen) + done_today, 0, days_left, first_interval, spread),
                 int(raw["new_per_day"]))
    per_new = _first_day_answers(shares) * (
        sum(timing.seconds[q.type] for q in unseen) / len(unseen) if unseen else 30.0)
    affordable = max(int((plan.minutes_per_day * 60 - due_cost) // per_new), 0) + done_today
    return Today(plan.interview, days_left, retention, min(needed, affordable), plan.topics, cap, cards)


Cap = Callable[[dt.datetime, dt.datetime, str], dt.datetime]


def _cap(plan: model.PlanSettings, days_left: int, questions: Sequence[Question], timing: model.Timing,
         day_start_hour: int) -> tuple[list[Question], int, Cap]:
    """The plan's questions, the days its last reviews spread over, and its due-date cap."""
    wanted = [q for q in questions if not plan.topics or q.topic in plan.topics]
    spread = model.spread_days(len(wanted), sum(timing.seconds[q.type] for q in wanted) / max(len(wanted), 1),
                               plan.minutes_per_day, days_left)
    eve, day = (_day_start(plan.interview - dt.timedelta(days=1), day_start_hour),
                _day_start(plan.interview, day_start_hour))
    return wanted, spread, lambda due, when, qid: model.cap_due(due, when, eve, day, card_id_for(qid) % spread)


def capped(cards: dict, cap: Cap | None, now: dt.datetime) -> dict:
    """The cards with their due dates cut by `cap` (in memory only: the stored FSRS state, stability
    included, stays what the learner's answers made it)."""
    if cap is None:
        return cards
    return {qid: replace(c, due=cap(c.due, c.last_review or now, qid)) for qid, c in cards.items()}


def planned_cards(store, questions: Sequence[Question], now: dt.datetime, day_start_hour: int,
                  cards: dict | None = None) -> dict:
    """The cards as the plan sees them: while a plan is in force, every due date cut as the quiz cuts
    it (cards scheduled before the plan was set included), so no screen shows or picks a review
    after the interview day; without a plan, the stored cards unchanged.

    cards: the cards to look at (default: all stored ones). Costs one settings read without a plan.
    """
    cards = store.cards() if cards is None else cards
    return capped(cards, cap_in_force(store, questions, now, day_start_hour) if cards else None, now)


def cap_in_force(store, questions: Sequence[Question], now: dt.datetime, day_start_hour: int) -> Cap | None:
    """The plan's due-date cap, the quiz's own; None without a plan in force."""
    found = in_force(store, now, day_start_hour)
    return None if found is None else _cap_of(store, found, questions, day_start_hour)


def answering(store, questions: Callable[[], Sequence[Question]], now: dt.datetime, day_start_hour: int,
              default_retention: float) -> tuple[float, Cap | None]:
    """(retention, due-date cap) for the other ways of answering (exam, mock interview, drills): the
    plan's, as the quiz has them, while one is in force; else (default_retention, None).
    questions: called only when a plan is in force (a drill has not loaded the banks)."""
    found = in_force(store, now, day_start_hour)
    if found is None:
        return default_retention, None
    return _retention(store.settings(), default_retention), _cap_of(store, found, questions(), day_start_hour)


def _retention(raw: dict, default_retention: float) -> float:
    return float(raw.get("plan_retention") or default_retention)  # chosen and remembered by `plan`


def _cap_of(store, found: tuple[model.PlanSettings, int], questions: Sequence[Question], day_start_hour: int) -> Cap:
    plan, days_left = found
    return _cap(plan, days_left, questions, _timing(store, questions), day_start_hour)[2]


def _first_day_answers(shares: model.Shares) -> float:
    return sum(share * model.FIRST_DAY_ANSWERS[k + 1] for k, share in enumerate(shares.first))


def _timing(store, questions: Sequence[Question]) -> model.Timing:
    rows = store.query("SELECT question_id, reviewed_at FROM reviews ORDER BY id DESC LIMIT ?",
                       (model.RECENT_ANSWERS,))
    answers = [(qid, dt.datetime.fromisoformat(at)) for qid, at in reversed(rows)]
    return model.seconds_per_answer(answers, {q.id: q.type for q in questions})


def _shares(store) -> model.Shares:
    rows = store.query("SELECT state_before, rating FROM reviews WHERE state_before IN (0, 2) "
                       "ORDER BY id DESC LIMIT 5000")
    return model.rating_shares([r for s, r in rows if s == 0], [r for s, r in rows if s == 2])


# --- the full plan ------------------------------------------------------------------------------


def _inputs(store, questions: Sequence[Question], plan: model.PlanSettings, now: dt.datetime,
            day_start_hour: int):
    today = study_day(now, day_start_hour)
    cards = store.cards()
    timing = _timing(store, questions)
    wanted = [q for q in questions if not plan.topics or q.topic in plan.topics]
    seen, fresh = [], {}
    for q in wanted:
        card = cards.get(q.id)
        seconds = timing.seconds[q.type]
        if card is None or card.stability is None or card.last_review is None:
            fresh.setdefault(q.topic, []).append(q)
            continue
        seen.append(model.SeenCard(q.topic, seconds, card.stability, card.difficulty or 5.0,
                                   (study_day(card.last_review, day_start_hour) - today).days,
                                   (study_day(card.due, day_start_hour) - today).days))
    # New questions in the quiz's order: topics interleaved, basics first within a topic.
    queues = [sorted(fresh[t], key=lambda q: (q.difficulty, q.id)) for t in sorted(fresh)]
    unseen = []
    while any(queues):
        for queue in queues:
            if queue:
                q = queue.pop(0)
                unseen.append(model.NewCard(q.topic, timing.seconds[q.type]))
    return wanted, cards, seen, unseen, timing


def compute(store, questions: Sequence[Question], now: dt.datetime, day_start_hour: int, *,
            seed: int = 0, advice: bool = True) -> dict | None:
    """Everything `plan` shows; None without a plan in force.

    Stores the chosen retention (the quiz schedules with it) and the one-line status.
    advice: also find the minutes a day that would catch up when behind (a few more simulations).
    """
    from lambda_prep.study.scheduler import retrievability

    found = in_force(store, now, day_start_hour)
    if found is None:
        return None
    plan, days_left = found
    today = study_day(now, day_start_hour)
    wanted, cards, seen, unseen, timing = _inputs(store, questions, plan, now, day_start_hour)
    shares = _shares(store)
    fsrs = model.Model(weights(store))
    budget_s = plan.minutes_per_day * 60
    report: dict = {
        "interview": plan.interview.isoformat(), "days_left": days_left, "minutes_per_day": plan.minutes_per_day,
        "topics": list(plan.topics) or "all", "questions": len(wanted), "seen": len(seen), "unseen": len(unseen),
        "weights": "fitted" if store.settings().get("fsrs_weights") else "default",
        "seconds_per_answer": {k: {"seconds": round(v, 1), "answers": timing.measured[k], "default": not timing.measured[k]}
                               for k, v in timing.seconds.items()},
        "rating_shares": "yours" if shares.own else "simulator defaults (fsrs-rs)",
        "note": (f"The interview is more than {model.LONG_PLAN_DAYS} days away: until it comes closer the plan "
                 f"changes little (intervals rarely reach it)." if days_left > model.LONG_PLAN_DAYS else None),
    }
    by_topic_today: dict[str, float] = {}
    count_by_topic: dict[str, int] = {}
    for q in wanted:
        count_by_topic[q.topic] = count_by_topic.get(q.topic, 0) + 1
        card = cards.get(q.id)
        if card is not None:
            by_topic_today[q.topic] = by_topic_today.get(q.topic, 0.0) + retrievability(card, now, fsrs.w[20])
    if days_left == 0:
        report.update({"retention": None, "on_track": True, "late": 0, "daily": [], "candidates": [],
                       "simulator": None, "expected_recall_on_day": None,
                       "recall_today": _share(sum(by_topic_today.values()), len(wanted)),
                       "topics_recall": [{"topic": t, "questions": n, "today": _share(by_topic_today.get(t, 0.0), n),
                                          "on_day": None} for t, n in sorted(count_by_topic.items())]})
        return report
    usual = store.read_settings().new_per_day
    choice = model.choose_retention(fsrs, days_left=days_left, seen=seen, unseen=unseen, budget_s=budget_s,
                                    shares=shares, seed=seed, min_new=usual)
    best = choice.best
    _remember(store, "plan_retention", f"{best.retention:.2f}")
    unseen_by_topic: dict[str, int] = {}
    for card in unseen:
        unseen_by_topic[card.topic] = unseen_by_topic.get(card.topic, 0) + 1
    needed, needed_retention = None, None
    if best.late and advice:
        needed, needed_retention = model.minutes_needed(fsrs, days_left=days_left, seen=seen, unseen=unseen,
                                                        budget_s=budget_s, shares=shares,
                                                        candidates=choice.candidates, seed=seed, min_new=usual)
    report.update({
        "retention": best.retention,
        "simulator": SIMULATOR,
        "expected_recall_on_day": _share(best.recall_on_day, len(wanted)),
        "recall_today": _share(sum(by_topic_today.values()), len(wanted)),
        "candidates": [{"retention": run.retention, "recall_on_day": round(run.recall_on_day, 1),
                        "minutes_per_day": round(run.minutes_total / days_left, 1), "late": run.late}
                       for run in choice.candidates],
        "daily": [{"date": (today + dt.timedelta(days=i)).isoformat(), "new": best.new_per_day[i],
                   "reviews": best.reviews_per_day[i], "minutes": round(best.minutes_per_day[i], 1)}
                  for i in range(days_left)],
        "topics_recall": [{"topic": t, "questions": n, "today": _share(by_topic_today.get(t, 0.0), n),
                           "on_day": _share(best.recall_by_topic.get(t, 0.0), n)}
                          for t, n in sorted(count_by_topic.items())],
        "on_track": best.late == 0,
        "late": best.late,
        "minutes_needed": None if needed is None or needed == float("inf") else needed,
        "minutes_needed_retention": needed_retention,
        # The new questions this budget does get two reviews for, as a rough capacity.
        "drop_topics": model.topics_to_drop(unseen_by_topic, len(unseen) - best.late) if best.late else [],
        # What the quiz will allow today (for_quiz's cheap estimate: the simulation draws its ratings).
        "new_today": getattr(for_quiz(store, questions, now, day_start_hour, best.retention), "new_per_day", 0),
        "new_done_today": store.new_since(_day_start(today, day_start_hour)),
    })
    line = {k: report.get(k) for k in STATUS_KEYS}
    _remember(store, "plan_status", json.dumps({"key": _status_key(store, questions, today), "status": line}))
    return report


def _remember(store, key: str, value: str) -> None:
    """Keep a computed figure for later; if the database is busy (another terminal's quiz holding
    the lock), the figure is computed again next time rather than failing a read-only command."""
    from lambda_prep.study.store import StoreError

    try:
        store.set_setting(key, value)
    except StoreError:
        pass


def _share(value: float, count: int) -> float:
    return round(value / count, 4) if count else 0.0


def end_if_passed(store, now: dt.datetime, day_start_hour: int) -> dict | None:
    """Clear a plan whose day has passed and say so (once: the next call finds no plan)."""
    plan = load(store)
    if plan is None or plan.days_left(study_day(now, day_start_hour)) >= 0:
        return None
    clear(store)
    return {"ended": plan.interview.isoformat()}


def status(store, questions: Sequence[Question], now: dt.datetime, day_start_hour: int) -> dict | None:
    """The one-line status: days left and on track or behind; {"ended": date} once after the day.

    Cached per study day, review count and plan, so `topics` and `stats` stay fast.
    """
    plan = load(store)
    if plan is None:
        return None
    ended = end_if_passed(store, now, day_start_hour)
    if ended:
        return ended
    today = study_day(now, day_start_hour)
    cached = json.loads(store.settings().get("plan_status") or "{}")
    if cached.get("key") == _status_key(store, questions, today):
        return cached["status"]
    report = compute(store, questions, now, day_start_hour, advice=False)
    return None if report is None else {k: report.get(k) for k in STATUS_KEYS}


STATUS_KEYS = ("interview", "days_left", "on_track", "late", "minutes_per_day", "retention", "expected_recall_on_day")


def _status_key(store, questions: Sequence[Question], today: dt.date) -> str:
    """What the status depends on: the day, the log, the plan, the weights, the questions."""
    raw = store.settings()
    return hashlib.blake2b(json.dumps([today.isoformat(), store.review_count(), raw.get("plan_interview"),
                                       raw.get("plan_minutes"), raw.get("plan_topics"), raw.get("fsrs_weights"),
                                       len(questions)]).encode(), digest_size=8).hexdigest()
