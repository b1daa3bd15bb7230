"""A synthetic learner whose memory follows FSRS-6 with known weights (for the optimizer's tests
and benchmarks/bench_plan.py).

The learner is scheduled as lambda-prep schedules (FSRS-6 default weights, retention 0.9, learning
steps of 1 and 10 minutes, relearning step of 10 minutes); whether they recall is drawn from their
own ("true") memory model, so an optimizer that works moves the weights towards the true ones.
"""

from __future__ import annotations

import datetime as dt
import random

from lambda_prep.study.plan import DEFAULT_WEIGHTS, Model

# Like the notes' synthetic learner: initial stabilities 0.5-0.7 of the defaults, w8 x 0.85.
TRUE_WEIGHTS = tuple(w * f for w, f in zip(DEFAULT_WEIGHTS, (0.5, 0.55, 0.6, 0.7) + (1.0,) * 4 + (0.85,) + (1.0,) * 12))


def review_log(reviews: int, *, cards: int = 400, new_per_day: int = 20, weights=TRUE_WEIGHTS, seed: int = 1,
               start: dt.datetime = dt.datetime(2026, 1, 5, 12, tzinfo=dt.timezone.utc)):
    """About `reviews` rows of (question_id, rating, reviewed_at, state_before), oldest first."""
    rng = random.Random(seed)
    truth, scheduler = Model(weights), Model(DEFAULT_WEIGHTS)
    rows: list[tuple[str, int, dt.datetime, int]] = []
    state: dict[int, list] = {}  # card -> [true S, true D, sched S, sched D, last day, due day]
    introduced = 0
    day = 0
    while len(rows) < reviews:
        moment = start + dt.timedelta(days=day)
        due = sorted(c for c, s in state.items() if s[5] <= day)
        for c in due:
            s = state[c]
            elapsed = day - s[4]
            r_true = truth.recall(elapsed, s[0])
            r_sched = scheduler.recall(elapsed, s[2])
            moment += dt.timedelta(seconds=30)
            qid = f"q{c:05d}"
            if rng.random() < r_true:
                rating = rng.choices((2, 3, 4), (0.15, 0.75, 0.10))[0]
                s[0], s[1] = truth.after_review(s[0], s[1], r_true, rating)
                s[2], s[3] = scheduler.after_review(s[2], s[3], r_sched, rating)
                rows.append((qid, rating, moment, 2))
            else:
                s[0], s[1] = truth.after_review(s[0], s[1], r_true, 1)
                s[2], s[3] = scheduler.after_review(s[2], s[3], r_sched, 1)
                rows.append((qid, 1, moment, 2))
                moment += dt.timedelta(minutes=10)  # the relearning step, passed
                s[0], s[1] = truth.short_term(s[0], 3), truth.next_difficulty(s[1], 3)
                s[2], s[3] = scheduler.short_term(s[2], 3), scheduler.next_difficulty(s[3], 3)
                rows.append((qid, 3, moment, 3))
            s[4], s[5] = day, day + scheduler.interval(s[2], 0.9)
        for _ in range(new_per_day if introduced < cards else 0):
            c = introduced
            introduced += 1
            qid = f"q{c:05d}"
            first = rng.choices((1, 2, 3, 4), (0.2, 0.1, 0.5, 0.2))[0]
            ts, td = truth.initial(first)
            ss, sd = scheduler.initial(first)
            moment += dt.timedelta(seconds=30)
            rows.append((qid, first, moment, 0))
            steps = {1: 2, 2: 2, 3: 1, 4: 0}[first]
            for _ in range(steps):  # learning steps, passed with Good the same day
                moment += dt.timedelta(minutes=10)
                ts, td = truth.short_term(ts, 3), truth.next_difficulty(td, 3)
                ss, sd = scheduler.short_term(ss, 3), scheduler.next_difficulty(sd, 3)
                rows.append((qid, 3, moment, 1))
            state[c] = [ts, td, ss, sd, day, day + scheduler.interval(ss, 0.9)]
        day += 1
    return rows[:reviews]
