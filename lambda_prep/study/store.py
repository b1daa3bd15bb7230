"""Progress in SQLite: a versioned schema with migrations, one transaction per answer.

- Every answer is its own committed transaction, so Ctrl-C or a crash loses nothing answered.
- WAL mode and BEGIN IMMEDIATE with a busy timeout let two quizzes in two terminals write safely;
  the card is re-read inside the transaction, so a review in one terminal is never overwritten
  by the other.
- A file that is not a lambda-prep database, is damaged, or was written by a newer release is
  reported (StoreError) and never replaced or reset.
- Before migrating an existing database, a copy is kept beside it (progress.db.schema-N.bak).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from lambda_prep.study.scheduler import CardState, card_id_for

APPLICATION_ID = 0x4C505250  # "LPRP": marks the file as ours
BUSY_TIMEOUT_MS = 15000


class StoreError(Exception):
    """The progress database cannot be used; the message names the file and what to do."""


def _v1(db: sqlite3.Connection) -> None:
    _run(db, """
        CREATE TABLE cards (
            question_id TEXT PRIMARY KEY,
            card_id     INTEGER NOT NULL,
            topic       TEXT NOT NULL,
            state       INTEGER NOT NULL,
            step        INTEGER,
            stability   REAL,
            difficulty  REAL,
            due         TEXT NOT NULL,
            last_review TEXT,
            reps        INTEGER NOT NULL DEFAULT 0,
            lapses      INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE reviews (
            id           INTEGER PRIMARY KEY,
            question_id  TEXT NOT NULL,
            rating       INTEGER NOT NULL,
            reviewed_at  TEXT NOT NULL,
            duration_ms  INTEGER,
            answer       TEXT,
            correct      INTEGER NOT NULL,
            state_before INTEGER NOT NULL
        );
    """)


def _v2(db: sqlite3.Connection) -> None:
    # Stats per topic must survive a question leaving the banks, so reviews carry their topic;
    # the index keeps stats and the heatmap fast over long histories; settings hold the config.
    _run(db, """
        ALTER TABLE reviews ADD COLUMN topic TEXT NOT NULL DEFAULT '';
        UPDATE reviews SET topic = COALESCE(
            (SELECT topic FROM cards WHERE cards.question_id = reviews.question_id), '');
        ALTER TABLE reviews ADD COLUMN due_before TEXT;
        ALTER TABLE reviews ADD COLUMN due_after TEXT;
        CREATE INDEX reviews_at ON reviews (reviewed_at);
        CREATE INDEX reviews_question ON reviews (question_id);
        CREATE INDEX cards_due ON cards (due);
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """)


def _v3_flags(db: sqlite3.Connection) -> None:
    # A learner's mark on a question (wrong, outdated, unclear): kept apart from the review log,
    # and a flagged question is not asked until the flag is cleared.
    _run(db, """
        CREATE TABLE flags (
            question_id TEXT PRIMARY KEY,
            kind        TEXT NOT NULL,
            note        TEXT NOT NULL DEFAULT '',
            flagged_at  TEXT NOT NULL
        );
    """)


def _v4_exams(db: sqlite3.Connection) -> None:
    # Timed exams (study/exam.py): one row per exam, one per question asked. Each answer updates
    # its row as it is given, so a killed exam keeps its answers; status says how it ended.
    _run(db, """
        CREATE TABLE exams (
            id           INTEGER PRIMARY KEY,
            started_at   TEXT NOT NULL,
            finished_at  TEXT,
            status       TEXT NOT NULL DEFAULT 'running',
            seconds_allowed INTEGER NOT NULL,
            seconds_used REAL,
            pass_mark    REAL NOT NULL,
            total        INTEGER NOT NULL,
            correct      INTEGER,
            seed         INTEGER,
            topics       TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE exam_answers (
            exam_id     INTEGER NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
            position    INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            topic       TEXT NOT NULL,
            choices     TEXT NOT NULL,
            given       TEXT,
            correct     INTEGER,
            flagged     INTEGER NOT NULL DEFAULT 0,
            seconds     REAL NOT NULL DEFAULT 0,
            answered_at TEXT,
            PRIMARY KEY (exam_id, position)
        );
    """)


def _run(db: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it commits first, and a migration must be one transaction.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3_flags, _v4_exams]
SCHEMA_VERSION = len(MIGRATIONS)

SETTINGS_DEFAULTS = {"desired_retention": "0.9", "new_per_day": "20", "day_start_hour": "4",
                     "exam_pass_mark": "72", "drills_per_session": "2"}


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def _parse(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


@dataclass(frozen=True)
class Review:
    """One answer, as the review log keeps it."""

    question_id: str
    topic: str
    rating: int
    reviewed_at: dt.datetime
    duration_ms: int | None
    answer: str
    correct: bool


class Store:
    def __init__(self, path: Path, *, migrate_to: int = SCHEMA_VERSION):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data directory {path.parent}: {exc.strerror or exc}. "
                             f"Set LAMBDA_PREP_HOME to a writable folder.") from None
        existed = path.exists() and path.stat().st_size > 0
        try:
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the progress database {path}: {exc}. "
                             f"Check the file's permissions, or set LAMBDA_PREP_HOME to another folder.") from None
        try:
            self._prepare(existed, migrate_to)
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise self.damaged(exc) from None

    def damaged(self, exc: Exception) -> StoreError:
        return StoreError(
            f"the progress database {self.path} is damaged or unreadable ({exc}). It has been left "
            f"untouched. To keep your history, restore a backup over it (a copy named "
            f"{self.path.name}.schema-N.bak sits beside it after upgrades); to start afresh, move it "
            f"aside (mv \"{self.path}\" \"{self.path}.damaged\") and run lambda-prep again.")

    def _prepare(self, existed: bool, migrate_to: int) -> None:
        db = self.db
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        has_tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and has_tables):
            raise StoreError(f"{self.path} is not a lambda-prep progress database (it holds other data). "
                             f"It has been left untouched; set LAMBDA_PREP_HOME to another folder.")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer lambda-prep (schema {version}; this release "
                             f"reads up to {SCHEMA_VERSION}). Upgrade lambda-prep: pip install -U lambda-prep")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across app crashes
        if version < migrate_to:
            if existed and version > 0:
                self._backup(version)
            db.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the lock.
                version = db.execute("PRAGMA user_version").fetchone()[0]
                for number in range(version + 1, migrate_to + 1):
                    MIGRATIONS[number - 1](db)
                    db.execute(f"PRAGMA user_version = {number}")
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def _backup(self, version: int) -> None:
        target = self.path.with_name(f"{self.path.name}.schema-{version}.bak")
        if target.exists():
            return
        copy = sqlite3.connect(target)
        try:
            self.db.backup(copy)
        finally:
            copy.close()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        try:
            return self.db.execute(sql, tuple(params)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self.damaged(exc) from None

    # --- cards --------------------------------------------------------------------------------

    _CARD_COLUMNS = "question_id, topic, state, step, stability, difficulty, due, last_review, reps, lapses"

    @staticmethod
    def _card(row: tuple) -> CardState:
        qid, topic, state, step, stability, difficulty, due, last, reps, lapses = row
        return CardState(qid, topic, state, step, stability, difficulty, _parse(due), _parse(last), reps, lapses)

    def card(self, question_id: str) -> CardState | None:
        rows = self.query(f"SELECT {self._CARD_COLUMNS} FROM cards WHERE question_id = ?", (question_id,))
        return self._card(rows[0]) if rows else None

    def cards(self) -> dict[str, CardState]:
        return {row[0]: self._card(row) for row in self.query(f"SELECT {self._CARD_COLUMNS} FROM cards")}

    def record(self, review: Review, schedule: Callable[[CardState | None], CardState]) -> CardState:
        """Log one answer and reschedule its card, atomically.

        `schedule` gets the card as it is in the database at that moment (another terminal may
        have reviewed it since this quiz started) and returns its next state.
        """
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                rows = db.execute(f"SELECT {self._CARD_COLUMNS} FROM cards WHERE question_id = ?",
                                  (review.question_id,)).fetchall()
                before = self._card(rows[0]) if rows else None
                after = schedule(before)
                db.execute(
                    "INSERT INTO reviews (question_id, topic, rating, reviewed_at, duration_ms, answer, correct,"
                    " state_before, due_before, due_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (review.question_id, review.topic, review.rating, _iso(review.reviewed_at), review.duration_ms,
                     review.answer, int(review.correct), before.state if before else 0,
                     _iso(before.due) if before else None, _iso(after.due)))
                db.execute(
                    f"INSERT OR REPLACE INTO cards (card_id, {self._CARD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (card_id_for(after.question_id), after.question_id, after.topic, after.state, after.step,
                     after.stability, after.difficulty, _iso(after.due), _iso(after.last_review), after.reps,
                     after.lapses))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(f"the progress database {self.path} stayed locked by another lambda-prep for "
                                 f"{BUSY_TIMEOUT_MS // 1000} s; this answer was not saved. Try again.") from None
            raise self.damaged(exc) from None
        except sqlite3.DatabaseError as exc:
            raise self.damaged(exc) from None
        return after

    # --- history ------------------------------------------------------------------------------

    def review_count(self) -> int:
        return self.query("SELECT count(*) FROM reviews")[0][0]

    def new_since(self, since: dt.datetime) -> int:
        """Questions seen for the first time since `since` (for the daily new-question limit)."""
        return self.query("SELECT count(*) FROM reviews WHERE state_before = 0 AND reviewed_at >= ?",
                           (_iso(since),))[0][0]

    def reviews(self, question_id: str | None = None) -> list[tuple]:
        sql = ("SELECT question_id, topic, rating, reviewed_at, duration_ms, answer, correct, state_before "
               "FROM reviews")
        if question_id is None:
            return self.query(sql + " ORDER BY id")
        return self.query(sql + " WHERE question_id = ? ORDER BY id", (question_id,))

    def reset(self, topic: str | None = None) -> tuple[int, int]:
        """Forget progress (all, or one topic). Returns (cards, reviews) removed."""
        where, params = ("", ()) if topic is None else (" WHERE topic = ?", (topic,))
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            cards = db.execute("DELETE FROM cards" + where, params).rowcount
            reviews = db.execute("DELETE FROM reviews" + where, params).rowcount
            db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise self.damaged(exc) from None
        return cards, reviews

    def merge_reviews(self, incoming: list[Review], key: Callable[[Review], str],
                      replay: Callable[[list[Review]], list[CardState]],
                      settings: dict[str, str] | None = None) -> tuple[int, int]:
        """Add the reviews not already logged (same key), re-derive every card they touch by
        replaying its whole log, and store `settings`: all in one transaction, so a failure
        half-way changes nothing. Returns (reviews added, cards replayed)."""
        db = self.db
        columns = "id, question_id, topic, rating, reviewed_at, duration_ms, answer, correct"

        def as_review(row: tuple) -> Review:
            _, qid, topic, rating, at, duration, answer, correct = row
            return Review(qid, topic, rating, _parse(at), duration, answer or "", bool(correct))

        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                by_question: dict[str, list[Review]] = {}
                for review in incoming:
                    by_question.setdefault(review.question_id, []).append(review)
                added = 0
                changed: list[str] = []  # only cards with new reviews are recomputed
                for qid, reviews in by_question.items():
                    rows = db.execute(f"SELECT {columns} FROM reviews WHERE question_id = ?", (qid,)).fetchall()
                    known = {key(as_review(row)) for row in rows}
                    for review in reviews:
                        if key(review) in known:
                            continue
                        known.add(key(review))
                        added += 1
                        if not changed or changed[-1] != qid:
                            changed.append(qid)
                        db.execute("INSERT INTO reviews (question_id, topic, rating, reviewed_at, duration_ms, answer,"
                                   " correct, state_before) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                                   (qid, review.topic, review.rating, _iso(review.reviewed_at), review.duration_ms,
                                    review.answer, int(review.correct)))
                for qid in changed:
                    # Time order; the row id breaks ties between reviews logged in the same second.
                    rows = db.execute(f"SELECT {columns} FROM reviews WHERE question_id = ? "
                                      f"ORDER BY reviewed_at, id", (qid,)).fetchall()
                    before: CardState | None = None
                    for row, after in zip(rows, replay([as_review(row) for row in rows])):
                        db.execute("UPDATE reviews SET state_before = ?, due_before = ?, due_after = ? WHERE id = ?",
                                   (before.state if before else 0, _iso(before.due) if before else None,
                                    _iso(after.due), row[0]))
                        before = after
                    if before is not None:
                        db.execute(f"INSERT OR REPLACE INTO cards (card_id, {self._CARD_COLUMNS}) "
                                   f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   (card_id_for(qid), qid, before.topic, before.state, before.step, before.stability,
                                    before.difficulty, _iso(before.due), _iso(before.last_review), before.reps,
                                    before.lapses))
                for name, value in (settings or {}).items():
                    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (name, value))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise self.damaged(exc) from None
        return added, len(changed)

    def mistakes(self) -> list[tuple[str, str, int, int, str]]:
        """Questions answered wrong at least once: (id, topic, times wrong, times answered, last wrong)."""
        return self.query(
            "SELECT question_id, max(topic), sum(correct = 0), count(*), max(CASE WHEN correct = 0 THEN reviewed_at END)"
            " FROM reviews GROUP BY question_id HAVING sum(correct = 0) > 0")

    # --- flags --------------------------------------------------------------------------------

    def flag(self, question_id: str, kind: str, note: str, when: dt.datetime) -> None:
        self._write("INSERT OR REPLACE INTO flags (question_id, kind, note, flagged_at) VALUES (?, ?, ?, ?)",
                    (question_id, kind, note, _iso(when)))

    def unflag(self, question_id: str) -> bool:
        return self._write("DELETE FROM flags WHERE question_id = ?", (question_id,)) > 0

    def flags(self) -> dict[str, tuple[str, str, dt.datetime]]:
        """question id -> (kind, note, when flagged)."""
        return {qid: (kind, note, _parse(at))
                for qid, kind, note, at in self.query("SELECT question_id, kind, note, flagged_at FROM flags")}

    def _write(self, sql: str, params: tuple) -> int:
        try:
            return self.db.execute(sql, params).rowcount
        except sqlite3.DatabaseError as exc:
            raise self.damaged(exc) from None

    # --- settings -----------------------------------------------------------------------------

    def settings(self) -> dict[str, str]:
        stored = dict(self.query("SELECT key, value FROM settings"))
        return {**SETTINGS_DEFAULTS, **stored}

    def set_setting(self, key: str, value: str) -> None:
        try:
            self.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))
        except sqlite3.DatabaseError as exc:
            raise self.damaged(exc) from None
