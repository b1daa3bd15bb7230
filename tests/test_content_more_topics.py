"""The second-edition topics `whats-new` and `system-design`, and the questions added to the
deployment (function states, runtime management) and monitoring (extensions) banks."""

from __future__ import annotations

import re
import shlex
from collections import Counter
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from lambda_prep import explain, paths
from lambda_prep.bank import load_banks
from lambda_prep.cli import app
from lambda_prep.topics import TOPICS

QUESTIONS = load_banks([paths.builtin_banks_dir()]).questions
BY_ID = {q.id: q for q in QUESTIONS}
MYTHS_DIR = paths.builtin_banks_dir().parent / "myths"

# The new topics and the least number of questions each must hold.
NEW_TOPICS = {"whats-new": 30, "system-design": 25}
NEW_TOPICS = {t: n for t, n in NEW_TOPICS.items() if t in TOPICS}

# Questions this work appended to existing banks, by the syllabus item they teach.
ADDED = {
    "deployment": "S69",  # function states, update status, runtime management, deprecation
    "monitoring": "S70",  # extensions, Extensions API, Telemetry API, their costs
}


def in_topic(topic: str) -> list:
    return [q for q in QUESTIONS if q.topic == topic]


def written_here() -> list:
    """Every question of the new topics, plus those appended for the added syllabus items."""
    added = [q for topic, item in ADDED.items() for q in in_topic(topic) if item in q.syllabus]
    return [q for t in NEW_TOPICS for q in in_topic(t)] + added


@pytest.mark.parametrize("topic", list(NEW_TOPICS))
def test_new_topic_is_big_enough_and_well_mixed(topic):
    questions = in_topic(topic)
    types = Counter(q.type for q in questions)
    assert len(questions) >= NEW_TOPICS[topic], f"{topic}: only {len(questions)} questions"
    assert types["recall"] / len(questions) >= 0.25, types
    assert types["multi"] and types["single"] and types["true-false"], types
    assert sum("scenario" in q.tags for q in questions) >= 3
    assert sum(q.difficulty == 3 for q in questions) >= 3
    assert any(q.myth for q in questions)


@pytest.mark.parametrize("topic,item", list(ADDED.items()))
def test_existing_banks_gained_questions_for_the_new_items(topic, item):
    added = [q for q in in_topic(topic) if item in q.syllabus]
    assert len(added) >= 6, f"{topic}: {len(added)} questions on {item}"
    assert any(q.type == "recall" for q in added)


def test_every_new_syllabus_item_is_covered():
    covered = {s for q in QUESTIONS for s in q.syllabus}
    wanted = {"S64", "S68", "S69", "S70"} | ({"S65", "S66"} if "system-design" in NEW_TOPICS else set())
    assert wanted <= covered, wanted - covered


def test_recall_questions_have_follow_ups_and_checkable_key_points():
    recall = [q for q in written_here() if q.type == "recall"]
    assert recall
    for q in recall:
        assert 1 <= len(q.follow_ups) <= 2, q.id
        # Every key point lists the other ways a typed answer may say it.
        assert len(q.phrasings) == len(q.key_points) and all(q.phrasings), q.id
        for follow_up in q.follow_ups:
            assert 2 <= len(follow_up.key_points) <= 5, q.id
            assert all(follow_up.phrasings), q.id
            assert 20 <= len(follow_up.model_answer.split()) <= 200, q.id
            assert 0 <= follow_up.premise <= len(q.key_points), q.id


def load_myths() -> dict[str, dict]:
    myths = {}
    for path in sorted(MYTHS_DIR.glob("*.yaml")):
        for myth in yaml.safe_load(path.read_text())["myths"]:
            assert myth["id"] not in myths, f"myth id {myth['id']} used twice"
            myths[myth["id"]] = myth | {"file": path.stem}
    return myths


def test_every_myth_question_written_here_is_in_a_myths_file():
    listed = {qid for myth in load_myths().values() for qid in myth["questions"]}
    missing = [q.id for q in written_here() if q.myth and q.id not in listed]
    assert not missing, f"myth questions without a myths entry: {missing}"


@pytest.mark.parametrize("topic", list(NEW_TOPICS))
def test_myths_file_points_at_real_myth_questions(topic):
    myths = [m for m in load_myths().values() if m["file"] == topic]
    assert myths, f"no content/myths/{topic}.yaml"
    for myth in myths:
        assert myth["source"].startswith("https://")
        for qid in myth["questions"]:
            assert qid in BY_ID and BY_ID[qid].myth, f"{myth['id']}: {qid} is not a myth question"


def flags(myth: dict, sentence: str) -> bool:
    """The detector's rule: a detect pattern matches and no unless pattern does (same sentence)."""
    hit = any(re.search(p, sentence, re.I) for p in myth["detect"])
    return hit and not any(re.search(p, sentence, re.I) for p in myth.get("unless", []))


@pytest.mark.parametrize("topic", list(NEW_TOPICS))
def test_myth_patterns_catch_the_belief_and_spare_the_correction(topic):
    for myth in (m for m in load_myths().values() if m["file"] == topic):
        assert len(myth["examples"]["myth"]) >= 2 and len(myth["examples"]["fact"]) >= 2, myth["id"]
        for sentence in myth["examples"]["myth"]:
            assert flags(myth, sentence), f"{myth['id']} misses: {sentence}"
        for sentence in myth["examples"]["fact"]:
            assert not flags(myth, sentence), f"{myth['id']} flags a correct answer: {sentence}"


def try_it_commands(topic: str) -> list[list[str]]:
    text = explain.read(topic)
    block = text.split("## Try it", 1)[1]
    return [shlex.split(line)[1:] for line in block.splitlines() if line.startswith("lambda-prep simulate")]


@pytest.mark.parametrize("topic", list(NEW_TOPICS))
def test_try_it_simulations_really_run(topic):
    commands = try_it_commands(topic)
    assert commands, f"{topic}: Try it names no simulation"
    for args in commands:
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, f"{' '.join(args)}: exit {result.exit_code}\n{result.output[-500:]}"


def test_explainers_teach_the_managed_instances_nuance():
    text = Path(paths.explainers_dir() / "whats-new.md").read_text()
    assert "several requests" in text and "/tmp" in text and "capacity provider" in text
