"""What the commands do, as plain functions over the library (no typer, no terminal).

The CLI module only wires arguments to these and maps their errors to exit codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lambda_prep import paths, topics


class UsageError(Exception):
    """A wrong argument; the message says what is valid (exit 2)."""


def load_all_banks(extra: list[Path] | None = None, *, include_user: bool = True):
    """The built-in banks, the user's banks folder and any extra files or folders."""
    from lambda_prep.bank import load_banks

    sources = [paths.builtin_banks_dir()]
    user_dir = paths.user_banks_dir()
    if include_user and user_dir.is_dir():
        sources.append(user_dir)
    sources.extend(extra or [])
    return load_banks(sources, cache=paths.cache_dir(), display_root=Path.cwd())


def open_store():
    from lambda_prep.study.store import Store

    return Store(paths.database_path())


# --- settings -----------------------------------------------------------------------------------

SETTINGS = {
    # name: (store key, parse, low, high, meaning)
    "desired-retention": ("desired_retention", float, 0.70, 0.99,
                          "the recall probability FSRS schedules for (higher = more reviews)"),
    "new-per-day": ("new_per_day", int, 0, 1000, "new questions introduced per day"),
    "day-start-hour": ("day_start_hour", int, 0, 23, "local hour when a new study day starts (like Anki's 4 AM)"),
}


@dataclass(frozen=True)
class Settings:
    desired_retention: float
    new_per_day: int
    day_start_hour: int


def settings(store) -> Settings:
    raw = store.settings()
    return Settings(float(raw["desired_retention"]), int(raw["new_per_day"]), int(raw["day_start_hour"]))


def set_setting(store, name: str, value: str) -> str:
    if name not in SETTINGS:
        import difflib

        close = difflib.get_close_matches(name, list(SETTINGS), n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise UsageError(f"unknown setting {name!r}; settings: {', '.join(SETTINGS)}.{hint}")
    key, parse, low, high, meaning = SETTINGS[name]
    try:
        parsed = parse(value)
    except ValueError:
        raise UsageError(f"{name} must be a {'whole number' if parse is int else 'number'} "
                         f"from {low} to {high}, got {value!r}") from None
    if not low <= parsed <= high:
        raise UsageError(f"{name} must be from {low} to {high} ({meaning}), got {value}")
    store.set_setting(key, str(parsed))
    return str(parsed)


# --- topics -------------------------------------------------------------------------------------


def resolve_topics(requested: list[str], banks) -> list[str]:
    """Turn what the learner typed (names or aliases) into topic names, or raise UsageError."""
    known = banks.topics()
    resolved = []
    for text in requested:
        topic = topics.resolve(text, known)
        if topic is None:
            close = topics.suggest(text, known)
            hint = f" Did you mean {' or '.join(close)}?" if close else ""
            raise UsageError(f"unknown topic {text!r}.{hint} See: lambda-prep topics")
        resolved.append(topic)
    return resolved


# --- quiz ---------------------------------------------------------------------------------------


def prepare_quiz(store, banks, *, topic_names: list[str], count: int, mode: str, seed: int | None,
                 now: dt.datetime):
    """The scheduler, the random generator and the plan of questions for a quiz."""
    import random

    from dataclasses import replace

    from lambda_prep.study import planning, session
    from lambda_prep.study.scheduler import Scheduler, day_bounds

    config = settings(store)
    # An interview plan in force sets today's retention, new questions and the due-date cap.
    today = planning.for_quiz(store, banks.questions, now, config.day_start_hour, config.desired_retention)
    if today is not None:
        config = replace(config, desired_retention=today.retention, new_per_day=today.new_per_day)
    scheduler = Scheduler(config.desired_retention, fuzz=True, seed=seed, parameters=planning.weights(store),
                          cap=today.cap if today else None)
    rng = random.Random(seed)
    start_of_day, _ = day_bounds(now, config.day_start_hour)
    new_allowed = config.new_per_day - store.new_since(start_of_day)
    cards = store.cards()
    if today is not None:  # cards scheduled before the plan was set come before the day too
        cards = {qid: replace(c, due=today.cap(c.due, c.last_review or now, qid)) for qid, c in cards.items()}
    plan = session.plan(banks.questions, cards, now=now, rng=rng, topics=topic_names, count=count,
                        mode=mode, new_allowed=new_allowed, day_start_hour=config.day_start_hour,
                        new_topics=today.topics if today else ())
    return scheduler, rng, plan, config


def upcoming(store, banks, now: dt.datetime, day_start_hour: int) -> dict:
    from lambda_prep.study.session import next_due_counts

    return next_due_counts(store.cards(), {q.id for q in banks.questions}, now, day_start_hour)


# --- interview plan and fitted weights ------------------------------------------------------------

MINUTES_RANGE = (1, 1440)


def update_plan(store, *, interview: str | None, minutes: int | None, topic_names: list[str],
                now: dt.datetime) -> None:
    """Set the plan (--interview), or change its minutes; raise UsageError for a wrong argument."""
    from lambda_prep.study import plan as plan_model
    from lambda_prep.study import planning
    from lambda_prep.study.scheduler import study_day

    config = settings(store)
    current = planning.load(store)
    if minutes is not None and not MINUTES_RANGE[0] <= minutes <= MINUTES_RANGE[1]:
        raise UsageError(f"--minutes-per-day must be from {MINUTES_RANGE[0]} to {MINUTES_RANGE[1]} "
                         f"(minutes of study a day), got {minutes}")
    if interview is None:
        if topic_names:
            raise UsageError("--topic applies when setting a plan: lambda-prep plan --interview YYYY-MM-DD "
                             "--topic TOPIC ...")
        if minutes is not None:
            if current is None:
                raise UsageError("no plan is set, so --minutes-per-day has nothing to change: "
                                 "lambda-prep plan --interview YYYY-MM-DD --minutes-per-day M")
            planning.save(store, plan_model.PlanSettings(current.interview, minutes, current.topics))
        return
    today = study_day(now, config.day_start_hour)
    try:
        day = dt.date.fromisoformat(interview)
    except ValueError:
        day = None
    problem = (plan_model.check_interview(day, today) if day is not None else
               f"the interview date must be a date as YYYY-MM-DD from "
               f"{(today + dt.timedelta(days=1)).isoformat()} (tomorrow) to "
               f"{(today + dt.timedelta(days=plan_model.MAX_PLAN_DAYS)).isoformat()}, got {interview!r}")
    if problem:
        raise UsageError(problem)
    if minutes is None:
        minutes = current.minutes_per_day if current else plan_model.DEFAULT_MINUTES
    planning.save(store, plan_model.PlanSettings(day, minutes, tuple(topic_names)))


def clear_plan(store) -> bool:
    from lambda_prep.study import planning

    was_set = planning.load(store) is not None
    planning.clear(store)
    return was_set


def plan_report(store, banks, now: dt.datetime) -> dict | None:
    """The full plan (None without one); {"ended": date} once, when its day has passed."""
    from lambda_prep.study import planning

    config = settings(store)
    ended = planning.end_if_passed(store, now, config.day_start_hour)
    return ended or planning.compute(store, banks.questions, now, config.day_start_hour)


def plan_status(store, banks, now: dt.datetime | None = None) -> dict | None:
    from lambda_prep.study import planning
    from lambda_prep.study.scheduler import utcnow

    return planning.status(store, banks.questions, now or utcnow(), settings(store).day_start_hour)


def optimize(store, *, reset: bool = False) -> dict:
    """Fit the FSRS weights to the review log (see study/optimize.py); keep them if they predict better."""
    import json

    from lambda_prep.study import optimize as optimizer
    from lambda_prep.study import planning
    from lambda_prep.study.scheduler import utcnow

    if reset:
        store.delete_settings(planning.WEIGHT_KEYS)
        return {"accepted": False, "reset": True, "weights": "default"}
    rows = [(qid, rating, dt.datetime.fromisoformat(at), state) for qid, rating, at, state in
            store.query("SELECT question_id, rating, reviewed_at, state_before FROM reviews ORDER BY id")]
    result = optimizer.fit(rows, planning.weights(store), day_start_hour=settings(store).day_start_hour)
    data = {"reviews": result.reviews, "items": result.items, "needed_items": optimizer.MIN_ITEMS,
            "accepted": result.accepted, "reason": result.reason, "before": result.before, "after": result.after,
            "train_items": result.train_items, "test_items": result.test_items, "weights": result.weights}
    if result.accepted:
        store.set_setting("fsrs_weights", json.dumps(result.weights))
        store.set_setting("fsrs_fit", json.dumps({"fitted_on": utcnow().date().isoformat(), "reviews": result.reviews,
                                                   "before": result.before, "after": result.after}))
    return data


def weights_summary(store) -> str:
    from lambda_prep.study import planning

    info = planning.weights_info(store)
    if info["source"] == "default":
        return "FSRS-6 defaults (lambda-prep optimize fits yours to your reviews)"
    return (f"fitted on {info.get('reviews', '?')} reviews on {info.get('fitted_on', '?')} (held-back log loss "
            f"{info.get('before', {}).get('log_loss', '?')} -> {info.get('after', {}).get('log_loss', '?')})")


def plan_summary(store) -> str:
    from lambda_prep.study import planning

    plan = planning.load(store)
    if plan is None:
        return "none (lambda-prep plan --interview YYYY-MM-DD)"
    retention = store.settings().get("plan_retention")
    return (f"interview {plan.interview.isoformat()}, {plan.minutes_per_day:g} min a day, "
            f"{', '.join(plan.topics) or 'all topics'}; until then it sets new questions per day"
            + (f" and the retention ({retention})" if retention else " and the retention"))
