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


# --- the learner's own pace (replaces "Were you sure?") ---------------------------------------


def test_own_pace_needs_enough_right_answers_then_is_their_median():
    from lambda_prep.study.grading import OWN_PACE_MIN_ANSWERS, expected_seconds, own_pace

    few = [(5.5, WORDS)] * (OWN_PACE_MIN_ANSWERS - 1)
    assert own_pace(few) is None
    times = [(s, WORDS) for s in (4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0)]
    assert own_pace(times) == pytest.approx(8.0 / expected_seconds(WORDS))


def test_a_fast_reader_is_easy_only_when_fast_for_them():
    # This learner usually answers 30-word questions in about 4.4 s (pace 0.4): by the assumed reading
    # pace every answer of theirs looked "fast", so every right answer was Easy (or asked "Were you sure?").
    pace = 0.4
    assert grade(attempt(duration_s=4.4, own_pace=pace)) == Rating.GOOD  # their usual: Good
    assert grade(attempt(duration_s=2.5, own_pace=pace)) == Rating.EASY  # well under their usual: Easy


def test_a_slow_reader_gets_easy_for_what_is_fast_for_them():
    pace = 1.5  # usually 16.5 s on a 30-word question
    assert speed(8.0, WORDS) == "normal"  # by the assumed pace: not fast
    assert speed(8.0, WORDS, pace) == "fast"
    assert grade(attempt(duration_s=8.0, own_pace=pace)) == Rating.EASY


def test_marked_unsure_is_never_easy_whatever_the_pace():
    assert grade(attempt(duration_s=1.0, own_pace=1.0, unsure=True)) == Rating.HARD


def test_slow_stays_absolute_for_any_pace():
    assert grade(attempt(duration_s=40.0, own_pace=2.0)) == Rating.HARD


def test_own_paces_per_type_from_the_log():
    from lambda_prep.bank.model import Question
    from lambda_prep.study.session import own_paces

    single = Question("s", "t", "single", "Which one?", "", ("https://x",), "2026-11-01", 1, ("a", "b"), ("a",))
    multi = Question("m", "t", "multi", "Which ones?", "", ("https://x",), "2026-11-01", 1, ("a", "b"), ("a", "b"))
    log = [("s", True, 2000)] * 10 + [("m", True, 9000)] * 3 + [("gone", True, 1000)] * 10
    paces = own_paces(log, {"s": single, "m": multi})
    assert set(paces) == {"single"}  # too few multi answers; a removed question does not count
    assert paces["single"] == pytest.approx(2.0 / (2.0 + 0.3 * 4))
