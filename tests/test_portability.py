"""Exports (Anki, CSV, Markdown), progress between machines, and banks of your own."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lambda_prep import library
from lambda_prep.portability import exporters, progress
from lambda_prep.study.scheduler import Scheduler
from lambda_prep.study.store import Review, Store

BANKS = library.load_all_banks(include_user=False)
QUESTIONS = BANKS.questions
T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone.utc)


def run(*args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "LAMBDA_PREP_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "lambda_prep", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120)


# --- Anki ------------------------------------------------------------------------------------------


def parse_anki(text: str) -> tuple[dict[str, str], list[list[str]]]:
    headers, rows = {}, []
    for line in text.splitlines():
        if line.startswith("#"):
            name, _, value = line[1:].partition(":")
            headers[name] = value
        else:
            rows.append(line.split("\t"))
    return headers, rows


def test_anki_export_parses_back_one_note_per_question_with_the_id_as_guid():
    headers, rows = parse_anki(exporters.render_anki(QUESTIONS))
    assert headers["separator"] == "tab" and headers["html"] == "true" and headers["notetype"] == "Basic"
    assert headers["deck"] == "lambda-prep"
    columns = headers["columns"].split("\t")
    assert len(columns) == 5 and all(len(row) == 5 for row in rows)
    guid = int(headers["guid column"]) - 1
    deck = int(headers["deck column"]) - 1
    tags = int(headers["tags column"]) - 1
    assert sorted(row[guid] for row in rows) == sorted(q.id for q in QUESTIONS)
    by_id = {q.id: q for q in QUESTIONS}
    for row in rows:
        q = by_id[row[guid]]
        assert row[deck] == f"lambda-prep::{q.topic}"
        assert f"lambda-prep::{q.topic}" in row[tags].split()
        front, back = html.unescape(row[1]), html.unescape(row[2])
        assert " ".join(q.prompt.split())[:60] in " ".join(front.split())
        for url in q.sources:
            assert f'href="{url}"' in back
        if q.type in ("single", "multi"):
            for choice in q.choices:  # choices are on the front, the right ones on the back
                assert choice in front
            for answer in q.answer:
                assert answer in back


def test_anki_fields_are_escaped_and_never_break_the_row():
    q = dataclasses.replace(QUESTIONS[0], prompt='Tabs\there, <b>tags</b> & "quotes"\nand a new line')
    _, rows = parse_anki(exporters.render_anki([q]))
    assert len(rows) == 1 and len(rows[0]) == 5
    assert "&lt;b&gt;tags&lt;/b&gt; &amp; &quot;quotes&quot;<br>and a new line" in rows[0][1]


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_has_a_header_and_round_trips_every_field():
    text = exporters.render_csv(QUESTIONS)
    header = next(csv.reader(io.StringIO(text)))
    assert tuple(header) == exporters.CSV_FIELDS
    assert set(exporters.CSV_FIELDS) == {f.name for f in dataclasses.fields(QUESTIONS[0])} - {"origin"}
    back = exporters.read_csv(text)
    assert len(back) == len(QUESTIONS)
    originals = {q.id: dataclasses.replace(q, origin="") for q in QUESTIONS}
    assert all(originals[q.id] == q for q in back)


def test_csv_round_trips_follow_ups_and_phrasings(tmp_path):
    from lambda_prep.bank import load_banks

    bank = Path(__file__).parent / "data" / "sample.yaml"
    text = bank.read_text()
    questions = load_banks([bank]).questions
    recall = [q for q in questions if q.type == "recall"]
    assert recall, "the sample bank has a recall question"
    from lambda_prep.bank.model import FollowUp

    rich = dataclasses.replace(recall[0], origin="", phrasings=(("a", "b"),) + ((),) * (len(recall[0].key_points) - 1),
                               follow_ups=(FollowUp("Next?", "Because.", ("one", "two"), (("uno",), ()), 1),))
    assert exporters.read_csv(exporters.render_csv([rich])) == [rich]
    assert text  # the fixture is real


# --- Markdown --------------------------------------------------------------------------------------


def test_markdown_has_every_question_answer_and_source_per_topic():
    text = exporters.render_markdown(QUESTIONS)
    for topic in BANKS.topics():
        assert f"\n## {topic}\n" in text
    for q in QUESTIONS:
        assert f"`{q.id}`" in text
        for url in q.sources:
            assert f"<{url}>" in text
    assert len(re.findall(r"^### \d+\. ", text, flags=re.M)) == len(QUESTIONS)


# --- the export command ----------------------------------------------------------------------------


def test_export_command_writes_files_and_filters_topics(tmp_path, data_home):
    out = tmp_path / "retries.csv"
    result = run("export", "--format", "csv", "--topic", "dlq", "-o", str(out), home=data_home)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open()))
    assert rows and {r["topic"] for r in rows} == {"retries"}
    assert len(rows) == sum(q.topic == "retries" for q in QUESTIONS)
    stdout = run("export", "--format", "markdown", "--topic", "layers", home=data_home)
    assert stdout.returncode == 0 and stdout.stdout.startswith("# lambda-prep study sheet")


@pytest.mark.parametrize("args,code,message", [
    (["--format", "pdf"], 2, "'pdf' is not one of"),
    (["--format", "csv", "--topic", "nosuchtopic"], 2, "unknown topic 'nosuchtopic'"),
    (["--format", "csv", "-o", "/nonexistent-dir/x.csv"], 1, "cannot write /nonexistent-dir/x.csv"),
])
def test_export_bad_input(args, code, message, data_home):
    result = run("export", *args, home=data_home)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_failed_export_leaves_no_partial_file(tmp_path, data_home):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    result = run("export", "--format", "csv", "-o", str(folder), home=data_home)
    assert result.returncode == 2 and "is a directory" in result.stderr
    assert list(tmp_path.iterdir()) == [folder] and list(folder.iterdir()) == []


# --- progress between machines ---------------------------------------------------------------------


def answer(store: Store, scheduler: Scheduler, qid: str, topic: str, rating: int, when: dt.datetime) -> None:
    store.record(Review(qid, topic, rating, when, 4000, "1", rating > 1),
                 lambda card: scheduler.review(card, qid, topic, rating, when, 4000))


@pytest.fixture
def two_machines(tmp_path):
    laptop, desktop = Store(tmp_path / "laptop.db"), Store(tmp_path / "desktop.db")
    live = Scheduler(0.9, fuzz=True)  # unseeded, as in a real quiz
    ids = [(q.id, q.topic) for q in QUESTIONS[:6]]
    for day, (qid, topic) in enumerate(ids[:4]):
        answer(laptop, live, qid, topic, 3, T0 + dt.timedelta(days=day))
    for day, (qid, topic) in enumerate(ids[2:]):  # two questions studied on both machines
        answer(desktop, live, qid, topic, 1 + day % 4, T0 + dt.timedelta(days=day, hours=2))
    answer(laptop, live, *ids[2], 4, T0 + dt.timedelta(days=9))
    yield laptop, desktop
    laptop.close()
    desktop.close()


def replayed_cards(store: Store) -> dict:
    """Every card as a seeded replay of its own review log gives it."""
    scheduler = Scheduler(0.9, fuzz=True, seed=0)
    cards = {}
    for qid in {row[0] for row in store.reviews()}:
        card = None
        for _q, topic, rating, at, duration, _a, _c, _s in store.reviews(qid):
            card = scheduler.review(card, qid, topic, rating, dt.datetime.fromisoformat(at), duration)
        cards[qid] = card
    return cards


def test_import_is_the_union_idempotent_and_equal_to_a_replay(two_machines, tmp_path):
    laptop, desktop = two_machines
    exported = tmp_path / "laptop.json"
    library.export_progress(laptop, exported, T0)
    before = {(r[0], r[3]) for r in desktop.reviews()} | {(r[0], r[3]) for r in laptop.reviews()}

    report = library.import_progress(desktop, exported)
    assert report.added == len(laptop.reviews()) and report.already_here == 0
    assert {(r[0], r[3]) for r in desktop.reviews()} == before  # the union, nothing lost
    assert len(desktop.reviews()) == len(before)
    replay = replayed_cards(desktop)
    for qid in {r[0] for r in laptop.reviews()}:
        assert desktop.card(qid) == replay[qid], qid

    snapshot = (desktop.reviews(), desktop.cards())
    again = library.import_progress(desktop, exported)
    assert again.added == 0 and again.already_here == len(laptop.reviews()) and again.questions_replayed == 0
    assert (desktop.reviews(), desktop.cards()) == snapshot


def test_merging_both_ways_gives_both_machines_the_same_log(two_machines, tmp_path):
    laptop, desktop = two_machines
    library.export_progress(laptop, tmp_path / "l.json", T0)
    library.export_progress(desktop, tmp_path / "d.json", T0)
    library.import_progress(desktop, tmp_path / "l.json")
    library.import_progress(laptop, tmp_path / "d.json")
    key = lambda rows: sorted((r[0], r[2], r[3]) for r in rows)  # noqa: E731
    assert key(laptop.reviews()) == key(desktop.reviews())


def test_settings_local_wins_unset_ones_are_taken_invalid_ones_ignored(two_machines, tmp_path):
    laptop, desktop = two_machines
    laptop.set_setting("new_per_day", "30")
    laptop.set_setting("day_start_hour", "6")
    desktop.set_setting("new_per_day", "25")
    path = tmp_path / "l.json"
    library.export_progress(laptop, path, T0)
    data = json.loads(path.read_text())
    data["settings"]["desired_retention"] = "7"  # out of range: ignored
    data["settings"]["no_such_setting"] = "x"
    path.write_text(json.dumps(data))
    report = library.import_progress(desktop, path)
    assert report.settings_taken == {"day-start-hour": "6"}
    assert report.settings_differ == {"new-per-day": ("25", "30")}
    assert desktop.settings()["new_per_day"] == "25" and desktop.settings()["day_start_hour"] == "6"
    assert desktop.settings()["desired_retention"] == "0.9"


@pytest.mark.parametrize("content,message", [
    (b'{"format": "something-else", "version": 1}', "is not a lambda-prep progress export"),
    (b"not json at all", "is not a lambda-prep progress export"),
    (b'{"format": "lambda-prep-progress", "version": 2, "settings": {}, "reviews": []}', "newer lambda-prep"),
    (b'{"format": "lambda-prep-progress", "version": 1, "settings": {}, "reviews": [{"question_id": "x"}]}',
     "review 1: missing"),
    (b"[" * 100000, "is not a lambda-prep progress export"),
])
def test_foreign_damaged_and_newer_files_are_refused_and_nothing_changes(two_machines, tmp_path, content, message):
    _, desktop = two_machines
    snapshot = (desktop.reviews(), desktop.cards(), desktop.settings())
    path = tmp_path / "file.json"
    path.write_bytes(content)
    with pytest.raises(progress.ProgressFileError, match=message):
        library.import_progress(desktop, path)
    assert (desktop.reviews(), desktop.cards(), desktop.settings()) == snapshot


def test_a_crash_mid_import_leaves_the_store_as_it_was(two_machines, tmp_path, monkeypatch):
    laptop, desktop = two_machines
    library.export_progress(laptop, tmp_path / "l.json", T0)
    snapshot = (desktop.reviews(), desktop.cards())
    calls = []
    real = Scheduler.review

    def dies_on_the_fifth_review(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt  # as Ctrl-C or a crash half-way through the replay
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Scheduler, "review", dies_on_the_fifth_review)
    with pytest.raises(KeyboardInterrupt):
        library.import_progress(desktop, tmp_path / "l.json")
    assert (desktop.reviews(), desktop.cards()) == snapshot


def test_progress_commands_end_to_end(tmp_path):
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    assert run("quiz", "--count", "3", "--seed", "1", "--no-interactive", home=laptop,
               stdin="1\n1\n1\n1\n1\n1\n").returncode == 0
    exported = tmp_path / "p.json"
    result = run("progress", "export", str(exported), home=laptop)
    assert result.returncode == 0 and "Wrote" in result.stdout
    first = run("progress", "import", str(exported), "--json", home=desktop)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["added"] >= 3
    second = run("progress", "import", str(exported), "--json", home=desktop)
    assert json.loads(second.stdout)["added"] == 0
    refused = run("progress", "import", "/dev/null", home=desktop)
    assert refused.returncode == 1 and "not a regular file" in refused.stderr or "not a lambda-prep" in refused.stderr


# --- banks of your own -----------------------------------------------------------------------------


def test_new_bank_validates_and_points_at_the_installed_schema(data_home):
    result = run("new-bank", "team-payments", home=data_home)
    assert result.returncode == 0, result.stderr
    path = data_home / "banks" / "team-payments.lambda-prep.yaml"
    first_line = path.read_text().splitlines()[0]
    schema = Path(first_line.split("$schema=", 1)[1])
    assert schema.is_absolute() and schema.is_file() and schema.name == "schema.json"
    validate = run("validate", home=data_home)
    assert validate.returncode == 0 and f"{len(QUESTIONS) + 2} questions" in validate.stdout
    import jsonschema
    import yaml

    # Dates stay text for the editor's YAML 1.2 language server, as json's default=str gives.
    document = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
    jsonschema.validate(document, json.loads(schema.read_text()))
    quiz = run("quiz", "--topic", "team-payments", "--count", "1", "--seed", "1", "--no-interactive",
               home=data_home, stdin="2\n")
    assert quiz.returncode == 0 and "team-payments" in quiz.stdout


@pytest.mark.parametrize("args,code,message", [
    (["Team_Payments"], 2, "must be lower-case letters"),
    (["ok-name", "--topic", "Bad Topic"], 2, "the bank topic 'Bad Topic'"),
])
def test_new_bank_bad_names(args, code, message, data_home):
    result = run("new-bank", *args, home=data_home)
    assert result.returncode == code and message in result.stderr


def test_new_bank_never_overwrites(data_home):
    assert run("new-bank", "mine", home=data_home).returncode == 0
    path = data_home / "banks" / "mine.lambda-prep.yaml"
    path.write_text(path.read_text() + "# my edits\n")
    again = run("new-bank", "mine", home=data_home)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert path.read_text().endswith("# my edits\n")
