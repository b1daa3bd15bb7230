"""Progress between machines: a versioned export of the review log, and a merge by replay.

The review log is the source of truth; card state is derived from it. Importing a file adds the
reviews this store has not seen (a review is identified by what it records: question, moment,
rating, duration, answer, verdict, so the same review exported twice is recognised) and then
recomputes every touched card by replaying all its reviews, in time order, through the scheduler.
Importing the same file twice changes nothing. It all happens in one transaction: a crash or an
error half-way leaves the store as it was.

Settings: the local value wins. A setting this store has never set is taken from the file; one set
differently on both sides is kept and reported, so the learner can adopt the other with `config`.
"""

from __future__ import annotations

from lambda_prep.errors import LambdaPrepError

import datetime as dt
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from lambda_prep import __version__
from lambda_prep.study.store import Review

FORMAT = "lambda-prep-progress"
VERSION = 1
MAX_FILE_BYTES = 256 * 1024 * 1024  # ~1.5 million reviews; a larger file is not one of ours
REVIEW_FIELDS = ("question_id", "topic", "rating", "reviewed_at", "duration_ms", "answer", "correct")


class ProgressFileError(LambdaPrepError):
    """The file is not a progress export this release can read; nothing was changed (exit 1)."""


def review_key(question_id: str, reviewed_at: str, rating: int, duration_ms: int | None, answer: str | None,
               correct: bool) -> str:
    """A review's stable identity, from what it records (the same on every machine)."""
    text = json.dumps([question_id, reviewed_at, int(rating), duration_ms, answer or "", bool(correct)])
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


# --- export ---------------------------------------------------------------------------------------


def build_export(store, now: dt.datetime) -> dict:
    reviews = []
    for question_id, topic, rating, reviewed_at, duration_ms, answer, correct, _state in store.reviews():
        reviews.append({
            "id": review_key(question_id, reviewed_at, rating, duration_ms, answer, bool(correct)),
            "question_id": question_id, "topic": topic, "rating": rating, "reviewed_at": reviewed_at,
            "duration_ms": duration_ms, "answer": answer or "", "correct": bool(correct),
        })
    settings = dict(store.query("SELECT key, value FROM settings"))
    return {"format": FORMAT, "version": VERSION, "exported_at": _iso(now), "lambda_prep": __version__,
            "settings": settings, "reviews": reviews}


def write_export(data: dict, path: Path) -> None:
    """Write atomically: a failed write never leaves half a file where an export was."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


# --- reading a file -------------------------------------------------------------------------------


def read_export(path: Path) -> dict:
    """The validated content of a progress export, or ProgressFileError saying what is wrong."""
    try:
        info = path.stat()
    except OSError as exc:
        raise ProgressFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ProgressFileError(f"{path} is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise ProgressFileError(f"{path} is {info.st_size // 2**20} MB, larger than any progress export "
                                f"({MAX_FILE_BYTES // 2**20} MB at most)")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ProgressFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    not_ours = f"{path} is not a lambda-prep progress export (made by: lambda-prep progress export FILE)"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ProgressFileError(not_ours)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProgressFileError(not_ours)
    if version > VERSION:
        raise ProgressFileError(f"{path} was written by a newer lambda-prep (progress format {version}; this "
                                f"release reads up to {VERSION}). Upgrade: pip install -U lambda-prep")
    settings, reviews = data.get("settings"), data.get("reviews")
    if not isinstance(settings, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                 for k, v in settings.items()):
        raise ProgressFileError(f"{path}: 'settings' must map names to text")
    if not isinstance(reviews, list):
        raise ProgressFileError(f"{path}: 'reviews' must be a list")
    for index, review in enumerate(reviews, 1):
        problem = _review_problem(review)
        if problem:
            raise ProgressFileError(f"{path}: review {index}: {problem}")
    return data


def _review_problem(review: object) -> str | None:
    if not isinstance(review, dict):
        return "not an object"
    missing = [f for f in REVIEW_FIELDS if f not in review]
    if missing:
        return f"missing {', '.join(missing)}"
    if not isinstance(review["question_id"], str) or not review["question_id"]:
        return "question_id must be text"
    if not isinstance(review["topic"], str):
        return "topic must be text"
    if review["rating"] not in (1, 2, 3, 4) or isinstance(review["rating"], bool):
        return "rating must be 1 to 4"
    duration = review["duration_ms"]
    if duration is not None and (not isinstance(duration, int) or isinstance(duration, bool) or duration < 0):
        return "duration_ms must be a whole number of milliseconds or null"
    if not isinstance(review["answer"], str) or not isinstance(review["correct"], bool):
        return "answer must be text and correct true or false"
    try:
        moment = dt.datetime.fromisoformat(review["reviewed_at"])
    except (TypeError, ValueError):
        return "reviewed_at must be an ISO date and time"
    if moment.tzinfo is None:
        return "reviewed_at must carry its UTC offset"
    return None


# --- merging --------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    added: int = 0
    already_here: int = 0
    questions_replayed: int = 0
    settings_taken: dict[str, str] = field(default_factory=dict)
    settings_differ: dict[str, tuple[str, str]] = field(default_factory=dict)  # name: (kept, theirs)

    def to_dict(self) -> dict:
        return {"added": self.added, "already_here": self.already_here,
                "questions_replayed": self.questions_replayed, "settings_taken": self.settings_taken,
                "settings_differ": {k: {"kept": a, "theirs": b} for k, (a, b) in self.settings_differ.items()}}


def merge(store, data: dict, scheduler, accept_setting=lambda name, value: True) -> ImportReport:
    """Merge a read_export() result into the store (one transaction); returns what changed.

    `accept_setting(name, value)` says whether a setting from the file is one this release knows
    and holds a valid value; others are ignored.
    """
    incoming = [Review(question_id=r["question_id"], topic=r["topic"], rating=r["rating"],
                       reviewed_at=dt.datetime.fromisoformat(r["reviewed_at"]).astimezone(dt.timezone.utc),
                       duration_ms=r["duration_ms"], answer=r["answer"], correct=r["correct"])
                for r in data["reviews"]]
    report = ImportReport()

    def key(review: Review) -> str:
        return review_key(review.question_id, _iso(review.reviewed_at), review.rating, review.duration_ms,
                          review.answer, review.correct)

    def replay(reviews: list[Review]):
        # Each review is applied to the state the one before left; the first starts from new.
        states, card = [], None
        for review in reviews:
            card = scheduler.review(card, review.question_id, review.topic, review.rating, review.reviewed_at,
                                    review.duration_ms)
            states.append(card)
        return states

    local = dict(store.query("SELECT key, value FROM settings"))
    for name, value in sorted(data["settings"].items()):
        if not accept_setting(name, value):
            continue
        if name not in local:
            report.settings_taken[name] = value
        elif local[name] != value:
            report.settings_differ[name] = (local[name], value)

    added, touched = store.merge_reviews(incoming, key, replay, report.settings_taken)
    report.added = added
    report.already_here = len(incoming) - added
    report.questions_replayed = touched
    return report
