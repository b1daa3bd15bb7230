"""The progress store: migrations, damage reports, commits per answer, two writers at once."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from lambda_prep.study import store as store_module
from lambda_prep.study.scheduler import Scheduler
from lambda_prep.study.store import APPLICATION_ID, SCHEMA_VERSION, Review, Store, StoreError

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def answer(store: Store, qid: str, rating: int = 3, when: dt.datetime = NOW, topic: str = "limits"):
    scheduler = Scheduler(seed=1)
    return store.record(Review(qid, topic, rating, when, 1500, "2", rating > 1),
                        lambda before: scheduler.review(before, qid, topic, rating, when))


def test_a_new_database_has_the_latest_schema(tmp_path):
    with Store(tmp_path / "p.db") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_answer_is_logged_with_everything_stats_need(tmp_path):
    with Store(tmp_path / "p.db") as store:
        card = answer(store, "q1")
        row = store.query("SELECT question_id, topic, rating, reviewed_at, duration_ms, answer, correct, "
                          "state_before, due_before, due_after FROM reviews")[0]
    assert row == ("q1", "limits", 3, "2026-11-20T12:00:00+00:00", 1500, "2", 1, 0, None,
                   card.due.isoformat(timespec="seconds"))


def make_v1_database(path: Path) -> None:
    """A database as release 1 of the schema wrote it, with some history."""
    db = sqlite3.connect(path, isolation_level=None)
    store_module.MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("INSERT INTO cards VALUES ('q1', 42, 'retries', 2, NULL, 10.5, 5.0, "
               "'2026-11-25T12:00:00+00:00', '2026-11-15T12:00:00+00:00', 3, 0)")
    for i in range(3):
        db.execute("INSERT INTO reviews (question_id, rating, reviewed_at, duration_ms, answer, correct, state_before)"
                   " VALUES ('q1', 3, ?, 2000, '1', 1, ?)", (f"2026-11-1{i}T12:00:00+00:00", 0 if i == 0 else 2))
    db.close()


def test_an_older_database_is_migrated_without_loss(tmp_path):
    path = tmp_path / "p.db"
    make_v1_database(path)
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        card = store.card("q1")
        assert (card.topic, card.stability, card.reps) == ("retries", 10.5, 3)
        rows = store.query("SELECT topic, rating, reviewed_at FROM reviews ORDER BY id")
        assert rows == [("retries", 3, f"2026-11-1{i}T12:00:00+00:00") for i in range(3)]  # topic backfilled
        assert store.settings()["new_per_day"] == "20"
        answer(store, "q1", when=NOW)  # and it works afterwards
        assert store.review_count() == 4
    backup = tmp_path / "p.db.schema-1.bak"
    assert backup.exists()
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3
    old.close()


def test_a_database_from_a_newer_release_is_refused_untouched(tmp_path):
    path = tmp_path / "p.db"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=rf"newer lambda-prep \(schema {SCHEMA_VERSION + 1}; this release reads up to {SCHEMA_VERSION}\)"):
        Store(path)
    assert path.read_bytes() == before


def test_a_damaged_database_is_reported_and_never_replaced(tmp_path):
    path = tmp_path / "progress.db"
    path.write_bytes(b"this is not sqlite, it is the remains of a disk error " * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError) as error:
        Store(path)
    message = str(error.value)
    assert str(path) in message and "damaged" in message and "left untouched" in message
    assert "mv " in message  # says what to do
    assert path.read_bytes() == before


def test_someone_elses_sqlite_file_is_not_taken_over(tmp_path):
    path = tmp_path / "progress.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.execute("INSERT INTO notes VALUES ('precious')")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="not a lambda-prep progress database"):
        Store(path)
    assert sqlite3.connect(path).execute("SELECT text FROM notes").fetchall() == [("precious",)]


def test_an_answer_committed_before_ctrl_c_is_still_there(tmp_path):
    path = tmp_path / "p.db"
    store = Store(path)
    answer(store, "q1")

    def interrupted(before):
        raise KeyboardInterrupt  # Ctrl-C while the second answer is being saved

    with pytest.raises(KeyboardInterrupt):
        store.record(Review("q2", "limits", 3, NOW, 100, "1", True), interrupted)
    # no close(): as if the process died here
    fresh = sqlite3.connect(path)
    assert fresh.execute("SELECT question_id FROM reviews").fetchall() == [("q1",)]
    assert fresh.execute("SELECT question_id FROM cards").fetchall() == [("q1",)]


def _writer(path: str, prefix: str, count: int) -> None:
    store = Store(Path(path))
    for i in range(count):
        # Both writers review the same shared question too: neither review may be lost.
        answer(store, f"{prefix}-{i}")
        answer(store, "shared", when=NOW + dt.timedelta(seconds=i))
    store.close()


def test_two_processes_answering_at_once_lose_nothing(tmp_path):
    path = tmp_path / "p.db"
    Store(path).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(path), name, 60)) for name in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    with Store(path) as store:
        assert store.review_count() == 240
        assert len(store.cards()) == 121
        assert store.card("shared").reps == 120  # every review of the shared card was applied in turn
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_reset_one_topic_or_all(tmp_path):
    with Store(tmp_path / "p.db") as store:
        answer(store, "a", topic="limits")
        answer(store, "b", topic="layers")
        assert store.reset("limits") == (1, 1)
        assert set(store.cards()) == {"b"}
        assert store.reset() == (1, 1)
        assert store.cards() == {} and store.review_count() == 0


def test_new_since_counts_first_reviews_only(tmp_path):
    with Store(tmp_path / "p.db") as store:
        answer(store, "a", when=NOW)
        answer(store, "a", when=NOW + dt.timedelta(minutes=10))
        answer(store, "b", when=NOW + dt.timedelta(minutes=20))
        assert store.new_since(NOW - dt.timedelta(hours=1)) == 2
        assert store.new_since(NOW + dt.timedelta(minutes=15)) == 1


def _rows(store):
    return (store.query("SELECT * FROM cards ORDER BY question_id"), store.query("SELECT * FROM reviews ORDER BY id"))


@pytest.mark.parametrize("history", ["new", "claimed", "known"])
def test_undo_puts_card_and_log_back_exactly_in_one_transaction(tmp_path, history):
    scheduler = Scheduler(seed=1)

    def answer(rating, when):
        return store.record_undoable(Review("q", "limits", rating, when, 4000, "x", rating > 1),
                                     lambda before: scheduler.review(before, "q", "limits", rating, when))

    with Store(tmp_path / "p.db") as store:
        if history == "claimed":  # a new question shown today holds a claim on the daily limit
            assert store.claim_new("q", "limits", NOW - dt.timedelta(hours=1), 20, NOW)
        elif history == "known":
            answer(3, NOW - dt.timedelta(days=4))
        before = _rows(store)
        card, receipt = answer(1, NOW)
        assert _rows(store) != before and card.state != 0
        assert store.undo(receipt) is True
        assert _rows(store) == before
        assert store.undo(receipt) is False  # taken back once; nothing left to take back
        assert _rows(store) == before
