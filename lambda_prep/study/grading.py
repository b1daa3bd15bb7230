"""The grading policy: how an answer becomes an FSRS rating.

Pure and documented in the README ("Grading policy"). Rules, from the FSRS authors' and Anki's
guidance (shared/reference/srs-notes.md §6):
- A wrong answer is Again, never Hard: FSRS treats Hard as a pass, so a Hard for a miss would
  stretch the interval of something forgotten.
- A correct answer is Good by default.
- It is Hard when it was slow, or the learner used a hint, marked it unsure or changed their mind.
- It is Easy only when it was fast and sure (no hint, not marked unsure, no change). "Fast" is
  judged against the learner's OWN usual pace for that question type when the review log has
  enough answers of that type (OWN_PACE_MIN_ANSWERS), else against an assumed reading pace. No
  question is asked after the answer: the learner marks a guess while answering (the `?` key).
- Saying "I don't know" is a wrong answer.
- Recall questions are self-rated after the model answer; the share of key points covered
  suggests a rating, which the learner may override.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

# Reading pace assumed when judging speed: about 200 words a minute plus time to decide.
SECONDS_PER_WORD = 0.3
BASE_SECONDS = 2.0
FAST_FACTOR = 0.5  # faster than half the expected time counts as fast
SLOW_FACTOR = 3.0  # slower than three times the expected time counts as slow
MIN_SLOW_SECONDS = 20.0
# The learner's own pace: an answer is fast when it took at most OWN_FAST_FACTOR of the learner's
# median (time / expected time) for that question type, once OWN_PACE_MIN_ANSWERS right answers of
# the type are in the log. A median of the learner's own answers adapts to slow readers and fast
# typists alike; a fixed reading pace calls every answer of a fast reader "fast".
OWN_FAST_FACTOR = 0.6
OWN_PACE_MIN_ANSWERS = 8
OWN_PACE_WINDOW = 200  # the most recent answers of the type: a pace changes as the learner does


class Rating(IntEnum):
    """The same values as fsrs.Rating, without importing fsrs."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


@dataclass(frozen=True)
class Attempt:
    """What the learner did on a choice question."""

    correct: bool
    duration_s: float | None  # None when it could not be measured (answers piped from a script)
    words: int  # words in the prompt and choices: longer questions take longer to read
    hinted: bool = False  # asked for a hint (half the wrong choices removed)
    unsure: bool = False  # marked the answer as a guess / not sure
    changed: bool = False  # changed their answer before submitting
    dont_know: bool = False  # asked to see the answer
    own_pace: float | None = None  # the learner's median time / expected time for this type (own_pace())


def expected_seconds(words: int) -> float:
    return BASE_SECONDS + SECONDS_PER_WORD * max(words, 0)


def own_pace(history: list[tuple[float, int]]) -> float | None:
    """The learner's usual pace for one question type from their right answers in the log:
    the median of time / expected time over (seconds, words) pairs, most recent last.
    None until there are OWN_PACE_MIN_ANSWERS of them (then the assumed reading pace is used)."""
    ratios = sorted(seconds / expected_seconds(words) for seconds, words in history[-OWN_PACE_WINDOW:]
                    if seconds is not None and seconds > 0)
    if len(ratios) < OWN_PACE_MIN_ANSWERS:
        return None
    middle = len(ratios) // 2
    return ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2


def speed(duration_s: float | None, words: int, pace: float | None = None) -> str:
    """'fast', 'normal' or 'slow' for an answer time, given the question's length and, when known,
    the learner's own usual pace for the type (own_pace). Slow stays absolute: a long think is a
    struggle whatever the learner's habit."""
    if duration_s is None:
        return "normal"
    expected = expected_seconds(words)
    fast_limit = FAST_FACTOR * expected if pace is None else OWN_FAST_FACTOR * pace * expected
    if duration_s <= fast_limit:
        return "fast"
    if duration_s > max(SLOW_FACTOR * expected, MIN_SLOW_SECONDS):
        return "slow"
    return "normal"


def grade(attempt: Attempt) -> Rating:
    if attempt.dont_know or not attempt.correct:
        return Rating.AGAIN
    pace = speed(attempt.duration_s, attempt.words, attempt.own_pace)
    if attempt.hinted or attempt.unsure or attempt.changed or pace == "slow":
        return Rating.HARD
    if pace == "fast":
        return Rating.EASY
    return Rating.GOOD


def suggest_recall_rating(points_covered: int, points_total: int) -> Rating:
    """A starting suggestion for a self-rated recall answer; the learner has the last word.

    Missing half or more of the key points would fail in a real interview, so it is Again (a
    partly right answer is a fail, as Anki's manual puts it); all but some is Hard; all is Good.
    Easy is never suggested: only the learner can say it was effortless.
    """
    if points_total <= 0:
        return Rating.GOOD
    share = points_covered / points_total
    if share < 0.5:
        return Rating.AGAIN
    if share < 1.0:
        return Rating.HARD
    return Rating.GOOD


def is_correct_choice(selected: set[str], answer: set[str]) -> bool:
    """All or nothing: multi questions pass only when exactly the right choices are ticked."""
    return selected == answer
