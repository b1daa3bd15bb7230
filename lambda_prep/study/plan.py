"""The interview-date plan (pure: data in, data out; no database, no terminal).

- Capping: with a plan, no review is due after the interview day. An interval that would end
  later is cut to end on one of the last few days before the interview (which one depends on the
  question, so the eve is not one big pile; how many days: spread_days): that is its last review
  before the day. A
  review made on or after that day is due on the interview day at the latest (an optional last
  look), and one made on the day is left alone (the plan has served). Only the due date is cut: the card keeps the stability and
  difficulty FSRS gave it, and the next review, coming early, is scored by FSRS as early.
- New per day: the unseen questions of the plan's topics spread over the days that still leave
  two reviews before the interview (the first interval after a Good first answer, then the
  review cut to the last days), within the time budget. Recomputed every day from what is left, so a skipped day
  is made up by the days after.
- Seconds per answer: the median time between consecutive answers of a session (answering plus
  reading the feedback) per question type, from the learner's last answers; a documented default
  until a type has MIN_TIMED answers.
- Retention for the day: a day-by-day simulation of the whole schedule up to the interview with
  FSRS-6's own formulas and the learner's weights (the same formulas py-fsrs schedules with; a
  test holds them equal), for each candidate retention; the one with the most expected recall on
  the interview day (sum of predicted recall of every question of the plan) within the daily time
  budget wins. Review outcomes are drawn from one uniform number per card and review, the same for
  every candidate (common random numbers), so candidates differ by their schedule, not their luck.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from dataclasses import dataclass, field
from typing import Sequence

# FSRS-6 defaults (py-fsrs 6.3 fsrs.DEFAULT_PARAMETERS; a test holds them equal).
DEFAULT_WEIGHTS = (0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
                   1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542)

# Seconds per answer (answer + reading the feedback) until the learner has MIN_TIMED of a type:
# our estimate for this tool's questions, not a measured figure -- a choice question is read, answered
# and its explanation read; a recall question is answered aloud and its model answer compared.
DEFAULT_SECONDS = {"single": 30.0, "multi": 40.0, "true-false": 20.0, "recall": 90.0}
MIN_TIMED = 20
SESSION_GAP_S = 600  # a longer pause between two answers starts a new session (not answer time)
RECENT_ANSWERS = 2000  # medians come from the last answers: habits change, and the query stays cheap

# Rating shares the simulator draws from until the learner has MIN_RATINGS of their own:
# fsrs-rs 0.9.3 default_simulator_config() (first_rating_prob; review_rating_prob for Hard/Good/Easy).
FIRST_RATING_SHARES = (0.24, 0.094, 0.495, 0.171)
PASS_RATING_SHARES = (0.224, 0.631, 0.145)
MIN_RATINGS = 50

RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99)
COARSE = (0.70, 0.80, 0.90, 0.95, 0.97)  # simulated first; then between the best and its better neighbour
DEFAULT_MINUTES = 30
SWEEP_SHARE = 0.75  # of the daily minutes the final reviews of every question may take


def spread_days(questions: int, seconds: float, minutes_per_day: float, days_left: int) -> int:
    """Days over which the last reviews before the interview are spread: every question's final
    review takes at most SWEEP_SHARE of the daily minutes; 3 to 14 days, and at most a third of
    the days left."""
    need = math.ceil(questions * seconds / 60 / (SWEEP_SHARE * minutes_per_day)) if minutes_per_day > 0 else 14
    return max(1, min(max(3, need), 14, max(days_left // 3, 1)))
LONG_PLAN_DAYS = 365  # beyond this the plan is accepted with a note: it changes little so far out
MAX_PLAN_DAYS = 5 * 365 + 1
# Answers on a new question's first day, by its first rating, with learning steps (1 min, 10 min):
# Again and Hard stay at step 0 and need two Goods; Good needs one more; Easy graduates at once.
FIRST_DAY_ANSWERS = {1: 3, 2: 3, 3: 2, 4: 1}


# --- FSRS-6, as py-fsrs computes it ------------------------------------------------------------


class Model:
    """FSRS-6's formulas for one set of 21 weights (py-fsrs 6.3's Scheduler, without dates)."""

    def __init__(self, weights: Sequence[float] = DEFAULT_WEIGHTS):
        if len(weights) != 21:
            raise ValueError(f"FSRS-6 needs 21 weights, got {len(weights)}")
        self.w = w = tuple(float(x) for x in weights)
        self.decay = -w[20]
        self.factor = 0.9 ** (1 / self.decay) - 1
        self._d_easy = w[4] - math.exp(w[5] * 3) + 1  # initial difficulty of Easy, unclamped
        self._e8 = math.exp(w[8])

    def recall(self, elapsed_days: float, stability: float) -> float:
        return (1 + self.factor * max(elapsed_days, 0.0) / stability) ** self.decay

    def interval(self, stability: float, retention: float) -> int:
        return max(round(stability / self.factor * (retention ** (1 / self.decay) - 1)), 1)

    def first_interval(self, retention: float) -> int:
        """Days until the first review of a question answered Good, then Good at its learning step."""
        return self.interval(self.short_term(self.initial(3)[0], 3), retention)

    def initial(self, rating: int) -> tuple[float, float]:
        w = self.w
        return max(w[rating - 1], 0.001), min(max(w[4] - math.exp(w[5] * (rating - 1)) + 1, 1.0), 10.0)

    def next_difficulty(self, d: float, rating: int) -> float:
        w = self.w
        d2 = d + (10.0 - d) * (-(w[6] * (rating - 3))) / 9.0
        return min(max(w[7] * self._d_easy + (1 - w[7]) * d2, 1.0), 10.0)

    def short_term(self, s: float, rating: int) -> float:
        w = self.w
        increase = math.exp(w[17] * (rating - 3 + w[18])) * s ** -w[19]
        if rating >= 2:
            increase = max(increase, 1.0)
        return max(s * increase, 0.001)

    def after_review(self, s: float, d: float, r: float, rating: int) -> tuple[float, float]:
        """Stability and difficulty after a review a day or more after the last (py-fsrs order:
        stability from the old difficulty, then the new difficulty)."""
        w = self.w
        if rating == 1:
            long_term = w[11] * d ** -w[12] * ((s + 1) ** w[13] - 1) * math.exp((1 - r) * w[14])
            s2 = min(long_term, s / math.exp(w[17] * w[18]))
        else:
            bonus = w[15] if rating == 2 else w[16] if rating == 4 else 1.0
            s2 = s * (1 + self._e8 * (11 - d) * s ** -w[9] * (math.exp((1 - r) * w[10]) - 1) * bonus)
        return max(s2, 0.001), self.next_difficulty(d, rating)


# --- the plan as the learner set it --------------------------------------------------------------


@dataclass(frozen=True)
class PlanSettings:
    interview: dt.date
    minutes_per_day: float
    topics: tuple[str, ...] = ()  # empty: every topic

    def days_left(self, today: dt.date) -> int:
        return (self.interview - today).days


def check_interview(interview: dt.date, today: dt.date) -> str | None:
    """None if the date is fine, else what is wrong with it (the caller exits 2)."""
    first, last = today + dt.timedelta(days=1), today + dt.timedelta(days=MAX_PLAN_DAYS)
    if not first <= interview <= last:
        return (f"the interview date must be from {first.isoformat()} (tomorrow) to {last.isoformat()} "
                f"(five years), got {interview.isoformat()}")
    return None


def last_intro_day(days_left: int, first_interval: int = 1, spread: int = 3) -> int:
    """The last day (0 = today) on which a new question still gets two reviews before the day:
    its first review `first_interval` days later, before the earliest of the last `spread` days,
    leaves one of those for the second."""
    return max(days_left - spread - 1 - first_interval, 0)


def needed_new(unseen: int, day: int, days_left: int, first_interval: int = 1, spread: int = 3) -> int:
    """New questions on `day` so the rest are all seen by the last day that allows two reviews."""
    if unseen <= 0:
        return 0
    return math.ceil(unseen / max(last_intro_day(days_left, first_interval, spread) - day + 1, 1))


def cap_due(due: dt.datetime, reviewed_at: dt.datetime, eve_start: dt.datetime,
            interview_start: dt.datetime, offset_days: int = 0) -> dt.datetime:
    """The due date with the plan: never after the interview day (see the module's docstring).

    offset_days (0 to spread_days() - 1, from the question): how many days before the eve a cut
    interval ends.
    """
    if reviewed_at >= interview_start:
        return due
    slot = eve_start - dt.timedelta(days=offset_days)
    return min(due, slot if reviewed_at < slot else interview_start)


# --- time per answer, rating shares ------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    seconds: dict[str, float]  # per question type
    measured: dict[str, int]  # answers behind each median (0: the default is used)


def seconds_per_answer(answers: Sequence[tuple[str, dt.datetime]], types: dict[str, str]) -> Timing:
    """Median seconds per answer per question type from (question_id, reviewed_at), oldest first.

    The time of an answer is the gap since the previous answer of the same session: it includes
    reading the previous feedback, which is time the learner spends too.
    """
    gaps: dict[str, list[float]] = {}
    previous = None
    for qid, at in answers:
        if previous is not None:
            gap = (at - previous).total_seconds()
            kind = types.get(qid)
            if kind and 0 < gap <= SESSION_GAP_S:
                gaps.setdefault(kind, []).append(gap)
        previous = at
    seconds, measured = {}, {}
    for kind, default in DEFAULT_SECONDS.items():
        own = gaps.get(kind, [])
        if len(own) >= MIN_TIMED:
            seconds[kind], measured[kind] = float(statistics.median(own)), len(own)
        else:
            seconds[kind], measured[kind] = default, 0
    return Timing(seconds, measured)


@dataclass(frozen=True)
class Shares:
    first: tuple[float, float, float, float]  # Again, Hard, Good, Easy on a question's first answer
    passed: tuple[float, float, float]  # Hard, Good, Easy among passed reviews
    own: bool  # from the learner's log (else fsrs-rs's simulator defaults)


def rating_shares(first_ratings: Sequence[int], review_ratings: Sequence[int]) -> Shares:
    """The learner's own rating habits when there are MIN_RATINGS of each kind."""
    passes = [r for r in review_ratings if r > 1]
    if len(first_ratings) < MIN_RATINGS or len(passes) < MIN_RATINGS:
        return Shares(FIRST_RATING_SHARES, PASS_RATING_SHARES, False)
    first = tuple(sum(1 for r in first_ratings if r == k) / len(first_ratings) for k in (1, 2, 3, 4))
    passed = tuple(sum(1 for r in passes if r == k) / len(passes) for k in (2, 3, 4))
    return Shares(first, passed, True)  # type: ignore[arg-type]


# --- the simulation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SeenCard:
    topic: str
    seconds: float  # per answer
    stability: float
    difficulty: float
    last: int  # study day of the last review, relative to today (<= 0)
    due: int  # study day it is due, relative to today (overdue: <= 0)


@dataclass(frozen=True)
class NewCard:
    topic: str
    seconds: float


@dataclass
class Simulation:
    retention: float
    recall_on_day: float  # expected number of the plan's questions recalled on the interview day
    recall_by_topic: dict[str, float]
    new_per_day: list[int]
    minutes_per_day: list[float]
    reviews_per_day: list[int]
    late: int  # new questions short of two reviews before the day (one, if first answered Easy), or never seen
    unseen_on_day: int  # questions never seen before the day
    skipped_reviews: int  # due reviews the budget left undone (done a day later, or never if on the eve)
    fewest_reviews: int = 0  # fewest reviews after their first day, of the questions first seen here (not Easy)

    @property
    def minutes_total(self) -> float:
        return sum(self.minutes_per_day)


def _uniforms(count: int, seed: int) -> list[list[float]]:
    rng = random.Random(seed)
    return [[rng.random() for _ in range(24)] for _ in range(count)]


def simulate(model: Model, retention: float, *, days_left: int, seen: Sequence[SeenCard],
             unseen: Sequence[NewCard], budget_s: float, shares: Shares, seed: int = 0,
             draws: list[list[float]] | None = None, min_new: int = 0) -> Simulation:
    """Study day by day from today (day 0) to the eve (day days_left - 1); recall at the day's start.

    min_new: the learner's usual new questions a day; the plan asks for at least that many (a far
    interview must not slow them down to one a day).

    Each day: due reviews first (oldest first) while the budget lasts -- the rest move to the next
    day -- then new questions in order, as many as the plan asks for that day and the budget allows.
    """
    n_seen = len(seen)
    total = n_seen + len(unseen)
    draws = draws if draws is not None else _uniforms(total, seed)
    topic = [c.topic for c in seen] + [c.topic for c in unseen]
    cost = [c.seconds for c in seen] + [c.seconds for c in unseen]
    stab = [c.stability for c in seen] + [0.0] * len(unseen)
    diff = [c.difficulty for c in seen] + [0.0] * len(unseen)
    last = [c.last for c in seen] + [0] * len(unseen)
    reps = [0] * total
    eve = days_left - 1
    first_interval = model.first_interval(retention)
    first_day = {}  # memory after the first day, by first rating (learning steps answered Good)
    for first, answers in FIRST_DAY_ANSWERS.items():
        s, d = model.initial(first)
        for _ in range(answers - 1):
            s, d = model.short_term(s, 3), model.next_difficulty(d, 3)
        first_day[first] = (s, d)
    spread = spread_days(total, sum(cost) / total if total else 30.0, budget_s / 60, days_left)
    slot_of = [eve - i % spread for i in range(total)]  # as the quiz spreads cut intervals
    first_rating = [0] * total
    buckets: list[list[int]] = [[] for _ in range(max(days_left, 1))]
    for i, c in enumerate(seen):
        # Cards scheduled before the plan: their due date is cut as the quiz cuts it.
        day = min(max(c.due, 0), slot_of[i] if c.last < slot_of[i] else days_left)
        if day < days_left:
            buckets[day].append(i)
    first_cum = _cumulative(shares.first)
    pass_cum = _cumulative(shares.passed)
    new_per_day, minutes, reviews_done = [], [], []
    next_new = n_seen
    backlog: list[int] = []
    skipped = 0
    recall, short_term, next_difficulty, initial = model.recall, model.short_term, model.next_difficulty, model.initial
    # The hot loop inlines Model's formulas (recall, interval, the review update; a test holds the
    # simulator to Model, and Model to py-fsrs): this is what keeps `plan` within its 300 ms.
    w = model.w
    factor, decay = model.factor, model.decay
    to_interval = (retention ** (1 / decay) - 1) / factor
    e8, w9, w10 = model._e8, w[9], w[10]
    bonus = {2: w[15], 3: 1.0, 4: w[16]}
    d_mean, d_keep = w[7] * model._d_easy, 1 - w[7]
    d_step = {k: -(w[6] * (k - 3)) / 9.0 for k in (1, 2, 3, 4)}
    lapse = model.after_review

    for day in range(days_left):
        spent = 0.0
        queue = backlog + buckets[day]
        backlog = []
        done = 0
        for k, i in enumerate(queue):
            c = cost[i]
            if spent + c > budget_s:
                backlog = queue[k:]
                break
            u = draws[i][reps[i] % 24]
            reps[i] += 1
            s, d = stab[i], diff[i]
            r = (1 + factor * (day - last[i]) / s) ** decay
            if u >= r:  # forgot: lapse, then the relearning step (Good, same day)
                s, d = lapse(s, d, r, 1)
                s, d = short_term(s, 3), next_difficulty(d, 3)
                spent += 2 * c
            else:
                v = u / r
                rating = 2 if v < pass_cum[0] else 3 if v < pass_cum[1] else 4
                s = s * (1 + e8 * (11 - d) * s ** -w9 * (math.exp((1 - r) * w10) - 1) * bonus[rating])
                d = d_mean + d_keep * (d + (10.0 - d) * d_step[rating])
                d = 1.0 if d < 1.0 else 10.0 if d > 10.0 else d
                spent += c
            stab[i], diff[i], last[i] = s, d, day
            done += 1
            due = round(s * to_interval)
            due = day + (due if due > 1 else 1)
            cap = slot_of[i] if day < slot_of[i] else days_left
            if due > cap:
                due = cap
            if due < days_left:
                buckets[due].append(i)
        skipped += len(backlog)
        introduced = 0
        want = max(needed_new(total - next_new, day, days_left, first_interval, spread), min_new)
        while introduced < want and next_new < total:
            i = next_new
            first = 1 + _pick(first_cum, draws[i][reps[i] % 24])
            answers = FIRST_DAY_ANSWERS[first]
            if spent + answers * cost[i] > budget_s:
                break
            reps[i] += 1
            first_rating[i] = first
            s, d = first_day[first]
            stab[i], diff[i], last[i] = s, d, day
            spent += answers * cost[i]
            next_new += 1
            introduced += 1
            cap = slot_of[i] if day < slot_of[i] else days_left
            due = min(day + max(round(s * to_interval), 1), cap)
            if due < days_left:
                buckets[due].append(i)
        new_per_day.append(introduced)
        minutes.append(spent / 60)
        reviews_done.append(done)
    by_topic: dict[str, float] = {}
    on_day = 0.0
    for i in range(next_new):
        value = recall(days_left - last[i], stab[i])  # at the start of the interview day
        on_day += value
        by_topic[topic[i]] = by_topic.get(topic[i], 0.0) + value
    # Easy first answers wait longer for their first review: they need one, the others two.
    later_reviews = [reps[i] - 1 for i in range(n_seen, next_new) if first_rating[i] < 4]
    short = sum(1 for i in range(n_seen, next_new) if reps[i] - 1 < (1 if first_rating[i] == 4 else 2))
    return Simulation(retention, on_day, by_topic, new_per_day, minutes, reviews_done,
                      late=short + total - next_new, unseen_on_day=total - next_new,
                      skipped_reviews=skipped, fewest_reviews=min(later_reviews, default=0))


def _cumulative(shares: Sequence[float]) -> list[float]:
    total = sum(shares) or 1.0
    out, running = [], 0.0
    for share in shares:
        running += share / total
        out.append(running)
    return out


def _pick(cumulative: list[float], u: float) -> int:
    for k, edge in enumerate(cumulative):
        if u < edge:
            return k
    return len(cumulative) - 1


@dataclass
class Choice:
    best: Simulation
    candidates: list[Simulation] = field(default_factory=list)


def choose_retention(model: Model, *, days_left: int, seen: Sequence[SeenCard], unseen: Sequence[NewCard],
                     budget_s: float, shares: Shares, seed: int = 0, min_new: int = 0,
                     retentions: Sequence[float] = RETENTIONS, coarse: Sequence[float] = COARSE) -> Choice:
    """Simulate candidate retentions; keep the one with the most expected recall on the day among
    those that keep the plan's promise (every new question reviewed twice before the day, within
    the budget) -- or among all, when none can.

    The coarse grid first, then the grid points between its best and the better of its two
    neighbours: recall on the day rises, peaks and falls with retention, so this finds the best of
    the grid in 6-8 simulations instead of 13. Near-ties (within 0.5% of the questions) go to the cheaper
    schedule: doubling the minutes for a question or two more on the day is not worth it.
    """
    draws = _uniforms(len(seen) + len(unseen), seed)
    runs: dict[float, Simulation] = {}

    def run(r: float) -> Simulation:
        if r not in runs:
            runs[r] = simulate(model, r, days_left=days_left, seen=seen, unseen=unseen, budget_s=budget_s,
                               shares=shares, draws=draws, min_new=min_new)
        return runs[r]

    def pool() -> list[Simulation]:
        kept = [sim for sim in runs.values() if sim.late == 0]
        return kept or list(runs.values())

    grid = sorted(retentions)
    for r in coarse:
        run(r)
    best = max(pool(), key=lambda sim: sim.recall_on_day).retention
    below = max((c for c in coarse if c < best), default=None)
    above = min((c for c in coarse if c > best), default=None)
    # The peak lies between the best and whichever neighbour did better (above the top: up to 0.99).
    if above is None:
        low, high = best, 1.0
    elif below is not None and runs[below].recall_on_day > runs[above].recall_on_day:
        low, high = below, best
    else:
        low, high = best, above
    for r in grid:
        if low < r < high:
            run(r)
    ordered = [runs[r] for r in sorted(runs)]
    eligible = pool()
    top = max(sim.recall_on_day for sim in eligible)
    slack = max(0.005 * (len(seen) + len(unseen)), 0.1)
    chosen = min((sim for sim in eligible if sim.recall_on_day >= top - slack), key=lambda sim: sim.minutes_total)
    return Choice(chosen, ordered)


def minutes_needed(model: Model, *, days_left: int, seen: Sequence[SeenCard], unseen: Sequence[NewCard],
                   budget_s: float, shares: Shares, candidates: Sequence[Simulation] = (), seed: int = 0,
                   min_new: int = 0, retentions: Sequence[float] = (0.80, 0.90, 0.95)) -> tuple[float, float | None]:
    """The smallest daily budget (minutes, to 5) with which every new question gets two reviews
    before the day, and the retention that does it: (inf, None) when no budget can.

    Retentions from the coarse grid (so choose_retention finds the same schedule again), the one
    closest to on track at the current budget first. For it, a simulation without a limit gives an
    upper bound (a budget as large as its busiest day changes nothing); then bisection to 5 minutes.
    """
    draws = _uniforms(len(seen) + len(unseen), seed)
    late_now = {sim.retention: sim.late for sim in candidates}

    def sim(r: float, minutes: float) -> Simulation:
        return simulate(model, r, days_left=days_left, seen=seen, unseen=unseen, budget_s=minutes * 60,
                        shares=shares, draws=draws, min_new=min_new)

    for r in sorted(retentions, key=lambda r: (late_now.get(r, 1 << 30), -r)):
        free = sim(r, 24 * 60)
        if free.late:
            continue  # too close to the day at this retention, whatever the budget
        low = math.floor(budget_s / 60 / 5) * 5  # known short (or the current budget)
        high = max(math.ceil(max(free.minutes_per_day) / 5) * 5, low + 5)
        while high - low > 5:
            middle = (low + high) // 10 * 5
            if sim(r, middle).late == 0:
                high = middle
            else:
                low = middle
        return high, r
    return float("inf"), None


def topics_to_drop(unseen_by_topic: dict[str, int], capacity: int) -> list[str]:
    """Topics to leave out (those with the most unseen questions first: the fewest topics) so the
    unseen questions kept fit `capacity`; empty if even one topic would not fit."""
    dropped, kept = [], sum(unseen_by_topic.values())
    for name, count in sorted(unseen_by_topic.items(), key=lambda item: (-item[1], item[0])):
        if kept <= capacity:
            break
        dropped.append(name)
        kept -= count
    return dropped if dropped and len(dropped) < len(unseen_by_topic) and kept <= capacity else []
