"""Progress in SQLite: a versioned schema with migrations, one transaction per answer.

- Every answer is its own committed transaction, so Ctrl-C or a crash loses nothing answered.
- WAL mode and BEGIN IMMEDIATE with a busy timeout let two quizzes in two terminals write safely;
  the card is re-read inside the transaction, so a review in one terminal is never overwritten
  by the other.
- A file that is not a lambda-prep database, is damaged, or was written by a newer release is
  reported (StoreError) and never replaced or reset. What goes wrong is told apart, because the
  advice differs: damaged (restore a backup), unreadable or read-only (fix permissions), full (free
  space); only "damaged" ever suggests moving the file aside. Bad values in rows are damage too.
- A new database is built complete under a temporary name and then linked into place, so an empty
  progress.db is never ours: it is reported (something truncated it), not silently started afresh.
- Before migrating an existing database, a verified copy is kept beside it (progress.db.schema-N.bak):
  written to a temporary name, checked, fsynced and renamed while holding the write lock, so a kill
  half-way leaves no half copy under the backup's name.
- The daily limit of new questions is claimed inside a write transaction before a new question is
  shown (claim_new), so quizzes running at once never introduce more than the limit between them.
"""

from __future__ import annotations

import datetime as dt
import errno
import math
import os
import sqlite3
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from lambda_prep.errors import LambdaPrepError
from lambda_prep.study import settings as settings_def
from lambda_prep.study.scheduler import CardState, card_id_for

APPLICATION_ID = 0x4C505250  # "LPRP": marks the file as ours
BUSY_TIMEOUT_MS = 15000
MIN_FREE_BYTES = 1 << 20  # below this, writing is refused before a question is shown
CLAIMED = 0  # cards.state of a new question shown but not answered yet (a claim on today's limit)

# SQLite primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF)
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _FULL, _CANTOPEN, _AUTH = 3, 5, 6, 8, 10, 13, 14, 23


class StoreError(LambdaPrepError):
    """The progress database cannot be used; the message names the file, the advice what to do."""


class DamagedStore(StoreError):
    """The file's content is wrong: not SQLite, corrupt pages, a missing table, impossible values."""


class UnreadableStore(StoreError):
    """Permissions forbid reading the database (the data is probably fine)."""


class ReadOnlyStore(StoreError):
    """The database or its folder cannot be written (the data is fine; nothing can be saved)."""


class StoreFull(StoreError):
    """The disk (or SQLite's size limit) is full (the data is fine; nothing more can be saved)."""


class StoreLocked(StoreError):
    """Another program held the write lock for longer than the busy timeout."""


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


def _v5_mocks(db: sqlite3.Connection) -> None:
    # Mock interviews (lambda-prep mock): one row per mock, one per answer (follow-ups included),
    # written as each answer is given so Ctrl-C loses nothing; `finished_at` stays NULL if cut short.
    _run(db, """
        CREATE TABLE mocks (
            id          INTEGER PRIMARY KEY,
            started_at  TEXT NOT NULL,
            finished_at TEXT,
            level       TEXT NOT NULL,
            questions   INTEGER NOT NULL,
            covered     INTEGER NOT NULL DEFAULT 0,
            points      INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE mock_answers (
            id          INTEGER PRIMARY KEY,
            mock_id     INTEGER NOT NULL REFERENCES mocks (id),
            question_id TEXT NOT NULL,
            topic       TEXT NOT NULL,
            follow_up   INTEGER NOT NULL,
            answer      TEXT NOT NULL,
            seconds     REAL,
            covered     TEXT NOT NULL,
            points      INTEGER NOT NULL,
            myths       TEXT NOT NULL,
            answered_at TEXT NOT NULL
        );
        CREATE INDEX mock_answers_mock ON mock_answers (mock_id);
    """)


def _run(db: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it commits first, and a migration must be one transaction.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3_flags, _v4_exams, _v5_mocks]
SCHEMA_VERSION = len(MIGRATIONS)

SETTINGS_DEFAULTS = {s.key: str(s.default) for s in settings_def.SETTINGS}


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def _parse(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    moment = dt.datetime.fromisoformat(text)  # ValueError (or TypeError) for anything else
    if moment.tzinfo is None:
        raise ValueError("a time without its time zone")
    return moment


def _card(row: tuple) -> CardState:
    """A card from its row; ValueError names the column of an impossible value (the caller says damaged)."""
    qid, topic, state, step, stability, difficulty, due, last, reps, lapses = row
    checks = (
        ("state", state, type(state) is int and state in (CLAIMED, 1, 2, 3)),
        ("step", step, step is None or (type(step) is int and step >= 0)),
        ("stability", stability, stability is None or (type(stability) in (int, float) and math.isfinite(stability)
                                                      and stability > 0)),
        ("difficulty", difficulty, difficulty is None or (type(difficulty) in (int, float)
                                                         and math.isfinite(difficulty))),
        ("reps", reps, type(reps) is int and reps >= 0),
        ("lapses", lapses, type(lapses) is int and lapses >= 0),
        ("topic", topic, isinstance(topic, str)),
    )
    for column, value, ok in checks:
        if not ok:
            raise ValueError(f"table cards, question {qid!r}: {column} holds {value!r}")
    if state in (2, 3) and (stability is None or difficulty is None):
        raise ValueError(f"table cards, question {qid!r}: a reviewed card without stability or difficulty")
    try:
        due_at, last_at = _parse(due), _parse(last)
    except (ValueError, TypeError):
        raise ValueError(f"table cards, question {qid!r}: due or last_review holds "
                         f"{due!r:.40} / {last!r:.40}, not a time with a time zone") from None
    return CardState(qid, topic, state, step, stability, difficulty, due_at, last_at, reps, lapses)


def _fsync(path: Path) -> None:
    """Flush a file (or a folder's entries, after a rename) to the disk."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir() else os.O_RDONLY
    try:
        fd = os.open(path, flags)
    except OSError:
        return  # some systems cannot open folders; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _free_bytes(folder: Path) -> int | None:
    try:
        stat = os.statvfs(folder)
    except (OSError, AttributeError):
        return None
    return stat.f_bavail * stat.f_frsize


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


@dataclass(frozen=True)
class Receipt:
    """What taking an answer back needs: its row in the log and its card's row as it was before
    (None: no row at all; a claimed row for a new question shown today stays a claim)."""

    review_id: int
    question_id: str
    card_row_before: tuple | None


class Store:
    def __init__(self, path: Path, *, migrate_to: int = SCHEMA_VERSION):
        self.path = path
        self.db = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._os_error(exc, path.parent) from None
        self._check_file()
        if not path.exists():
            self._create(migrate_to)
        try:
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._prepare(migrate_to)
        except sqlite3.Error as exc:
            self.close()
            raise self.diagnose(exc) from None

    # --- what went wrong ----------------------------------------------------------------------

    def _check_file(self) -> None:
        """Problems seen from the outside, before SQLite gets a chance to misname them."""
        path = self.path
        try:
            st = path.stat()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise self._os_error(exc, path) from None
        if path.is_dir():
            raise DamagedStore(f"{path} is a folder, not a progress database.",
                               advice="Move it away, or set LAMBDA_PREP_HOME to another folder.")
        if not stat.S_ISREG(st.st_mode):
            raise DamagedStore(f"{path} is not a regular file (a device, FIFO or socket), so it cannot be the "
                               f"progress database.", advice="Move it away, or set LAMBDA_PREP_HOME to another folder.")
        if st.st_size == 0:
            # Never ours: a new database is created complete and renamed into place.
            raise DamagedStore(
                f"the progress database {path} is empty (0 bytes). lambda-prep never leaves an empty database "
                f"behind, so something else emptied it (a sync tool, a failed copy, a full disk).",
                advice=f"It has been left untouched. Restore your backup over it (a copy named "
                       f"{path.name}.schema-N.bak sits beside it after upgrades); to start afresh on purpose, "
                       f"delete it (rm \"{path}\") and run lambda-prep again.")
        if not os.access(path, os.R_OK):
            raise self._unreadable()

    def _unreadable(self) -> UnreadableStore:
        return UnreadableStore(
            f"cannot read the progress database {self.path}: permission denied.",
            advice=f"Your progress is probably intact. Check its owner and permissions (ls -l \"{self.path}\"); "
                   f"if it is yours: chmod u+rw \"{self.path}\".")

    def _read_only(self, folder: bool) -> ReadOnlyStore:
        if folder:
            where = self.path.parent
            return ReadOnlyStore(
                f"the data folder {where} is not writable, so lambda-prep cannot use {self.path.name} "
                f"(SQLite creates {self.path.name}-wal and {self.path.name}-shm beside the database).",
                advice=f"Your progress is intact. Make the folder writable (chmod u+w \"{where}\"), "
                       f"or set LAMBDA_PREP_HOME to a writable folder.")
        return ReadOnlyStore(f"the progress database {self.path} is read-only, so no answer can be saved.",
                             advice=f"Your progress is intact. Make it writable: chmod u+w \"{self.path}\" "
                                    f"(and its -wal and -shm files, if any).")

    def _full(self) -> StoreFull:
        return StoreFull(f"the disk holding {self.path} is full (or the database reached its size limit).",
                         advice="Your progress is intact. Free some space and run lambda-prep again.")

    def _os_error(self, exc: OSError, where: Path) -> StoreError:
        if exc.errno == errno.ENOSPC:
            return self._full()
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return ReadOnlyStore(f"cannot use {where}: {exc.strerror}.",
                                 advice="Check its permissions, or set LAMBDA_PREP_HOME to a writable folder.")
        return StoreError(f"cannot use {where}: {exc.strerror or exc}.",
                          advice="Set LAMBDA_PREP_HOME to another folder.")

    def diagnose(self, exc: BaseException) -> StoreError:
        """Name what really went wrong: full, locked, unreadable, read-only, or (only then) damaged."""
        if isinstance(exc, OSError):
            return self._os_error(exc, self.path)
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if code == _FULL:
            return self._full()
        if code in (_BUSY, _LOCKED):
            return StoreLocked(f"the progress database {self.path} stayed locked by another program for "
                               f"{BUSY_TIMEOUT_MS // 1000} s.",
                               advice="Close the other lambda-prep (or the program holding it) and try again.")
        if code in (_READONLY, _CANTOPEN, _IOERR, _PERM, _AUTH):
            if self.path.exists() and not os.access(self.path, os.R_OK):
                return self._unreadable()
            if not os.access(self.path.parent, os.W_OK):
                return self._read_only(folder=True)
            if self.path.exists() and not os.access(self.path, os.W_OK):
                return self._read_only(folder=False)
            if code == _READONLY:
                return ReadOnlyStore(f"the progress database {self.path} cannot be written ({exc}).",
                                     advice=f"Your progress is intact. Check that {self.path.name}, its -wal and "
                                            f"-shm files and their folder are writable, and that the disk is not "
                                            f"mounted read-only.")
            free = _free_bytes(self.path.parent)
            if free is not None and free < MIN_FREE_BYTES:
                return self._full()
        return self.damaged(exc)

    def damaged(self, exc: BaseException) -> DamagedStore:
        return DamagedStore(
            f"the progress database {self.path} is damaged ({exc}).",
            advice=f"It has been left untouched. To keep your history, restore a backup over it (a copy named "
                   f"{self.path.name}.schema-N.bak sits beside it after upgrades); to start afresh, move it "
                   f"aside (mv \"{self.path}\" \"{self.path}.damaged\") and run lambda-prep again.")

    # --- opening ------------------------------------------------------------------------------

    def _create(self, migrate_to: int) -> None:
        """Build the database complete under a temporary name, then link it into place.

        os.link never replaces a database another process created meanwhile (the loser drops its
        copy); a kill half-way leaves only the temporary file, never an empty progress.db.
        """
        tmp = self.path.with_name(f"{self.path.name}.new-{os.getpid()}")
        try:
            db = sqlite3.connect(tmp, isolation_level=None)
            try:
                db.execute("BEGIN")
                for number in range(1, migrate_to + 1):
                    MIGRATIONS[number - 1](db)
                db.execute(f"PRAGMA user_version = {migrate_to}")
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute("COMMIT")
            finally:
                db.close()
            _fsync(tmp)
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                pass  # another lambda-prep created it first: use theirs
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                    raise
                if not self.path.exists():  # a file system without hard links
                    os.replace(tmp, self.path)
            _fsync(self.path.parent)
        except sqlite3.Error as exc:
            raise self.diagnose(exc) from None
        except OSError as exc:
            raise self._os_error(exc, self.path.parent) from None
        finally:
            try:
                tmp.unlink()
            except OSError:
                pass

    def _prepare(self, migrate_to: int) -> None:
        db = self.db
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        has_tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and has_tables):
            raise StoreError(f"{self.path} is not a lambda-prep progress database (it holds other data).",
                             advice="It has been left untouched; set LAMBDA_PREP_HOME to another folder.")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer lambda-prep (schema {version}; this release "
                             f"reads up to {SCHEMA_VERSION}).", advice="Upgrade lambda-prep: pip install -U lambda-prep")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable across app crashes
        if version < migrate_to:
            db.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the lock.
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if 0 < version < migrate_to:
                    self._backup(version)  # under the write lock: nobody changes the file meanwhile
                for number in range(version + 1, migrate_to + 1):
                    MIGRATIONS[number - 1](db)
                    db.execute(f"PRAGMA user_version = {number}")
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    def backup_path(self, version: int) -> Path:
        return self.path.with_name(f"{self.path.name}.schema-{version}.bak")

    def _backup(self, version: int) -> None:
        """A verified copy of the database at `version`, under its final name only once complete."""
        target = self.backup_path(version)
        if target.exists() and _good_backup(target, version):
            return
        for stale in target.parent.glob(f"{target.name}.tmp-*"):  # left by a kill; we hold the lock
            stale.unlink(missing_ok=True)
        tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
        try:
            # A second connection reads the committed state while self.db holds the write lock
            # (backing up from the locked connection itself would wait for ever).
            source = sqlite3.connect(self.path)
            copy = sqlite3.connect(tmp)
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                pages = source.execute("PRAGMA page_count").fetchone()[0]
            finally:
                copy.close()
                source.close()
            if not _good_backup(tmp, version, pages):
                raise sqlite3.DatabaseError(f"the backup copy {tmp} did not verify")
            _fsync(tmp)
            os.replace(tmp, target)
            _fsync(target.parent)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    @contextmanager
    def transaction(self):
        """One write transaction, yielding the connection: BEGIN IMMEDIATE waits (busy timeout) for
        other terminals' writes; the block's end commits; anything raised in it, Ctrl-C included,
        rolls back, so a half-made change is never kept. SQLite errors come out as the StoreError
        that names the cause (full, locked, read-only, damaged)."""
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise self.diagnose(exc) from None

    def ensure_writable(self) -> None:
        """Raise the right StoreError now if an answer could not be saved (before asking anything)."""
        free = _free_bytes(self.path.parent)
        if free is not None and free < MIN_FREE_BYTES:
            raise self._full()
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                # A real write to the header page: fails on a read-only file, folder or mount.
                version = db.execute("PRAGMA user_version").fetchone()[0]
                db.execute(f"PRAGMA user_version = {version}")
            finally:
                if db.in_transaction:
                    db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise self.diagnose(exc) from None

    def close(self) -> None:
        if self.db is not None:
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
        except sqlite3.Error as exc:
            raise self.diagnose(exc) from None

    # --- cards --------------------------------------------------------------------------------

    _CARD_COLUMNS = "question_id, topic, state, step, stability, difficulty, due, last_review, reps, lapses"

    def _cards(self, rows: list[tuple]) -> list[CardState]:
        try:
            return [_card(row) for row in rows]
        except ValueError as exc:
            raise self.damaged(exc) from None

    def card(self, question_id: str) -> CardState | None:
        """The card of a question answered at least once (None for a new or merely claimed one)."""
        rows = self.query(f"SELECT {self._CARD_COLUMNS} FROM cards WHERE question_id = ? AND state != {CLAIMED}",
                          (question_id,))
        return self._cards(rows)[0] if rows else None

    def cards(self) -> dict[str, CardState]:
        rows = self.query(f"SELECT {self._CARD_COLUMNS} FROM cards WHERE state != {CLAIMED}")
        return {card.question_id: card for card in self._cards(rows)}

    def record(self, review: Review, schedule: Callable[[CardState | None], CardState]) -> CardState:
        """Log one answer and reschedule its card, atomically.

        `schedule` gets the card as it is in the database at that moment (another terminal may
        have reviewed it since this quiz started) and returns its next state.
        """
        return self.record_undoable(review, schedule)[0]

    def record_undoable(self, review: Review,
                        schedule: Callable[[CardState | None], CardState]) -> tuple[CardState, Receipt]:
        """record(), also returning the Receipt that undo() needs to take the answer back exactly."""
        try:
            with self.transaction() as db:
                raw = db.execute(f"SELECT card_id, {self._CARD_COLUMNS} FROM cards WHERE question_id = ?",
                                 (review.question_id,)).fetchall()
                before = _card(raw[0][1:]) if raw and raw[0][3] != CLAIMED else None
                after = schedule(before)
                cursor = db.execute(
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
        except ValueError as exc:  # an impossible value in the card's row
            raise self.damaged(exc) from None
        return after, Receipt(cursor.lastrowid, review.question_id, tuple(raw[0]) if raw else None)

    def undo(self, receipt: Receipt) -> bool:
        """Take an answer back in one transaction: delete its review and put its card's row back
        exactly as it was. False (nothing changed) if the question was answered again since,
        in another terminal: undoing then would throw that later answer away."""
        with self.transaction() as db:
            latest = db.execute("SELECT max(id) FROM reviews WHERE question_id = ?",
                                (receipt.question_id,)).fetchone()[0]
            if latest != receipt.review_id:
                return False
            db.execute("DELETE FROM reviews WHERE id = ?", (receipt.review_id,))
            if receipt.card_row_before is None:
                db.execute("DELETE FROM cards WHERE question_id = ?", (receipt.question_id,))
            else:
                db.execute(f"INSERT OR REPLACE INTO cards (card_id, {self._CARD_COLUMNS}) "
                           f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", receipt.card_row_before)
            return True

    def claim_new(self, question_id: str, topic: str, since: dt.datetime, limit: int, now: dt.datetime) -> bool:
        """Take one of today's new-question slots before showing a new question; False if none is left.

        In one write transaction: quizzes running at once are serialised here, so between them they
        never introduce more than `limit` new questions since `since`. The claim is a card row in
        state CLAIMED (not a card yet: card(), cards() and record() ignore it); the answer replaces it.
        A claim whose quiz was killed before the answer counts for that day only.
        """
        with self.transaction() as db:
            rows = db.execute("SELECT state FROM cards WHERE question_id = ?", (question_id,)).fetchall()
            if rows and rows[0][0] != CLAIMED:
                return True  # answered meanwhile in another terminal: a review now, not new
            taken = self._new_since(since, excluding=question_id)
            if taken >= limit:
                return False
            db.execute(f"INSERT OR REPLACE INTO cards (card_id, {self._CARD_COLUMNS}) "
                       f"VALUES (?, ?, ?, {CLAIMED}, NULL, NULL, NULL, ?, NULL, 0, 0)",
                       (card_id_for(question_id), question_id, topic, _iso(now)))
            return True

    # --- history ------------------------------------------------------------------------------

    def review_count(self) -> int:
        return self.query("SELECT count(*) FROM reviews")[0][0]

    def _new_since(self, since: dt.datetime, excluding: str = "") -> int:
        return self.db.execute(
            "SELECT (SELECT count(*) FROM reviews WHERE state_before = 0 AND reviewed_at >= ?)"
            f" + (SELECT count(*) FROM cards WHERE state = {CLAIMED} AND due >= ? AND question_id != ?)",
            (_iso(since), _iso(since), excluding)).fetchone()[0]

    def new_since(self, since: dt.datetime) -> int:
        """Questions introduced since `since` (answered for the first time, or shown and not yet
        answered): what counts against the daily new-question limit."""
        try:
            return self._new_since(since)
        except sqlite3.Error as exc:
            raise self.diagnose(exc) from None

    def reviews(self, question_id: str | None = None) -> list[tuple]:
        sql = ("SELECT question_id, topic, rating, reviewed_at, duration_ms, answer, correct, state_before "
               "FROM reviews")
        if question_id is None:
            return self.query(sql + " ORDER BY id")
        return self.query(sql + " WHERE question_id = ? ORDER BY id", (question_id,))

    def timed_right_answers(self, limit: int = 3000) -> list[tuple[str, bool, int]]:
        """(question_id, correct, duration_ms) of the latest timed right answers, oldest first:
        what the learner's own pace is judged from (grading.own_pace)."""
        rows = self.query("SELECT question_id, correct, duration_ms FROM reviews WHERE correct = 1 "
                          "AND duration_ms > 0 ORDER BY id DESC LIMIT ?", (limit,))
        return [(qid, bool(correct), ms) for qid, correct, ms in reversed(rows)]

    def reset(self, topic: str | None = None) -> tuple[int, int]:
        """Forget progress (all, or one topic). Returns (cards, reviews) removed."""
        where, params = ("", ()) if topic is None else (" AND topic = ?", (topic,))
        with self.transaction() as db:
            cards = db.execute(f"DELETE FROM cards WHERE state != {CLAIMED}" + where, params).rowcount
            db.execute(f"DELETE FROM cards WHERE state = {CLAIMED}" + where, params)
            reviews = db.execute("DELETE FROM reviews WHERE 1" + where, params).rowcount
        return cards, reviews

    # --- mock interviews ----------------------------------------------------------------------

    def _mock_write(self, sql: str, params: tuple) -> int:
        """One statement in its own committed transaction; returns the new row's id."""
        with self.transaction() as db:
            return db.execute(sql, params).lastrowid

    def start_mock(self, started_at: dt.datetime, level: str, questions: int) -> int:
        return self._mock_write("INSERT INTO mocks (started_at, level, questions) VALUES (?, ?, ?)",
                           (_iso(started_at), level, questions))

    def save_mock_answer(self, mock_id: int, question_id: str, topic: str, follow_up: int, answer: str,
                         seconds: float | None, covered: list[int], points: int, myths: list[str],
                         answered_at: dt.datetime) -> int:
        """follow_up: 0 for the main question, n for its n-th follow-up. Returns the row id."""
        import json

        return self._mock_write(
            "INSERT INTO mock_answers (mock_id, question_id, topic, follow_up, answer, seconds, covered, points,"
            " myths, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (mock_id, question_id, topic, follow_up, answer, seconds, json.dumps(covered), points,
             json.dumps(myths), _iso(answered_at)))

    def mark_mock_answer(self, answer_id: int, covered: list[int]) -> None:
        """The learner's corrected marks."""
        import json

        self._mock_write("UPDATE mock_answers SET covered = ? WHERE id = ?", (json.dumps(covered), answer_id))

    def finish_mock(self, mock_id: int, finished_at: dt.datetime | None, covered: int, points: int) -> None:
        self._mock_write("UPDATE mocks SET finished_at = ?, covered = ?, points = ? WHERE id = ?",
                    (_iso(finished_at), covered, points, mock_id))

    def mocks(self) -> list[tuple]:
        """(id, started_at, finished_at, level, questions, covered, points, answers) per mock, oldest first."""
        rows = self.query("SELECT m.id, m.started_at, m.finished_at, m.level, m.questions, m.covered, m.points,"
                          " (SELECT count(*) FROM mock_answers a WHERE a.mock_id = m.id AND a.follow_up = 0)"
                          " FROM mocks m ORDER BY m.id")
        return [(r[0], _parse(r[1]), _parse(r[2]), *r[3:]) for r in rows]

    def mock_topics(self, mock_id: int) -> list[str]:
        return [r[0] for r in self.query("SELECT DISTINCT topic FROM mock_answers WHERE mock_id = ? ORDER BY topic",
                                         (mock_id,))]

    def merge_reviews(self, incoming: list[Review], key: Callable[[Review], str],
                      replay: Callable[[list[Review]], list[CardState]],
                      settings: dict[str, str] | None = None) -> tuple[int, int]:
        """Add the reviews not already logged (same key), re-derive every card they touch by
        replaying its whole log, and store `settings`: all in one transaction, so a failure
        half-way changes nothing. Returns (reviews added, cards replayed)."""
        columns = "id, question_id, topic, rating, reviewed_at, duration_ms, answer, correct"

        def as_review(row: tuple) -> Review:
            _, qid, topic, rating, at, duration, answer, correct = row
            return Review(qid, topic, rating, _parse(at), duration, answer or "", bool(correct))

        with self.transaction() as db:
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
        except sqlite3.Error as exc:
            raise self.diagnose(exc) from None

    # --- settings -----------------------------------------------------------------------------

    def settings(self) -> dict[str, str]:
        """The stored settings as text, defaults filled in (study.settings defines them)."""
        stored = dict(self.query("SELECT key, value FROM settings"))
        return {**SETTINGS_DEFAULTS, **stored}

    def read_settings(self) -> settings_def.Settings:
        """The settings parsed and range-checked; an impossible stored value is reported as damage,
        with the command that sets it again."""
        try:
            return settings_def.from_stored(self.settings())
        except ValueError as exc:
            error = self.damaged(exc)
            error.advice = ("It has been left untouched. Set the value again with lambda-prep config "
                            "NAME VALUE (lambda-prep config --help lists the settings and their ranges).")
            raise error from None

    def delete_settings(self, keys: Iterable[str]) -> None:
        try:
            self.db.executemany("DELETE FROM settings WHERE key = ?", [(key,) for key in keys])
        except sqlite3.Error as exc:
            raise self.diagnose(exc) from None

    def set_setting(self, key: str, value: str) -> None:
        try:
            self.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))
        except sqlite3.Error as exc:
            raise self.diagnose(exc) from None


def _good_backup(path: Path, version: int, pages: int | None = None) -> bool:
    """A backup opens, holds the schema version it is named after, passes SQLite's quick check and
    (when known) has as many pages as its source. A -journal beside it means a copy never finished."""
    if path.with_name(path.name + "-journal").exists():
        return False
    try:
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            ok = (db.execute("PRAGMA user_version").fetchone()[0] == version
                  and db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
                  and (pages is None or db.execute("PRAGMA page_count").fetchone()[0] == pages))
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return ok
