"""The command line end to end through typer's CliRunner (stdin is not a terminal here)."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import typer.main
from typer.testing import CliRunner

from lambda_prep import __version__
from lambda_prep.cli import app

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def sample_quiz(sample_bank, *extra, input=""):
    return run("quiz", "--bank", str(sample_bank), "--topic", "sample", "--seed", "1", *extra, input=input)


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"lambda-prep {__version__}"


def all_commands():
    root = typer.main.get_command(app)
    found = []
    for name, command in root.commands.items():
        if hasattr(command, "commands"):
            found += [(name, sub) for sub in command.commands]
        else:
            found.append((name,))
    return found


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p))
def test_every_command_has_help_with_an_example(path):
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout, f"{' '.join(path)} --help has no example"


def test_plain_quiz_from_piped_answers(sample_bank):
    # Seed 1 order: the single (15 minutes is choice 4), the true-false, the recall, the multi.
    result = sample_quiz(sample_bank, input="4\n2\n\na\n\n1 3\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.count("✓ Correct") == 3 and "Rated Good" in out
    assert "The maximum timeout is 900 seconds" in out  # the explanation
    assert "Source: https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html" in out
    assert re.search(r"sample\s+│\s+4\s+│\s+4\s+│\s+100%", out)  # per-topic summary
    assert "Next reviews:" in out


def test_a_wrong_answer_shows_the_right_one_and_the_question_returns(sample_bank):
    result = sample_quiz(sample_bank, "--count", "1", input="1\n4\n")
    assert "✗ Not quite: the answer is 15 minutes" in result.stdout
    assert result.stdout.count("\nWhat is the maximum timeout") == 2  # asked again at the end
    assert "Missed this session (1):" in result.stdout
    assert result.exit_code == 0


def test_end_of_input_ends_the_quiz_cleanly_with_a_summary(sample_bank):
    result = sample_quiz(sample_bank, input="4\n")
    assert result.exit_code == 0
    assert "Input ended; answers given so far are saved." in result.stdout
    assert "This session" in result.stdout


def test_invalid_input_is_asked_again_not_fatal(sample_bank):
    result = sample_quiz(sample_bank, "--count", "1", input="9\nabc\n4\n")
    assert result.stdout.count("Type a number from 1 to 4") == 2 and "✓ Correct" in result.stdout


def test_hint_removes_half_of_the_wrong_answers(sample_bank):
    result = sample_quiz(sample_bank, "--count", "1", input="h\n")
    assert "Half of the wrong answers removed." in result.stdout
    listing = result.stdout.split("Half of the wrong answers removed.")[1]
    assert listing.count(") ") == 2 and "15 minutes" in listing  # 50:50: the answer and one wrong one


def test_progress_is_kept_between_runs(sample_bank):
    sample_quiz(sample_bank, input="4\n2\n\na\n\n1 3\n")
    again = sample_quiz(sample_bank, "--new", input="")
    assert again.exit_code == 0 and "No new questions left" in again.stdout


def test_new_and_due_together_is_a_usage_error():
    result = run("quiz", "--new", "--due")
    assert result.exit_code == 2 and "exclude each other" in result.output


def test_unknown_topic_exits_2_with_a_suggestion():
    result = run("quiz", "--topic", "retires")
    assert result.exit_code == 2
    assert "unknown topic 'retires'" in result.output and "Did you mean retries" in result.output


def test_bad_count_exits_2():
    result = run("quiz", "--count", "0")
    assert result.exit_code == 2 and "--count" in result.output


def test_missing_bank_file_exits_2(tmp_path):
    result = run("quiz", "--bank", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_review_with_nothing_due_says_when_the_next_is(sample_bank):
    sample_quiz(sample_bank, "--count", "1", input="4\n")
    result = run("review")
    assert result.exit_code == 0 and "Nothing is due for review." in result.stdout


def test_a_broken_user_bank_is_reported_and_skipped(data_home, sample_bank):
    banks = data_home / "banks"
    banks.mkdir(parents=True)
    (banks / "mine.yaml").write_text("questions:\n  - id: x\n    topic: [\n")
    shutil.copy(sample_bank, banks / "sample.yaml")
    result = run("quiz", "--topic", "sample", "--seed", "1", "--count", "1", input="4\n")
    assert result.exit_code == 0
    assert "skipped 1 bank file(s) with problems" in result.stderr
    assert "mine.yaml:" in result.stderr
    assert "What is the maximum timeout" in result.stdout  # the good user bank still loads


def test_validate_reports_and_exits_1(tmp_path, sample_bank):
    bad = tmp_path / "bad.yaml"
    bad.write_text(sample_bank.read_text().replace('answer: "15 minutes"', 'answer: "16 minutes"'))
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert re.search(r"bad\.yaml:\d+:\d+: questions\[1\] \(sample-single\): answer '16 minutes' is not one", result.stdout)
    good = run("validate", str(sample_bank))
    assert good.exit_code == 0 and good.stdout.startswith("ok: ")


def test_reset_refuses_without_a_terminal_unless_yes(sample_bank):
    sample_quiz(sample_bank, "--count", "1", input="4\n")
    refused = run("reset")
    assert refused.exit_code == 2 and "--yes" in refused.output
    done = run("reset", "--yes")
    assert done.exit_code == 0 and "Forgot all your progress: 1 questions and 1 reviews." in done.stdout


def test_config_shows_sets_and_validates():
    assert "new-per-day        20" in run("config").stdout
    assert run("config", "new-per-day", "35").stdout.strip() == "new-per-day = 35"
    assert run("config", "new-per-day").stdout.strip() == "35"
    bad = run("config", "desired-retention", "1.5")
    assert bad.exit_code == 2 and "from 0.7 to 0.99" in bad.output
    unknown = run("config", "new-per-days", "3")
    assert unknown.exit_code == 2 and "Did you mean new-per-day" in unknown.output


def test_daily_new_limit_is_respected(sample_bank):
    run("config", "new-per-day", "2")
    first = sample_quiz(sample_bank, input="4\n2\n")
    assert first.stdout.count("[1/") == 1 and "[2/2]" in first.stdout and "[3/" not in first.stdout
    second = sample_quiz(sample_bank, "--new", input="")
    assert "daily limit of 2 new questions reached" in second.stdout


def test_stats_json_has_the_data_scripts_need(sample_bank):
    sample_quiz(sample_bank, input="4\n2\n\na\n\n1 3\n")
    data = json.loads(run("stats", "--json").stdout)
    assert {"mastery", "topics", "forecast", "streak", "heatmap", "due", "reviews", "accuracy"} <= set(data)
    assert data["reviews"] == 4 and data["streak"]["current"] == 1 and data["reviews_today"] == 4
    assert len(data["forecast"]) == 30 and len(data["heatmap"]) % 7 == 0
    for row in data["topics"]:
        assert {"topic", "mastery", "new", "learning", "review", "accuracy", "questions"} <= set(row)


def test_stats_dashboard_renders(sample_bank):
    sample_quiz(sample_bank, input="4\n2\n\na\n\n1 3\n")
    result = run("stats")
    assert result.exit_code == 0
    for text in ("Mastery", "Streak: 1 day", "Topics", "Due:", "Reviews, last"):
        assert text in result.stdout


def test_topics_lists_every_topic_with_counts():
    result = run("topics", "--json")
    rows = json.loads(result.stdout)
    assert all({"topic", "questions", "mastery"} <= set(r) for r in rows)


def test_a_damaged_database_is_reported_with_exit_1(data_home):
    data_home.mkdir(parents=True)
    db = data_home / "progress.db"
    db.write_bytes(b"garbage" * 1000)
    result = run("stats")
    assert result.exit_code == 1
    assert str(db) in result.stderr and "damaged" in result.stderr
    assert db.read_bytes() == b"garbage" * 1000


def test_every_commands_summary_is_one_line_so_help_does_not_break_it_mid_sentence():
    # Typer keeps the line breaks of a docstring's first paragraph in the command list of --help
    # ("...the 30-second interview" / "answer, the traps..."), so it must be written on one line.
    from typer.main import get_command

    def walk(group, path):
        for name, sub in getattr(group, "commands", {}).items():
            first = ((sub.callback.__doc__ or "") if sub.callback else "").strip().split("\n\n")[0]
            yield path + [name], first
            yield from walk(sub, path + [name])

    broken = [" ".join(path) for path, first in walk(get_command(app), []) if "\n" in first]
    assert broken == []
