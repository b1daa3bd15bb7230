"""The built-in banks: complete, well mixed, sourced, and current."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from lambda_prep import paths
from lambda_prep.bank import load_banks
from lambda_prep.bank.validation import SYLLABUS_IDS
from lambda_prep.topics import TOPICS

BANKS = load_banks([paths.builtin_banks_dir()])
QUESTIONS = BANKS.questions

# Each outdated belief in shared/syllabus.md, and the tag its myth-busting question carries.
MYTH_TAGS = {
    "myth-containers": "Lambda cannot run Docker containers",
    "myth-web-apps": "Existing web apps cannot run in Lambda as they are",
    "myth-50mb": "50 MB zipped is the limit for function plus layers",
    "myth-languages": "Supported languages: Node.js, Python, Java, C#, Go",
    "myth-init-billing": "Cold starts are not billed",
    "myth-fifo-fix": "Use a FIFO queue to fix the SQS throttling problem",
    "myth-retries": "You can configure up to 2 retries (for any invocation type)",
    "myth-async-256kb": "Async payloads are limited to 256 KB",
    "myth-burst": "Burst concurrency of 500-3,000 then 500 per minute",
}


def full_text(q) -> str:
    return " ".join([q.prompt, *q.choices, *q.answer, q.model_answer, *q.key_points, q.explanation])


def test_every_bank_validates():
    assert BANKS.problems == [], "\n".join(map(str, BANKS.problems))


def test_one_bank_per_topic_named_after_it():
    for path in paths.builtin_banks_dir().glob("*.yaml"):
        topics_in_file = {q.topic for q in QUESTIONS if q.origin.startswith(str(path))}
        assert topics_in_file == {path.stem}, f"{path.name} holds {topics_in_file}"


def test_at_least_300_questions_and_15_per_topic():
    per_topic = Counter(q.topic for q in QUESTIONS)
    assert len(QUESTIONS) >= 300
    assert set(per_topic) == set(TOPICS), set(TOPICS) ^ set(per_topic)
    thin = {t: n for t, n in per_topic.items() if n < 15}
    assert not thin, f"topics under 15 questions: {thin}"


def test_type_mix():
    types = Counter(q.type for q in QUESTIONS)
    assert types["recall"] / len(QUESTIONS) >= 0.20, types
    assert types["multi"] / len(QUESTIONS) >= 0.10, types
    assert types["single"] and types["true-false"]


def test_every_topic_has_scenario_questions():
    scenarios = Counter(q.topic for q in QUESTIONS if "scenario" in q.tags)
    missing = [t for t in TOPICS if scenarios[t] < 2]
    assert not missing, f"topics with fewer than 2 scenario questions: {missing}"


def test_recall_questions_have_a_model_answer_and_3_to_6_key_points():
    for q in QUESTIONS:
        if q.type == "recall":
            assert 3 <= len(q.key_points) <= 6, q.id
            assert 40 <= len(q.model_answer.split()) <= 250, f"{q.id}: model answer of {len(q.model_answer.split())} words"


# The syllabus grew to S70 (the format accepts all of them); the banks' second edition covers
# S41-S70 and widens this to SYLLABUS_IDS.
MUST_COVER = frozenset(f"S{n:02d}" for n in range(1, 41))


def test_every_syllabus_item_is_covered():
    covered = {s for q in QUESTIONS for s in q.syllabus}
    assert MUST_COVER <= SYLLABUS_IDS
    assert MUST_COVER - covered == set()


@pytest.mark.parametrize("tag", sorted(MYTH_TAGS))
def test_every_outdated_belief_has_a_myth_question(tag):
    hits = [q.id for q in QUESTIONS if q.myth and tag in q.tags]
    assert hits, f"no myth: true question tagged {tag} ({MYTH_TAGS[tag]})"


def test_every_source_is_https_and_aws_documentation_comes_first():
    for q in QUESTIONS:
        assert all(s.startswith("https://") for s in q.sources), q.id
    aws_first = sum(1 for q in QUESTIONS if re.match(r"https://(docs\.)?aws\.amazon\.com/", q.sources[0]))
    assert aws_first / len(QUESTIONS) >= 0.9


def test_every_answer_was_verified_this_year():
    assert all(dt.date.fromisoformat(q.last_verified) >= dt.date(2026, 1, 1) for q in QUESTIONS)


def test_explanations_teach():
    short = [q.id for q in QUESTIONS if len(q.explanation.split()) < 20]
    assert not short, f"explanations under 20 words: {short}"


def test_ids_are_prefixed_by_topic_and_never_bare_numbers():
    prefixes = Counter((q.topic, q.id.split("-")[0]) for q in QUESTIONS)
    per_topic = Counter(topic for topic, _ in prefixes)
    assert all(n == 1 for n in per_topic.values()), prefixes
    assert not [q.id for q in QUESTIONS if re.fullmatch(r"[\d-]+", q.id)]


# --- a guard against stale facts creeping back in ---------------------------------------------
# Wherever a question mentions an outdated figure, the same question must state the current one,
# so a learner never leaves with the old number. (Figures: shared/reference/lambda-facts.md.)
STALE = [
    ("async payload of 256 KB", r"256\s?KB", r"1\s?MB"),
    ("old burst concurrency", r"500\s?(?:-|–|to)\s?3,?000|(?:\+|plus )?500 (?:more )?(?:instances |environments )?"
                              r"(?:per|a|each|every) minute", r"1,000 (?:execution )?environments"),
    ("free cold starts", r"(?:cold starts?|init(?:ialization)?(?: phase)?|INIT(?: phase)?) (?:are|is|was|were) "
                         r"(?:not billed|free|unbilled)", r"(?:1|August) \S*\s?2025|Aug(?:ust)? 1, 2025"),
    ("75 GB code storage", r"\b75\s?GB", r"300\s?GB"),
    ("go1.x runtime", r"go1\.x", r"provided\.al2023"),
    ("250 ENIs per VPC", r"\b250 (?:ENIs|network interfaces|Hyperplane)", r"\b500\b"),
    ("100 ms billing", r"100[\s-]?ms (?:increments|billing|granularity|rounding|blocks)", r"\b1[\s-]?ms\b"),
]


@pytest.mark.parametrize("name,stale,current", STALE, ids=[s[0] for s in STALE])
def test_a_stale_figure_never_appears_without_the_current_one(name, stale, current):
    offenders = [q.id for q in QUESTIONS
                 if re.search(stale, full_text(q), re.I) and not re.search(current, full_text(q), re.I)]
    assert not offenders, f"{name}: mentioned without the current figure in {offenders}"


# Numbers that must be current wherever a bank states them (a right answer is never the old value).
CURRENT = [
    ("async payload", r"\basync\w*\b[^.]{0,60}\bpayload|\bpayload[^.]{0,60}\basync", r"1\s?MB"),
    ("scaling rate", r"scal(?:ing|es) (?:rate|at|by)|scaling speed", r"1,000"),
    ("INIT billing", r"\binit(?:ialization)? (?:phase )?(?:is |are )?(?:billed|charged)", r"2025|billed|charged"),
    ("maximum timeout", r"maximum (?:function )?timeout|timeout limit", r"15 minutes|900 s|15-minute|15 min"),
    ("maximum memory", r"maximum memory|memory (?:limit|range|maximum)", r"10,240 MB|10 GB"),
]


@pytest.mark.parametrize("name,trigger,required", CURRENT, ids=[c[0] for c in CURRENT])
def test_current_figures_appear_wherever_they_are_discussed(name, trigger, required):
    offenders = [q.id for q in QUESTIONS
                 if re.search(trigger, full_text(q), re.I) and not re.search(required, full_text(q), re.I)]
    assert not offenders, f"{name}: discussed without the current figure in {offenders}"


@pytest.mark.parametrize("stale", [r"^256\s?KB$", r"^500\s?-\s?3,?000", r"^75\s?GB$", r"^go1\.x$"])
def test_no_right_answer_is_a_stale_figure(stale):
    for q in QUESTIONS:
        for answer in q.answer:
            assert not re.search(stale, answer.strip(), re.I), f"{q.id}: answer {answer!r} is outdated"


def test_the_guard_catches_a_stale_question():
    sample = Path(__file__).parent / "data" / "sample.yaml"
    stale_text = "Async invocations accept payloads of up to 256 KB."
    assert re.search(STALE[0][1], stale_text, re.I) and not re.search(STALE[0][2], stale_text, re.I)
    assert sample.exists()


# --- no answer given away by the shape of the choices ------------------------------------------


def answer_is_longest(q) -> bool:
    """The right choice is strictly longer than every wrong one: the classic test-taking tell."""
    right = len(q.answer[0])
    return all(right > len(c) for c in q.choices if c != q.answer[0])


def test_the_right_answer_is_not_usually_the_longest_choice():
    single = [q for q in QUESTIONS if q.type == "single"]
    overall = sum(map(answer_is_longest, single)) / len(single)
    assert overall <= 0.35, f"the right answer is the longest choice in {overall:.0%} of single questions"
    for topic in TOPICS:
        in_topic = [q for q in single if q.topic == topic]
        tells = [q.id for q in in_topic if answer_is_longest(q)]
        assert len(tells) <= max(1, len(in_topic) // 2), f"{topic}: longest choice is right in {tells}"


def test_true_false_answers_are_balanced():
    tf = [q for q in QUESTIONS if q.type == "true-false"]
    true_share = sum(q.answer == ("True",) for q in tf) / len(tf)
    assert 0.35 <= true_share <= 0.65, f"{true_share:.0%} of true-false answers are True"
    for topic in TOPICS:
        answers = {q.answer for q in tf if q.topic == topic}
        assert len(answers) == 2 or len([q for q in tf if q.topic == topic]) < 2, f"{topic}: all one answer"
