"""The second-edition topics written from scratch: front doors and event sources.

They must be as complete as the first-edition banks, with the follow-ups and myth entries the
mock interview needs, and must cover their syllabus items.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from lambda_prep import paths
from lambda_prep.bank import load_banks
from lambda_prep.topics import TOPICS

BANKS = load_banks([paths.builtin_banks_dir()])
NEW_TOPICS = ["front-doors", "event-sources"]
REGISTERED = [t for t in NEW_TOPICS if t in TOPICS]
MYTHS_DIR = paths.content_dir() / "myths"

# Syllabus items these topics exist for (shared/syllabus.md), and the topic that owns each.
OWNED = {"S41": "front-doors", "S42": "front-doors", "S43": "front-doors", "S44": "event-sources",
         "S67": "event-sources"}


def questions(topic):
    return [q for q in BANKS.questions if q.topic == topic]


def myth_entries(topic):
    path = MYTHS_DIR / f"{topic}.yaml"
    return yaml.safe_load(path.read_text())["myths"] if path.exists() else []


def learner_text(q) -> str:
    follow = " ".join(f.prompt + " " + f.model_answer + " " + " ".join(f.key_points) for f in q.follow_ups)
    return " ".join([q.prompt, *q.choices, *q.answer, q.model_answer, *q.key_points, q.explanation, follow])


def flagged(myth, text: str) -> bool:
    """The detector's documented rule: a sentence matching a detect pattern and no unless pattern."""
    for sentence in re.split(r"(?<=[.!?;])\s+", text):
        if any(re.search(p, sentence, re.I) for p in myth["detect"]) and not any(
                re.search(p, sentence, re.I) for p in myth.get("unless", [])):
            return True
    return False


def test_both_topics_are_registered_with_a_bank():
    assert REGISTERED == NEW_TOPICS
    for topic in NEW_TOPICS:
        assert (paths.builtin_banks_dir() / f"{topic}.yaml").is_file()


@pytest.mark.parametrize("topic", REGISTERED)
def test_at_least_30_questions_with_a_quarter_recall_and_every_type(topic):
    qs = questions(topic)
    types = Counter(q.type for q in qs)
    assert len(qs) >= 30, f"{topic}: {len(qs)} questions"
    assert types["recall"] / len(qs) >= 0.25, types
    assert types["single"] and types["multi"] and types["true-false"], types


@pytest.mark.parametrize("topic", REGISTERED)
def test_every_recall_question_has_follow_ups_and_checkable_key_points(topic):
    for q in questions(topic):
        if q.type != "recall":
            continue
        assert 1 <= len(q.follow_ups) <= 2, f"{q.id}: {len(q.follow_ups)} follow-ups"
        for follow in q.follow_ups:
            assert 2 <= len(follow.key_points) <= 5, f"{q.id}: follow-up with {len(follow.key_points)} key points"
            assert 20 <= len(follow.model_answer.split()), f"{q.id}: a follow-up answer too short to teach"
        # At least one key point lists the other ways (and figures) a right answer may say it.
        assert any(q.phrasings), f"{q.id}: no key point has phrasings"


@pytest.mark.parametrize("topic", REGISTERED)
def test_senior_scenario_and_myth_questions(topic):
    qs = questions(topic)
    assert sum(q.difficulty == 3 for q in qs) >= 4, f"{topic}: too few senior questions"
    assert sum("scenario" in q.tags for q in qs) >= 4, f"{topic}: too few scenario questions"
    assert sum(q.myth for q in qs) >= 3, f"{topic}: too few myth questions"


@pytest.mark.parametrize("topic", REGISTERED)
def test_every_myth_question_is_listed_in_a_myths_entry_and_back(topic):
    listed = {qid for entry in myth_entries(topic) for qid in entry["questions"]}
    myths = {q.id for q in questions(topic) if q.myth}
    assert myths - listed == set(), f"myth questions without a myths entry: {myths - listed}"
    by_id = {q.id: q for q in BANKS.questions}
    for qid in listed:
        assert qid in by_id and by_id[qid].myth, f"{qid} is listed in a myths file but is not a myth question"


def test_myth_ids_are_unique_and_well_formed():
    ids = [entry["id"] for topic in NEW_TOPICS for entry in myth_entries(topic)]
    assert len(ids) == len(set(ids))
    for topic in NEW_TOPICS:
        for entry in myth_entries(topic):
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["id"])
            assert entry["source"].startswith("https://")
            assert entry["belief"] and entry["correction"]


@pytest.mark.parametrize("entry", [pytest.param(e, id=e["id"]) for t in NEW_TOPICS for e in myth_entries(t)])
def test_each_myth_pattern_flags_its_myths_and_spares_its_facts(entry):
    assert len(entry["examples"]["myth"]) >= 2 and len(entry["examples"]["fact"]) >= 2
    for sentence in entry["examples"]["myth"]:
        assert flagged(entry, sentence), f"not flagged: {sentence!r}"
    for sentence in entry["examples"]["fact"]:
        assert not flagged(entry, sentence), f"false alarm: {sentence!r}"


@pytest.mark.parametrize("topic", REGISTERED)
def test_myth_patterns_do_not_flag_the_topics_own_model_answers(topic):
    # A learner who repeats the model answer states the correction, so it must never be flagged.
    for q in questions(topic):
        if q.type != "recall":
            continue
        for entry in myth_entries(topic):
            assert not flagged(entry, q.model_answer), f"{entry['id']} flags the model answer of {q.id}"


def test_the_syllabus_items_are_covered_by_their_topics():
    for item, topic in OWNED.items():
        if topic in TOPICS:
            hits = [q.id for q in questions(topic) if item in q.syllabus]
            assert len(hits) >= 3, f"{item}: only {hits} in {topic}"


@pytest.mark.parametrize("topic", REGISTERED)
def test_no_internal_ids_reach_the_learner(topic):
    for q in questions(topic):
        text = learner_text(q)
        assert not re.search(r"\bS\d{2}\b|syllabus item|simulation-notes|\bF\d{1,2}\b", text), q.id
    explainer = (paths.explainers_dir() / f"{topic}.md").read_text()
    assert not re.search(r"\bS\d{2}\b|syllabus item", explainer)


@pytest.mark.parametrize("topic", REGISTERED)
def test_no_tells_in_the_choices(topic):
    single = [q for q in questions(topic) if q.type == "single"]
    longest = [q.id for q in single
               if all(len(q.answer[0]) > len(c) for c in q.choices if c != q.answer[0])]
    assert len(longest) <= len(single) // 3, f"right answer is the longest choice in {longest}"
    tf = Counter(q.answer for q in questions(topic) if q.type == "true-false")
    assert tf[("True",)] >= 3 and tf[("False",)] >= 3, tf


@pytest.mark.parametrize("topic", REGISTERED)
def test_every_question_is_sourced_from_aws_first_and_verified_today(topic):
    for q in questions(topic):
        assert re.match(r"https://(docs\.)?aws\.amazon\.com/|https://repost\.aws/", q.sources[0]), q.id
        assert q.last_verified == "2026-12-07", q.id


@pytest.mark.parametrize("topic", REGISTERED)
def test_choices_fit_an_80_column_terminal(topic):
    # The answer menu draws each choice on one line after a 3-character pointer; a longer
    # choice is cut at the edge of an 80-column terminal.
    long = [(q.id, c) for q in questions(topic) for c in q.choices if len(c) > 74]
    assert not long, long
