"""Drills on screen: the scenario, the verdict with the misconception named, the reasoning."""

from __future__ import annotations

from lambda_prep.terminal import Terminal


def show_kinds(term: Terminal, rows: list[dict]) -> None:
    from rich.table import Table

    table = Table(show_edge=False)
    table.add_column("kind", no_wrap=True)
    table.add_column("topic", no_wrap=True)
    table.add_column("what you predict")
    for row in rows:
        table.add_row(row["kind"], row["topic"], row["summary"])
    term.console.print(table)
    term.console.print("Run one: lambda-prep drill KIND (or lambda-prep drill for a mix)", highlight=False)


def show_prompt(term: Terminal, drill, position: int, total: int) -> None:
    from rich.text import Text

    head = Text(f"\n[{position}/{total}] ", style="bold")
    head.append(f"drill · {drill.kind}", style="cyan")
    head.append(f" · {drill.topic}", style="dim")
    term.console.print(head)
    term.console.print(Text(drill.prompt, style="bold"))


def ask(term: Terminal, drill) -> str | None:
    """The learner's answer as text (a choice's text, or what they typed); None when input ended."""
    from lambda_prep.errors import EndOfInput

    if term.interactive and drill.choices:
        return term.select("Your prediction:", list(drill.choices))
    for index, choice in enumerate(drill.choices, 1):
        term.console.print(f"  {index}) {choice}", highlight=False)
    what = f"a number from 1 to {len(drill.choices)}" if drill.choices else f"a number ({drill.unit})"
    while True:
        try:
            line = term.read_line(f"Your prediction ({what}): ").strip()
        except EndOfInput:
            return None
        if drill.choices:
            if line.isdigit() and 1 <= int(line) <= len(drill.choices):
                return drill.choices[int(line) - 1]
            if line in drill.choices:
                return line
        elif line:
            return line
        term.console.print(f"[yellow]Type {what}.[/yellow]")


def show_verdict(term: Terminal, drill, given: str, simulate: str) -> None:
    from rich.text import Text

    correct, misconception = drill.check(given)
    line = Text()
    if correct:
        line.append("✓ Right", style="bold green")
    else:
        line.append("✗ Not quite", style="bold red")
        line.append(f": the model says {drill.answer}")
    term.console.print(line)
    if misconception:
        term.console.print(Text(f"That answer comes from {misconception}.", style="yellow"))
    if not drill.choices and drill.tolerance_why:
        term.console.print(Text(f"Accepted: within {drill.tolerance:.0%} ({drill.tolerance_why}).", style="dim"))
    term.console.print(Text(drill.explanation))
    # Printed whole: a command cut across lines cannot be copied.
    term.console.print(Text(f"Watch it: {simulate}", style="dim"), soft_wrap=True)
    for url in drill.sources:
        term.console.print(Text(f"Source: {url}", style="dim"), soft_wrap=True)


def show_score(term: Terminal, right: int, answered: int) -> None:
    if answered:
        term.console.print(f"\n{right} of {answered} predictions right.")
