"""FSRS scheduling over the `fsrs` package, with the project's conventions.

- Card ids are derived from question ids (stable across runs and bank edits; py-fsrs's default
  id sleeps 1 ms per card and changes every run).
- All times are UTC (py-fsrs rejects anything else).
- Fuzzing is on in normal use. py-fsrs draws fuzz from the global `random`; under --seed each
  review reseeds it from (seed, question id, repetition) and restores it afterwards, so a seeded
  run is reproducible and nothing else's randomness is disturbed.
- "Today" ends at a local day boundary (day_start_hour, 4 AM by default, like Anki).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from typing import Callable, Sequence

LEARNING, REVIEW, RELEARNING = 1, 2, 3  # fsrs.State values
STATE_NAMES = {0: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}
LEARN_AHEAD = dt.timedelta(minutes=20)  # like Anki: learning cards due this soon may be shown now
FSRS6_DEFAULT_DECAY = 0.1542  # w20 of FSRS-6's default parameters (used by retrievability)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def card_id_for(question_id: str) -> int:
    """A stable 48-bit id from a question id (fits SQLite's integer and py-fsrs's int)."""
    return int.from_bytes(hashlib.blake2b(question_id.encode(), digest_size=6).digest(), "big")


@dataclass(frozen=True)
class CardState:
    """The scheduling state of one question, as the store keeps it."""

    question_id: str
    topic: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: dt.datetime
    last_review: dt.datetime | None
    reps: int = 0
    lapses: int = 0

    @property
    def is_learning(self) -> bool:
        return self.state in (LEARNING, RELEARNING)


class Scheduler:
    def __init__(self, desired_retention: float = 0.9, *, fuzz: bool = True, seed: int | None = None,
                 parameters: Sequence[float] | None = None,
                 cap: Callable[[dt.datetime, dt.datetime, str], dt.datetime] | None = None):
        """parameters: the learner's fitted FSRS-6 weights (None: the defaults).
        cap: (due, reviewed_at, question_id) -> due, the interview plan's limit; it moves only the due date,
        never the stability or difficulty FSRS computed."""
        import fsrs  # lazy: ~40 ms, only for commands that schedule

        from lambda_prep.study.settings import DESIRED_RETENTION

        DESIRED_RETENTION.parse(desired_retention)  # the one definition of its range (UsageError)
        self._fsrs = fsrs
        extra = {} if parameters is None else {"parameters": tuple(parameters)}
        self._scheduler = fsrs.Scheduler(desired_retention=desired_retention, enable_fuzzing=fuzz, **extra)
        self.seed = seed
        self.cap = cap

    def review(self, card: CardState | None, question_id: str, topic: str, rating: int,
               when: dt.datetime, duration_ms: int | None = None) -> CardState:
        """The card's next state after a review with `rating` (1 Again .. 4 Easy) at `when` (UTC)."""
        fsrs = self._fsrs
        when = when.astimezone(dt.timezone.utc)
        if card is None:
            fcard = fsrs.Card(card_id=card_id_for(question_id), due=when)
            reps, lapses = 0, 0
        else:
            fcard = fsrs.Card(card_id=card_id_for(question_id), state=fsrs.State(card.state), step=card.step,
                              stability=card.stability, difficulty=card.difficulty,
                              due=card.due, last_review=card.last_review)
            reps, lapses = card.reps, card.lapses
        saved = None
        if self.seed is not None:
            saved = random.getstate()
            random.seed(f"{self.seed}:{question_id}:{reps}")
        try:
            new, _ = self._scheduler.review_card(fcard, fsrs.Rating(rating), review_datetime=when,
                                                 review_duration=duration_ms)
        finally:
            if saved is not None:
                random.setstate(saved)
        lapsed = rating == 1 and card is not None and card.state == REVIEW
        due = new.due if self.cap is None else self.cap(new.due, when, question_id)
        return CardState(question_id=question_id, topic=topic, state=int(new.state), step=new.step,
                         stability=new.stability, difficulty=new.difficulty, due=due,
                         last_review=new.last_review, reps=reps + 1, lapses=lapses + (1 if lapsed else 0))

    def preview(self, card: CardState | None, question_id: str, topic: str, when: dt.datetime) -> dict[int, dt.timedelta]:
        """The interval each rating would give now (for showing what a self-rating means)."""
        return {r: self.review(card, question_id, topic, r, when).due - when for r in (1, 2, 3, 4)}


def retrievability(card: CardState, now: dt.datetime, decay: float = FSRS6_DEFAULT_DECAY) -> float:
    """Predicted probability of recalling the card at `now` (FSRS-6 forgetting curve).

    Uses fractional days, unlike py-fsrs's get_card_retrievability, which truncates to whole
    days and so reports 1.0 all through the first day.
    """
    if card.stability is None or card.last_review is None:
        return 0.0
    elapsed_days = max((now - card.last_review).total_seconds() / 86400, 0.0)
    factor = 0.9 ** (-1 / decay) - 1
    return (1 + factor * elapsed_days / card.stability) ** -decay


# --- days -------------------------------------------------------------------------------------


def study_day(moment: dt.datetime, day_start_hour: int = 4) -> dt.date:
    """The local study day a moment belongs to (a review at 2 AM counts for the day before)."""
    local = moment.astimezone()
    return (local - dt.timedelta(hours=day_start_hour)).date()


def day_bounds(now: dt.datetime, day_start_hour: int = 4) -> tuple[dt.datetime, dt.datetime]:
    """Start and end (UTC) of the study day containing `now`."""
    day = study_day(now, day_start_hour)
    # A naive datetime's astimezone() reads it as local time, daylight saving included.
    start = dt.datetime.combine(day, dt.time(hour=day_start_hour)).astimezone(dt.timezone.utc)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(hour=day_start_hour)).astimezone(dt.timezone.utc)
    return start, end


def is_due(card: CardState, now: dt.datetime, end_of_day: dt.datetime) -> bool:
    """Learning cards are due when their step is (almost) up; review cards any time today."""
    if card.is_learning:
        return card.due <= now + LEARN_AHEAD
    return card.due < end_of_day
