"""What the commands do, as plain functions over the library (no typer, no terminal).

The CLI module only wires arguments to these and maps their errors to exit codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lambda_prep import paths, topics
from lambda_prep.errors import LambdaPrepError, UsageError  # noqa: F401  (re-exported: library.UsageError)


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
                 now: dt.datetime, filters: Filters | None = None, extra_new: int = 0, drills_only: bool = False):
    """The scheduler, the random generator and the plan of questions for a quiz.

    mode "mistakes" asks questions answered wrong before, most recently failed first, due or not.
    Scenario drills (a card per kind) are mixed in, up to the drills-per-session setting, or asked
    alone with `drills_only`.
    """
    import random

    from dataclasses import replace

    from lambda_prep.study import planning, session
    from lambda_prep.study.scheduler import Scheduler, day_bounds

    config = settings(store)
    store.ensure_writable()  # a read-only or full store is reported now, before any answer is typed
    # An interview plan in force sets today's retention, new questions and the due-date cap.
    today = planning.for_quiz(store, banks.questions, now, config.day_start_hour, config.desired_retention)
    if today is not None:
        config = replace(config, desired_retention=today.retention, new_per_day=today.new_per_day)
    scheduler = Scheduler(config.desired_retention, fuzz=True, seed=seed, parameters=planning.weights(store),
                          cap=today.cap if today else None)
    rng = random.Random(seed)
    filters = filters or Filters()
    if mode == "mistakes":
        chosen = mistake_questions(store, banks, topic_names, filters)
        return scheduler, rng, session.Plan(chosen[:count], len(chosen), 0, 0), config
    start_of_day, _ = day_bounds(now, config.day_start_hour)
    new_allowed = config.new_per_day + extra_new - store.new_since(start_of_day)
    # With a plan, cards scheduled before it was set come before the day too (as every screen shows them).
    cards = today.cards if today else store.cards()
    drills = [q for q in drill_questions() if filters.admits(q)]
    if drills_only:
        plan = session.plan(drills, cards, now=now, rng=rng, topics=topic_names, count=count, mode=mode,
                            new_allowed=len(drills), day_start_hour=config.day_start_hour)
        plan.questions[:] = generated(plan.questions, cards, seed, now.date())
        return scheduler, rng, plan, config
    plan = session.plan(study_questions(store, banks, filters), cards, now=now, rng=rng, topics=topic_names,
                        count=count, mode=mode, new_allowed=new_allowed, day_start_hour=config.day_start_hour,
                        new_topics=today.topics if today else ())
    # Drills join a normal session (new and due) or a review (due ones only); "--new" asks for bank
    # questions never seen, within the daily limit, so it gets none.
    wanted = min(config.drills_per_session, max(count - 1, 0)) if mode in ("all", "due") else 0
    if wanted and plan.questions:
        # Due drills first, then new ones; spread evenly through the session.
        extra = generated(session.plan(drills, cards, now=now, rng=rng, topics=topic_names, count=wanted, mode=mode,
                                       new_allowed=wanted, day_start_hour=config.day_start_hour).questions,
                          cards, seed, now.date())
        chosen = plan.questions[:count - len(extra)]
        step = max(len(chosen) // (len(extra) + 1), 1)
        for index, drill in enumerate(extra, 1):
            chosen.insert(min(index * step + index - 1, len(chosen)), drill)
        plan = session.Plan(chosen, plan.due_total, plan.new_total, plan.new_allowed)
    return scheduler, rng, plan, config


def start_quiz(store, banks, scheduler, ui, rng, config, now: dt.datetime, extra_new: int = 0):
    """The quiz runner for a prepared plan: today's new-question limit, and the learner's own pace
    per question type from the review log (what "fast", hence Easy, is judged against)."""
    from lambda_prep.study.scheduler import utcnow
    from lambda_prep.study.session import Quiz, own_paces

    paces = own_paces(store.timed_right_answers(), {q.id: q for q in banks.questions})
    return Quiz(store, scheduler, ui, rng=rng, clock=utcnow, new_limit=new_limit(config, now, extra_new),
                paces=paces)


def new_limit(config, now: dt.datetime, extra_new: int = 0) -> tuple[dt.datetime, int]:
    """(start of today's study day, new questions allowed today): what a quiz claims new questions against."""
    from lambda_prep.study.scheduler import day_bounds

    return day_bounds(now, config.day_start_hour)[0], config.new_per_day + extra_new


def upcoming(store, banks, now: dt.datetime, day_start_hour: int, topic_names: list[str] = ()) -> dict:
    """The review forecast for the questions in the banks (of `topic_names` when given)."""
    from lambda_prep.study.session import next_due_counts

    live = {q.id for q in studied(banks) if not topic_names or q.topic in topic_names}
    return next_due_counts(planned_cards(store, banks, now, day_start_hour), live, now, day_start_hour)


def planned_cards(store, banks, now: dt.datetime, day_start_hour: int, cards: dict | None = None) -> dict:
    """The learner's cards (or `cards`) with the due dates every screen shows: while an interview plan
    is in force, cut as the quiz cuts them, so nothing shows a review after the interview day; the
    database keeps FSRS's own dates. The one way screens read due dates."""
    from lambda_prep.study.planning import planned_cards as planned

    # The bank questions, as the quiz's cap has them (its spread depends on them), not studied(banks).
    return planned(store, banks.questions, now, day_start_hour, cards)


def _answer_terms(store, banks, now: dt.datetime):
    """(retention, due-date cap) for an answer given outside the quiz: the interview plan's while one
    is in force, else (the desired retention, None). banks None (drills): loaded only for a plan."""
    from lambda_prep.study import planning

    config = settings(store)
    return planning.answering(store, lambda: (banks or load_all_banks()).questions, now, config.day_start_hour,
                              config.desired_retention)


def _answer_scheduler(store, banks, now: dt.datetime, seed: int | None, terms=None):
    """The scheduler of every way of answering but the quiz (which also sets today's new questions):
    the learner's fitted weights and `terms` (default: _answer_terms), so an answer in an exam, a
    mock interview or a drill schedules as in the quiz."""
    from lambda_prep.study import planning
    from lambda_prep.study.scheduler import Scheduler

    retention, cap = terms or _answer_terms(store, banks, now)
    return Scheduler(retention, fuzz=True, seed=seed, parameters=planning.weights(store), cap=cap)


# --- portability: exports, progress between machines, banks of your own --------------------------


class FileError(LambdaPrepError):
    """A file could not be written or read; the message names it (exit 1)."""


def export_questions(banks, fmt: str, topic_names: list[str]) -> str:
    """The questions of `topic_names` (all when empty) in an export format."""
    from lambda_prep.portability.exporters import EXPORTERS

    if fmt not in EXPORTERS:
        raise UsageError(f"unknown format {fmt!r}; formats: {', '.join(EXPORTERS)}")
    chosen = [q for q in banks.questions if not topic_names or q.topic in topic_names]
    return EXPORTERS[fmt].render(chosen)


def write_text(path: Path, text: str) -> None:
    """Write a whole file atomically (temp name, then rename), or FileError naming it."""
    import os

    if path.is_dir():
        raise FileError(f"cannot write {path}: it is a folder")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise FileError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def export_progress(store, path: Path, now: dt.datetime) -> int:
    """Write the learner's history to `path`; returns the number of reviews written."""
    from lambda_prep.portability import progress

    data = progress.build_export(store, now)
    try:
        progress.write_export(data, path)
    except OSError as exc:
        raise FileError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(data["reviews"])


def import_progress(store, path: Path):
    """Merge a progress export into the store; returns the ImportReport."""
    from lambda_prep.portability import progress
    from lambda_prep.study.scheduler import Scheduler

    data = progress.read_export(path)  # ProgressFileError before anything changes
    # Seeded fuzz: a replay gives the same due dates on every machine and every import.
    scheduler = Scheduler(settings(store).desired_retention, fuzz=True, seed=0)
    from lambda_prep.study.settings import BY_KEY, valid_stored

    report = progress.merge(store, data, scheduler, accept_setting=valid_stored)
    # Name settings as `config` does (new-per-day), not by their store keys.
    label = {key: setting.name for key, setting in BY_KEY.items()}
    report.settings_taken = {label[k]: v for k, v in report.settings_taken.items()}
    report.settings_differ = {label[k]: v for k, v in report.settings_differ.items()}
    return report


def new_bank(name: str, topic: str | None, today: dt.date) -> Path:
    """Write a starter bank into the user's banks folder; returns its path."""
    from lambda_prep.bank import starter

    topic = topic or name
    for what, value in (("name", name), ("topic", topic)):
        if not starter.NAME_PATTERN.match(value):
            raise UsageError(f"the bank {what} {value!r} must be lower-case letters, digits and '-' "
                             f"(1 to 40 characters, e.g. team-payments)")
    folder = paths.user_banks_dir()
    target = folder / starter.file_name(name)
    if target.exists():
        raise FileError(f"{target} already exists; edit it, or choose another name")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileError(f"cannot create {folder}: {exc.strerror or exc}") from None
    write_text(target, starter.render(name, topic, today))
    return target


# --- finding, filtering and flagging questions ----------------------------------------------------

QUESTION_TYPES = ("single", "multi", "true-false", "recall")
FLAG_KINDS = ("wrong", "outdated", "unclear")


@dataclass(frozen=True)
class Filters:
    """Which questions a study session may ask, beyond topics."""

    difficulties: tuple[int, ...] = (1, 2, 3)
    types: tuple[str, ...] = QUESTION_TYPES

    def admits(self, question) -> bool:
        return question.difficulty in self.difficulties and question.type in self.types


def parse_difficulty(text: str | None) -> tuple[int, ...]:
    """'2' -> (2,), '2-3' -> (2, 3); UsageError otherwise."""
    if text is None:
        return (1, 2, 3)
    import re

    match = re.fullmatch(r"\s*([123])\s*(?:-\s*([123])\s*)?", text)
    low, high = (int(match.group(1)), int(match.group(2) or match.group(1))) if match else (0, 0)
    if not match or low > high:
        raise UsageError(f"--difficulty takes 1, 2 or 3, or a range like 2-3 (1 basics, 2 working knowledge, "
                         f"3 senior-level), got {text!r}")
    return tuple(range(low, high + 1))


def study_questions(store, banks, filters: Filters = Filters()) -> list:
    """The questions a session may ask: flagged ones are left out until their flag is cleared."""
    flagged = store.flags()
    return [q for q in banks.questions if q.id not in flagged and filters.admits(q)]


def mistakes(store, banks, topic_names: list[str] = ()) -> list[dict]:
    """Questions answered wrong before, most often wrong first (then most recently)."""
    by_id = {q.id: q for q in banks.questions}
    rows = []
    for qid, topic, wrong, answered, last_wrong in store.mistakes():
        question = by_id.get(qid)
        if question is None or (topic_names and question.topic not in topic_names):
            continue  # a question no longer in the banks, or another topic
        rows.append({"id": qid, "topic": question.topic, "wrong": wrong, "answered": answered,
                     "last_wrong": last_wrong, "prompt": question.prompt})
    rows.sort(key=lambda r: r["last_wrong"], reverse=True)
    rows.sort(key=lambda r: r["wrong"], reverse=True)  # stable: ties stay most recent first
    return rows


def mistake_questions(store, banks, topic_names: list[str], filters: Filters = Filters()) -> list:
    """For quiz --mistakes: failed questions, most recently failed first (then most often)."""
    allowed = {q.id: q for q in study_questions(store, banks, filters)}
    rows = sorted(mistakes(store, banks, topic_names), key=lambda r: (r["last_wrong"][:10], r["wrong"]),
                  reverse=True)
    return [allowed[r["id"]] for r in rows if r["id"] in allowed]


def find_question(banks, question_id: str):
    """The question with this id, or UsageError naming the closest ids."""
    for q in banks.questions:
        if q.id == question_id:
            return q
    import difflib

    close = difflib.get_close_matches(question_id, [q.id for q in banks.questions], n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else " Find one with: lambda-prep search TEXT"
    raise UsageError(f"no question with id {question_id!r}.{hint}")


def show(store, banks, question_id: str, now: dt.datetime) -> dict:
    """A question with everything about it: answer, explanation, sources, the learner's history."""
    from lambda_prep.study.scheduler import STATE_NAMES, retrievability

    q = find_question(banks, question_id)
    card = store.card(q.id)
    if card is not None:  # its due date as the plan has it, if one is set
        card = planned_cards(store, banks, now, settings(store).day_start_hour, {q.id: card})[q.id]
    flag = store.flags().get(q.id)
    data = q.to_dict()
    data.pop("origin")
    data.pop("syllabus")  # internal
    data["history"] = [
        {"reviewed_at": at, "rating": rating, "correct": bool(correct), "answer": answer, "seconds":
         None if duration is None else round(duration / 1000, 1)}
        for _qid, _topic, rating, at, duration, answer, correct, _state in store.reviews(q.id)]
    data["card"] = None if card is None else {
        "state": STATE_NAMES[card.state], "due": card.due.isoformat(timespec="seconds"),
        "stability_days": None if card.stability is None else round(card.stability, 2),
        "difficulty": None if card.difficulty is None else round(card.difficulty, 2),
        "recall_now": round(retrievability(card, now), 3), "reps": card.reps, "lapses": card.lapses}
    data["flag"] = None if flag is None else {"kind": flag[0], "note": flag[1],
                                              "flagged_at": flag[2].isoformat(timespec="seconds")}
    return data


def search(banks, text: str, limit: int = 20) -> list[dict]:
    from lambda_prep import search as search_index

    if not text.strip():
        raise UsageError("search needs some words, e.g. lambda-prep search \"visibility timeout\"")
    return search_index.search(banks.questions, text, limit=limit)


def flag(store, banks, question_id: str, kind: str, note: str, now: dt.datetime) -> None:
    if kind not in FLAG_KINDS:
        raise UsageError(f"--kind must be one of {', '.join(FLAG_KINDS)}, got {kind!r}")
    find_question(banks, question_id)
    store.flag(question_id, kind, note, now)


def unflag(store, question_id: str) -> None:
    if not store.unflag(question_id):
        raise UsageError(f"{question_id!r} is not flagged; see lambda-prep flag --list")


def flags(store, banks) -> list[dict]:
    by_id = {q.id: q for q in banks.questions}
    rows = []
    for qid, (kind, note, at) in sorted(store.flags().items(), key=lambda item: item[1][2]):
        q = by_id.get(qid)
        rows.append({"id": qid, "kind": kind, "note": note, "flagged_at": at.isoformat(timespec="seconds"),
                     "topic": q.topic if q else None, "prompt": q.prompt if q else None,
                     "sources": list(q.sources) if q else [], "origin": q.origin if q else None})
    return rows


# --- exam ---------------------------------------------------------------------------------------


def prepare_exam(store, banks, ui, *, topic_names: list[str], count: int, minutes: int | None,
                 pass_mark: int | None, seed: int | None, clock):
    """An exam of `count` choice questions spread across topics; pass_mark None: the setting;
    minutes None: two minutes for each question actually chosen."""
    import random

    from lambda_prep.study.exam import Exam, choose, minutes_for

    config = settings(store)
    rng = random.Random(seed)
    # Questions the learner flagged as wrong or unclear stay out, as in the quiz.
    questions = choose(study_questions(store, banks), count=count, topics=topic_names, rng=rng)
    # Answers feed the schedule as quiz answers do: no review after an interview plan's day.
    scheduler = _answer_scheduler(store, banks, clock(), seed)
    return Exam(store, scheduler, ui, questions, rng=rng,
                clock=clock, minutes=minutes_for(len(questions)) if minutes is None else minutes,
                pass_mark=config.exam_pass_mark if pass_mark is None else pass_mark,
                seed=seed, topics=topic_names)


def exam_history(store) -> list[dict]:
    from lambda_prep.study.exam import history

    return history(store)


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


# --- myths and validation -----------------------------------------------------------------------


def load_myths(known_questions: set[str] | None = None):
    """The built-in myths (content/myths/*.yaml), for the mock interview's myth detector."""
    from lambda_prep.study.myths import load_myths as load

    return load([paths.myths_dir()], display_root=Path.cwd(), known_questions=known_questions)


def validate_content(extra: list[Path] | None = None):
    """Banks and myths, built-in and given: (banks, myths). A file given whose top-level list is
    `myths:` is checked as a myths file, anything else as a bank."""
    from lambda_prep.bank import discover
    from lambda_prep.study.myths import is_myths_file, load_myths as load

    bank_paths: list[Path] = []
    myth_paths: list[Path] = [paths.myths_dir()]
    found, missing = discover(list(extra or []))
    for path in found:
        try:
            is_myths = is_myths_file(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            is_myths = False
        (myth_paths if is_myths else bank_paths).append(path)
    banks = load_all_banks(bank_paths)
    banks.problems[:0] = missing
    myths = load(myth_paths, display_root=Path.cwd(), known_questions={q.id for q in banks.questions})
    return banks, myths


# --- mock interview -----------------------------------------------------------------------------


def prepare_mock(store, banks, ui, *, topic_names: list[str], count: int, level: str, minutes_per_answer: float,
                 seed: int | None, now: dt.datetime):
    """The mock interview, ready to run, and its questions (none when no open question matches)."""
    import random
    import time

    from lambda_prep.study import mock, stats
    from lambda_prep.study.scheduler import utcnow

    config = settings(store)
    mastery = {row["topic"]: row["mastery"] for row in stats.topic_overview(store, banks.questions, now)}
    questions = mock.choose(banks.questions, store.cards(), mastery, count=count, rng=random.Random(seed),
                            topics=topic_names, level=level)
    # Myths load on first use (after the first question is on screen); a broken myths file is
    # reported by `validate` and only costs its myths here.
    # What is due, and the next review, as the quiz has them; the scheduler (fsrs) loads after the
    # first question is on screen.
    terms = _answer_terms(store, banks, now)
    interview = mock.MockInterview(store, lambda: _answer_scheduler(store, banks, now, seed, terms),
                                   ui, lambda: load_myths().myths, wall_clock=utcnow,
                                   timer=time.monotonic, minutes_per_answer=minutes_per_answer, level=level,
                                   day_start_hour=config.day_start_hour, cap=terms[1])
    return interview, questions


def mock_history(store) -> list[dict]:
    from lambda_prep.study import mock

    return mock.history(store)


# --- progress, topics, reset, explain: what those commands do, one call each -------------------


def stats_report(store, banks, now: dt.datetime, months: int) -> dict:
    """The stats dashboard's data (the same dict `stats --json` prints), with the plan's status."""
    from lambda_prep.study import stats as stats_model

    config = settings(store)
    report = stats_model.compute(store, studied(banks), now, day_start_hour=config.day_start_hour,
                                 heatmap_weeks=round(months * 4.35),
                                 cards=planned_cards(store, banks, now, config.day_start_hour))
    report["plan"] = plan_status(store, banks)
    return report


def topic_rows(store, banks, now: dt.datetime) -> list[dict]:
    """Every topic with its number of questions and the learner's mastery."""
    from lambda_prep.study import stats as stats_model

    return stats_model.topic_overview(store, studied(banks), now)


def topic_mastery(topic_name: str, now: dt.datetime) -> str | None:
    """A line on the learner's mastery of one topic, if they studied it; None otherwise, and never an
    error (explain works on a damaged store: the study commands report the damage)."""
    import os

    if not paths.database_path().exists() or os.environ.get("LAMBDA_PREP_NO_MASTERY"):
        return None
    try:
        banks = load_all_banks()
        with open_store() as store:
            rows = topic_rows(store, banks, now)
    except Exception:  # noqa: BLE001  (a damaged store is reported by the study commands, not here)
        return None
    for row in rows:
        if row["topic"] == topic_name and row["seen"]:
            return f"Your mastery: {row['mastery']:.0%} ({row['seen']} of {row['questions']} questions seen)"
    return None


def reset_progress(topic_name: str | None) -> tuple[int, int]:
    """Forget the progress of one topic (or all): (questions, reviews) forgotten."""
    with open_store() as store:
        return store.reset(topic_name)


def explainer(topic: str) -> tuple[str, str]:
    """(topic name, explainer text) for a topic or alias; UsageError (exit 2) naming the close ones
    when it is unknown, LambdaPrepError (exit 1) when the topic has no explainer yet."""
    from lambda_prep import explain as explainers
    from lambda_prep.errors import LambdaPrepError

    name = topics.resolve(topic)
    if name is None:
        close = topics.suggest(topic)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise UsageError(f"unknown topic {topic!r}.{hint} See: lambda-prep explain")
    try:
        return name, explainers.read(name)
    except FileNotFoundError:
        raise LambdaPrepError(f"no explainer for {name} yet.") from None


def explainers_available() -> list[tuple[str, str, bool]]:
    from lambda_prep import explain as explainers

    return explainers.available()


# --- drills ---------------------------------------------------------------------------------------


def drill_kinds() -> list[dict]:
    from lambda_prep.drills.registry import KINDS

    return [{"kind": k.name, "topic": k.topic, "summary": k.summary} for k in KINDS]


def make_drills(kind: str | None, count: int, seed: int | None) -> list:
    """`count` drills of one kind (or of every kind in turn); the same seed gives the same drills."""
    import random

    from lambda_prep.drills.registry import KINDS, NAMES, get

    if kind is not None and kind not in NAMES:
        import difflib

        close = difflib.get_close_matches(kind, NAMES, n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise UsageError(f"unknown drill kind {kind!r}.{hint} Kinds: {', '.join(NAMES)}")
    base = seed if seed is not None else random.SystemRandom().randrange(1, 10**6)
    if kind is not None:
        return [get(kind).generate(base + i) for i in range(count)]
    order = list(KINDS)
    random.Random(base).shuffle(order)
    return [order[i % len(order)].generate(base + i) for i in range(count)]


def drill_folder(drill) -> Path:
    """Write the files a drill's simulate command reads (e.g. policies) and return their folder."""
    folder = paths.data_dir() / "drills" / drill.id
    if drill.files:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in drill.files.items():
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def studied(banks) -> list:
    """Everything with a card: the bank questions and one card per drill kind (its stand-in, so
    stats and forecasts count drills without generating a scenario)."""
    return [*banks.questions, *drill_questions()]


DRILL_DIFFICULTY = 2  # working knowledge: a scenario to reason through, not a fact to recall


def drill_question(kind_name: str, reps: int, seed: int | None, today: dt.date):
    """A drill kind as a quiz card: its id is the kind (the concept is what is remembered), and
    each review draws a new scenario (the seed moves with the card's repetitions)."""
    from lambda_prep.drills.registry import get

    return as_question(get(kind_name).generate((seed or 0) * 1000 + reps + 1), today)


def as_question(drill, today: dt.date):
    from lambda_prep.bank.model import Question

    folder = drill_folder(drill)
    traps = "; ".join(f"{choice} comes from {why}" for choice, why in drill.misconceptions.items())
    return Question(id=f"drill-{drill.kind}", topic=drill.topic, type="single", prompt=drill.prompt,
                    explanation=(f"{drill.explanation} Tempting wrong answers: {traps}."
                                 f"\nWatch it: {drill.simulate_in(folder)}"),
                    sources=drill.sources, last_verified=today.isoformat(), difficulty=DRILL_DIFFICULTY,
                    choices=drill.choices,
                    answer=(drill.answer,), tags=("drill", "scenario"))


def record_drill(store, drill, given: str, duration_s: float | None, now: dt.datetime):
    """A drill answered in `lambda-prep drill` counts for its kind's card, as in the quiz."""
    from lambda_prep.study.session import ChoiceAnswer, record_choice

    question = as_question(drill, now.date())
    scheduler = _answer_scheduler(store, None, now, None)
    return record_choice(store, scheduler, question, list(drill.choices), ChoiceAnswer((given,), duration_s), now)


def drill_questions() -> list:
    """One card per drill kind, stand-ins with what the filters and the planner read (id, topic,
    type, difficulty): `generated` draws the scenarios of the chosen ones only, so a quiz imports
    the simulations of two drills, not of every kind."""
    from types import SimpleNamespace

    from lambda_prep.drills.registry import KINDS

    return [SimpleNamespace(id=f"drill-{k.name}", topic=k.topic, type="single", difficulty=DRILL_DIFFICULTY,
                            kind=k.name) for k in KINDS]


def generated(questions: list, cards: dict, seed: int | None, today: dt.date) -> list:
    """The questions with every drill stand-in replaced by its scenario, drawn for the card's
    repetitions (a new scenario at each review)."""
    return [drill_question(q.kind, getattr(cards.get(q.id), "reps", 0), seed, today) if hasattr(q, "kind") else q
            for q in questions]
