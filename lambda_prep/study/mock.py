"""The mock interview: open questions, typed answers checked against key points, follow-ups.

Driven through an injected UI (views.mock for people, a fake in tests) and an injected clock, so
tests run it without a terminal. Each answer is saved the moment it is given (store.mock_answers);
Ctrl-C or the end of input keeps every answer.

Scheduling (study-features-notes §3: a mock must not push intervals out): the main question's
rating comes from the key points covered (grading.suggest_recall_rating; a myth caps it at
Again), and FSRS sees it like a quiz answer when the card is new, due, or the answer failed.
A passing answer on a card that is not due is kept in the mock history only, so rehearsing a
question the day after a review does not stretch its interval.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

from typing import TYPE_CHECKING

from lambda_prep.bank.model import Question
from lambda_prep.errors import EndOfInput
from lambda_prep.study.grading import Rating, suggest_recall_rating
from lambda_prep.study.planning import Cap, capped
from lambda_prep.study.scheduler import CardState, Scheduler, day_bounds, is_due
from lambda_prep.study.store import Review, Store

if TYPE_CHECKING:  # imported where used: the checker compiles its tables on first use, after question 1
    from lambda_prep.study import answers
    from lambda_prep.study.myths import Caught, Myth

# Interview level -> weight of each question difficulty (1 basics .. 3 senior-level detail).
LEVELS: dict[str, dict[int, float]] = {
    "junior": {1: 3.0, 2: 1.0},
    "mid": {1: 1.0, 2: 3.0, 3: 1.0},
    "senior": {2: 1.0, 3: 3.0},
}
DEFAULT_COUNT = 6
DEFAULT_MINUTES = 2.0
MAX_FOLLOW_UPS = 2

# The simulation that shows each topic's behaviour, for "what to study next".
SIMULATIONS = {
    "cold-starts": "cold-start", "concurrency": "concurrency", "retries": "retries", "invocation": "invocation",
    "layers": "layers", "limits": "limits", "security": "security", "pricing-performance": "pricing",
    "networking-storage": "rds-proxy",
}


# --- choosing ---------------------------------------------------------------------------------


def choose(questions: Sequence[Question], cards: dict[str, CardState], mastery: dict[str, float], *,
           count: int, rng: random.Random, topics: Sequence[str] = (), level: str = "mid") -> list[Question]:
    """Open questions across topics, weighted toward the weakest topics, with one never seen.

    Topics take turns (each picked with weight 1.05 - mastery, none twice before all have had a
    turn), so six questions span six topics when there are six; the level weights difficulties.
    """
    pool = [q for q in questions if q.type == "recall" and (not topics or q.topic in topics)]
    weights = LEVELS[level]
    allowed = [q for q in pool if q.difficulty in weights] or pool
    if not allowed:
        return []
    weakness = {q.topic: 1.05 - min(max(mastery.get(q.topic, 0.0), 0.0), 1.0) for q in allowed}
    by_topic: dict[str, list[Question]] = defaultdict(list)
    for q in sorted(allowed, key=lambda q: q.id):
        by_topic[q.topic].append(q)
    chosen: list[Question] = []

    def take(candidates: list[Question], weight: Callable[[Question], float]) -> None:
        pick = rng.choices(candidates, weights=[weight(q) for q in candidates])[0]
        chosen.append(pick)
        by_topic[pick.topic].remove(pick)

    unseen = [q for q in allowed if q.id not in cards]
    if unseen:
        take(unseen, lambda q: weakness[q.topic] * weights.get(q.difficulty, 1.0))
    while len(chosen) < count:
        left = sorted(t for t, qs in by_topic.items() if qs)
        if not left:
            break
        used = {q.topic for q in chosen}
        fresh = [t for t in left if t not in used] or left
        topic = rng.choices(fresh, weights=[weakness[t] for t in fresh])[0]
        take(by_topic[topic], lambda q: weights.get(q.difficulty, 1.0))
    rng.shuffle(chosen)
    return chosen


def follow_ups_to_ask(question: Question, covered: Sequence[int], limit: int = MAX_FOLLOW_UPS):
    """The follow-ups whose premise the main answer covered (or that have none), in bank order."""
    return [f for f in question.follow_ups if f.premise == 0 or f.premise - 1 in covered][:limit]


# --- results ----------------------------------------------------------------------------------


@dataclass
class Answer:
    """One answer given in the mock: to a main question (follow_up 0) or its n-th follow-up."""

    question: Question
    follow_up: int
    prompt: str
    key_points: tuple[str, ...]
    model_answer: str
    typed: str
    seconds: float | None  # None: not measured (answers piped from a script)
    limit_seconds: float
    check: answers.CheckResult
    covered: tuple[int, ...]  # after the learner's corrections
    myths: list[Caught]
    row_id: int = 0

    @property
    def over_time(self) -> bool:
        return self.seconds is not None and self.seconds > self.limit_seconds

    @property
    def missed(self) -> list[str]:
        return [p for i, p in enumerate(self.key_points) if i not in self.covered]


@dataclass
class QuestionResult:
    question: Question
    main: Answer
    follow_ups: list[Answer] = field(default_factory=list)
    rating: Rating | None = None
    scheduled: bool = False  # FSRS saw this answer (new, due or failed)
    card: CardState | None = None

    @property
    def answers(self) -> list[Answer]:
        return [self.main, *self.follow_ups]

    @property
    def covered(self) -> int:
        return sum(len(a.covered) for a in self.answers)

    @property
    def points(self) -> int:
        return sum(len(a.key_points) for a in self.answers)

    @property
    def myths(self) -> list[Caught]:
        return [c for a in self.answers for c in a.myths]


@dataclass
class MockResult:
    mock_id: int
    level: str
    started_at: dt.datetime
    planned: int
    minutes_per_answer: float
    results: list[QuestionResult] = field(default_factory=list)
    interrupted: bool = False
    ended_early: bool = False  # input ran out before the last question

    @property
    def covered(self) -> int:
        return sum(r.covered for r in self.results)

    @property
    def points(self) -> int:
        return sum(r.points for r in self.results)

    @property
    def score(self) -> float:
        """Share of key points covered over every answer (follow-ups included), 0-1."""
        return self.covered / self.points if self.points else 0.0

    def by_topic(self) -> dict[str, tuple[int, int]]:
        """topic -> (key points covered, key points asked)."""
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self.results:
            out[r.question.topic][0] += r.covered
            out[r.question.topic][1] += r.points
        return {t: (c, p) for t, (c, p) in sorted(out.items())}

    def study_next(self, limit: int = 3) -> list[dict]:
        """The things to study next: myths caught first, then points missed in the weakest answers,
        one per topic, each with the commands that teach it."""
        candidates: list[tuple[tuple, str, str]] = []
        for r in self.results:
            for caught in r.myths:
                candidates.append(((0, 0.0), r.question.topic, f"Outdated belief: {caught.myth.belief}. "
                                                               f"{caught.myth.correction}"))
        for r in sorted(self.results, key=lambda r: (r.covered / r.points if r.points else 1.0, r.question.id)):
            share = r.covered / r.points if r.points else 1.0
            for answer in r.answers:
                for point in answer.missed:
                    candidates.append(((1, share), r.question.topic, point))
        ranked = sorted(candidates, key=lambda c: c[0])
        things: list[dict] = []
        # One per topic first (breadth), then the next most urgent ones if fewer topics were asked.
        for spread in (True, False):
            for _, topic, what in ranked:
                if len(things) >= limit:
                    return things
                if any(t["what"] == what for t in things) or (spread and any(t["topic"] == topic for t in things)):
                    continue
                things.append({"topic": topic, "what": what, "commands": commands_for(topic)})
        return things

    def to_json(self) -> dict:
        def points(answer: Answer) -> list[dict]:
            return [{"point": p.point, "covered": i in answer.covered, "matched": list(p.evidence) if p.covered else []}
                    for i, p in enumerate(answer.check.points)]

        def myths(answer: Answer) -> list[dict]:
            return [{"id": c.myth.id, "belief": c.myth.belief, "sentence": c.sentence,
                     "correction": c.myth.correction, "source": c.myth.source} for c in answer.myths]

        def seconds(answer: Answer) -> float | None:
            return None if answer.seconds is None else round(answer.seconds, 1)

        return {
            "mock_id": self.mock_id,
            "level": self.level,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "finished": not (self.interrupted or self.ended_early),
            "minutes_per_answer": self.minutes_per_answer,
            "score": round(self.score, 4),
            "covered": self.covered,
            "points": self.points,
            "questions": [{
                "id": r.question.id,
                "topic": r.question.topic,
                "prompt": r.question.prompt,
                "answer": r.main.typed,
                "seconds": seconds(r.main),
                "over_time": r.main.over_time,
                "key_points": points(r.main),
                "myths": myths(r.main),
                "rating": r.rating.label if r.rating else None,
                "scheduled": r.scheduled,
                "follow_ups": [{"prompt": a.prompt, "answer": a.typed, "seconds": seconds(a),
                                "over_time": a.over_time, "key_points": points(a), "myths": myths(a)}
                               for a in r.follow_ups],
            } for r in self.results],
            "topics": {t: {"covered": c, "points": p, "score": round(c / p, 4) if p else 0.0}
                       for t, (c, p) in self.by_topic().items()},
            "study_next": self.study_next(),
        }


def commands_for(topic: str) -> list[str]:
    commands = [f"lambda-prep explain {topic}"]
    if topic in SIMULATIONS:
        commands.append(f"lambda-prep simulate {SIMULATIONS[topic]}")
    commands.append(f"lambda-prep quiz --topic {topic}")
    return commands


# --- running ----------------------------------------------------------------------------------


class MockUI(Protocol):
    timed: bool  # answer times mean something (a person typing, not a pipe)

    def ask(self, question: Question, prompt: str, position: int, total: int, follow_up: int,
            limit_seconds: float) -> str:
        """The typed answer ("" for none). Raises EndOfInput when input ends."""

    def confirm_marks(self, answer: Answer) -> tuple[int, ...]:
        """Show the key points with the automatic marks and any myths; return the final marks."""

    def show_model_answer(self, answer: Answer) -> None: ...

    def show_rating(self, result: QuestionResult, now: dt.datetime) -> None: ...


class MockInterview:
    def __init__(self, store: Store, scheduler: Callable[[], Scheduler], ui: MockUI,
                 myths: Callable[[], Sequence[Myth]], *,
                 wall_clock: Callable[[], dt.datetime], timer: Callable[[], float],
                 minutes_per_answer: float = DEFAULT_MINUTES, level: str = "mid", day_start_hour: int = 4,
                 cap: Cap | None = None):
        """cap: the interview plan's due-date cap (planning.cap_in_force), None without a plan: what is
        due is what the quiz would call due."""
        self.store, self.ui = store, ui
        self.cap = cap
        self._scheduler_factory, self._scheduler = scheduler, None
        self._myths_loader, self._myths = myths, None
        self.wall_clock, self.timer = wall_clock, timer
        self.limit_seconds = minutes_per_answer * 60
        self.minutes_per_answer, self.level, self.day_start_hour = minutes_per_answer, level, day_start_hour

    @property
    def scheduler(self) -> Scheduler:
        if self._scheduler is None:  # fsrs loads after the first question is on screen
            self._scheduler = self._scheduler_factory()
        return self._scheduler

    @property
    def myths(self) -> Sequence[Myth]:
        if self._myths is None:  # loaded after the first question is on screen (PyYAML costs time)
            self._myths = self._myths_loader()
        return self._myths

    def run(self, questions: Sequence[Question], result: MockResult | None = None) -> MockResult:
        """Ask every question; KeyboardInterrupt propagates after marking the result, with every
        answer given so far saved; running out of input ends the mock (result.ended_early)."""
        started = self.wall_clock()
        if result is None:
            result = MockResult(0, self.level, started, len(questions), self.minutes_per_answer)
        result.mock_id = self.store.start_mock(started, self.level, len(questions))
        try:
            for position, question in enumerate(questions, 1):
                self._question(question, position, len(questions), result)
        except KeyboardInterrupt:
            result.interrupted = True
            raise
        except EndOfInput:
            result.ended_early = True
        finally:
            finished = None if result.interrupted or result.ended_early else self.wall_clock()
            self.store.finish_mock(result.mock_id, finished, result.covered, result.points)
        return result

    def _question(self, question: Question, position: int, total: int, result: MockResult) -> None:
        main = self._answer(result.mock_id, question, 0, question.prompt, question.key_points, question.phrasings,
                            question.model_answer, position, total)
        outcome = QuestionResult(question, main)
        result.results.append(outcome)
        try:
            for number, follow_up in enumerate(follow_ups_to_ask(question, main.covered), 1):
                outcome.follow_ups.append(self._answer(
                    result.mock_id, question, number, follow_up.prompt, follow_up.key_points, follow_up.phrasings,
                    follow_up.model_answer, position, total))
        finally:
            self._schedule(outcome)  # even when cut short: the main answer was a real attempt
        self.ui.show_rating(outcome, self.wall_clock())

    def _answer(self, mock_id: int, question: Question, follow_up: int, prompt: str, key_points, phrasings,
                model_answer: str, position: int, total: int) -> Answer:
        from lambda_prep.study import answers
        from lambda_prep.study.myths import detect

        start = self.timer()
        typed = (self.ui.ask(question, prompt, position, total, follow_up, self.limit_seconds) or "").strip()
        seconds = self.timer() - start if self.ui.timed else None
        checked = answers.check(typed, key_points, phrasings)
        caught = detect(typed, self.myths)
        answer = Answer(question, follow_up, prompt, tuple(key_points), model_answer, typed, seconds,
                        self.limit_seconds, checked, checked.covered, caught)
        answer.row_id = self.store.save_mock_answer(
            mock_id, question.id, question.topic, follow_up, typed, None if seconds is None else round(seconds, 1),
            list(answer.covered), len(key_points), [c.myth.id for c in caught], self.wall_clock())
        marks = tuple(sorted(set(self.ui.confirm_marks(answer))))
        if marks != answer.covered:
            answer.covered = marks
            self.store.mark_mock_answer(answer.row_id, list(marks))
        self.ui.show_model_answer(answer)
        return answer

    def _schedule(self, outcome: QuestionResult) -> None:
        question, main = outcome.question, outcome.main
        rating = suggest_recall_rating(len(main.covered), len(main.key_points))
        if outcome.myths:
            rating = Rating.AGAIN  # partly right with a wrong fact is a fail in an interview
        outcome.rating = rating
        now = self.wall_clock()
        before = self.store.card(question.id)
        if before is not None:  # due as the plan has it (a card scheduled before the plan comes before the day)
            before = capped({question.id: before}, self.cap, now)[question.id]
        _, end_of_day = day_bounds(now, self.day_start_hour)
        if before is not None and not is_due(before, now, end_of_day) and rating != Rating.AGAIN:
            outcome.card = before
            return
        duration_ms = None if main.seconds is None else int(round(main.seconds * 1000))
        outcome.card = self.store.record(
            Review(question.id, question.topic, int(rating), now, duration_ms, main.typed or "(no answer)",
                   rating != Rating.AGAIN),
            lambda card: self.scheduler.review(card, question.id, question.topic, int(rating), now, duration_ms))
        outcome.scheduled = True


# --- history and the Markdown report ------------------------------------------------------------


def history(store: Store) -> list[dict]:
    rows = []
    for mock_id, started, finished, level, planned, covered, points, answered in store.mocks():
        if not answered:
            continue  # stopped before the first answer: nothing to compare
        rows.append({"mock_id": mock_id, "started_at": started.isoformat(timespec="seconds"),
                     "finished": finished is not None, "level": level, "questions": planned,
                     "answered": answered, "covered": covered, "points": points,
                     "score": round(covered / points, 4) if points else 0.0,
                     "topics": store.mock_topics(mock_id)})
    return rows


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "not timed"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def report_markdown(result: MockResult) -> str:
    """The mock as a Markdown document: each answer as typed, covered and missed points, myths,
    time; a score per topic; what to study next with the commands to run."""
    lines = [f"# Mock interview, {result.started_at.astimezone().strftime('%Y-%m-%d %H:%M')}", ""]
    answered = len(result.results)
    status = "" if answered == result.planned else f" ({answered} of {result.planned} questions answered)"
    lines += [f"Level: {result.level}. Score: **{result.score:.0%}** of key points covered "
              f"({result.covered} of {result.points}){status}. Time per answer: "
              f"{result.minutes_per_answer:g} min.", ""]
    for number, r in enumerate(result.results, 1):
        lines += [f"## {number}. {r.question.prompt.strip()}", "",
                  f"Topic: {r.question.topic}. Rating: {r.rating.label if r.rating else 'none'}"
                  f"{'' if r.scheduled else ' (not due: kept out of scheduling)'}.", ""]
        for answer in r.answers:
            if answer.follow_up:
                lines += [f"### Follow-up: {answer.prompt.strip()}", ""]
            over = " (over time)" if answer.over_time else ""
            lines += [f"Time: {_clock(answer.seconds)}{over}", "", "Your answer:", ""]
            lines += ([f"> {line}" if line else ">" for line in answer.typed.splitlines()] or ["> (no answer)"])
            lines.append("")
            for i, point in enumerate(answer.check.points):
                mark = "x" if i in answer.covered else " "
                said = f" (you said: {', '.join(point.evidence)})" if i in answer.covered and point.evidence else ""
                lines.append(f"- [{mark}] {point.point}{said}")
            lines.append("")
            for caught in answer.myths:
                lines += [f"**Outdated:** \u201c{caught.sentence}\u201d {caught.myth.correction} "
                          f"Source: <{caught.myth.source}>", ""]
    lines += ["## Score per topic", "", "| topic | key points covered | score |", "|---|---|---|"]
    for topic, (covered, points) in result.by_topic().items():
        lines.append(f"| {topic} | {covered} of {points} | {covered / points if points else 0:.0%} |")
    lines += ["", "## Study next", ""]
    things = result.study_next()
    if not things:
        lines.append("Nothing missed: try `lambda-prep mock --level senior`.")
    for thing in things:
        commands = ", ".join(f"`{c}`" for c in thing["commands"])
        lines.append(f"- **{thing['topic']}**: {thing['what']} Run {commands}.")
    return "\n".join(lines) + "\n"
