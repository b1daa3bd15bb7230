"""Questions appended for shipping, traffic shifting, IaC, configuration and testing
(deployment), logs, metrics, tracing and diagnosis (monitoring), cost (pricing-performance) and
latency (cold-starts): the syllabus items that had no question yet.

They must cover each item at least twice, meet the per-topic counts, give every recall question
follow-ups and checkable key points, and list every myth question in a myths file whose patterns
catch the belief and spare the correction.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from lambda_prep import paths
from lambda_prep.bank import load_banks

QUESTIONS = load_banks([paths.builtin_banks_dir()]).questions
MYTHS_DIR = paths.content_dir() / "myths"

# Syllabus item -> the topic that owns it (shared/syllabus.md), and the least number of new
# questions each topic must hold for its items.
OWNER = {"S54": "deployment", "S55": "deployment", "S56": "deployment", "S57": "deployment",
         "S58": "deployment", "S59": "monitoring", "S60": "monitoring", "S61": "monitoring",
         "S62": "pricing-performance", "S63": "cold-starts"}
AT_LEAST = {"deployment": 20, "monitoring": 16, "pricing-performance": 8, "cold-starts": 8}
TOPICS = [t for t in AT_LEAST if any(q.topic == t and set(q.syllabus) & set(OWNER) for q in QUESTIONS)]


def written_here(topic: str | None = None) -> list:
    return [q for q in QUESTIONS if set(q.syllabus) & set(OWNER) and (topic is None or q.topic == topic)]


def myths() -> list[dict]:
    out = []
    for path in sorted(MYTHS_DIR.glob("*.yaml")):
        out += [m | {"file": path.stem} for m in yaml.safe_load(path.read_text())["myths"]]
    return out


@pytest.mark.parametrize("item", sorted(OWNER))
def test_every_item_is_covered_at_least_twice_in_its_topic(item):
    if OWNER[item] not in TOPICS:
        pytest.skip(f"{OWNER[item]} questions not written yet")
    hits = [q.id for q in QUESTIONS if item in q.syllabus and q.topic == OWNER[item]]
    assert len(hits) >= 2, f"{item}: {hits}"


@pytest.mark.parametrize("topic", TOPICS)
def test_counts_and_type_mix(topic):
    qs = written_here(topic)
    assert len(qs) >= AT_LEAST[topic], f"{topic}: {len(qs)} new questions"
    types = Counter(q.type for q in qs)
    assert types["recall"] / len(qs) >= 0.25, types
    assert all(types[t] for t in ("single", "multi", "true-false")), types
    assert any(q.difficulty == 3 for q in qs) and any("scenario" in q.tags for q in qs)
    assert any(q.myth for q in qs), f"{topic}: no myth question"


@pytest.mark.parametrize("topic", TOPICS)
def test_true_false_answers_are_not_all_one_way(topic):
    answers = Counter(q.answer for q in written_here(topic) if q.type == "true-false")
    assert len(answers) == 2, answers


def test_recall_questions_have_follow_ups_and_checkable_key_points():
    for q in (q for q in written_here() if q.type == "recall"):
        assert 1 <= len(q.follow_ups) <= 2, q.id
        assert 3 <= len(q.key_points) <= 6, q.id
        assert 40 <= len(q.model_answer.split()) <= 250, q.id
        assert any(q.phrasings), f"{q.id}: no phrasings for a typed answer"
        for f in q.follow_ups:
            assert 2 <= len(f.key_points) <= 5 and f.model_answer, q.id
            assert 0 <= f.premise <= len(q.key_points), q.id


def test_choices_fit_the_menu_and_the_answer_is_not_usually_the_longest():
    qs = [q for q in written_here() if q.type in ("single", "multi")]
    assert all(len(c) < 80 for q in qs for c in q.choices)
    single = [q for q in qs if q.type == "single"]
    longest = [q.id for q in single if all(len(q.answer[0]) > len(c) for c in q.choices if c != q.answer[0])]
    assert len(longest) <= len(single) // 3, longest


def test_no_internal_ids_and_sources_are_https_and_verified():
    for q in written_here():
        text = " ".join([q.prompt, *q.choices, q.model_answer, *q.key_points, q.explanation])
        assert not re.search(r"\bS\d\d\b|syllabus", text), q.id
        assert q.sources and all(s.startswith("https://") for s in q.sources), q.id
        assert q.last_verified == "2026-12-07", q.id


def test_every_myth_question_is_in_a_myths_file_that_catches_it():
    by_question = {qid: m for m in myths() for qid in m.get("questions", [])}
    for q in (q for q in written_here() if q.myth):
        assert q.id in by_question, f"{q.id} is not named by any myth"
        myth = by_question[q.id]

        def flags(sentence: str) -> bool:
            return (any(re.search(p, sentence, re.I) for p in myth["detect"])
                    and not any(re.search(p, sentence, re.I) for p in myth.get("unless", [])))

        assert all(flags(s) for s in myth["examples"]["myth"]), myth["id"]
        assert not any(flags(s) for s in myth["examples"]["fact"]), myth["id"]
