"""Hostile banks, files and caches (issue 14): each is a positioned problem, bounded in memory,
and never stops the other banks or a command. Reproductions from the reliability report."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import textwrap
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambda_prep.bank import files, load_banks, loader, validation
from lambda_prep.bank.validation import check_file
from lambda_prep.cli import app

TODAY = dt.date(2026, 11, 22)
SAMPLE = Path(__file__).parent / "data" / "sample.yaml"
QUESTION = """\
questions:
  - id: q-one
    topic: limits
    type: single
    prompt: What is 2+2?
    choices: ["4", "5"]
    answer: "4"
    explanation: Arithmetic.
    sources: [https://docs.aws.amazon.com/lambda/latest/dg/welcome.html]
    last_verified: 2026-11-01
    difficulty: 1
"""


def check(text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    return [str(p) for p in check_file(Path("b.yaml"), data, TODAY)[1]]


def peak_memory(run) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = run()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def laughs(levels: int, field: str = "type") -> str:
    """The report's billion-laughs bank: each level is ten aliases of the one before."""
    lines = ['lol0: &lol0 [' + ','.join(['"lol"'] * 10) + ']']
    lines += [f'lol{i}: &lol{i} [' + ','.join([f'*lol{i - 1}'] * 10) + ']' for i in range(1, levels + 1)]
    return 'questions:\n  - ' + '\n    '.join(lines) + f'\n    {field}: *lol{levels}\n'


# --- limits, checked while the values are built ---------------------------------------------


def test_the_807_byte_alias_bomb_is_refused_at_the_alias_with_little_memory():
    text = laughs(9)
    assert len(text) == 807
    found, peak = peak_memory(lambda: check(text))
    assert found == ["b.yaml:5:60: aliases expand to more than 10,000 values "
                     "(a file that multiplies itself through aliases is refused)"]
    assert peak < 5_000_000


@pytest.mark.parametrize("field", ["type", "difficulty", "last_verified", "answer"])
def test_a_value_reached_through_aliases_is_never_printed_whole(field):
    # Two levels (1,100 values) pass the alias limit: the messages must still be short.
    found = check(laughs(2, field).replace("questions:\n  - ", "questions:\n  - type: true-false\n    ")
                  if field == "answer" else laughs(2, field))
    assert found and all(len(line) < 400 for line in found), found
    assert any("[[[10 items], [10 items]" in line for line in found if field in line)


def test_huge_lists_stop_at_the_item_past_the_limit():
    text = "questions:\n  - id: x\n    tags: [" + "a," * 500_000 + "]\n"  # 1 MB
    found, peak = peak_memory(lambda: check(text))
    assert found == [f"b.yaml:3:{12 + 2 * 1000}: a list of more than 1,000 items"]
    assert peak < 20_000_000


def test_too_many_values_and_questions_are_refused_where_they_cross(monkeypatch):
    monkeypatch.setattr(loader, "MAX_NODES", 20)
    found = check(QUESTION)
    assert len(found) == 1 and "more than 20 values in one bank" in found[0]
    monkeypatch.setattr(loader, "MAX_NODES", 500_000)
    monkeypatch.setattr(loader, "MAX_QUESTIONS", 2)
    three = "questions:\n" + "".join(f"  - id: q{i}\n" for i in range(3))
    assert check(three) == ["b.yaml:4:5: a list of more than 2 items"]


@pytest.mark.parametrize("opening, closing, where", [
    ("[", "]", "3:42"),  # flow sequences crashed at 247 levels
    ("{a: ", "}", "3:129"),
])
def test_deep_nesting_is_a_positioned_problem_not_a_recursion_error(opening, closing, where):
    text = "questions:\n  - id: x\n    prompt: " + opening * 250 + "1" + closing * 250 + "\n"
    assert check(text) == [f"b.yaml:{where}: nested more than 32 levels deep"]


def test_deep_block_mappings_too():
    text = "questions:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(600))
    found = check(text)
    assert len(found) == 1 and found[0].endswith("nested more than 32 levels deep")
    assert found[0].startswith("b.yaml:33:65:")


def test_a_long_text_is_refused_at_its_value():
    text = QUESTION.replace("What is 2+2?", "x" * 25_000)
    assert check(text) == ["b.yaml:5:13: a text of 25,000 characters; at most 20,000 are allowed"]


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as out:
        out.truncate(9 * 1024 * 1024)  # sparse: costs nothing to make
    result = load_banks([big], today=TODAY, display_root=tmp_path)
    assert [str(p) for p in result.problems] == [
        "big.yaml:1:1: the file is over 8 MB (9.0 MB); split it into several banks"]


def test_problems_are_capped_per_file_with_a_count_of_the_rest():
    body = "".join(QUESTION.split("\n", 1)[1].replace("q-one", f"q{i}").replace("difficulty: 1", "difficulty: 9")
                   for i in range(150))
    found = check("questions:\n" + body)
    assert len(found) == 101
    assert found[-1].endswith("... and 50 more problems in this file")


# --- every failure of reading and constructing is a positioned problem ------------------------


@pytest.mark.parametrize("value, shown", [
    ("2026-13-01", "'2026-13-01' is not a valid date: month must be in 1..12"),
    ("2026-02-30", "'2026-02-30' is not a valid date: day is out of range for month"),
    ("0000-01-01", "'0000-01-01' is not a valid date: year 0 is out of range"),
    ("2026-01-01 25:00:00", "'2026-01-01 25:00:00' is not a valid date: hour must be in 0..23"),
    ("2026-01-01T10:00:00+99:00", "'2026-01-01T10:00:00+99:00' is not a valid date"),
])
def test_impossible_dates_are_reported_at_the_value(value, shown):
    found = check(QUESTION.replace("last_verified: 2026-11-01", f"last_verified: {value}"))
    assert len(found) == 1 and found[0].startswith(f"b.yaml:10:20: last_verified: {shown}"), found
    assert found[0].endswith("quote it if you meant text")


@pytest.mark.parametrize("value, kind", [
    ('!!int "x"', "integer"), ('!!int ""', "integer"), ("!!float 'x'", "number"),
    ("!!bool maybe", "boolean"), ("!!timestamp x", "date"), ("!!binary 'a'", "base64 value"),
])
def test_explicit_tags_with_impossible_text_are_reported_at_the_value(value, kind):
    found = check(QUESTION.replace("difficulty: 1", f"difficulty: {value}"))
    assert len(found) == 1 and found[0].startswith("b.yaml:11:17: difficulty: ")
    assert f"is not a valid {kind}" in found[0] and "quote it" not in found[0]


def test_an_integer_over_4300_digits():
    found = check(QUESTION.replace("difficulty: 1", "difficulty: " + "1" * 5000))
    assert len(found) == 1 and found[0].startswith("b.yaml:11:17: difficulty: '1111")
    assert "is not a valid integer: more than 4,300 digits" in found[0] and len(found[0]) < 200


def test_control_characters_are_reported_where_they_are():
    text = QUESTION + "".join(f"  # comment {i}\n" for i in range(200)) + "  # bell \x07 here\n"
    assert check(text) == ["b.yaml:212:10: unacceptable character #x0007: control characters are not allowed"]
    assert check(QUESTION.replace("Arithmetic.", "Arith\x00metic.")) == [
        "b.yaml:8:23: unacceptable character #x0000: control characters are not allowed"]


def test_invalid_utf8_is_reported_where_it_is():
    text = QUESTION.encode().replace(b"What is 2+2?", "Qu\u00e9 es 2+2?".encode("latin-1"))
    found = check(text)
    assert len(found) == 1 and found[0].startswith("b.yaml:5:15: invalid UTF-8")
    assert "save the file as UTF-8" in found[0]


def test_a_tag_on_a_merge_value_is_refused():
    found = check(QUESTION + "    <<: !!python/object:os.system {}\n")
    assert found == ["b.yaml:12:9: could not determine a constructor for the tag '!!python/object:os.system'; "
                     "tags that build objects are not allowed in a bank"]
    # A plain merge still works, and the question's own keys win.
    merged = check_file(Path("b.yaml"), textwrap.dedent("""\
        questions:
          - &base
            id: q-one
            topic: limits
            type: true-false
            prompt: Lambda runs Linux.
            answer: true
            explanation: Amazon Linux.
            sources: [https://docs.aws.amazon.com/lambda/latest/dg/welcome.html]
            last_verified: 2026-11-01
            difficulty: 1
          - <<: *base
            id: q-two
        """).encode(), TODAY)
    assert merged[1] == [] and [q.id for q in merged[0]] == ["q-one", "q-two"]


@pytest.mark.parametrize("text, message", [
    ("a: &a [*a]\n", "1:8: alias *a is inside the value it names"),
    ("a: *nope\n", "1:4: found undefined alias *nope"),
    ("a: &x 1\nb: &x 2\n", "2:4: duplicate anchor &x (first at line 1)"),
    ("a: 1\n---\nb: 2\n", "2:1: expected a single document in the stream"),
    ("? [a, b]\n: 1\n", "1:3: a mapping key must be plain text"),
    ("a: !!set {x}\n", "1:4: the tag '!!set' does not fit here"),
])
def test_alias_anchor_document_and_key_mistakes(text, message):
    found = check(text)
    assert len(found) == 1 and found[0].startswith(f"b.yaml:{message}"), found


# --- files and folders ------------------------------------------------------------------------


def hostile_banks_folder(folder: Path) -> None:
    """One of every kind of broken bank file the report found, beside a good one."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "typo.yaml").write_text("questions:\n  - id: x\n    last_verified: 2026-13-01\n")
    (folder / "tag.yaml").write_text('questions:\n  - id: x\n    difficulty: !!int "x"\n')
    (folder / "bigint.yaml").write_text("questions:\n  - id: x\n    difficulty: " + "9" * 5000 + "\n")
    (folder / "deep.yaml").write_text("questions:\n  - id: x\n    prompt: " + "[" * 250 + "]" * 250 + "\n")
    (folder / "laughs.yaml").write_text(laughs(9))
    (folder / "ctrl.yaml").write_bytes(b"questions:\n  - id: x\x07\n")
    (folder / os.fsdecode(b"caf\xe9.yaml")).write_text("questions: []\n")
    os.mkfifo(folder / "pipe.yaml")
    (folder / "loop1.yaml").symlink_to(folder / "loop2.yaml")
    (folder / "loop2.yaml").symlink_to(folder / "loop1.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "gone.yaml").symlink_to(folder / "missing.yaml")


def test_every_broken_file_is_reported_as_what_it_is_and_the_good_one_loads(tmp_path):
    hostile_banks_folder(tmp_path)
    (tmp_path / "good.yaml").write_text(QUESTION)
    result = load_banks([tmp_path], today=TODAY, display_root=tmp_path)
    assert [q.id for q in result.questions] == ["q-one"]
    by_file = {str(p).split(":")[0]: str(p) for p in result.problems}
    assert by_file["pipe.yaml"] == "pipe.yaml:1:1: not a regular file: a FIFO (named pipe)"
    assert by_file["zero.yaml"] == "zero.yaml:1:1: not a regular file: a character device"
    assert by_file["loop1.yaml"] == "loop1.yaml:1:1: too many levels of symbolic links (a symlink loop?)"
    assert by_file["gone.yaml"].startswith("gone.yaml:1:1: a symbolic link to something missing")
    assert by_file["caf\\xe9.yaml"] == "caf\\xe9.yaml:1:12: 'questions' must be a non-empty list"
    assert by_file["ctrl.yaml"] == "ctrl.yaml:2:10: unacceptable character #x0007: control characters are not allowed"
    assert len(result.skipped_files) == 12


def test_a_latin1_file_name_loads_and_caches(tmp_path):
    name = os.fsdecode(b"caf\xe9.yaml")
    (tmp_path / name).write_text(QUESTION)
    for _ in range(2):  # cold, then from the cache
        result = load_banks([tmp_path], cache=tmp_path / "cache", today=TODAY, display_root=tmp_path)
        assert result.problems == [] and result.files == ["caf\\xe9.yaml"]
        assert result.questions[0].origin == "caf\\xe9.yaml:2"


def test_a_folder_with_too_many_entries_is_refused_not_walked(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_WALK_ENTRIES", 50)
    for i in range(60):
        (tmp_path / f"f{i}.txt").write_text("")
    found, problems = files.discover([tmp_path])
    assert found == [] and len(problems) == 1
    assert problems[0].message == "a folder with more than 50 files and folders in it; give the folder that holds your banks"


def test_validate_root_answers_at_once_instead_of_walking_the_file_system(monkeypatch):
    monkeypatch.setattr(files, "MAX_WALK_ENTRIES", 2_000)  # any system has more under / (10,000 here)
    found, problems = files.discover([Path("/")])
    assert found == [] and [p.message for p in problems] == [
        "a folder with more than 2,000 files and folders in it; give the folder that holds your banks"]


def test_the_walk_skips_hidden_folders_follows_no_folder_links_and_bounds_depth(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.yaml").write_text(QUESTION)
    (tmp_path / "loop").symlink_to(tmp_path)
    deep = tmp_path.joinpath(*"abcdefghij")
    deep.mkdir(parents=True)
    (deep / "deep.yaml").write_text(QUESTION)
    (tmp_path / "a" / "shallow.yaml").write_text(QUESTION)
    found, problems = files.discover([tmp_path])
    assert found == [tmp_path / "a" / "shallow.yaml"]
    assert [p.message for p in problems] == ["1 folder(s) more than 8 levels down were not searched; give them on their own"]


runner = CliRunner()


def test_a_hostile_banks_folder_stops_no_command(data_home):
    hostile_banks_folder(data_home / "banks")
    (data_home / "banks" / "sample.yaml").write_text(SAMPLE.read_text())
    for args in (["topics"], ["stats"], ["review"], ["quiz", "--topic", "sample", "--count", "1", "--seed", "1"]):
        result = runner.invoke(app, args, input="4\n")
        assert result.exit_code == 0, (args, result.output, result.exception)
    assert "skipped 12 bank file(s) with problems" in result.stderr
    assert "What is the maximum timeout" in result.stdout
    checked = runner.invoke(app, ["validate"])
    assert checked.exit_code == 1 and "pipe.yaml:1:1: not a regular file: a FIFO" in checked.stdout


@pytest.mark.parametrize("make, words", [
    (lambda p: None, "an empty path"),
    (lambda p: os.mkfifo(p), "not a regular file: a FIFO"),
    (lambda p: p.symlink_to(p), "too many levels of symbolic links"),
    (lambda p: p.symlink_to("/dev/null"), "not a regular file: a character device"),
    (lambda p: None, "file name too long"),
])
@pytest.mark.parametrize("command", [["validate"], ["quiz", "--bank"]])
def test_bad_path_arguments_exit_2_saying_what_they_are(tmp_path, make, words, command):
    path = tmp_path / ("a" * 300 if words == "file name too long" else "x.yaml")
    make(path)
    argument = "" if words == "an empty path" else str(path)
    result = runner.invoke(app, [*command, argument])
    assert result.exit_code == 2, result.output
    assert words in " ".join(result.output.split()).replace("│", "").replace("  ", " ")


# --- the cache is only an optimisation --------------------------------------------------------


def cached_once(tmp_path: Path) -> tuple[Path, Path, Path]:
    bank, cache = tmp_path / "bank.yaml", tmp_path / "cache"
    bank.write_text(QUESTION)
    load_banks([bank], cache=cache, today=TODAY)
    (entry,) = cache.iterdir()
    return bank, cache, entry


@pytest.mark.parametrize("content", [b"null", b"[]", b"42", b'"s"', b"", b"\xff\x00", b'{"key": 5}\n{}'])
def test_an_unreadable_cache_entry_is_ignored_and_replaced(tmp_path, content):
    bank, cache, entry = cached_once(tmp_path)
    good = entry.read_bytes()
    entry.write_bytes(content)
    result = load_banks([bank], cache=cache, today=TODAY)
    assert result.problems == [] and [q.answer for q in result.questions] == [("4",)]
    assert entry.read_bytes() == good  # rewritten


def test_a_tampered_entry_with_an_intact_key_is_not_believed(tmp_path):
    bank, cache, entry = cached_once(tmp_path)
    header, payload = entry.read_bytes().split(b"\n", 1)
    entry.write_bytes(header + b"\n" + payload.replace(b'"answer": ["4"]', b'"answer": ["5"]'))
    result = load_banks([bank], cache=cache, today=TODAY)
    assert [q.answer for q in result.questions] == [("4",)]


def test_an_entry_of_the_wrong_shape_is_ignored_even_with_a_matching_digest(tmp_path):
    bank, cache, entry = cached_once(tmp_path)
    header = json.loads(entry.read_bytes().split(b"\n", 1)[0])
    for payload in (b'{"questions": 5, "problems": []}', b'{"questions": [{"id": 1}], "problems": []}',
                    b'{"questions": [], "problems": [["b", "x", 1, "m"]]}'):
        header["digest"] = hashlib.blake2b(payload, digest_size=16).hexdigest()
        entry.write_bytes(json.dumps(header).encode() + b"\n" + payload)
        assert [q.id for q in load_banks([bank], cache=cache, today=TODAY).questions] == ["q-one"]


def test_the_key_covers_the_loader_version(tmp_path, monkeypatch):
    bank, cache, entry = cached_once(tmp_path)
    header, payload = entry.read_bytes().split(b"\n", 1)
    monkeypatch.setattr(validation, "CACHE_FORMAT", validation.CACHE_FORMAT + 1)
    load_banks([bank], cache=cache, today=TODAY)
    assert entry.read_bytes().split(b"\n", 1)[0] != header


def test_a_failed_cache_write_leaves_no_temporary_file(tmp_path):
    bank, cache = tmp_path / "bank.yaml", tmp_path / "cache"
    bank.write_text(QUESTION)
    load_banks([bank], cache=cache, today=TODAY)
    (entry,) = cache.iterdir()
    entry.unlink()
    entry.mkdir()  # the rename onto it fails
    (entry / "keep").write_text("")
    result = load_banks([bank], cache=cache, today=TODAY)
    assert [q.id for q in result.questions] == ["q-one"]
    assert sorted(p.name for p in cache.iterdir()) == [entry.name]
