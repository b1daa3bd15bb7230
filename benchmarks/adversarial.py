"""Re-run the adversarial checks of the reliability report (issue 14) and print the figures.

    python benchmarks/adversarial.py            # about 2-4 minutes on 2 cores

1. Bad arguments: every numeric option of every simulation x 7 bad values, plus study-command cases.
   "Unclear" = not exit 2, or no "Error: --option" naming it, or a traceback, or over 10 s; -1 and
   1e-320 may be valid (inside a range, or a special value) and are counted as accepted when exit 0.
2. Fault states of progress.db: each must be named for what it is ("damaged" only for damage). A
   command that does not touch the damaged part may succeed (stats on a read-only file), except
   the quiz, which must stop before its first question, and whole-file states, where all must stop.
3. Answers lost: quizzes killed with SIGKILL at random moments; every answer shown as saved
   (its verdict printed) must be in the database.
4. Migration backup: `config` on a large v1 database killed at random moments during the backup;
   a .bak that exists must be complete, and the database must never be migrated without one.
5. Daily limit: 8 quizzes started at once with new-per-day 2 must introduce at most 2 questions.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
BANK = REPO / "tests" / "data" / "sample.yaml"
BAD_VALUES = ["-1", "nan", "inf", "-inf", "1e-320", "1e300", "abc"]


def bad_arguments() -> tuple[int, list[str]]:
    import typer.main
    from typer.testing import CliRunner

    from lambda_prep.cli import app

    runner = CliRunner()
    group = typer.main.get_command(app).commands["simulate"]
    tried, unclear = 0, []
    accepted: list[str] = []

    def check(args: list[str], option: str | None) -> None:
        nonlocal tried
        tried += 1
        signal.alarm(10)
        try:
            result = runner.invoke(app, args)
        except Exception as exc:  # the alarm
            unclear.append(f"{' '.join(args)}: {type(exc).__name__}")
            return
        finally:
            signal.alarm(0)
        if result.exit_code == 0 and option and args[-1] in ("-1", "1e-320"):
            accepted.append(" ".join(args))  # inside the range of some options (-1 = "no limit")
            return
        text = result.stderr if result.exit_code else ""
        ok = result.exit_code == 2 and (option is None or option in text) and "Traceback" not in text
        if result.exception and not isinstance(result.exception, SystemExit):
            ok = False
        if not ok:
            unclear.append(f"{' '.join(args)}: exit {result.exit_code} {text[:80]!r}")

    def alarm(*_):
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    os.environ["LAMBDA_PREP_HOME"] = tempfile.mkdtemp()
    for name, command in sorted(group.commands.items()):
        for param in command.params:
            if getattr(param.type, "name", "") not in ("integer", "float") or not param.opts:
                continue
            option = param.opts[0]
            for value in BAD_VALUES:
                check(["simulate", name, option, value], option)
    for args in (["reset", "--topic", "", "--yes"], ["reset", "--topic", "nope", "--yes"],
                 ["quiz", "--topic", ""], ["quiz", "--count", "0"], ["config", "new-per-day", "-1"],
                 ["config", "desired-retention", "nan"], ["config", "nope", "1"], ["config", "nope"],
                 ["stats", "--months", "0"], ["quiz", "--new", "--due"]):
        check(args, None)
    return tried, unclear, len(accepted)


def _as_nobody() -> list[str] | None:
    setpriv = shutil.which("setpriv")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] if setpriv and os.geteuid() == 0 else None


def fault_states() -> tuple[int, list[str], int]:
    """Each state: (name, how to make it, runs as nobody, words the message must hold)."""
    def studied(home: Path) -> Path:
        env = {**os.environ, "LAMBDA_PREP_HOME": str(home)}
        subprocess.run([sys.executable, "-m", "lambda_prep", "quiz", "--bank", str(BANK), "--topic", "sample",
                        "--seed", "1", "--count", "2"], input="1\n1\n", capture_output=True, text=True, env=env)
        return home / "progress.db"

    def sql(statement):
        def make(db: Path):
            con = sqlite3.connect(db)
            con.execute(statement)
            con.commit()
            con.close()
        return make

    def chmod(mode, folder=False):
        def make(db: Path):
            for extra in db.parent.glob("progress.db-*"):
                extra.unlink()
            os.chmod(db.parent if folder else db, mode)
        return make

    states = [
        ("zero-byte file", lambda db: db.write_bytes(b""), False, ["empty (0 bytes)"]),
        ("garbage", lambda db: db.write_bytes(b"garbage" * 500), False, ["damaged"]),
        ("missing table", sql("DROP TABLE cards"), False, ["damaged", "no such table"]),
        ("bad due", sql("UPDATE cards SET due = 'garbage'"), False, ["damaged", "due"]),
        ("state 99", sql("UPDATE cards SET state = 99"), False, ["damaged", "state"]),
        ("naive due", sql("UPDATE cards SET due = '2026-01-01T00:00:00'"), False, ["damaged", "due"]),
        ("stability text", sql("UPDATE cards SET stability = 'abc'"), False, ["damaged", "stability"]),
        ("retention text", sql("INSERT INTO settings VALUES ('desired_retention', 'abc')"), False,
         ["damaged", "lambda-prep config"]),
        ("retention 5", sql("INSERT INTO settings VALUES ('desired_retention', '5')"), False, ["damaged"]),
        ("hour 99", sql("INSERT INTO settings VALUES ('day_start_hour', '99')"), False, ["damaged"]),
        ("newer schema", sql("PRAGMA user_version = 99"), False, ["newer lambda-prep"]),
        ("a folder", lambda db: (db.unlink(), db.mkdir()), False, ["is a folder"]),
        ("read-only file", chmod(0o444), True, ["read-only"]),
        ("read-only folder", chmod(0o555, folder=True), True, ["not writable"]),
        ("unreadable file", chmod(0o000), True, ["permission denied"]),
    ]
    WHOLE_FILE = {"zero-byte file", "garbage", "newer schema", "a folder", "read-only folder", "unreadable file"}
    nobody = _as_nobody()
    tried, misreported, skipped = 0, [], 0
    for name, make, needs_user, words in states:
        top = Path(tempfile.mkdtemp(prefix="lp-adv-"))
        os.chmod(top, 0o755)
        home = top / "home"
        home.mkdir()
        prefix: list[str] = []
        if needs_user:
            if nobody is None:
                skipped += 1
                shutil.rmtree(top)
                continue
            os.chown(home, 65534, 65534)
            prefix = nobody
        bank = top / "sample.yaml"
        shutil.copy(BANK, bank)
        env = {**os.environ, "LAMBDA_PREP_HOME": str(home)}
        subprocess.run([*prefix, sys.executable, "-m", "lambda_prep", "quiz", "--bank", str(bank), "--topic",
                        "sample", "--seed", "1", "--count", "2"], input="1\n1\n", capture_output=True, text=True,
                       env=env, cwd="/")
        db = home / "progress.db"
        make(db)
        for command in (["stats"], ["topics"], ["quiz", "--bank", str(bank), "--topic", "sample"], ["config"]):
            tried += 1
            result = subprocess.run([*prefix, sys.executable, "-m", "lambda_prep", *command], input="1\n",
                                    capture_output=True, text=True, env=env, cwd="/", timeout=60)
            wrong_kind = "damaged" in result.stderr and "damaged" not in words
            must_fail = command[0] == "quiz" or name in WHOLE_FILE
            if result.returncode == 0 and not must_fail:
                continue
            if (result.returncode != 1 or "Traceback" in result.stderr or wrong_kind
                    or not all(w in result.stderr for w in words) or "[1/" in result.stdout):
                misreported.append(f"{name} / {command[0]}: exit {result.returncode} {result.stderr[-120:]!r}")
        for path in [home, *home.rglob("*")]:
            try:
                os.chmod(path, 0o755 if path.is_dir() else 0o644)
            except OSError:
                pass
        shutil.rmtree(top, ignore_errors=True)
    return tried, misreported, skipped


def answers_lost(trials: int = 20) -> tuple[int, int, int]:
    """Quizzes answering from a pipe, killed at random; compare verdicts printed with reviews stored."""
    shown_total = lost = 0
    rng = random.Random(14)
    for _ in range(trials):
        home = Path(tempfile.mkdtemp(prefix="lp-kill-"))
        env = {**os.environ, "LAMBDA_PREP_HOME": str(home)}
        quiz = subprocess.Popen([sys.executable, "-m", "lambda_prep", "quiz", "--count", "40", "--seed",
                                 str(rng.randrange(1000)), "--no-interactive"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        quiz.stdin.write(("1\n" * 200).encode())
        quiz.stdin.close()
        time.sleep(rng.uniform(0.8, 3.0))
        quiz.send_signal(signal.SIGKILL)
        out = quiz.stdout.read().decode(errors="replace")
        quiz.wait()
        shown = sum(out.count(mark) for mark in ("✓ Correct", "✗ Not quite", "Rated "))
        stored = 0
        if (home / "progress.db").exists():
            stored = sqlite3.connect(home / "progress.db").execute("SELECT count(*) FROM reviews").fetchone()[0]
        shown_total += shown
        lost += max(0, shown - stored)
        shutil.rmtree(home, ignore_errors=True)
    return trials, shown_total, lost


def migration_kills(trials: int = 12, reviews: int = 300_000) -> tuple[int, int, int, int]:
    """(trials, killed before the backup was complete, broken backups, migrated without a backup)."""
    from lambda_prep.study.store import Store

    seed_dir = Path(tempfile.mkdtemp(prefix="lp-v1-"))
    seed = seed_dir / "progress.db"
    with Store(seed, migrate_to=1) as store:
        store.db.execute("BEGIN")
        store.db.executemany("INSERT INTO reviews (question_id, rating, reviewed_at, answer, correct, state_before) "
                             "VALUES (?, 3, '2026-01-01T00:00:00+00:00', ?, 1, 0)",
                             ((f"q{i}", "x" * 100) for i in range(reviews)))
        store.db.execute("COMMIT")
    rng = random.Random(4)
    early = broken = unprotected = 0
    for _ in range(trials):
        home = Path(tempfile.mkdtemp(prefix="lp-mig-"))
        shutil.copy(seed, home / "progress.db")
        env = {**os.environ, "LAMBDA_PREP_HOME": str(home)}
        proc = subprocess.Popen([sys.executable, "-m", "lambda_prep", "config"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not list(home.glob("progress.db.schema-1.bak*")) and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 1.0))  # from just after the copy starts to after the rename
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        backup = home / "progress.db.schema-1.bak"
        if not backup.exists():
            early += 1
        else:
            con = sqlite3.connect(backup)
            try:
                if con.execute("SELECT count(*) FROM reviews").fetchone()[0] != reviews:
                    broken += 1
            except sqlite3.Error:
                broken += 1
            con.close()
        version = sqlite3.connect(home / "progress.db").execute("PRAGMA user_version").fetchone()[0]
        if version > 1 and not backup.exists():
            unprotected += 1
        subprocess.run([sys.executable, "-m", "lambda_prep", "config"], env=env, capture_output=True)
        con = sqlite3.connect(backup)  # the next run must leave a complete backup
        if con.execute("SELECT count(*) FROM reviews").fetchone()[0] != reviews:
            broken += 1
        con.close()
        shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(seed_dir, ignore_errors=True)
    return trials, early, broken, unprotected


def daily_limit(processes: int = 8, limit: int = 2) -> tuple[int, int]:
    home = Path(tempfile.mkdtemp(prefix="lp-limit-"))
    env = {**os.environ, "LAMBDA_PREP_HOME": str(home)}
    subprocess.run([sys.executable, "-m", "lambda_prep", "config", "new-per-day", str(limit)], env=env,
                   capture_output=True)
    procs = [subprocess.Popen([sys.executable, "-m", "lambda_prep", "quiz", "--seed", str(i), "--no-interactive"],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
             for i in range(processes)]
    for proc in procs:
        proc.communicate(b"1\n" * 50, timeout=300)
    con = sqlite3.connect(home / "progress.db")
    introduced = con.execute("SELECT count(DISTINCT question_id) FROM reviews WHERE state_before = 0").fetchone()[0]
    shutil.rmtree(home, ignore_errors=True)
    return processes, introduced


def main() -> None:
    start = time.monotonic()
    tried, unclear, accepted = bad_arguments()
    print(f"bad arguments: {tried} tried, {len(unclear)} unclear ({accepted} accepted as valid values)")
    for line in unclear[:20]:
        print("  ", line)
    tried, misreported, skipped = fault_states()
    print(f"fault states: {tried} command runs tried, {len(misreported)} misreported"
          f"{f', {skipped} states skipped (need root and setpriv)' if skipped else ''}")
    for line in misreported[:20]:
        print("  ", line)
    trials, shown, lost = answers_lost()
    print(f"kill -9 during quizzes: {trials} trials, {shown} answers shown as saved, {lost} lost")
    trials, early, broken, unprotected = migration_kills()
    print(f"kill -9 during the migration backup: {trials} trials ({early} before the backup was complete), "
          f"{broken} broken backups, {unprotected} migrated without a backup")
    processes, introduced = daily_limit()
    print(f"daily limit: {processes} quizzes at once with new-per-day 2 introduced {introduced} new questions")
    print(f"({time.monotonic() - start:.0f} s)")


if __name__ == "__main__":
    main()
