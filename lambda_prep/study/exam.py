"""A timed exam: choice questions against the clock, no verdicts until it is submitted.

Pure of any terminal: the exam is driven through an injected UI (views.exam for people, a fake in
tests) and an injected clock. The UI shows a question and returns what the learner did (an
Action); this module keeps the answers, the flags and the time spent on each question, saves
every change at once and ends the exam on Submit, when time is up, or on Ctrl-C (incomplete).

Exam answers are real retrieval attempts, so each question's first answer is graded by the
quiz's policy and fed to the scheduler (session.record_choice), exactly as a quiz answer would be.
A later change of mind counts for the exam's score but is not fed again: the scheduler sees one
attempt per question, the unprompted one.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence, Union

from lambda_prep.bank.model import Question
from lambda_prep.errors import EndOfInput
from lambda_prep.study import grading
from lambda_prep.study.scheduler import Scheduler
from lambda_prep.study.session import ChoiceAnswer, record_choice
from lambda_prep.study.store import Store, _iso

CHOICE_TYPES = ("single", "multi", "true-false")
DEFAULT_COUNT = 40
MINUTES_PER_QUESTION = 2  # like the AWS associate exams (130 minutes for 65 questions)
DEFAULT_MINUTES = DEFAULT_COUNT * MINUTES_PER_QUESTION
COUNT_RANGE = (1, 200)
MINUTES_RANGE = (1, 600)
PASS_MARK_RANGE = (1, 100)  # percent


def minutes_for(questions: int) -> int:
    """The time allowed when --minutes is not given: two minutes a question, so a short exam is not
    a relaxed one."""
    return max(MINUTES_RANGE[0], min(MINUTES_RANGE[1], questions * MINUTES_PER_QUESTION))


# --- what the UI returns ----------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    selected: tuple[str, ...]  # choice texts, never empty
    flag: bool | None = None  # set the review flag at the same time (plain mode: "2?")


@dataclass(frozen=True)
class ToggleFlag:
    pass


@dataclass(frozen=True)
class Go:
    index: int  # 0-based; clamped to the exam


@dataclass(frozen=True)
class Submit:
    pass


@dataclass(frozen=True)
class TimeUp:
    pass


Action = Union[Answer, ToggleFlag, Go, Submit, TimeUp]


class ExamUI(Protocol):
    timed: bool  # False when answers come from a script: their times mean nothing to the scheduler

    def ask(self, exam: Exam, index: int) -> Action: ...


# --- choosing the questions ---------------------------------------------------------------------


def choose(questions: Sequence[Question], *, count: int, topics: Sequence[str] = (),
           rng: random.Random) -> list[Question]:
    """`count` choice questions, spread across topics in proportion to their size in the pool
    (largest remainders get the odd seats, ties broken by `rng`), in random order."""
    pool = sorted((q for q in questions if q.type in CHOICE_TYPES and (not topics or q.topic in topics)),
                  key=lambda q: q.id)
    if not pool:
        return []
    count = min(count, len(pool))
    by_topic: dict[str, list[Question]] = defaultdict(list)
    for q in pool:
        by_topic[q.topic].append(q)
    quota = {t: count * len(qs) / len(pool) for t, qs in by_topic.items()}
    seats = {t: int(share) for t, share in quota.items()}
    names = sorted(by_topic)
    rng.shuffle(names)
    names.sort(key=lambda t: quota[t] - seats[t], reverse=True)  # stable: shuffled order breaks ties
    for t in names[:count - sum(seats.values())]:
        seats[t] += 1
    chosen = [q for t in sorted(by_topic) for q in rng.sample(by_topic[t], seats[t])]
    rng.shuffle(chosen)
    return chosen


# --- the exam ---------------------------------------------------------------------------------


@dataclass
class Slot:
    """One question of the exam and what the learner did with it."""

    question: Question
    choices: tuple[str, ...]  # in the order shown
    given: tuple[str, ...] | None = None
    flagged: bool = False
    seconds: float = 0.0  # time this question was on screen, all visits together
    fed: bool = False  # its first answer has gone to the scheduler

    @property
    def answered(self) -> bool:
        return self.given is not None

    @property
    def correct(self) -> bool:
        return self.given is not None and grading.is_correct_choice(set(self.given), set(self.question.answer))


@dataclass
class Result:
    exam_id: int
    status: str  # submitted, time-up, incomplete
    started_at: dt.datetime
    seconds_allowed: int
    seconds_used: float
    pass_mark: int  # percent
    slots: list[Slot]
    ended_early: bool = False  # plain mode: input ran out before the last question

    @property
    def total(self) -> int:
        return len(self.slots)

    @property
    def correct(self) -> int:
        return sum(s.correct for s in self.slots)

    @property
    def answered(self) -> int:
        return sum(s.answered for s in self.slots)

    @property
    def score(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def passed(self) -> bool:
        # Compared in whole hundredths of a percent so 72% of 25 questions (18/25 = 0.72) passes.
        return round(self.score * 10000) >= self.pass_mark * 100

    def by_topic(self) -> dict[str, dict]:
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for s in self.slots:
            out[s.question.topic][0] += int(s.correct)
            out[s.question.topic][1] += 1
        return {t: {"correct": c, "total": n, "score": round(c / n, 4)} for t, (c, n) in sorted(out.items())}

    def to_json(self) -> dict:
        return {
            "exam_id": self.exam_id,
            "status": self.status,
            "correct": self.correct,
            "total": self.total,
            "answered": self.answered,
            "score": round(self.score, 4),
            "pass_mark": self.pass_mark / 100,
            "passed": self.passed,
            "seconds_used": round(self.seconds_used, 1),
            "seconds_allowed": self.seconds_allowed,
            "topics": self.by_topic(),
            "answers": [{"id": s.question.id, "topic": s.question.topic,
                         "given": list(s.given) if s.given is not None else None,
                         "answer": list(s.question.answer), "correct": s.correct,
                         "seconds": round(s.seconds, 1), "flagged": s.flagged} for s in self.slots],
        }


class Exam:
    def __init__(self, store: Store, scheduler: Scheduler, ui: ExamUI, questions: Sequence[Question], *,
                 rng: random.Random, clock: Callable[[], dt.datetime], minutes: int = DEFAULT_MINUTES,
                 pass_mark: int = 72, seed: int | None = None, topics: Sequence[str] = ()):
        self.store, self.scheduler, self.ui, self.clock = store, scheduler, ui, clock
        self.minutes, self.pass_mark, self.seed, self.topics = minutes, pass_mark, seed, tuple(topics)
        self.slots = []
        for q in questions:
            choices = list(q.choices)
            if q.type != "true-false":  # True before False, as everywhere else
                rng.shuffle(choices)
            self.slots.append(Slot(q, tuple(choices)))
        self.exam_id = 0
        self.started_at = self.deadline = None

    # --- for the UI --------------------------------------------------------------------------

    def remaining(self) -> float:
        """Seconds left (negative once time is up)."""
        return (self.deadline - self.clock()).total_seconds()

    def unanswered(self) -> list[int]:
        return [i for i, s in enumerate(self.slots) if not s.answered]

    def flagged(self) -> list[int]:
        return [i for i, s in enumerate(self.slots) if s.flagged]

    # --- running -----------------------------------------------------------------------------

    def run(self) -> Result:
        """Ask until Submit, time up or end of input. KeyboardInterrupt propagates after the exam
        is recorded as incomplete; every answer given before it is already saved."""
        self._start()
        index, status, ended_early = 0, "submitted", False
        shown_at = self.clock()
        try:
            while True:
                if self.remaining() <= 0:
                    status = "time-up"
                    break
                shown_at = self.clock()
                action = self.ui.ask(self, index)
                now = self.clock()
                self._spent(index, shown_at, now)
                if isinstance(action, TimeUp) or now >= self.deadline:
                    status = "time-up"  # an answer given after the time is up does not count
                    break
                if isinstance(action, Submit):
                    break
                if isinstance(action, Answer):
                    self._answer(index, action, now)
                    index = self._after_answer(index)
                elif isinstance(action, ToggleFlag):
                    self.slots[index].flagged = not self.slots[index].flagged
                    self._save_slot(index)
                elif isinstance(action, Go):
                    index = min(max(action.index, 0), len(self.slots) - 1)
        except KeyboardInterrupt:
            self._spent(index, shown_at, self.clock())
            self._finish("incomplete")
            raise
        except EndOfInput:
            ended_early = True
        result = self._finish(status)
        result.ended_early = ended_early
        return result

    def _after_answer(self, index: int) -> int:
        """The next question; after the last one, the first still unanswered (or stay)."""
        if index + 1 < len(self.slots):
            return index + 1
        unanswered = self.unanswered()
        return unanswered[0] if unanswered else index

    def _spent(self, index: int, since: dt.datetime, now: dt.datetime) -> None:
        until = min(now, self.deadline)
        self.slots[index].seconds += max((until - since).total_seconds(), 0.0)

    def _answer(self, index: int, action: Answer, now: dt.datetime) -> None:
        slot = self.slots[index]
        if not action.selected:
            raise ValueError("an answer selects at least one choice")
        if action.flag is not None:
            slot.flagged = action.flag
        slot.given = tuple(action.selected)
        if not slot.fed:
            # Unsure (flagged) answers are Hard at best, as in the quiz; piped answers are untimed.
            attempt = ChoiceAnswer(slot.given, slot.seconds if self.ui.timed else None, unsure=slot.flagged)
            record_choice(self.store, self.scheduler, slot.question, slot.choices, attempt, now)
            slot.fed = True
        self._save_slot(index, answered_at=now)

    # --- saving ------------------------------------------------------------------------------

    def _start(self) -> None:
        self.started_at = self.clock()
        self.deadline = self.started_at + dt.timedelta(minutes=self.minutes)
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO exams (started_at, seconds_allowed, pass_mark, total, seed, topics)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (_iso(self.started_at), self.minutes * 60, self.pass_mark, len(self.slots), self.seed,
                 ",".join(self.topics)))
            self.exam_id = cursor.lastrowid
            db.executemany(
                "INSERT INTO exam_answers (exam_id, position, question_id, topic, choices) VALUES (?, ?, ?, ?, ?)",
                [(self.exam_id, i, s.question.id, s.question.topic, json.dumps(s.choices))
                 for i, s in enumerate(self.slots)])

    def _save_slot(self, index: int, answered_at: dt.datetime | None = None) -> None:
        slot = self.slots[index]
        with self.store.transaction() as db:
            db.execute(
                "UPDATE exam_answers SET given = ?, correct = ?, flagged = ?, seconds = ?,"
                " answered_at = COALESCE(?, answered_at) WHERE exam_id = ? AND position = ?",
                (None if slot.given is None else json.dumps(slot.given),
                 None if slot.given is None else int(slot.correct),
                 int(slot.flagged), round(slot.seconds, 3), _iso(answered_at), self.exam_id, index))

    def _finish(self, status: str) -> Result:
        finished = self.clock()
        used = max((min(finished, self.deadline) - self.started_at).total_seconds(), 0.0)
        result = Result(self.exam_id, status, self.started_at, self.minutes * 60, used, self.pass_mark, self.slots)
        with self.store.transaction() as db:
            # Seconds on screen are saved with every answer; save them all once more at the end.
            db.executemany("UPDATE exam_answers SET seconds = ? WHERE exam_id = ? AND position = ?",
                           [(round(s.seconds, 3), self.exam_id, i) for i, s in enumerate(self.slots)])
            db.execute("UPDATE exams SET status = ?, finished_at = ?, seconds_used = ?, correct = ? WHERE id = ?",
                       (status, _iso(finished), round(used, 3), result.correct, self.exam_id))
        return result


# --- history ----------------------------------------------------------------------------------


def history(store: Store, limit: int | None = None) -> list[dict]:
    """Past exams, newest first. An exam whose process was killed is still 'running' in the
    database; it is reported as incomplete with the answers it saved."""
    rows = store.query(
        "SELECT e.id, e.started_at, e.status, e.seconds_allowed, e.seconds_used, e.pass_mark, e.total,"
        " (SELECT count(*) FROM exam_answers a WHERE a.exam_id = e.id AND a.correct = 1),"
        " (SELECT count(*) FROM exam_answers a WHERE a.exam_id = e.id AND a.given IS NOT NULL),"
        " (SELECT COALESCE(sum(a.seconds), 0) FROM exam_answers a WHERE a.exam_id = e.id), e.topics"
        " FROM exams e ORDER BY e.started_at DESC, e.id DESC" + (f" LIMIT {int(limit)}" if limit else ""))
    out = []
    for exam_id, started, status, allowed, used, pass_mark, total, correct, answered, on_screen, topics in rows:
        complete = status in ("submitted", "time-up")
        score = correct / total if total else 0.0
        out.append({
            "id": exam_id, "started_at": started, "status": status if complete else "incomplete",
            "correct": correct, "answered": answered, "total": total, "score": round(score, 4),
            "pass_mark": pass_mark / 100,
            "passed": (round(score * 10000) >= pass_mark * 100) if complete else None,
            "seconds_used": round(used if used is not None else on_screen, 1), "seconds_allowed": allowed,
            "topics": [t for t in topics.split(",") if t],
        })
    return out
