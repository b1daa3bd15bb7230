"""Questions written for orchestration, the programming model, large data, SDK calls,
permissions, encryption and secrets, supply chain and network controls.

They are appended to four existing banks; these tests hold what they must cover (each of their
syllabus items at least twice), their counts, the follow-ups the mock interview needs on every
recall question, and the myth entries behind their myth questions.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from lambda_prep import paths
from lambda_prep.bank import load_banks
from lambda_prep.study.myths import check_file

BANKS = load_banks([paths.builtin_banks_dir()])
BY_ID = {q.id: q for q in BANKS.questions}

# The questions this work added, by bank, with the minimum each bank had to gain.
ADDED = {
    "integrations-patterns": (10, [
        "int-sfn-types-recall", "int-sfn-express-callback", "int-sfn-task-token-recall",
        "int-sfn-distributed-map", "int-sfn-map-40-tf", "int-sfn-retry-defaults",
        "int-sfn-retry-catch-multi", "int-sfn-lambda-service-errors",
        "int-orchestration-choreography", "int-sfn-express-sync-api",
        "int-sfn-standard-exactly-once-tf", "int-eventbridge-choreography-tf",
        "int-sfn-heartbeat-timeout-tf", "int-distributed-map-recall"]),
    "fundamentals": (12, [
        "fun-handler-model-recall", "fun-context-remaining-time", "fun-context-multi",
        "fun-init-every-invocation-tf", "fun-reuse-connections", "fun-tmp-state-tf",
        "fun-graceful-shutdown", "fun-sdk-calls-recall", "fun-sdk-standard-attempts",
        "fun-sdk-timeout-shorter", "fun-credentials-env-tf", "fun-sdk-backoff-jitter-tf",
        "fun-sdk-design-recall", "fun-shutdown-recall", "fun-context-which-alias"]),
    "networking-storage": (12, [
        "net-large-s3-object-recall", "net-byte-range", "net-presigned-upload",
        "net-presigned-expiry-tf", "net-tmp-efs-s3-recall", "net-payload-workarounds-multi",
        "net-gateway-vs-interface", "net-nat-for-s3-tf", "net-security-groups-recall",
        "net-ipv6-dual-stack", "net-ipv6-default-tf", "net-egress-design-recall",
        "net-sg-source-tf", "net-vpc-invoke-lambda-endpoint"]),
    "security": (16, [
        "sec-permissions-depth-recall", "sec-passrole-denied", "sec-sqs-trigger-permissions",
        "sec-resource-policy-sources-multi", "sec-cross-account-invoke-tf", "sec-cross-account-sqs",
        "sec-cmk-grant-recreated-role", "sec-env-encrypted-default-tf", "sec-cmk-vs-managed-recall",
        "sec-rotation-recall", "sec-extension-cache-recall", "sec-extension-stale",
        "sec-extension-iam-tf", "sec-supply-chain-recall", "sec-runtime-rollback",
        "sec-runtime-modes-multi", "sec-layer-cross-account", "sec-container-patching-tf",
        "sec-inspector-lambda-tf", "sec-code-signing-images-tf",
        "sec-layer-permission-version-tf", "sec-cross-account-design-recall"]),
}
ITEMS = {"S46": "integrations-patterns", "S47": "fundamentals", "S48": "networking-storage",
         "S49": "fundamentals", "S50": "security", "S51": "security", "S52": "security",
         "S53": "networking-storage"}
MINE = [BY_ID[qid] for _, ids in ADDED.values() for qid in ids if qid in BY_ID]
INTERNAL_ID = re.compile(r"\bS\d{2}\b|syllabus item")


def test_every_added_question_is_in_its_bank():
    for topic, (minimum, ids) in ADDED.items():
        missing = [qid for qid in ids if qid not in BY_ID]
        assert not missing, missing
        assert {BY_ID[qid].topic for qid in ids} == {topic}
        assert len(ids) >= minimum, (topic, len(ids), minimum)


@pytest.mark.parametrize("item", sorted(ITEMS))
def test_each_syllabus_item_is_covered_at_least_twice_in_its_topic(item):
    covering = [q.id for q in MINE if item in q.syllabus and q.topic == ITEMS[item]]
    assert len(covering) >= 2, (item, covering)


@pytest.mark.parametrize("topic", sorted(ADDED))
def test_mix_per_topic_recall_senior_scenario_myth(topic):
    qs = [BY_ID[qid] for qid in ADDED[topic][1]]
    types = Counter(q.type for q in qs)
    assert types["recall"] / len(qs) >= 0.25, types
    assert types["single"] and types["multi"] and types["true-false"], types
    assert any(q.difficulty == 3 for q in qs)
    assert sum("scenario" in q.tags for q in qs) >= 2
    assert any(q.myth for q in qs)
    answers = Counter(q.answer for q in qs if q.type == "true-false")
    assert abs(answers[True] - answers[False]) <= 1, answers


def test_recall_questions_have_checkable_key_points_and_follow_ups():
    for q in (q for q in MINE if q.type == "recall"):
        assert 3 <= len(q.key_points) <= 6, q.id
        assert 40 <= len(q.model_answer.split()) <= 250, q.id
        assert q.phrasings and all(q.phrasings), f"{q.id}: every key point lists phrasings"
        assert 1 <= len(q.follow_ups) <= 2, q.id
        for f in q.follow_ups:
            assert 2 <= len(f.key_points) <= 5, q.id
            assert 0 <= f.premise <= len(q.key_points), q.id


def test_choices_fit_the_menu_and_the_right_answer_is_not_usually_the_longest():
    longest_right = 0
    singles = [q for q in MINE if q.type == "single"]
    for q in MINE:
        for choice in q.choices:
            assert len(choice) < 75, (q.id, choice)
    for q in singles:
        if len(q.answer[0] if isinstance(q.answer, tuple) else q.answer) == max(map(len, q.choices)):
            longest_right += 1
    assert longest_right <= len(singles) // 3, longest_right


def test_no_internal_ids_in_what_the_learner_reads():
    for q in MINE:
        texts = [q.prompt, q.model_answer, *q.answer, q.explanation, *q.choices, *q.key_points]
        texts += [t for f in q.follow_ups for t in (f.prompt, f.model_answer, *f.key_points)]
        assert not any(INTERNAL_ID.search(t) for t in texts), q.id


def test_sources_are_https_and_aws_documentation_comes_first():
    for q in MINE:
        assert all(s.startswith("https://") for s in q.sources), q.id
        assert "aws.amazon.com" in q.sources[0] or "github.com/aws" in q.sources[0], q.id


def test_every_added_myth_question_is_taught_by_a_myth_entry():
    named = set()
    for path in paths.myths_dir().glob("*.yaml"):
        myths, problems = check_file(str(path), path.read_bytes())
        assert not problems
        named |= {qid for m in myths for qid in m.questions}
    untaught = [q.id for q in MINE if q.myth and q.id not in named]
    assert not untaught, untaught
