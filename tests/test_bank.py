"""The bank loader: every kind of problem reported at file:line:col, all of them at once."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from lambda_prep.bank import load_banks
from lambda_prep.bank.validation import check_file

TODAY = dt.date(2026, 11, 22)

GOOD = """\
questions:
  - id: q-one
    topic: limits
    type: single
    prompt: What is the maximum timeout?
    choices: ["3 seconds", "15 minutes"]
    answer: "15 minutes"
    explanation: 900 seconds.
    sources: [https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html]
    last_verified: 2026-11-01
    difficulty: 1
"""


def problems(text: str) -> list[str]:
    questions, found = check_file(Path("bank.yaml"), textwrap.dedent(text).encode(), TODAY)
    return [str(p) for p in found]


def with_field(**overrides: str) -> str:
    text = GOOD
    for key, value in overrides.items():
        lines = [line for line in text.splitlines() if not line.startswith(f"    {key}:")]
        if value is not None:
            lines.append(f"    {key}: {value}")
        text = "\n".join(lines) + "\n"
    return text


def test_a_good_bank_loads():
    questions, found = check_file(Path("bank.yaml"), GOOD.encode(), TODAY)
    assert found == []
    assert questions[0].id == "q-one" and questions[0].answer == ("15 minutes",)
    assert questions[0].origin == "bank.yaml:2"


def test_syntax_error_names_line_and_column():
    assert problems('questions:\n  - id: "unterminated\n') == [
        "bank.yaml:3:1: found unexpected end of stream (while scanning a quoted scalar at line 2)"]


def test_duplicate_key_is_an_error_not_last_wins():
    found = problems(GOOD.replace("    difficulty: 1\n", "    difficulty: 1\n    difficulty: 2\n"))
    assert found == ["bank.yaml:12:5: duplicate key 'difficulty' (first at line 11)"]


def test_unquoted_yes_no_where_text_is_expected():
    found = problems(GOOD.replace('choices: ["3 seconds", "15 minutes"]', "choices: [Yes, No]")
                     .replace('answer: "15 minutes"', "answer: \"Yes\""))
    assert "bank.yaml:6:15: questions[1] (q-one): choices[1] must be text: YAML reads unquoted 'Yes' as the " \
           "boolean true (YAML 1.1); quote it: \"Yes\"" in found
    assert any(p.startswith("bank.yaml:6:20:") and "'No'" in p for p in found)


def test_number_where_text_is_expected_says_quote_it():
    found = problems(GOOD.replace('["3 seconds", "15 minutes"]', '[1.10, "15 minutes"]'))
    assert found == ["bank.yaml:6:15: questions[1] (q-one): choices[1] must be text: YAML reads unquoted '1.10' "
                     "as a float, not text; quote it: \"1.10\""]


def test_answer_not_among_choices():
    found = problems(GOOD.replace('answer: "15 minutes"', 'answer: "15 minute"'))
    assert found == ["bank.yaml:7:13: questions[1] (q-one): answer '15 minute' is not one of the choices "
                     "(did you mean '15 minutes'?)"]


def test_missing_and_wrong_typed_fields_are_all_reported():
    text = GOOD.replace("    difficulty: 1\n", "    difficulty: hard\n").replace("    explanation: 900 seconds.\n", "")
    text = text.replace("sources: [https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html]",
                        "sources: https://docs.aws.amazon.com/x")
    found = problems(text)
    assert "bank.yaml:2:5: questions[1] (q-one): missing explanation" in found
    assert "bank.yaml:10:17: questions[1] (q-one): difficulty must be 1, 2 or 3; got 'hard'" in found
    assert any(p.startswith("bank.yaml:8:14:") and "sources must be a list" in p for p in found)
    assert len(found) == 3


def test_unknown_field_suggests_the_right_one():
    found = problems(GOOD + "    explaination: oops\n")
    assert found == ["bank.yaml:12:5: questions[1] (q-one): unknown field 'explaination'; did you mean 'explanation'?"]


def test_true_false_answer_must_be_written_true_or_false():
    text = textwrap.dedent("""\
        questions:
          - id: tf
            topic: fundamentals
            type: true-false
            prompt: Lambda runs Windows.
            answer: no
            explanation: Linux only.
            sources: [https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html]
            last_verified: 2026-11-01
            difficulty: 1
        """)
    assert problems(text) == ["bank.yaml:6:13: questions[1] (tf): write the answer as true or false, not 'no' "
                              "(YAML 1.1 reads it as false)"]
    questions, found = check_file(Path("b.yaml"), text.replace("answer: no", "answer: false").encode(), TODAY)
    assert found == [] and questions[0].choices == ("True", "False") and questions[0].answer == ("False",)


def test_future_date_and_bad_url_and_syllabus_id():
    found = problems(with_field(last_verified="2099-01-01", sources="[ftp://example]", syllabus="[S71]"))
    assert found == [
        "bank.yaml:10:20: questions[1] (q-one): last_verified 2099-01-01 is in the future",
        "bank.yaml:11:15: questions[1] (q-one): sources[1] 'ftp://example' is not a web address",
        "bank.yaml:12:16: questions[1] (q-one): syllabus id 'S71' is not S01-S70",
    ]


def test_duplicate_id_within_a_file():
    second = GOOD.split("questions:\n", 1)[1]
    found = problems(GOOD + second)
    assert found == ["bank.yaml:12:9: questions[2] (q-one): duplicate id 'q-one' (first at line 2)"]


def test_recall_needs_key_points_and_no_choices():
    text = textwrap.dedent("""\
        questions:
          - id: r
            topic: cold-starts
            type: recall
            prompt: Explain cold starts.
            answer: A new execution environment starts.
            choices: ["a", "b"]
            explanation: x
            sources: [https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html]
            last_verified: 2026-11-01
            difficulty: 2
        """)
    found = problems(text)
    assert "bank.yaml:2:5: questions[1] (r): missing key_points" in found
    assert "bank.yaml:7:5: questions[1] (r): a recall question has no choices" in found


@pytest.mark.parametrize("payload", [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/new:subprocess.check_output [["touch", "{marker}"]]',
])
def test_object_constructing_tags_are_rejected_and_do_nothing(tmp_path, payload):
    marker = tmp_path / "pwned"
    text = GOOD.replace("prompt: What is the maximum timeout?", "prompt: " + payload.format(marker=marker))
    found = problems(text)
    assert len(found) == 1
    assert found[0].startswith("bank.yaml:5:13: could not determine a constructor for the tag")
    assert "not allowed in a bank" in found[0]
    assert not marker.exists()


def test_duplicate_ids_across_files_skip_the_later_file(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD.replace("What is the", "Again, what is the"))
    result = load_banks([tmp_path], today=TODAY, display_root=tmp_path)
    assert [str(p) for p in result.problems] == [
        "b.yaml:2:1: duplicate id 'q-one': already used at a.yaml:2"]
    assert result.skipped_files == ["b.yaml"]
    assert [q.prompt for q in result.questions] == ["What is the maximum timeout?"]


def test_a_broken_file_is_skipped_and_the_others_still_load(tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "broken.yaml").write_text("questions: [\n")
    result = load_banks([tmp_path], today=TODAY, display_root=tmp_path)
    assert result.skipped_files == ["broken.yaml"]
    assert [q.id for q in result.questions] == ["q-one"]
    assert str(result.problems[0]).startswith("broken.yaml:2:1:")


def test_cache_is_used_and_invalidated_when_the_file_changes(tmp_path):
    bank, cache = tmp_path / "bank.yaml", tmp_path / "cache"
    bank.write_text(GOOD)
    first = load_banks([bank], cache=cache, today=TODAY)
    assert [q.id for q in first.questions] == ["q-one"] and len(list(cache.iterdir())) == 1
    again = load_banks([bank], cache=cache, today=TODAY)
    assert again.questions == first.questions
    bank.write_text(GOOD.replace('answer: "15 minutes"', 'answer: "nope"'))
    changed = load_banks([bank], cache=cache, today=TODAY)
    assert changed.questions == [] and "not one of the choices" in str(changed.problems[0])


def test_empty_and_non_mapping_banks(tmp_path):
    assert problems("") == ["bank.yaml:1:1: the bank is empty; it needs a 'questions:' list"]
    assert problems("- a\n- b\n") == ["bank.yaml:1:1: a bank is a mapping with a 'questions:' list, not a list"]
    assert problems("questions: []\n") == ["bank.yaml:1:12: 'questions' must be a non-empty list"]


def test_a_file_given_twice_is_loaded_once(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    result = load_banks([tmp_path, tmp_path / "a.yaml", tmp_path / "." / "a.yaml"], today=TODAY)
    assert result.problems == [] and len(result.questions) == 1


RECALL_WITH_FOLLOW_UPS = textwrap.dedent("""\
    questions:
      - id: r
        topic: cold-starts
        type: recall
        prompt: What is a cold start?
        answer: Lambda creates a new execution environment and runs Init before the handler.
        key_points:
          - New execution environment created
          - point: Init runs before the handler
            phrasings: [initialization phase, init code]
        follow_ups:
          - prompt: How would you reduce it?
            answer: Provisioned concurrency keeps environments initialised; SnapStart restores a snapshot.
            key_points:
              - point: Provisioned concurrency
                phrasings: [pre-initialised environments]
              - SnapStart
            premise: 2
        explanation: x
        sources: [https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html]
        last_verified: 2026-11-01
        difficulty: 2
        syllabus: [S68]
    """)


def test_key_point_phrasings_and_follow_ups_load_and_survive_the_cache(tmp_path):
    questions, found = check_file(Path("b.yaml"), RECALL_WITH_FOLLOW_UPS.encode(), TODAY)
    assert found == []
    q = questions[0]
    assert q.key_points == ("New execution environment created", "Init runs before the handler")
    assert q.phrasings == ((), ("initialization phase", "init code"))
    (follow_up,) = q.follow_ups
    assert follow_up.premise == 2 and follow_up.key_points == ("Provisioned concurrency", "SnapStart")
    assert follow_up.phrasings == (("pre-initialised environments",), ())
    bank = tmp_path / "b.yaml"
    bank.write_text(RECALL_WITH_FOLLOW_UPS)
    first = load_banks([bank], cache=tmp_path / "cache", today=TODAY).questions
    second = load_banks([bank], cache=tmp_path / "cache", today=TODAY).questions  # from the cache
    assert first == second == [q.__class__(**{**q.to_dict(), "origin": first[0].origin,
                                               "follow_ups": q.follow_ups})]


def test_follow_up_mistakes_are_reported_at_their_place():
    text = RECALL_WITH_FOLLOW_UPS.replace("        premise: 2\n", "        premise: 3\n        hint: x\n")
    text = text.replace("          - SnapStart\n", "          - point: SnapStart\n            phrasing: [snap]\n")
    assert problems(text) == [
        "bank.yaml:18:13: questions[1] (r): follow_ups[1]: key_points[2]: unknown field 'phrasing'; "
        "a key point has 'point' and 'phrasings'",
        "bank.yaml:19:18: questions[1] (r): follow_ups[1]: premise is the number of the main question's key point "
        "it follows from, 1 to 2",
        "bank.yaml:20:9: questions[1] (r): follow_ups[1]: unknown field 'hint'",
    ]
    choice = GOOD.replace("    difficulty: 1\n", "    difficulty: 1\n    follow_ups: [{prompt: a, answer: b, key_points: [c]}]\n")
    assert any("a single question has no follow_ups" in p for p in problems(choice))
