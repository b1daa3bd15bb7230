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
    if include_user and _is_folder(user_dir):
        sources.append(user_dir)
    sources.extend(extra or [])
    return load_banks(sources, cache=paths.cache_dir(), display_root=Path.cwd())


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # e.g. a name too long: the banks folder is then simply absent
        return False


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

    from lambda_prep.study import session
    from lambda_prep.study.scheduler import Scheduler, day_bounds

    config = settings(store)
    scheduler = Scheduler(config.desired_retention, fuzz=True, seed=seed)
    rng = random.Random(seed)
    start_of_day, _ = day_bounds(now, config.day_start_hour)
    new_allowed = config.new_per_day - store.new_since(start_of_day)
    plan = session.plan(banks.questions, store.cards(), now=now, rng=rng, topics=topic_names, count=count,
                        mode=mode, new_allowed=new_allowed, day_start_hour=config.day_start_hour)
    return scheduler, rng, plan, config


def upcoming(store, banks, now: dt.datetime, day_start_hour: int) -> dict:
    from lambda_prep.study.session import next_due_counts

    return next_due_counts(store.cards(), {q.id for q in banks.questions}, now, day_start_hour)
