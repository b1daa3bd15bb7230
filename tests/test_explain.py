"""Explainers: one per topic, same sections, rendering plain and rich, aliases and errors."""

from __future__ import annotations

import io
import re

import pytest
from typer.testing import CliRunner

from lambda_prep import explain, paths
from lambda_prep.cli import app
from lambda_prep.sims import NAMES as SIMULATIONS
from lambda_prep.terminal import Terminal
from lambda_prep.topics import TOPICS, resolve, suggest
from lambda_prep.views import explain as view

runner = CliRunner()


def text_of(topic: str) -> str:
    return explain.read(topic)


def section(text: str, name: str) -> str:
    return text.split(f"## {name}", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("topic", list(TOPICS))
def test_every_topic_has_an_explainer_with_every_section_in_order(topic):
    path = paths.explainers_dir() / f"{topic}.md"
    assert path.is_file(), f"missing {path}"
    assert explain.missing_sections(path.read_text()) == []


@pytest.mark.parametrize("topic", list(TOPICS))
def test_explainer_content_is_what_the_sections_promise(topic):
    text = text_of(topic)
    assert "```" in section(text, "How it works"), "How it works needs a diagram"
    table = [line for line in section(text, "Numbers to know").splitlines() if line.startswith("|")]
    assert len(table) >= 4, "Numbers to know needs a table"
    assert "source" in table[0].lower()
    for row in table[2:]:
        assert "https://" in row, f"a figure without a source: {row}"
    words = len(section(text, "The 30-second interview answer").split())
    assert 40 <= words <= 200, f"the 30-second answer has {words} words"
    try_it = section(text, "Try it")
    assert f"lambda-prep quiz --topic {topic}" in try_it
    named = re.findall(r"lambda-prep simulate ([a-z-]+)", try_it)
    assert named and set(named) <= set(SIMULATIONS), f"unknown simulations in Try it: {named}"
    diagram = section(text, "How it works").split("```")[1]
    assert max(len(line) for line in diagram.splitlines()) <= 72, "the diagram is too wide for a terminal"


def test_piped_output_is_the_plain_text():
    result = runner.invoke(app, ["explain", "cold-starts"])
    assert result.exit_code == 0
    assert result.stdout.strip() == text_of("cold-starts").strip()
    assert "\x1b[" not in result.stdout


def test_rich_rendering_in_a_terminal():
    class TTY(io.StringIO):
        def isatty(self):
            return True

    out = TTY()
    term = Terminal(stdin=TTY(), stdout=out, no_color=True)
    view.show(term, text_of("retries"), mastery="Your mastery: 40%", use_pager=False)
    rendered = out.getvalue()
    assert "Your mastery: 40%" in rendered
    assert "## What it is" not in rendered and "What it is" in rendered  # headings rendered, not raw
    assert "Figure" in rendered and "────" in rendered and "|---" not in rendered  # the table is drawn
    urls = re.findall(r"https://\S+", section(text_of("retries"), "Numbers to know"))
    for url in urls:
        assert url.rstrip("|").strip() in rendered  # addresses are listed whole, not cut to fit a column


@pytest.mark.parametrize("alias", ["cold-start", "coldstart", "cold starts", "Cold-Starts", "snapstart"])
def test_aliases_resolve(alias):
    assert resolve(alias) == "cold-starts"
    result = runner.invoke(app, ["explain", alias])
    assert result.exit_code == 0 and "## The 30-second interview answer" in result.stdout


@pytest.mark.parametrize("alias,topic", [("vpc", "networking-storage"), ("dlq", "retries"), ("iam", "security"),
                                         ("docker", "containers"), ("throttling", "concurrency")])
def test_more_aliases(alias, topic):
    assert resolve(alias) == topic


def test_unknown_topic_exits_2_with_did_you_mean():
    result = runner.invoke(app, ["explain", "concurency"])
    assert result.exit_code == 2
    assert "unknown topic 'concurency'" in result.output and "Did you mean concurrency" in result.output
    assert suggest("retires") == ["retries"]


def test_listing_topics_with_one_line_each():
    result = runner.invoke(app, ["explain"])
    assert result.exit_code == 0
    for name, summary in TOPICS.items():
        assert f"{name}" in result.stdout and summary in result.stdout
    assert "explainer coming" not in result.stdout


def test_mastery_is_shown_at_the_top_once_the_topic_is_studied(sample_bank):
    bank_topic_question = "retries"
    runner.invoke(app, ["quiz", "--topic", bank_topic_question, "--count", "1", "--seed", "1"], input="?\n")
    result = runner.invoke(app, ["explain", "retries"])
    assert result.stdout.startswith("Your mastery: ")


def try_it_simulations():
    import shlex

    for topic in TOPICS:
        for line in re.findall(r"^\s*(lambda-prep simulate .*)$", section(text_of(topic), "Try it"), flags=re.M):
            yield pytest.param(shlex.split(line.split(" #")[0])[1:], id=f"{topic}: {line[12:]}")


@pytest.mark.parametrize("args", list(try_it_simulations()))
def test_every_try_it_simulation_runs(args):
    result = runner.invoke(app, args + ["--json"])
    assert result.exit_code == 0, result.output[-500:]


def test_a_question_points_to_the_section_and_simulation_that_teach_it():
    from lambda_prep import library
    from lambda_prep.explain import SECTIONS, lesson_for

    questions = library.load_all_banks(include_user=False).questions
    sqs = next(q for q in questions if q.id == "ret-partial-batch")
    section, command = lesson_for(sqs)
    assert section in SECTIONS
    assert command.startswith("lambda-prep simulate retries") and "sqs" in command
    for q in questions:  # every question gets an explainer section at least
        assert lesson_for(q)[0] in SECTIONS, q.id
