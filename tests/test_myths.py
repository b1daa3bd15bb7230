"""The myth detector and the myths files (content/myths/*.yaml), both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambda_prep import library, paths
from lambda_prep.cli import app
from lambda_prep.study.myths import check_file, detect, load_myths

DATA = Path(__file__).parent / "data"
MYTH_FILES = sorted(paths.myths_dir().glob("*.yaml")) + [DATA / "myths" / "fixture.yaml"]


def _all_myths():
    out = []
    for path in MYTH_FILES:
        myths, problems = check_file(str(path), path.read_bytes())
        assert not problems, "\n".join(map(str, problems))
        out += myths
    return out


MYTHS = _all_myths()
CASES = ([(m.id, text, True) for m in MYTHS for text in m.examples_myth]
         + [(m.id, text, False) for m in MYTHS for text in m.examples_fact])


@pytest.mark.parametrize("myth_id, text, flagged", CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_every_example_both_ways(myth_id, text, flagged):
    """Every file present (content added later included): each myth's own examples flag it, and
    its corrections are flagged by no myth of any file."""
    myth = next(m for m in MYTHS if m.id == myth_id)
    if flagged:
        assert detect(text, [myth]), f"{myth_id} misses its own example {text!r}"
    else:
        caught = [c.myth.id for c in detect(text, MYTHS)]
        assert not caught, f"{text!r} (a fact for {myth_id}) is flagged as {caught}"


def test_the_core_myths_cover_the_syllabus_list():
    core = {m.id for m in MYTHS if m.id.startswith("core-")}
    assert len(core) >= 10
    for myth in MYTHS:
        assert myth.source.startswith("https://") and myth.correction and len(myth.examples_myth) >= 2


def test_myths_name_bank_questions_that_exist_and_teach_them():
    questions = {q.id: q for q in library.load_all_banks().questions}
    for myth in MYTHS:
        if myth.id.startswith("core-"):
            assert myth.questions, myth.id
        for qid in myth.questions:
            assert qid in questions, f"{myth.id} names {qid}"
            assert questions[qid].myth, f"{qid} (named by {myth.id}) is not marked myth: true"


def test_no_false_alarm_on_the_banks_own_model_answers():
    """Correct answers must not be flagged: the model answers and key points are correct."""
    alarms = []
    for q in library.load_all_banks().questions:
        for text in (q.model_answer, *q.key_points):
            alarms += [f"{q.id}: {c.myth.id}: {c.sentence}" for c in detect(text, MYTHS)]
    assert not alarms, "\n".join(alarms)


def test_detect_returns_the_sentence_and_each_myth_once():
    text = "Sync is 6 MB. Async payloads are limited to 256 KB! And async max is 256kb too."
    caught = detect(text, MYTHS)
    assert [c.myth.id for c in caught] == ["core-async-payload-256kb"]
    assert caught[0].sentence == "Async payloads are limited to 256 KB!"


def test_a_stated_correction_in_the_same_sentence_is_not_a_myth():
    assert not detect("Async payloads used to be 256 KB but are now 1 MB.", MYTHS)


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "myths.yaml"
    path.write_text(text)
    return path


GOOD = """myths:
  - id: x-one
    belief: A belief
    detect: ['\\bfoo\\b']
    correction: The fact.
    source: https://docs.aws.amazon.com/lambda/latest/dg/welcome.html
    examples:
      myth: ["foo is true", "I say foo"]
      fact: ["bar is true", "baz"]
"""


def test_a_valid_file_loads(tmp_path):
    result = load_myths([write(tmp_path, GOOD)])
    assert [m.id for m in result.myths] == ["x-one"] and not result.problems


@pytest.mark.parametrize("change, expected", [
    (("['\\bfoo\\b']", "['(foo']"), "myths.yaml:4:14: myths[1] (x-one): detect: '(foo' is not a valid regex"),
    (("source: https://docs", "source: http://docs"), "myths.yaml:6:13: myths[1] (x-one): source"),
    (('fact: ["bar is true"', 'fact: ["foo too"'), "myths.yaml:9:14: myths[1] (x-one): examples.fact 'foo too' is flagged"),
    (('myth: ["foo is true"', 'myth: ["nothing here"'), "myths.yaml:8:14: myths[1] (x-one): examples.myth 'nothing here' is not flagged"),
    (("    correction: The fact.\n", ""), "myths.yaml:2:5: myths[1] (x-one): missing correction"),
    (("    belief:", "    colour: red\n    belief:"), "myths.yaml:3:5: myths[1] (x-one): unknown field 'colour'"),
    (('myth: ["foo is true", "I say foo"]', 'myth: ["foo is true"]'), "myths.yaml:8:13: myths[1] (x-one): examples.myth needs at least 2"),
    (("id: x-one", "id: X One"), "myths.yaml:2:9: myths[1] (X One): id 'X One' must be lower-case"),
])
def test_problems_are_reported_at_file_line_col(tmp_path, change, expected):
    old, new = change
    assert old in GOOD
    result = load_myths([write(tmp_path, GOOD.replace(old, new))], display_root=tmp_path)
    assert not result.myths
    assert any(str(p).startswith(expected) for p in result.problems), [str(p) for p in result.problems]


def test_unsafe_yaml_and_duplicate_keys_are_refused(tmp_path):
    result = load_myths([write(tmp_path, "myths: !!python/object:os.system {}\n")])
    assert result.problems and "not allowed" in result.problems[0].message
    result = load_myths([write(tmp_path, GOOD.replace("    belief: A belief\n", "    belief: A\n    belief: B\n"))])
    assert "duplicate key 'belief'" in result.problems[0].message


def test_duplicate_ids_across_files_and_unknown_questions(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD.replace("    examples:", "    questions: [no-such-question]\n    examples:"))
    result = load_myths([tmp_path], display_root=tmp_path, known_questions={"q1"})
    messages = [str(p) for p in result.problems]
    assert any("b.yaml:2:1: duplicate myth id 'x-one': already used at a.yaml:2" in m for m in messages), messages
    assert any("names 'no-such-question', which no bank holds" in m for m in messages), messages


def test_validate_checks_myth_files_too(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["validate"])
    assert ok.exit_code == 0 and "myths in" in ok.stdout
    bad = write(tmp_path, GOOD.replace("['\\bfoo\\b']", "['(foo']"))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "detect: '(foo' is not a valid regex" in result.stdout
