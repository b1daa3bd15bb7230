"""The exam on screen: asking (plain lines, or a navigator with a live countdown) and the result.

PlainExamUI reads one answer per line, as the quiz's plain mode does, and never shows a verdict
before the end:
    printf '2\\n1 3\\n\\n' | lambda-prep exam --count 3 --seed 1
InteractiveExamUI is a small prompt_toolkit screen per question: the countdown sits in a bottom
bar redrawn every second, and keys answer, flag, move, jump, list and submit. Text is wrapped at
word boundaries to the terminal's current width, so no choice is ever cut at the edge.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lambda_prep.study.exam import Answer, Go, Submit, TimeUp, ToggleFlag
from lambda_prep.terminal import Terminal
from lambda_prep.views.common import local_time

if TYPE_CHECKING:
    from lambda_prep.study.exam import Exam, Result, Slot

KINDS = {"single": "one answer", "multi": "select all that apply", "true-false": "true or false"}


def clock_text(seconds: float) -> str:
    """'79:05', '1:02:10'; never negative."""
    seconds = max(int(seconds + 0.999), 0)  # round up: 0:00 only when time is really up
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration_text(seconds: float) -> str:
    seconds = int(round(seconds))
    minutes, secs = divmod(seconds, 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def show_intro(term: Terminal, exam: Exam, requested: int) -> None:
    count = len(exam.slots)
    short = f" (only {count} choice questions match)" if count < requested else ""
    minutes = f"{exam.minutes} minute{'s' if exam.minutes != 1 else ''}"
    # Plain echo, not rich: the navigator's first screen should not wait for rich to load.
    term.echo(f"Exam: {count} question{'s' if count != 1 else ''}{short}, {minutes}, "
              f"pass mark {exam.pass_mark}%. No verdicts until you submit.")


# --- plain mode -----------------------------------------------------------------------------


class PlainExamUI:
    """One answer per line; a blank line (or ?) skips; a trailing ? flags the answer for review."""

    def __init__(self, term: Terminal):
        self.term = term
        self.timed = term.stdin_isatty  # answer times from a pipe mean nothing to the scheduler
        self.asked: set[int] = set()

    def ask(self, exam: Exam, index: int):
        from lambda_prep.views.quiz import _parse_numbers

        if index in self.asked:  # every question has had its line: the exam is done
            return Submit()
        self.asked.add(index)
        term, slot, total = self.term, exam.slots[index], len(exam.slots)
        question = slot.question
        term.console.print(f"\n[bold][{index + 1}/{total}][/bold] [cyan]{question.topic}[/cyan] "
                           f"[dim]· {KINDS[question.type]} · {clock_text(exam.remaining())} left[/dim]")
        term.console.print(question.prompt.strip(), style="bold", highlight=False)
        for number, choice in enumerate(slot.choices, 1):
            term.console.print(f"  {number}) {choice}", highlight=False)
        multi = question.type == "multi"
        what = "numbers, e.g. 1 3" if multi else "a number"
        while True:
            line = term.read_line(f"Answer ({what}; Enter skips; end with ? to flag for review): ").strip().lower()
            if line in ("", "?"):
                return Go(index + 1) if index + 1 < total else Submit()
            flag = line.endswith("?")
            picked = _parse_numbers(line.rstrip("?").strip(), len(slot.choices), question)
            if picked is None or (not multi and len(picked) != 1):
                term.console.print(f"[yellow]Type {what} from 1 to {len(slot.choices)}, "
                                   f"or press Enter to skip.[/yellow]")
                continue
            return Answer(tuple(slot.choices[n - 1] for n in picked), flag=True if flag else None)


# --- interactive mode -------------------------------------------------------------------------


class InteractiveExamUI:
    timed = True

    def __init__(self, term: Terminal):
        self.term = term
        self.drafts: dict[int, tuple[set[str], int]] = {}  # ticks and cursor not yet submitted, per question

    def ask(self, exam: Exam, index: int):
        screen = _Screen(exam, index, self.drafts.pop(index, None), no_color=self.term.no_color)
        action = screen.run()
        if not isinstance(action, Answer):  # flagging or moving away keeps what was ticked
            self.drafts[index] = (screen.ticked, screen.cursor)
        return action


@dataclass(frozen=True)
class _Switch:
    mode: str


class _Screen:
    """One question on screen until the learner acts; modes: question, goto, review, confirm."""

    def __init__(self, exam: Exam, index: int, draft: tuple[set[str], int] | None = None, *,
                 no_color: bool = False):
        self.exam, self.index, self.no_color = exam, index, no_color
        self.slot = exam.slots[index]
        given = self.slot.given or ()
        self.ticked = set(given)
        self.cursor = next((i for i, c in enumerate(self.slot.choices) if c in given), 0)
        if draft is not None:
            self.ticked, self.cursor = draft
        self.mode = "question"
        self.typed = ""
        self.message = "" if exam.unanswered() else "All questions answered: s submits, r lists them."
        self.review_cursor = index
        self.app = None

    # --- drawing -----------------------------------------------------------------------------

    def _width(self) -> int:
        # One column spare: writing into the last column makes some terminals wrap early.
        return max(self.app.output.get_size().columns - 1, 20)

    def _body(self):
        width = self._width()
        if self.mode == "review":
            return self._review(width)
        if self.mode == "confirm":
            return self._confirm(width)
        exam, slot, q = self.exam, self.slot, self.slot.question
        head = f"Question {self.index + 1} of {len(exam.slots)} · {q.topic} · {KINDS[q.type]}"
        head += (" · ⚑ flagged" if slot.flagged else "") + (" · answered" if slot.answered else "")
        out = [("class:flag" if slot.flagged else "class:header", "\n".join(_wrap(head, width)) + "\n\n")]
        out.append(("class:prompt", "\n".join(_wrap(q.prompt.strip(), width)) + "\n\n"))
        multi = q.type == "multi"
        for number, choice in enumerate(slot.choices, 1):
            here = number - 1 == self.cursor
            if multi:
                mark = "[x]" if choice in self.ticked else "[ ]"
            else:
                mark = "(•)" if slot.given and choice in slot.given else "( )"
            lead = f"{'❯' if here else ' '} {mark} {number}. "
            lines = _wrap(choice, width - len(lead)) or [""]
            if here:
                out.append(("[SetCursorPosition]", ""))
            style = "class:current" if here else ""
            out.append((style, lead + lines[0] + "\n"))
            for more in lines[1:]:
                out.append((style, " " * len(lead) + more + "\n"))
        if self.mode == "goto":
            out.append(("class:message", f"\nGo to question (1-{len(exam.slots)}), Enter to go, Esc to cancel: "
                                         f"{self.typed}_"))
        elif self.message:
            out.append(("class:message", "\n" + "\n".join(_wrap(self.message, width))))
        elif multi and self.ticked != set(slot.given or ()) and (slot.answered or self.ticked):
            # Ticks are not an answer until Enter: say so, rather than let them look saved.
            out.append(("class:message", "\n" + "\n".join(_wrap("Not saved yet: Enter saves these ticks.", width))))
        return out

    def _review(self, width: int):
        exam = self.exam
        unanswered, flagged = len(exam.unanswered()), len(exam.flagged())
        head = (f"Review: {unanswered} unanswered, {flagged} flagged. "
                f"↑↓ choose, Enter opens the question, Esc goes back.")
        out = [("class:header", "\n".join(_wrap(head, width)) + "\n\n")]
        for i, slot in enumerate(exam.slots):
            here = i == self.review_cursor
            status = ("answered  " if slot.answered else "UNANSWERED") + (" ⚑" if slot.flagged else "  ")
            lead = f"{'❯' if here else ' '} {i + 1:>3}. {status}  "
            room = width - len(lead)
            prompt = " ".join(slot.question.prompt.split())
            # A list row, not the question itself: shortened on purpose, with a visible ellipsis.
            prompt = prompt if len(prompt) <= room else prompt[:max(room - 1, 0)] + "…"
            if here:
                out.append(("[SetCursorPosition]", ""))
            style = "class:current" if here else ("class:flag" if slot.flagged else
                                                  "" if slot.answered else "class:message")
            out.append((style, lead + prompt + "\n"))
        return out

    def _confirm(self, width: int):
        exam = self.exam
        unanswered, flagged = exam.unanswered(), exam.flagged()
        lines = [f"Submit the exam now? You cannot change answers afterwards."]
        if unanswered:
            lines.append(f"{len(unanswered)} unanswered (they count as wrong): "
                         + ", ".join(str(i + 1) for i in unanswered))
        if flagged:
            lines.append(f"{len(flagged)} flagged for review: " + ", ".join(str(i + 1) for i in flagged))
        lines.append("y submits; n or Esc goes back.")
        return [("class:header", "\n".join("\n".join(_wrap(line, width)) for line in lines))]

    def _toolbar(self):
        exam = self.exam
        left = exam.remaining()
        answered = len(exam.slots) - len(exam.unanswered())
        status = (f"Time left {clock_text(left)} · {answered}/{len(exam.slots)} answered · "
                  f"{len(exam.flagged())} flagged")
        if self.mode == "question":
            pick = ["space ticks", "enter answers"] if self.slot.question.type == "multi" else ["enter answers"]
            keys = ["↑↓ move", *pick, "f flag", "←→ previous/next", "g go to", "r review", "s submit"]
        elif self.mode == "review":
            keys = ["↑↓ choose", "enter opens", "esc back", "s submit"]
        elif self.mode == "confirm":
            keys = ["y submit", "n back"]
        else:
            keys = ["digits", "enter go", "esc cancel"]
        style = "class:toolbar.warn" if left < 300 else "class:toolbar"
        width = self._width()
        help_lines = _wrap(" · ".join(keys), width - 1)
        return [(style, "\n".join((" " + line).ljust(width) for line in _wrap(status, width - 1)) + "\n"),
                ("class:keys", "\n".join(" " + line for line in help_lines))]

    # --- running -----------------------------------------------------------------------------

    def run(self):
        import asyncio

        from prompt_toolkit.application import Application
        from prompt_toolkit.layout import HSplit, Layout, Window
        from prompt_toolkit.layout.controls import FormattedTextControl
        from prompt_toolkit.output import ColorDepth
        from prompt_toolkit.styles import Style

        body = Window(FormattedTextControl(self._body, show_cursor=False),
                      wrap_lines=True, dont_extend_height=True)
        toolbar = Window(FormattedTextControl(self._toolbar), wrap_lines=True, dont_extend_height=True)
        style = Style.from_dict({
            "header": "bold", "dim": "italic", "prompt": "bold", "flag": "fg:ansiyellow bold",
            "current": "fg:ansicyan bold", "message": "fg:ansiyellow",
            "toolbar": "reverse", "toolbar.warn": "reverse fg:ansired bold", "keys": "",
        })
        self.app = Application(layout=Layout(HSplit([body, Window(height=1), toolbar])), style=style,
                               key_bindings=self._keys(), erase_when_done=True, full_screen=False,
                               color_depth=ColorDepth.MONOCHROME if self.no_color else None)

        async def tick():
            # Redraw the countdown every second; at zero, end the exam (time up submits).
            while True:
                left = self.exam.remaining()
                if left <= 0:
                    self.app.exit(result=TimeUp())
                    return
                self.app.invalidate()
                await asyncio.sleep(min(left, 1.0 - (left % 1.0) or 1.0))

        while True:
            result = self.app.run(pre_run=lambda: self.app.create_background_task(tick()))
            if not isinstance(result, _Switch):
                return result
            self.mode, self.message = result.mode, ""

    def _keys(self):
        from prompt_toolkit.key_binding import KeyBindings

        kb = KeyBindings()
        exam, slot = self.exam, self.slot
        count = len(slot.choices)
        last = len(exam.slots) - 1

        def switch(event, mode: str) -> None:
            # A new screen for a new mode: drawn whole rather than patched over the old one.
            event.app.exit(result=_Switch(mode))

        @kb.add("c-c")
        def _interrupt(event):
            event.app.exit(exception=KeyboardInterrupt())

        @kb.add("up")
        @kb.add("k")
        def _up(event):
            if self.mode == "review":
                self.review_cursor = (self.review_cursor - 1) % len(exam.slots)
            elif self.mode == "question":
                self.cursor = (self.cursor - 1) % count

        @kb.add("down")
        @kb.add("j")
        def _down(event):
            if self.mode == "review":
                self.review_cursor = (self.review_cursor + 1) % len(exam.slots)
            elif self.mode == "question":
                self.cursor = (self.cursor + 1) % count

        @kb.add("space")
        def _tick(event):
            if self.mode == "question" and slot.question.type == "multi":
                self.ticked ^= {slot.choices[self.cursor]}
                self.message = ""

        for digit in "123456789":
            @kb.add(digit)
            def _digit(event, digit=digit):
                if self.mode == "goto":
                    self.typed = (self.typed + digit)[-4:]
                elif self.mode == "question" and int(digit) <= count:
                    self.cursor = int(digit) - 1
                    if slot.question.type == "multi":
                        self.ticked ^= {slot.choices[self.cursor]}

        @kb.add("0")
        def _zero(event):
            if self.mode == "goto":
                self.typed = (self.typed + "0")[-4:]

        @kb.add("backspace")
        def _back(event):
            if self.mode == "goto":
                self.typed = self.typed[:-1]

        @kb.add("enter")
        def _enter(event):
            if self.mode == "review":
                event.app.exit(result=Go(self.review_cursor))
            elif self.mode == "goto":
                if self.typed.isdigit() and 1 <= int(self.typed) <= len(exam.slots):
                    event.app.exit(result=Go(int(self.typed) - 1))
                else:
                    self.mode, self.typed = "question", ""
                    self.message = f"There is no such question: type 1 to {len(exam.slots)}."
            elif self.mode == "question":
                if slot.question.type == "multi":
                    if not self.ticked:
                        self.message = "Tick at least one choice with space (or a number) first."
                        return
                    event.app.exit(result=Answer(tuple(c for c in slot.choices if c in self.ticked)))
                else:
                    event.app.exit(result=Answer((slot.choices[self.cursor],)))

        @kb.add("f")
        def _flag(event):
            if self.mode == "question":
                event.app.exit(result=ToggleFlag())

        @kb.add("right")
        @kb.add("n")
        def _next(event):
            if self.mode == "confirm" and event.data == "n":
                switch(event, "question")
            elif self.mode == "question":
                if self.index < last:
                    event.app.exit(result=Go(self.index + 1))
                else:
                    self.message = "This is the last question: r lists them all, s submits."

        @kb.add("left")
        @kb.add("p")
        def _previous(event):
            if self.mode == "question":
                if self.index > 0:
                    event.app.exit(result=Go(self.index - 1))
                else:
                    self.message = "This is the first question."

        @kb.add("g")
        def _goto(event):
            if self.mode == "question":
                self.mode, self.typed, self.message = "goto", "", ""

        @kb.add("r")
        def _review(event):
            if self.mode == "question":
                self.review_cursor = self.index
                switch(event, "review")
            elif self.mode == "review":
                switch(event, "question")

        @kb.add("s")
        def _submit(event):
            if self.mode in ("question", "review"):
                switch(event, "confirm")

        @kb.add("y")
        def _yes(event):
            if self.mode == "confirm":
                event.app.exit(result=Submit())

        @kb.add("escape", eager=True)
        def _escape(event):
            if self.mode == "goto":
                self.mode, self.typed = "question", ""
            elif self.mode != "question":
                switch(event, "question")

        return kb


def _wrap(text: str, width: int) -> list[str]:
    """Word-wrapped lines, paragraphs kept; a word longer than the line is split only then."""
    out: list[str] = []
    for paragraph in text.splitlines() or [""]:
        out.extend(textwrap.wrap(paragraph, max(width, 10), break_on_hyphens=False) or [""])
    return out


# --- the result -------------------------------------------------------------------------------


def show_result(term: Terminal, result: Result) -> None:
    from rich.table import Table
    from rich.text import Text

    console = term.console
    console.print()
    if result.status == "time-up":
        console.print(Text("Time is up: the exam was submitted with the answers you had given.", style="bold"))
    if result.ended_early:
        console.print("Input ended before the last question; the rest count as unanswered.")
    verdict = Text()
    verdict.append(f"Score: {result.correct}/{result.total} ({result.score:.0%})  ", style="bold")
    if result.passed:
        verdict.append("PASS", style="bold green")
    else:
        verdict.append("FAIL", style="bold red")
    verdict.append(f"  (pass mark {result.pass_mark}%)", style="dim")
    console.print(verdict)
    unanswered = result.total - result.answered
    console.print(f"Time used: {duration_text(result.seconds_used)} of {result.seconds_allowed // 60} min"
                  + (f"; {unanswered} unanswered" if unanswered else ""))

    topics = Table(title="Per topic", title_justify="left", show_edge=False)
    topics.add_column("topic")
    topics.add_column("correct", justify="right")
    topics.add_column("score", justify="right")
    for topic, row in result.by_topic().items():
        topics.add_row(topic, f"{row['correct']}/{row['total']}", f"{row['score']:.0%}")
    console.print()
    console.print(topics)

    times = Table(title="Time per question", title_justify="left", show_edge=False)
    for name, justify in (("#", "right"), ("topic", "left"), ("result", "left"), ("time", "right"),
                          ("flag", "left")):
        times.add_column(name, justify=justify)
    for number, slot in enumerate(result.slots, 1):
        mark = "—  unanswered" if not slot.answered else ("✓" if slot.correct else "✗")
        times.add_row(str(number), slot.question.topic, mark, duration_text(slot.seconds),
                      "⚑" if slot.flagged else "")
    console.print()
    console.print(times)

    to_review = [(n, s) for n, s in enumerate(result.slots, 1) if not s.correct or s.flagged]
    if not to_review:
        console.print("\nEverything right and nothing flagged: nothing to review.")
        return
    console.print(Text(f"\nReview: {len(to_review)} wrong or flagged", style="bold"))
    for number, slot in to_review:
        show_review(term, number, slot)


def show_review(term: Terminal, number: int, slot: Slot) -> None:
    from rich.text import Text

    q = slot.question
    console = term.console
    head = Text(f"\n{number}. ", style="bold")
    head.append(q.topic, style="cyan")
    if not slot.answered:
        head.append(" · unanswered", style="bold red")
    elif slot.correct:
        head.append(" · ✓ right", style="bold green")
    else:
        head.append(" · ✗ wrong", style="bold red")
    if slot.flagged:
        head.append(" · ⚑ flagged", style="yellow")
    console.print(head)
    console.print(Text(q.prompt.strip(), style="bold"))
    if slot.answered:
        console.print(Text(f"Your answer: {' | '.join(slot.given)}"))
    label = "Correct answer" if len(q.answer) == 1 else "Correct answers"
    console.print(Text(f"{label}: {' | '.join(q.answer)}", style="green"))
    console.print(Text(q.explanation.strip()))
    # Every source, each whole on its own line: a web address cut across lines cannot be clicked or copied.
    for number, source in enumerate(q.sources):
        console.print(Text(f"{'Source:' if number == 0 else '':<8}{source}", style="dim"), soft_wrap=True)


def show_history(term: Terminal, rows: list[dict]) -> None:
    from rich.table import Table

    if not rows:
        term.echo("No exams yet. Start one: lambda-prep exam")
        return
    import datetime as dt

    table = Table(title="Past exams", title_justify="left", show_edge=False)
    for name, justify in (("date", "left"), ("score", "right"), ("result", "left"), ("time used", "right")):
        table.add_column(name, justify=justify)
    for row in rows:
        started = dt.datetime.fromisoformat(row["started_at"])
        if row["passed"] is None:
            result = f"incomplete ({row['answered']} answered)"
        else:
            result = f"{'pass' if row['passed'] else 'fail'} · mark {row['pass_mark']:.0%}"
            result += " · time up" if row["status"] == "time-up" else ""
        table.add_row(local_time(started), f"{row['correct']}/{row['total']} ({row['score']:.0%})", result,
                      f"{duration_text(row['seconds_used'])} / {row['seconds_allowed'] // 60} min")
    term.console.print(table)
