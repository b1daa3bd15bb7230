"""The quiz on screen: asking (plain numbered prompts or questionary) and feedback.

PlainQuizUI reads one answer per line from stdin, so scripts can pipe answers in:
    printf '2\\n1\\n' | lambda-prep quiz --count 2 --seed 1
InteractiveQuizUI uses arrow keys (select) and space to tick (multi).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Callable, Sequence

from lambda_prep.bank.model import Question
from lambda_prep.study.grading import Rating, suggest_recall_rating
from lambda_prep.study.session import ChoiceAnswer, Outcome, RecallAnswer, Summary, UndoRequested
from lambda_prep.terminal import Terminal
from lambda_prep.views.common import local_time, span, until

HINT = "(hint: remove half of the wrong answers)"
DONT_KNOW = "(I don't know: show me the answer)"


def _header(term: Terminal, question: Question, position: int, total: int) -> None:
    from rich.text import Text

    kind = {"single": "one answer", "multi": "select all that apply", "true-false": "true or false",
            "recall": "interview question"}[question.type]
    if "drill" in question.tags:
        kind = "scenario drill: predict what Lambda does"
    head = Text()
    head.append(f"\n[{position}/{total}] ", style="bold")
    head.append(f"{question.topic}", style="cyan")
    head.append(f" · {kind} · difficulty {question.difficulty}", style="dim")
    if question.myth:
        head.append(" · myth-buster", style="magenta")
    term.console.print(head)
    term.console.print(Text(question.prompt.strip(), style="bold"))


def _hint_choices(question: Question, choices: Sequence[str]) -> list[str]:
    """Keep every right answer and half of the wrong ones (at least one wrong stays)."""
    wrong = [c for c in choices if c not in question.answer]
    keep_wrong = set(wrong[: max(1, len(wrong) // 2)])
    return [c for c in choices if c in question.answer or c in keep_wrong]


class PlainQuizUI:
    def __init__(self, term: Terminal):
        self.term = term
        self.timed = term.stdin_isatty  # answer times from a pipe mean nothing
        self.undo_available = False  # set by the quiz: is there an answer to take back?

    def _undo_note(self) -> str:
        return ", u = undo the last answer" if self.undo_available else ""

    def _wants_undo(self, line: str) -> bool:
        if self.undo_available and line.strip().lower() in ("u", "undo"):
            raise UndoRequested()
        return False

    def _clock(self) -> float:
        return time.monotonic()

    def ask_choice(self, question: Question, choices: Sequence[str], position: int, total: int) -> ChoiceAnswer:
        term = self.term
        _header(term, question, position, total)
        start = self._clock()
        shown = list(choices)
        hinted = False
        multi = question.type == "multi"
        while True:
            for index, choice in enumerate(shown, 1):
                term.console.print(f"  {index}) {choice}", highlight=False)
            hint_note = "" if hinted or len(shown) <= 2 else ", h = hint"
            what = "numbers, e.g. 1 3" if multi else "a number"
            line = term.read_line(f"Answer ({what}{hint_note}, ? = don't know; end with ? if unsure"
                                  f"{self._undo_note()}): ").strip()
            self._wants_undo(line)
            lowered = line.lower()
            if lowered in ("?", "idk", "dont know", "don't know"):
                return ChoiceAnswer((), self._elapsed(start), hinted=hinted, dont_know=True)
            if lowered == "h" and not hinted and len(shown) > 2:
                shown, hinted = _hint_choices(question, shown), True
                term.console.print("[dim]Half of the wrong answers removed.[/dim]")
                continue
            unsure = lowered.endswith("?")
            picked = _parse_numbers(lowered.rstrip("?").strip(), len(shown), question)
            if picked is None or (not multi and len(picked) != 1):
                example = "1 3" if multi else "2"
                term.console.print(f"[yellow]Type {what} from 1 to {len(shown)} (e.g. {example}), "
                                   f"? if you don't know.[/yellow]")
                continue
            selected = tuple(shown[i - 1] for i in picked)
            return ChoiceAnswer(selected, self._elapsed(start), hinted=hinted, unsure=unsure)

    def _elapsed(self, start: float) -> float | None:
        return self._clock() - start if self.timed else None

    def ask_recall(self, question: Question, position: int, total: int,
                   preview: Callable[[], dict[int, dt.timedelta]]) -> RecallAnswer:
        term = self.term
        _header(term, question, position, total)
        start = self._clock()
        typed = term.read_line(f"Answer in your head (or type it), then press Enter to see the model answer"
                               f"{' (u = undo the last answer)' if self.undo_available else ''}: ").strip()
        self._wants_undo(typed)
        duration = self._elapsed(start)
        show_model_answer(term, question)
        covered = None
        while covered is None:
            line = term.read_line("Which key points did you give? (numbers, e.g. 1 3; a = all; Enter = none): ")
            line = line.strip().lower()
            if line in ("a", "all"):
                covered = tuple(range(len(question.key_points)))
            elif not line:
                covered = ()
            else:
                numbers = _numbers(line, len(question.key_points))
                covered = None if numbers is None else tuple(n - 1 for n in numbers)
                if covered is None:
                    term.console.print(f"[yellow]Numbers from 1 to {len(question.key_points)}, a for all, "
                                       f"or Enter for none.[/yellow]")
        suggested = suggest_recall_rating(len(covered), len(question.key_points))
        intervals = preview()
        options = " · ".join(f"{r.value} {r.label} ({span(intervals[r.value].total_seconds())})" for r in Rating)
        while True:
            line = term.read_line(f"Rate yourself: {options} [Enter = {suggested.value} {suggested.label}]: ").strip()
            if not line:
                rating = suggested
                break
            if line in ("1", "2", "3", "4"):
                rating = Rating(int(line))
                break
            term.console.print("[yellow]Type 1, 2, 3 or 4, or press Enter for the suggestion.[/yellow]")
        return RecallAnswer(typed, covered, rating, duration)

    def show_outcome(self, outcome: Outcome, now: dt.datetime) -> None:
        show_outcome(self.term, outcome, now)

    def next_step(self, outcome: Outcome, last: bool) -> str:
        return "next"  # plain mode: the next prompt follows (a script keeps its pace; u undoes there)

    def show_undone(self, question: Question | None, done: bool) -> None:
        from rich.text import Text

        if question is None:
            message = "Nothing to undo."
        elif done:
            message = "Answer taken back: the question is as before and comes again now."
        else:
            message = "Not undone: this question was answered again elsewhere since."
        self.term.console.print(Text(message, style="yellow"))


PACE_KEYS = {"enter": "next", "space": "next", "q": "stop", "u": "undo"}


class InteractiveQuizUI(PlainQuizUI):
    def next_step(self, outcome: Outcome, last: bool) -> str:
        """Wait for a key, so the feedback stays on screen until the learner has read it."""
        go_on = "the summary" if last else "next question"
        # ASCII only: prompt_toolkit prints "?" for what an ASCII-only terminal cannot show
        return self.term.key(f"Enter: {go_on}   u: take this answer back   q: stop here", PACE_KEYS)

    def ask_choice(self, question: Question, choices: Sequence[str], position: int, total: int) -> ChoiceAnswer:
        """Arrow keys and Enter (space ticks in a multi-select); `?` instead of Enter marks the answer
        "not sure" (never Easy). The hint and "I don't know" are entries of the list in both prompts."""
        term = self.term
        _header(term, question, position, total)
        start = self._clock()
        shown = list(choices)
        hinted = False
        ticked: list[str] = []
        while True:
            extras = ([HINT] if not hinted and len(shown) > 2 else []) + [DONT_KNOW]
            if question.type == "multi":
                picked, unsure = term.checkbox("Your answer:", shown + extras, checked=ticked, unsure_key=True)
                if DONT_KNOW in picked or not picked:
                    return ChoiceAnswer((), self._clock() - start, hinted=hinted, dont_know=True)
                ticked = [c for c in picked if c != HINT]
                if HINT in picked:
                    shown, hinted = _hint_choices(question, shown), True
                    ticked = [c for c in ticked if c in shown]  # a removed wrong answer is unticked
                    continue
            else:
                one, unsure = term.select("Your answer:", shown + extras, unsure_key=True)
                if one == DONT_KNOW:
                    return ChoiceAnswer((), self._clock() - start, hinted=hinted, dont_know=True)
                if one == HINT:
                    shown, hinted = _hint_choices(question, shown), True
                    continue
                ticked = [one]
            return ChoiceAnswer(tuple(ticked), self._clock() - start, hinted=hinted, unsure=unsure)

    def ask_recall(self, question: Question, position: int, total: int,
                   preview: Callable[[], dict[int, dt.timedelta]]) -> RecallAnswer:
        term = self.term
        _header(term, question, position, total)
        start = self._clock()
        typed = (term.text("Answer in your head or type it; Enter shows the model answer:") or "").strip()
        duration = self._clock() - start
        show_model_answer(term, question)
        ticked = term.checkbox("Which key points did you give?", list(question.key_points))
        covered = tuple(i for i, p in enumerate(question.key_points) if p in ticked)
        suggested = suggest_recall_rating(len(covered), len(question.key_points))
        intervals = preview()
        labels = {f"{r.label} (next in {span(intervals[r.value].total_seconds())})": r for r in Rating}
        default = next(label for label, r in labels.items() if r == suggested)
        choice = term.select("Rate yourself:", list(labels), default=default)
        return RecallAnswer(typed, covered, labels[choice], duration)


def _parse_numbers(text: str, count: int, question: Question) -> list[int] | None:
    if question.type == "true-false" and text in ("t", "true", "f", "false"):
        return [1 if text.startswith("t") else 2]
    return _numbers(text, count)


def _numbers(text: str, count: int) -> list[int] | None:
    parts = [p for p in re.split(r"[\s,;]+", text) if p]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    numbers = sorted({int(p) for p in parts})
    if not all(1 <= n <= count for n in numbers):
        return None
    return numbers


def show_model_answer(term: Terminal, question: Question) -> None:
    from rich.panel import Panel
    from rich.text import Text

    body = Text(question.model_answer.strip() + "\n\nKey points:\n")
    for index, point in enumerate(question.key_points, 1):
        body.append(f"  {index}) {point}\n")
    term.console.print(Panel(body, title="Model answer", title_align="left", border_style="blue"))


def show_outcome(term: Terminal, outcome: Outcome, now: dt.datetime) -> None:
    from rich.text import Text

    q = outcome.question
    line = Text()
    if q.type == "recall":
        line.append(f"Rated {outcome.rating.label}", style="bold")
    elif outcome.correct:
        line.append("✓ Correct", style="bold green")
        line.append(f" ({outcome.rating.label})", style="dim")
    elif q.type == "multi":
        line.append("✗ Not quite", style="bold red")
    else:
        line.append("✗ Not quite", style="bold red")
        answers = " | ".join(q.answer)
        line.append(f": the answer is {answers}" if len(q.answer) == 1 else f": the answers are {answers}")
    # The interval from the moment of the review, as the rating menu previewed it (not from now,
    # a few seconds later, which could round 5.5 min to "5 min" after a preview of "6 min").
    start = outcome.reviewed_at or now
    status = "next review " + ("now" if outcome.card.due <= start else
                               f"in {span((outcome.card.due - start).total_seconds())}")
    if line.cell_len + len(status) + 4 <= term.console.width:
        line.append(f"  · {status}", style="dim")
        term.console.print(line)
    else:  # on a line of its own rather than broken in the middle of the phrase
        term.console.print(line)
        term.console.print(Text(status.capitalize() + ".", style="dim"))
    if q.type == "multi" and not outcome.correct:
        show_ticks(term, q.choices, q.answer, outcome.selected)
    if outcome.repeat:
        term.console.print(Text("(The explanation is above, where you first met this question.)", style="dim"))
        return
    explanation, _, watch = q.explanation.partition("\nWatch it: ")  # a drill names its simulation
    if q.type != "recall":
        term.console.print(Text(explanation.strip()))
    if watch:  # printed whole, to copy and paste
        term.console.print(Text(f"Watch it: {watch.strip()}", style="dim"), soft_wrap=True)
    if q.type == "recall" and q.explanation:
        term.console.print(Text(q.explanation.strip(), style="dim"))
    more = f" (+{len(q.sources) - 1} more)" if len(q.sources) > 1 else ""
    # Not wrapped: a web address cut across lines can no longer be clicked or copied.
    term.console.print(Text(f"Source: {q.sources[0]}{more}", style="dim"), soft_wrap=True)
    if (not outcome.correct or q.type == "recall") and not watch:
        from lambda_prep.explain import lesson_for

        section, command = lesson_for(q)
        where = f' (section "{section}")' if section else ""
        term.console.print(Text(f"Learn it: lambda-prep explain {q.topic}{where}", style="dim"))
        if command:  # a command is never broken across lines: it must copy and paste whole
            term.console.print(Text(f"    and:  {command}", style="dim"), soft_wrap=True)


def show_ticks(term: Terminal, choices: Sequence[str], answer: Sequence[str], selected: Sequence[str]) -> None:
    """A multi-select answer choice by choice: ticked and right, missed, ticked wrongly (and, for a
    full picture, left out rightly), each on its own wrapped line."""
    from rich.table import Table
    from rich.text import Text

    marks = {(True, True): ("✓ ticked, right", "green"), (False, True): ("✗ missed", "red"),
             (True, False): ("✗ ticked wrongly", "red"), (False, False): ("  not ticked, right", "dim")}
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()  # a long choice wraps inside its column, under its own first word
    for choice in choices:
        label, style = marks[(choice in selected, choice in answer)]
        grid.add_row(Text("  " + label, style=style), Text(choice, style="dim" if style == "dim" else ""))
    term.console.print(grid)


def show_summary(term: Terminal, summary: Summary, upcoming: dict, now: dt.datetime, *,
                 nothing_message: str | None = None) -> None:
    from rich.table import Table

    if not summary.outcomes:
        if nothing_message:
            term.console.print(nothing_message)
        return
    table = Table(title="This session", title_justify="left", show_edge=False)
    table.add_column("topic")
    table.add_column("answered", justify="right")
    table.add_column("correct", justify="right")
    table.add_column("accuracy", justify="right")
    total_answered = total_correct = 0
    for topic, (answered, correct) in summary.by_topic().items():
        total_answered += answered
        total_correct += correct
        table.add_row(topic, str(answered), str(correct), f"{correct / answered:.0%}")
    table.add_row("all", str(total_answered), str(total_correct),
                  f"{total_correct / total_answered:.0%}", style="bold")
    term.console.print()
    term.console.print(table)
    missed = [o for o in summary.outcomes if not o.correct]
    if missed:
        unique = {o.question.id: o.question for o in missed}
        term.console.print(f"\nMissed this session ({len(unique)}):")
        for qid, question in unique.items():
            room = max(term.console.width - len(qid) - 5, 20)
            term.console.print(f"  {qid}  {_short(question.prompt, room)}", highlight=False, soft_wrap=True)
        term.console.print("  Again later: lambda-prep quiz --mistakes · one in full: lambda-prep show ID", style="dim")
    timed = [o.duration_s for o in summary.outcomes if o.duration_s is not None]
    if timed:
        term.console.print(f"Time answering: {span(max(sum(timed), 60))}.")
    if summary.stopped:
        term.console.print(f"Stopped with {summary.stopped} question{'s' if summary.stopped != 1 else ''} "
                           f"left for another session.")
    weakest = _weakest(summary)
    if weakest:
        term.console.print(f"Weakest this session: {weakest} (lambda-prep explain {weakest}).")
    term.console.print(upcoming_line(upcoming, now))


def _short(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def _weakest(summary: Summary) -> str | None:
    """The topic with the lowest accuracy this session, if it was answered at least twice and missed."""
    rows = [(correct / answered, -answered, topic) for topic, (answered, correct) in summary.by_topic().items()
            if answered >= 2 and correct < answered]
    return min(rows)[2] if rows and len(summary.by_topic()) > 1 else None


def upcoming_line(upcoming: dict, now: dt.datetime) -> str:
    parts = []
    if upcoming["due_now"]:
        parts.append(f"{upcoming['due_now']} due now (lambda-prep review)")
    if upcoming.get("learning_soon"):
        parts.append(f"{upcoming['learning_soon']} learning step{'s' if upcoming['learning_soon'] != 1 else ''} "
                     f"within the hour")
    if upcoming["later_today"] > upcoming.get("learning_soon", 0):
        parts.append(f"{upcoming['later_today'] - upcoming.get('learning_soon', 0)} more later today")
    if upcoming["tomorrow"]:
        parts.append(f"{upcoming['tomorrow']} tomorrow")
    parts.append(f"{upcoming['next_7_days']} in the next 7 days")
    nxt = upcoming["next"]
    when = f"; the next one {until(nxt, now)} ({local_time(nxt)})" if nxt else ""
    return f"Next reviews: {', '.join(parts)}{when}."


def show_nothing_to_study(term: Terminal, mode: str, plan, new_per_day: int, upcoming: dict,
                          now: dt.datetime) -> None:
    """Why the quiz has nothing to ask, and when it next will."""
    reason = {"due": "Nothing is due for review",
              "new": "No new questions left today" if plan.new_total else "No new questions left",
              "all": "Nothing to study right now",
              "mistakes": "No mistakes to practise: you have answered nothing wrong (in these topics)"}[mode]
    if mode in ("all", "new") and plan.new_total and plan.new_allowed <= 0:
        reason += (f" (daily limit of {new_per_day} new questions reached; "
                   "lambda-prep config new-per-day N raises it)")
    nxt = upcoming["next"]
    if upcoming["due_now"] and mode != "due":
        when = f" {upcoming['due_now']} review{'s are' if upcoming['due_now'] != 1 else ' is'} due now: lambda-prep review"
    else:
        when = f" The next review is due {until(nxt, now)} ({local_time(nxt)})." if nxt else ""
    term.echo(f"{reason}.{when}")
