"""A quiz: choosing the questions, then asking them one by one against an injected UI.

Pure of any terminal: the UI (views.quiz for people, a fake in tests) asks and shows; this module
grades, schedules and saves each answer before asking the next.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Callable, Protocol, Sequence

from lambda_prep.bank.model import Question
from lambda_prep.errors import EndOfInput
from lambda_prep.study import grading
from lambda_prep.study.grading import Attempt, Rating
from lambda_prep.study.scheduler import CardState, Scheduler, day_bounds, is_due
from lambda_prep.study.store import Receipt, Review, Store


@dataclass(frozen=True)
class Plan:
    """What to ask, in order, and what was left out."""

    questions: list[Question]
    due_total: int  # due questions matching the filters (before --count)
    new_total: int  # unseen questions matching the filters
    new_allowed: int  # new questions still allowed today


def interleave(groups: dict[str, list[Question]], rng: random.Random) -> list[Question]:
    """Round-robin across topics (interleaving beats blocking for discrimination), topic order shuffled."""
    order = sorted(groups)
    rng.shuffle(order)
    queues = [list(groups[t]) for t in order]
    out: list[Question] = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def plan(questions: Sequence[Question], cards: dict[str, CardState], *, now: dt.datetime, rng: random.Random,
         topics: Sequence[str] = (), count: int = 20, mode: str = "all", new_allowed: int = 20,
         day_start_hour: int = 4, new_topics: Sequence[str] = ()) -> Plan:
    """Due questions first (most overdue first within a topic), then new ones up to today's limit.

    mode: "all", "due" (reviews only) or "new" (new only; still bound by the daily limit).
    new_topics: the interview plan's topics; new questions come only from them (empty: any topic).
    """
    wanted = [q for q in questions if not topics or q.topic in topics]
    _, end_of_day = day_bounds(now, day_start_hour)
    due: dict[str, list[Question]] = defaultdict(list)
    new: dict[str, list[Question]] = defaultdict(list)
    for q in wanted:
        card = cards.get(q.id)
        if card is None:
            if not new_topics or q.topic in new_topics:
                new[q.topic].append(q)
        elif is_due(card, now, end_of_day):
            due[q.topic].append(q)
    for topic in due:
        rng.shuffle(due[topic])  # ties broken at random, then the most overdue first
        due[topic].sort(key=lambda q: cards[q.id].due)
    for topic in new:
        rng.shuffle(new[topic])
        new[topic].sort(key=lambda q: q.difficulty)  # basics before senior-level detail
    due_list = interleave(due, rng) if mode in ("all", "due") else []
    new_list = interleave(new, rng)[:max(new_allowed, 0)] if mode in ("all", "new") else []
    chosen = (due_list + new_list)[:count]
    return Plan(chosen, sum(map(len, due.values())), sum(map(len, new.values())), max(new_allowed, 0))


# --- asking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceAnswer:
    selected: tuple[str, ...]
    duration_s: float | None  # None: not measured (input piped from a script)
    hinted: bool = False
    unsure: bool = False
    changed: bool = False
    dont_know: bool = False


@dataclass(frozen=True)
class RecallAnswer:
    typed: str
    covered: tuple[int, ...]  # indexes of the key points the learner says they gave
    rating: Rating
    duration_s: float | None


class UndoRequested(Exception):
    """The learner asked, at a prompt, to take back the previous answer (`u` in plain mode)."""


@dataclass(frozen=True)
class Outcome:
    question: Question
    correct: bool
    rating: Rating
    card: CardState
    answer_text: str
    reviewed_at: dt.datetime | None = None  # the interval shown is card.due - reviewed_at, as previewed
    duration_s: float | None = None
    repeat: bool = False  # asked again at the end of the session: its explanation was shown already
    selected: tuple[str, ...] = ()  # the choices ticked or picked (choice questions)
    receipt: Receipt | None = None  # what undo needs to take this answer back


class QuizUI(Protocol):
    def ask_choice(self, question: Question, choices: Sequence[str], position: int, total: int) -> ChoiceAnswer: ...

    def ask_recall(self, question: Question, position: int, total: int,
                   preview: Callable[[], dict[int, dt.timedelta]]) -> RecallAnswer: ...

    def show_outcome(self, outcome: Outcome, now: dt.datetime) -> None: ...

    def next_step(self, outcome: Outcome, last: bool) -> str:
        """After the feedback: "next", "stop" (end the session with its summary) or "undo"."""
        ...

    def show_undone(self, question: Question | None, done: bool) -> None: ...


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    interrupted: bool = False
    ended_early: bool = False  # input ran out before the last question
    over_limit: int = 0  # new questions skipped: another quiz used up today's limit meanwhile
    stopped: int = 0  # questions left unasked because the learner chose to stop
    undone: int = 0  # answers taken back

    def by_topic(self) -> dict[str, tuple[int, int]]:
        """topic -> (answered, correct)."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for o in self.outcomes:
            out[o.question.topic][0] += 1
            out[o.question.topic][1] += int(o.correct)
        return {t: (a, c) for t, (a, c) in sorted(out.items())}


def own_paces(log: list[tuple[str, bool, int | None]], questions: dict[str, Question]) -> dict[str, float]:
    """The learner's usual pace per question type (grading.own_pace) from the review log: rows of
    (question_id, correct, duration_ms) oldest first; only timed right answers count."""
    history: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for question_id, correct, duration_ms in log:
        question = questions.get(question_id)
        if question is None or not correct or not duration_ms or question.type == "recall":
            continue
        history[question.type].append((duration_ms / 1000, words_in(question, question.choices)))
    paces = {kind: grading.own_pace(times) for kind, times in history.items()}
    return {kind: pace for kind, pace in paces.items() if pace is not None}


def words_in(question: Question, choices: Sequence[str]) -> int:
    return len(question.prompt.split()) + sum(len(c.split()) for c in choices)


class Quiz:
    def __init__(self, store: Store, scheduler: Scheduler, ui: QuizUI, *, rng: random.Random,
                 clock: Callable[[], dt.datetime], new_limit: tuple[dt.datetime, int] | None = None,
                 paces: dict[str, float] | None = None):
        """new_limit: (start of the study day, new questions allowed per day); each new question then
        claims a slot in the store just before it is shown, so quizzes running at once share the limit.
        paces: the learner's own usual pace per question type (grading.own_pace), for "fast"."""
        self.store, self.scheduler, self.ui, self.rng, self.clock = store, scheduler, ui, rng, clock
        self.new_limit = new_limit
        self.paces = paces or {}
        self._last: tuple[Outcome, bool] | None = None  # the latest answer, and whether it was queued again

    def run(self, questions: Sequence[Question], summary: Summary | None = None) -> Summary:
        """Ask each question; save each answer before the next. Failed questions come back once
        at the end of the session if their relearning step is due by then (as in Anki).

        KeyboardInterrupt propagates after marking `summary`; running out of input ends the quiz
        (summary.ended_early). Either way every answer already given is committed.
        """
        summary = summary if summary is not None else Summary()
        queue = list(questions)
        retried: set[str] = set()
        self._position = 0
        self._total = len(queue)
        try:
            while queue:
                question = queue.pop(0)
                if not self._may_introduce(question):
                    summary.over_limit += 1
                    self._total -= 1
                    continue
                self._position += 1
                self.ui.undo_available = self._last is not None
                try:
                    outcome = self.ask(question, self._position, self._total)
                except UndoRequested:
                    self._position -= 1
                    queue.insert(0, question)
                    self._undo(summary, queue, retried)
                    continue
                if question.id in retried:
                    outcome = replace(outcome, repeat=True)
                summary.outcomes.append(outcome)
                self.ui.show_outcome(outcome, self.clock())
                queued_again = (outcome.rating == Rating.AGAIN and question.id not in retried
                                and outcome.card.is_learning)
                if queued_again:
                    retried.add(question.id)
                    queue.append(question)
                    self._total += 1
                self._last = (outcome, queued_again)
                step = self.ui.next_step(outcome, last=not queue)
                if step == "undo":
                    self._undo(summary, queue, retried)
                elif step == "stop":
                    summary.stopped = len(queue)
                    break
        except KeyboardInterrupt:
            summary.interrupted = True
            raise
        except EndOfInput:
            summary.ended_early = True
        return summary

    def _undo(self, summary: Summary, queue: list[Question], retried: set[str]) -> None:
        """Take back the latest answer: its review leaves the log, its card is as before, and the
        question comes back next. Only the latest answer: the one a misfired key gave."""
        if self._last is None or self._last[0].receipt is None:
            self.ui.show_undone(None, False)
            return
        outcome, queued_again = self._last
        if not self.store.undo(outcome.receipt):
            self.ui.show_undone(outcome.question, False)  # answered again in another terminal since
            self._last = None
            return
        self._last = None
        summary.outcomes.pop()
        summary.undone += 1
        if queued_again:
            queue.reverse()
            queue.remove(outcome.question)  # the copy queued for the end of the session
            queue.reverse()
            retried.discard(outcome.question.id)
            self._total -= 1
        queue.insert(0, outcome.question)
        self._position -= 1
        self.ui.show_undone(outcome.question, True)

    def _may_introduce(self, question: Question) -> bool:
        if self.new_limit is None or self.store.card(question.id) is not None:
            return True
        since, limit = self.new_limit
        return self.store.claim_new(question.id, question.topic, since, limit, self.clock())

    def ask(self, question: Question, position: int, total: int) -> Outcome:
        if question.type == "recall":
            answer = self.ui.ask_recall(question, position, total,
                                        lambda: self.scheduler.preview(self.store.card(question.id), question.id,
                                                                       question.topic, self.clock()))
            text = answer.typed or f"(key points {','.join(str(i + 1) for i in answer.covered) or 'none'})"
            return save(self.store, self.scheduler, question, answer.rating, answer.rating != Rating.AGAIN, text,
                        answer.duration_s, self.clock())
        choices = list(question.choices)
        if question.type != "true-false":
            self.rng.shuffle(choices)
        answer = self.ui.ask_choice(question, choices, position, total)
        return record_choice(self.store, self.scheduler, question, choices, answer, self.clock(),
                             self.paces.get(question.type))


def record_choice(store: Store, scheduler: Scheduler, question: Question, choices: Sequence[str],
                  answer: ChoiceAnswer, when: dt.datetime, own_pace: float | None = None) -> Outcome:
    """Grade a choice answer by the grading policy, then log it and reschedule its card.

    Shared by the quiz and the exam, so both feed the scheduler the same way. own_pace: the
    learner's usual pace for this question type (grading.own_pace), None to judge by reading pace.
    """
    correct = not answer.dont_know and grading.is_correct_choice(set(answer.selected), set(question.answer))
    rating = grading.grade(Attempt(correct=correct, duration_s=answer.duration_s,
                                   words=words_in(question, choices), hinted=answer.hinted,
                                   unsure=answer.unsure, changed=answer.changed, dont_know=answer.dont_know,
                                   own_pace=own_pace))
    text = "(don't know)" if answer.dont_know else " | ".join(answer.selected)
    return replace(save(store, scheduler, question, rating, correct, text, answer.duration_s, when),
                   selected=tuple(answer.selected))


def save(store: Store, scheduler: Scheduler, question: Question, rating: Rating, correct: bool, text: str,
         duration: float | None, when: dt.datetime) -> Outcome:
    """Log one answer and reschedule its card, in one committed transaction."""
    duration_ms = None if duration is None else int(round(duration * 1000))
    card, receipt = store.record_undoable(
        Review(question.id, question.topic, int(rating), when, duration_ms, text, correct),
        lambda before: scheduler.review(before, question.id, question.topic, int(rating), when, duration_ms))
    return Outcome(question, correct, rating, card, text, when, duration, receipt=receipt)


def next_due_counts(cards: dict[str, CardState], live_ids: set[str], now: dt.datetime,
                    day_start_hour: int = 4) -> dict[str, object]:
    """When the next reviews fall: due now, learning steps minutes away, later today, tomorrow,
    within 7 days, and the very next one that is not due yet.

    "Due now" means due at this moment (a review card due today, or a learning step whose time has
    come). Learning steps a few minutes away are counted apart, so a summary never calls them due.
    """
    _, end_of_day = day_bounds(now, day_start_hour)
    tomorrow_end = end_of_day + dt.timedelta(days=1)
    week_end = end_of_day + dt.timedelta(days=7)
    live = [c for qid, c in cards.items() if qid in live_ids]
    due_now = [c for c in live if (c.due <= now if c.is_learning else c.due < end_of_day)]
    waiting = sorted(c.due for c in live if not (c.due <= now if c.is_learning else c.due < end_of_day))
    return {
        "due_now": len(due_now),
        "learning_soon": sum(1 for c in live if c.is_learning and now < c.due <= now + dt.timedelta(hours=1)),
        "later_today": sum(1 for d in waiting if d < end_of_day),
        "tomorrow": sum(1 for d in waiting if end_of_day <= d < tomorrow_end),
        "next_7_days": sum(1 for d in waiting if d < week_end),
        "next": waiting[0] if waiting else None,
    }
