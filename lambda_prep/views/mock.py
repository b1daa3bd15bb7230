"""The mock interview on screen: the editor with its timer, the marks, the report, the history.

PlainMockUI reads one answer per line (follow-ups included; an empty line is no answer) and keeps
the automatic marks; InteractiveMockUI gives a multi-line editor with a timer and lets the learner
correct the marks; QuietMockUI (for --json) reads the same lines and prints nothing.
"""

from __future__ import annotations

import datetime as dt
import time

from lambda_prep.bank.model import Question
from lambda_prep.study.mock import Answer, MockResult, QuestionResult
from lambda_prep.terminal import Terminal
from lambda_prep.views.common import local_time, until

FINISH_KEYS = "Ctrl-D (or Esc then Enter) finishes"


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "not timed"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def _header(term: Terminal, question: Question, prompt: str, position: int, total: int, follow_up: int) -> None:
    from rich.text import Text

    head = Text()
    if follow_up:
        head.append(f"\nFollow-up {follow_up}", style="bold")
        head.append(f" · {question.topic}", style="cyan")
    else:
        head.append(f"\n[{position}/{total}] ", style="bold")
        head.append(question.topic, style="cyan")
        head.append(f" · interview question · difficulty {question.difficulty}", style="dim")
    term.console.print(head)
    term.console.print(Text(prompt.strip(), style="bold"))


def show_marks(term: Terminal, answer: Answer) -> None:
    """The key points, each marked covered (with the words that covered it) or missed; then myths."""
    from rich.text import Text

    covered = len(answer.covered)
    term.console.print(Text(f"Key points: {covered} of {len(answer.key_points)} found in your answer", style="bold"))
    for index, result in enumerate(answer.check.points):
        line = Text(result.point)
        if index in answer.covered:
            if result.evidence:
                line.append(f"  (you said: {', '.join(result.evidence)})", style="dim")
            _hanging(term, Text("✓ ", style="bold green"), line)
        else:
            _hanging(term, Text("✗ ", style="bold red"), line)
    show_myths(term, answer)


def _indented(term: Terminal, text, indent: int = 2) -> None:
    """Wrapped at the terminal's width, every line indented (continuation lines too)."""
    from rich.padding import Padding

    term.console.print(Padding(text, (0, 0, 0, indent), expand=False))


def show_myths(term: Terminal, answer: Answer, indent: int = 0) -> None:
    from rich.text import Text

    for caught in answer.myths:
        line = Text("Outdated: ", style="bold magenta")
        line.append(f"\u201c{caught.sentence}\u201d")
        _indented(term, line, indent)
        _indented(term, Text(caught.myth.correction), indent + 2)
        # Not wrapped: a web address cut across lines can no longer be clicked or copied.
        term.console.print(Text(f"{' ' * (indent + 2)}Source: {caught.myth.source}", style="dim"), soft_wrap=True)


def _hanging(term: Terminal, mark, body, indent: int = 2) -> None:
    """`mark body`, indented, with wrapped lines of the body under the body, not under the mark."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(Text(" " * indent) + mark, body)
    term.console.print(grid)


def show_model_answer(term: Terminal, answer: Answer) -> None:
    from rich.panel import Panel
    from rich.text import Text

    term.console.print(Panel(Text(answer.model_answer.strip()), title="Model answer", title_align="left",
                             border_style="blue"))


def show_rating(term: Terminal, result: QuestionResult, now: dt.datetime) -> None:
    from rich.text import Text

    if result.rating is None:
        return
    line = Text(f"Rated {result.rating.label}", style="bold")
    main = result.main
    line.append(f" ({len(main.covered)} of {len(main.key_points)} key points", style="dim")
    line.append("; an outdated belief caps it at Again)" if result.myths else ")", style="dim")
    if result.scheduled and result.card is not None:
        line.append(f" · next review {until(result.card.due, now)}", style="dim")
    elif not result.scheduled:
        line.append(" · not due, so your schedule is unchanged", style="dim")
    term.console.print(line)


class PlainMockUI:
    def __init__(self, term: Terminal):
        self.term = term
        self.timed = term.stdin_isatty  # answer times from a pipe mean nothing

    def ask(self, question: Question, prompt: str, position: int, total: int, follow_up: int,
            limit_seconds: float) -> str:
        _header(self.term, question, prompt, position, total, follow_up)
        return self.term.read_line("Your answer (one line; Enter alone = no answer): ")

    def confirm_marks(self, answer: Answer) -> tuple[int, ...]:
        show_marks(self.term, answer)
        return answer.covered

    def show_model_answer(self, answer: Answer) -> None:
        show_model_answer(self.term, answer)

    def show_rating(self, result: QuestionResult, now: dt.datetime) -> None:
        show_rating(self.term, result, now)


class QuietMockUI:
    """--json: answers from stdin, one per line, and nothing on screen but the final object."""

    timed = False

    def __init__(self, term: Terminal):
        self.term = term

    def ask(self, question: Question, prompt: str, position: int, total: int, follow_up: int,
            limit_seconds: float) -> str:
        from lambda_prep.errors import EndOfInput

        line = self.term.stdin.readline()
        if not line:
            raise EndOfInput()
        return line.rstrip("\r\n")

    def confirm_marks(self, answer: Answer) -> tuple[int, ...]:
        return answer.covered

    def show_model_answer(self, answer: Answer) -> None:
        pass

    def show_rating(self, result: QuestionResult, now: dt.datetime) -> None:
        pass


class InteractiveMockUI(PlainMockUI):
    def __init__(self, term: Terminal):
        super().__init__(term)
        self.timed = True

    def ask(self, question: Question, prompt: str, position: int, total: int, follow_up: int,
            limit_seconds: float) -> str:
        _header(self.term, question, prompt, position, total, follow_up)
        self.term.console.print(f"[dim]Type your answer. Enter starts a new line; {FINISH_KEYS}.[/dim]")
        start = time.monotonic()

        def toolbar() -> str:
            elapsed = time.monotonic() - start
            limit = _clock(limit_seconds)
            if elapsed <= limit_seconds:
                timer = f" {_clock(elapsed)} of {limit}"
            else:
                timer = f" {_clock(elapsed)}: over {limit} by {_clock(elapsed - limit_seconds)}, keep going"
            return f"{timer} · {FINISH_KEYS} "

        return self.term.edit("> ", toolbar=toolbar)

    def confirm_marks(self, answer: Answer) -> tuple[int, ...]:
        show_marks(self.term, answer)
        if not answer.key_points:
            return answer.covered
        ticked = self.term.checkbox("Correct the marks if needed",
                                    list(answer.key_points),
                                    checked=[p for i, p in enumerate(answer.key_points) if i in answer.covered])
        return tuple(i for i, p in enumerate(answer.key_points) if p in ticked)


# --- after the mock ---------------------------------------------------------------------------


def show_report(term: Terminal, result: MockResult) -> None:
    """Per question: the answer as typed, points covered and missed, myths, time; per topic a
    score; the three things to study next with their commands."""
    from rich.table import Table
    from rich.text import Text

    console = term.console
    console.print()
    console.rule("Mock interview report", style="bold")
    answered = len(result.results)
    status = "" if answered == result.planned else f" · {answered} of {result.planned} questions answered"
    console.print(Text(f"Score: {result.score:.0%} of key points covered ({result.covered} of {result.points})"
                       f" · level {result.level}{status}", style="bold"))
    for number, r in enumerate(result.results, 1):
        console.print()
        _indented(term, Text(f"{number}. {r.question.prompt.strip()}", style="bold"), 0)
        for answer in r.answers:
            if answer.follow_up:
                _indented(term, Text(f"Follow-up: {answer.prompt.strip()}", style="bold"))
            over = " (over time)" if answer.over_time else ""
            _indented(term, Text(f"Time: {_clock(answer.seconds)}{over} · {len(answer.covered)} of "
                                 f"{len(answer.key_points)} key points", style="dim"))
            typed = answer.typed or "(no answer)"
            _indented(term, Text("You said: ", style="dim") + Text(typed))
            for index, point in enumerate(answer.key_points):
                mark = Text("✓ ", style="green") if index in answer.covered else Text("✗ ", style="red")
                _hanging(term, mark, Text(point))
            show_myths(term, answer, indent=2)
        if r.rating is not None:
            _indented(term, Text(f"Rated {r.rating.label}", style="dim"))
    table = Table(title="Score per topic", title_justify="left", show_edge=False)
    table.add_column("topic")
    table.add_column("key points", justify="right")
    table.add_column("score", justify="right")
    for topic, (covered, points) in result.by_topic().items():
        table.add_row(topic, f"{covered} of {points}", f"{covered / points if points else 0:.0%}")
    console.print()
    console.print(table)
    console.print()
    console.print(Text("Study next", style="bold"))
    things = result.study_next()
    if not things:
        console.print("Nothing missed. Try a harder one: lambda-prep mock --level senior")
    for number, thing in enumerate(things, 1):
        _hanging(term, Text(f"{number}. ", style="bold"), Text(f"{thing['topic']}: ", style="bold") + Text(thing["what"]), 0)
        for command in thing["commands"]:
            console.print(Text(f"   {command}", style="cyan"), soft_wrap=True)


def show_history(term: Terminal, rows: list[dict]) -> None:
    from rich.table import Table

    if not rows:
        term.echo("No mock interviews yet. Start one: lambda-prep mock")
        return
    table = Table(title="Mock interviews", title_justify="left", show_edge=False)
    table.add_column("when")
    table.add_column("level")
    table.add_column("answered", justify="right")
    table.add_column("score", justify="right")
    table.add_column("topics", overflow="fold")
    for row in rows:
        started = dt.datetime.fromisoformat(row["started_at"])
        answered = f"{row['answered']} of {row['questions']}" + ("" if row["finished"] else " (cut short)")
        table.add_row(local_time(started), row["level"], answered, f"{row['score']:.0%}", ", ".join(row["topics"]))
    term.console.print(table)
    if len(rows) > 1:
        first, last = rows[0]["score"], rows[-1]["score"]
        term.console.print(f"From {first:.0%} in your first mock to {last:.0%} in your latest.")
