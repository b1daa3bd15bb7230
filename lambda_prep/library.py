"""What the commands do, as plain functions over the library (no typer, no terminal).

The CLI module only wires arguments to these and maps their errors to exit codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lambda_prep import paths, topics
from lambda_prep.errors import UsageError  # noqa: F401  (re-exported: library.UsageError)


def load_all_banks(extra: list[Path] | None = None, *, include_user: bool = True):
    """The built-in banks, the user's banks folder and any extra files or folders."""
    from lambda_prep.bank import load_banks

    sources = [paths.builtin_banks_dir()]
    user_dir = paths.user_banks_dir()
    try:
        has_user_banks = include_user and user_dir.is_dir()
    except OSError:  # an unusable data folder is reported by the store, with what to do
        has_user_banks = False
    if has_user_banks:
        sources.append(user_dir)
    sources.extend(extra or [])
    return load_banks(sources, cache=paths.cache_dir(), display_root=Path.cwd())


def open_store():
    from lambda_prep.study.store import Store

    return Store(paths.database_path())


# --- settings (defined once, in study/settings.py) -----------------------------------------------


def settings(store):
    """The learner's settings, parsed and range-checked (study.settings.Settings)."""
    return store.read_settings()


def setting_rows(store) -> list[tuple[str, object, str]]:
    """(name, current value, meaning) of every setting, for `config`."""
    from lambda_prep.study.settings import SETTINGS

    current = settings(store)
    return [(s.name, current.value(s), s.meaning) for s in SETTINGS]


def get_setting(store, name: str):
    """The current value of one setting; UsageError for an unknown name."""
    from lambda_prep.study.settings import lookup

    setting = lookup(name)
    return settings(store).value(setting)


def set_setting(store, name: str, value: str) -> str:
    """Check and store one setting; UsageError says the valid names or range."""
    from lambda_prep.study.settings import lookup

    setting = lookup(name)
    parsed = setting.parse(value)
    store.set_setting(setting.key, str(parsed))
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
            raise UsageError(f"unknown topic {text!r}.{hint} Topics: {', '.join(sorted(known))}")
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
    store.ensure_writable()  # a read-only or full store is reported now, before any answer is typed
    scheduler = Scheduler(config.desired_retention, fuzz=True, seed=seed)
    rng = random.Random(seed)
    start_of_day, _ = day_bounds(now, config.day_start_hour)
    new_allowed = config.new_per_day - store.new_since(start_of_day)
    plan = session.plan(banks.questions, store.cards(), now=now, rng=rng, topics=topic_names, count=count,
                        mode=mode, new_allowed=new_allowed, day_start_hour=config.day_start_hour)
    return scheduler, rng, plan, config


def new_limit(config, now: dt.datetime) -> tuple[dt.datetime, int]:
    """(start of today's study day, new questions allowed per day): what a quiz claims new questions against."""
    from lambda_prep.study.scheduler import day_bounds

    return day_bounds(now, config.day_start_hour)[0], config.new_per_day


def upcoming(store, banks, now: dt.datetime, day_start_hour: int) -> dict:
    from lambda_prep.study.session import next_due_counts

    return next_due_counts(store.cards(), {q.id for q in banks.questions}, now, day_start_hour)
