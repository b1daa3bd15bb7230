"""The grading policy, as documented in the README."""

from __future__ import annotations

import pytest

from lambda_prep.study.grading import Attempt, Rating, grade, is_correct_choice, speed, suggest_recall_rating

WORDS = 30  # expected time 2 + 0.3 * 30 = 11 s: fast <= 5.5 s, slow > 33 s


def attempt(**kw) -> Attempt:
    base = dict(correct=True, duration_s=10.0, words=WORDS)
    base.update(kw)
    return Attempt(**base)


@pytest.mark.parametrize("duration", [1.0, 10.0, 60.0, None])
@pytest.mark.parametrize("flags", [{}, {"hinted": True}, {"unsure": True}, {"changed": True}])
def test_a_wrong_answer_is_always_again_never_hard(duration, flags):
    assert grade(attempt(correct=False, duration_s=duration, **flags)) == Rating.AGAIN


def test_dont_know_is_again_even_if_the_selection_happened_to_match():
    assert grade(attempt(dont_know=True)) == Rating.AGAIN


def test_correct_at_a_normal_pace_is_good():
    assert grade(attempt(duration_s=10.0)) == Rating.GOOD


def test_correct_but_slow_is_hard():
    assert speed(40.0, WORDS) == "slow"
    assert grade(attempt(duration_s=40.0)) == Rating.HARD


@pytest.mark.parametrize("flag", ["hinted", "unsure", "changed"])
def test_correct_after_hint_doubt_or_change_is_hard_even_when_fast(flag):
    assert grade(attempt(duration_s=2.0, **{flag: True})) == Rating.HARD


def test_easy_only_when_fast_and_sure():
    assert grade(attempt(duration_s=2.0)) == Rating.EASY
    assert grade(attempt(duration_s=6.0)) == Rating.GOOD  # just over the fast threshold


def test_unmeasured_time_counts_as_normal_pace():
    assert speed(None, WORDS) == "normal"
    assert grade(attempt(duration_s=None)) == Rating.GOOD


def test_short_questions_are_not_slow_before_twenty_seconds():
    assert speed(15.0, 3) == "normal"
    assert speed(21.0, 3) == "slow"


def test_multi_is_all_or_nothing():
    assert is_correct_choice({"a", "b"}, {"a", "b"})
    assert not is_correct_choice({"a"}, {"a", "b"})
    assert not is_correct_choice({"a", "b", "c"}, {"a", "b"})


@pytest.mark.parametrize("covered,total,expected", [
    (0, 4, Rating.AGAIN), (1, 4, Rating.AGAIN), (2, 4, Rating.HARD), (3, 4, Rating.HARD), (4, 4, Rating.GOOD),
])
def test_recall_suggestion_from_key_points(covered, total, expected):
    assert suggest_recall_rating(covered, total) == expected
