"""The grading policy: how an answer becomes an FSRS rating.

Pure and documented in the README ("Grading policy"). Rules, from the FSRS authors' and Anki's
guidance (shared/reference/srs-notes.md §6):
- A wrong answer is Again, never Hard: FSRS treats Hard as a pass, so a Hard for a miss would
  stretch the interval of something forgotten.
- A correct answer is Good by default.
- It is Hard when it was slow, or the learner used a hint, marked it unsure or changed their mind.
- It is Easy only when it was fast and sure (no hint, not unsure, no change).
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


def expected_seconds(words: int) -> float:
    return BASE_SECONDS + SECONDS_PER_WORD * max(words, 0)


def speed(duration_s: float | None, words: int) -> str:
    """'fast', 'normal' or 'slow' for an answer time, given the question's length."""
    if duration_s is None:
        return "normal"
    expected = expected_seconds(words)
    if duration_s <= FAST_FACTOR * expected:
        return "fast"
    if duration_s > max(SLOW_FACTOR * expected, MIN_SLOW_SECONDS):
        return "slow"
    return "normal"


def grade(attempt: Attempt) -> Rating:
    if attempt.dont_know or not attempt.correct:
        return Rating.AGAIN
    pace = speed(attempt.duration_s, attempt.words)
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
