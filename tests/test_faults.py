"""Failing disks and damaged files: each fault is named for what it is, reported once (exit 1, no
traceback) by every command, and no answer shown as saved is ever lost."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.study import store as store_module
from lambda_prep.study.scheduler import Scheduler
from lambda_prep.study.store import (DamagedStore, ReadOnlyStore, Review, Store, StoreFull, UnreadableStore)

runner = CliRunner()
UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
NOBODY = 65534
SETPRIV = shutil.which("setpriv")
STORE_COMMANDS = [["topics"], ["stats"], ["review"], ["quiz", "--count", "1"], ["config"], ["config", "new-per-day"]]


def run(*args, input=""):
    return runner.invoke(app, list(args), input=input)


def answer(store: Store, qid: str, when: dt.datetime = NOW):
    scheduler = Scheduler(seed=1)
    return store.record(Review(qid, "limits", 3, when, 1500, "2", True),
                        lambda before: scheduler.review(before, qid, "limits", 3, when))


def studied_home(data_home, sample_bank) -> Path:
    result = run("quiz", "--bank", str(sample_bank), "--topic", "sample", "--seed", "1", "--count", "2",
                 input="1\n1\n")
    assert result.exit_code == 0, result.output
    return data_home / "progress.db"


def edit(db_path: Path, sql: str) -> None:
    db = sqlite3.connect(db_path)
    db.execute(sql)
    db.commit()
    db.close()


# --- damage found after the database opens: one report for every command -----------------------


@pytest.mark.parametrize("command", STORE_COMMANDS + [["reset", "--topic", "limits", "--yes"]])
def test_a_missing_table_is_reported_by_every_command_without_a_traceback(command, data_home, sample_bank):
    db_path = studied_home(data_home, sample_bank)
    edit(db_path, "DROP TABLE cards" if command[0] != "config" else "DROP TABLE settings")
    extra = ["--bank", str(sample_bank)] if command[0] == "quiz" else []
    result = run(*command, *extra)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Error: the progress database {db_path} is damaged (no such table" in result.stderr
    assert "restore a backup" in result.stderr


BAD_ROWS = [
    ("UPDATE cards SET due = 'garbage'", "due"),
    ("UPDATE cards SET due = CAST(x'ff' AS TEXT)", "due"),
    ("UPDATE cards SET state = 99", "state holds 99"),
    ("UPDATE cards SET stability = 'abc'", "stability holds 'abc'"),
    ("UPDATE cards SET due = '2026-11-20T12:00:00'", "due"),  # a time without its zone
    ("INSERT INTO settings VALUES ('desired_retention', 'abc')", "desired_retention holds 'abc'"),
    ("INSERT INTO settings VALUES ('desired_retention', '5')", "desired_retention holds '5'"),
    ("INSERT INTO settings VALUES ('day_start_hour', '99')", "day_start_hour holds '99'"),
]


@pytest.mark.parametrize("sql,named", BAD_ROWS)
@pytest.mark.parametrize("command", [["topics"], ["stats"], ["review"], ["quiz"]])
def test_impossible_row_values_are_damage_naming_the_column(sql, named, command, data_home, sample_bank):
    db_path = studied_home(data_home, sample_bank)
    edit(db_path, sql)
    if command == ["topics"] and "settings" in sql:
        return  # topics reads no settings
    result = run(*command, *(["--bank", str(sample_bank)] if command == ["quiz"] else []))
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "damaged" in result.stderr and named in result.stderr
    if "settings" in sql:
        assert "lambda-prep config" in result.stderr  # says how to set it again


def test_a_bad_setting_can_be_set_again_with_config(data_home, sample_bank):
    db_path = studied_home(data_home, sample_bank)
    edit(db_path, "INSERT OR REPLACE INTO settings VALUES ('desired_retention', 'abc')")
    assert run("config").exit_code == 1
    assert run("config", "desired-retention", "0.9").exit_code == 0
    assert run("config").exit_code == 0


# --- fault states told apart ----------------------------------------------------------------------


def test_an_empty_progress_db_is_reported_not_started_afresh(data_home):
    data_home.mkdir(parents=True)
    db = data_home / "progress.db"
    db.write_bytes(b"")
    for command in (["stats"], ["topics"], ["config"]):
        result = run(*command)
        assert result.exit_code == 1
        assert "is empty (0 bytes)" in result.stderr and "rm " in result.stderr
    assert db.read_bytes() == b""


def test_a_new_database_is_never_left_empty_or_half_made(tmp_path):
    path = tmp_path / "progress.db"
    with Store(path) as store:
        assert store.schema_version == store_module.SCHEMA_VERSION
    assert path.stat().st_size > 0
    assert not list(tmp_path.glob("progress.db.new-*"))


def test_a_full_disk_is_named_and_the_answers_before_it_are_kept(tmp_path):
    path = tmp_path / "p.db"
    store = Store(path)
    answer(store, "q1")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")  # the file cannot grow: SQLITE_FULL
    with pytest.raises(StoreFull) as error:
        for i in range(200):
            answer(store, f"big-{i}" + "x" * 2000)
    assert "full" in error.value.message and "Free some space" in error.value.advice
    assert "damaged" not in str(error.value)
    store.close()
    with Store(path) as again:
        assert again.card("q1") is not None
        assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_quiz_on_a_full_disk_stops_before_the_first_question(data_home, sample_bank, monkeypatch):
    studied_home(data_home, sample_bank)
    monkeypatch.setattr(store_module, "_free_bytes", lambda folder: 4096)
    result = run("quiz", "--bank", str(sample_bank), "--topic", "sample", input="1\n")
    assert result.exit_code == 1
    assert "is full" in result.stderr and "Your progress is intact" in result.stderr
    assert "[1/" not in result.stdout  # no question was shown


def test_a_quiz_reports_which_answers_were_saved_when_saving_fails(data_home, sample_bank, monkeypatch):
    calls = {"n": 0}
    real = Store.record_undoable  # what a quiz saves each answer with (record() goes through it too)

    def record_then_fill_up(self, review, schedule):
        calls["n"] += 1
        if calls["n"] == 2:
            raise self.diagnose(sqlite3.OperationalError("database or disk is full"))  # no code: damaged path
        return real(self, review, schedule)

    monkeypatch.setattr(Store, "record_undoable", record_then_fill_up)
    monkeypatch.setattr(store_module, "_free_bytes", lambda folder: 10 << 30)
    result = run("quiz", "--bank", str(sample_bank), "--topic", "sample", "--seed", "1", input="1\n1\n1\n")
    assert result.exit_code == 1
    assert "this answer was not saved (1 answer saved before it)" in result.stderr


def _as_nobody(args: list[str], home: Path, input: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "LAMBDA_PREP_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "120"}
    as_nobody = [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    return subprocess.run([*as_nobody, sys.executable, "-m", "lambda_prep", *args], input=input,
                          capture_output=True, text=True, env=env, timeout=60, cwd="/")


@pytest.fixture
def nobody_home(sample_bank):
    """A data folder with progress, owned by an ordinary user (root ignores permissions)."""
    if os.geteuid() != 0 or not SETPRIV:
        pytest.skip("needs root and setpriv to run as an ordinary user (root itself ignores chmod)")
    top = Path(tempfile.mkdtemp(prefix="lp-perm-"))
    os.chmod(top, 0o755)
    home = top / "home"
    home.mkdir()
    bank = top / "sample.yaml"
    shutil.copy(sample_bank, bank)
    os.chown(home, NOBODY, NOBODY)
    probe = _as_nobody(["quiz", "--bank", str(bank), "--topic", "sample", "--seed", "1", "--count", "1"], home, "1\n")
    if probe.returncode != 0:
        shutil.rmtree(top)
        pytest.skip(f"cannot run lambda-prep as an ordinary user here: {probe.stderr[-300:]}")
    yield home, bank
    for path in [home, *home.iterdir()]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    shutil.rmtree(top)


def test_a_read_only_database_is_named_and_no_question_is_asked(nobody_home):
    home, bank = nobody_home
    db = home / "progress.db"
    before = db.read_bytes()
    os.chmod(db, 0o444)
    quiz = _as_nobody(["quiz", "--bank", str(bank), "--topic", "sample", "--seed", "2"], home, "1\n1\n")
    assert quiz.returncode == 1
    assert "is read-only" in quiz.stderr and "chmod u+w" in quiz.stderr and "damaged" not in quiz.stderr
    assert "[1/" not in quiz.stdout  # the learner typed nothing that could be lost
    assert db.read_bytes() == before


def test_a_read_only_data_folder_is_named(nobody_home):
    home, bank = nobody_home
    for extra in home.glob("progress.db-*"):
        extra.unlink()  # a clean close leaves none; as after a reboot
    os.chmod(home, 0o555)
    for command in (["stats"], ["quiz", "--bank", str(bank)]):
        result = _as_nobody(command, home)
        assert result.returncode == 1, result.stderr
        assert "folder" in result.stderr and "not writable" in result.stderr and "damaged" not in result.stderr
        assert "Traceback" not in result.stderr


def test_an_unreadable_database_is_named(nobody_home):
    home, _ = nobody_home
    os.chmod(home / "progress.db", 0o000)
    result = _as_nobody(["stats"], home)
    assert result.returncode == 1
    assert "permission denied" in result.stderr and "damaged" not in result.stderr


def test_diagnose_tells_the_kinds_apart(tmp_path):
    store = Store(tmp_path / "p.db")

    def error(code: int, text: str):
        exc = sqlite3.OperationalError(text)
        exc.sqlite_errorcode = code
        return store.diagnose(exc)

    assert isinstance(error(13, "database or disk is full"), StoreFull)
    assert isinstance(error(8, "attempt to write a readonly database"), ReadOnlyStore)
    assert isinstance(error(11, "database disk image is malformed"), DamagedStore)
    assert isinstance(store.diagnose(OSError(28, "No space left on device")), StoreFull)
    store.close()
    assert issubclass(UnreadableStore, store_module.StoreError)


# --- the migration backup -------------------------------------------------------------------------


def _v1_database(path: Path, answers: int = 50) -> None:
    with Store(path, migrate_to=1) as store:
        store.db.execute("BEGIN")
        for i in range(answers):
            store.db.execute("INSERT INTO reviews (question_id, rating, reviewed_at, correct, state_before) "
                             "VALUES (?, 3, ?, 1, 0)", (f"q{i}", NOW.isoformat()))
        store.db.execute("COMMIT")


def test_the_backup_is_complete_verified_and_made_before_migrating(tmp_path):
    path = tmp_path / "progress.db"
    _v1_database(path)
    with Store(path) as store:
        assert store.schema_version == store_module.SCHEMA_VERSION
    backup = path.with_name("progress.db.schema-1.bak")
    db = sqlite3.connect(backup)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 50
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not list(tmp_path.glob("*.tmp-*"))


def test_a_broken_backup_left_by_an_older_release_is_redone(tmp_path):
    path = tmp_path / "progress.db"
    _v1_database(path)
    backup = path.with_name("progress.db.schema-1.bak")
    backup.write_bytes(b"")  # what a kill during the old, in-place backup left
    Path(str(backup) + "-journal").write_bytes(b"\0" * 512)
    Store(path).close()
    Path(str(backup) + "-journal").unlink()
    assert sqlite3.connect(backup).execute("SELECT count(*) FROM reviews").fetchone()[0] == 50


KILL_DURING_BACKUP = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from lambda_prep.study import store
    real = store._fsync
    def slow(path):
        if ".bak.tmp-" in str(path):
            print("BACKUP WRITTEN", flush=True)
            time.sleep(60)  # killed here: the copy is complete but not yet renamed
        real(path)
    store._fsync = slow
    store.Store(Path(sys.argv[1]))
""")


def test_a_kill_during_the_backup_leaves_no_backup_and_no_migration(tmp_path):
    path = tmp_path / "progress.db"
    _v1_database(path)
    child = subprocess.Popen([sys.executable, "-c", KILL_DURING_BACKUP, str(path)], stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline().strip() == "BACKUP WRITTEN"
    child.send_signal(signal.SIGKILL)
    child.wait()
    backup = path.with_name("progress.db.schema-1.bak")
    assert not backup.exists()  # only the temporary copy, never a half backup under the real name
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1  # not migrated
    Store(path).close()  # the next run backs up properly, then migrates
    assert sqlite3.connect(backup).execute("SELECT count(*) FROM reviews").fetchone()[0] == 50
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
    assert not list(tmp_path.glob("*.tmp-*"))  # the dead process's copy was cleaned up


# --- the daily limit across quizzes running at once -----------------------------------------------


def test_quizzes_running_at_once_never_exceed_the_daily_new_limit(data_home, sample_bank):
    assert run("config", "new-per-day", "2").exit_code == 0
    env = {**os.environ, "LAMBDA_PREP_HOME": str(data_home)}
    procs = [subprocess.Popen([sys.executable, "-m", "lambda_prep", "quiz", "--bank", str(sample_bank),
                               "--topic", "sample", "--seed", str(i), "--no-interactive"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                              text=True) for i in range(6)]
    outputs = [p.communicate("1\n1\n1\n1\n1\n1\n", timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    db = sqlite3.connect(data_home / "progress.db")
    introduced = db.execute("SELECT count(DISTINCT question_id) FROM reviews WHERE state_before = 0").fetchone()[0]
    assert introduced <= 2
    assert db.execute("SELECT count(*) FROM cards WHERE state = 0").fetchone()[0] == 0  # no claim left over


def test_a_claim_counts_against_the_limit_until_answered(tmp_path):
    with Store(tmp_path / "p.db") as store:
        since = NOW - dt.timedelta(hours=1)
        assert store.claim_new("a", "limits", since, 2, NOW)
        assert store.claim_new("b", "limits", since, 2, NOW)
        assert not store.claim_new("c", "limits", since, 2, NOW)
        assert store.cards() == {} and store.card("a") is None  # a claim is not a card
        answer(store, "a")
        assert store.new_since(since) == 2 and store.card("a").reps == 1
        assert store.reset() == (1, 1)  # the claim of b goes too, but is not counted as a question


# --- reset scopes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("topic", ["", " ", "no-such-topic"])
def test_reset_refuses_an_empty_or_unknown_topic(topic, data_home, sample_bank):
    studied_home(data_home, sample_bank)
    result = run("reset", "--topic", topic, "--yes")
    assert result.exit_code == 2
    assert f"unknown topic {topic!r}" in result.stderr and "Topics: " in result.stderr and "cold-starts" in result.stderr
    db = sqlite3.connect(data_home / "progress.db")
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2  # nothing forgotten


def test_a_device_or_fifo_in_place_of_the_database_is_named(data_home):
    data_home.mkdir(parents=True)
    db = data_home / "progress.db"
    os.mkfifo(db)  # opening it for reading would block
    result = run("topics")
    assert result.exit_code == 1 and "not a regular file" in result.stderr


def test_an_unusable_data_folder_name_is_an_error_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("LAMBDA_PREP_HOME", str(tmp_path / ("b" * 300)))
    result = run("stats")
    assert result.exit_code == 1
    assert "File name too long" in result.stderr and "LAMBDA_PREP_HOME" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
