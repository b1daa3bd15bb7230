"""The stats dashboard and the topics table."""

from __future__ import annotations

import datetime as dt

from lambda_prep.terminal import Terminal
from lambda_prep.views.sims.common import bar

HEAT_LEVELS = " ░▒▓█"  # readable without colour, and when piped


def _pct(value) -> str:
    return "–" if value is None else f"{value:.0%}"


def show(term: Terminal, report: dict) -> None:
    from rich.table import Table
    from rich.text import Text

    console = term.console
    head = Text()
    head.append("Mastery ", style="bold")
    head.append(f"{_pct(report['mastery'])}", style="bold green")
    head.append(f"  ·  seen {report['seen']} of {report['questions']} questions  ·  {report['reviews']} reviews"
                f"  ·  accuracy {_pct(report['accuracy'])}  ·  true retention {_pct(report['true_retention'])}")
    console.print(head)
    streak = report["streak"]
    console.print(f"Streak: {streak['current']} day{'s' if streak['current'] != 1 else ''} "
                  f"(longest {streak['longest']})" + ("" if streak["studied_today"] else "  · not studied today yet")
                  + f"  ·  days start at {report['day_starts']}")

    table = Table(show_edge=False, title="Topics", title_justify="left")
    for column, justify in [("topic", "left"), ("mastery", "left"), ("", "right"), ("new", "right"),
                            ("learning", "right"), ("review", "right"), ("accuracy", "right")]:
        table.add_column(column, justify=justify, no_wrap=column == "topic")
    # The bar gives way first, so topic names are never cut at 80 columns.
    longest = max((len(row["topic"]) for row in report["topics"]), default=5)
    bar_width = max(6, min(20, console.width - longest - 48))
    for row in report["topics"]:
        table.add_row(row["topic"], bar(row["mastery"], bar_width), _pct(row["mastery"]), str(row["new"]),
                      str(row["learning"]), str(row["review"]), _pct(row["accuracy"]))
    console.print()
    console.print(table)

    due = report["due"]
    console.print()
    console.print(Text(f"Due: {due['now']} today · {due['next_7_days']} in 7 days · "
                       f"{due['next_30_days']} in 30 days", style="bold"))
    week = report["forecast"][:7]
    peak = max((d["due"] for d in week), default=0) or 1
    for entry in week:
        day = dt.date.fromisoformat(entry["date"])
        console.print(f"  {day:%a %d %b}  {bar(entry['due'] / peak, 30)} {entry['due']}", highlight=False)

    console.print()
    console.print(heatmap(report["heatmap"], console.width))


def heatmap(days: list[dict], width: int = 200):
    """A calendar like a contribution graph: one column per week, one row per weekday.

    Only the weeks that fit in `width` columns are drawn (the most recent ones), so a narrow
    terminal gets a shorter calendar instead of wrapped noise.
    """
    from rich.text import Text

    if not days:
        return Text("")
    fits = max(4, (width - 4 - 3) // 2)  # the weekday labels take 4 columns, a month label 3
    last_day = dt.date.fromisoformat(days[-1]["date"])
    oldest = last_day - dt.timedelta(days=last_day.weekday() + 7 * (fits - 1))
    cut = [d for d in days if dt.date.fromisoformat(d["date"]) >= oldest]
    hidden = len(days) != len(cut)
    days = cut
    first = dt.date.fromisoformat(days[0]["date"])
    counts = {dt.date.fromisoformat(d["date"]): d["reviews"] for d in days}
    peak = max(counts.values()) or 1
    start = first - dt.timedelta(days=first.weekday())  # columns start on Monday
    last = dt.date.fromisoformat(days[-1]["date"])
    weeks = (last - start).days // 7 + 1
    styles = ["grey23", "green4", "green3", "green1", "bright_green"]
    out = Text("Reviews, last {} weeks".format(weeks), style="bold")
    if hidden:
        out.append(" (a wider terminal shows more)", style="dim")
    out.append("\n")
    header = [" "] * (4 + weeks * 2 + 3)
    labelled: set[str] = set()
    free_from = 0
    for week in range(weeks):
        monday = start + dt.timedelta(days=week * 7)
        column = 4 + week * 2
        # A month whose first week has no room (the previous label is there) is labelled a week later.
        if monday.strftime("%Y-%m") not in labelled and column >= free_from:
            header[column:column + 3] = monday.strftime("%b")
            labelled.add(monday.strftime("%Y-%m"))
            free_from = column + 4
    months = "".join(header)
    out.append(months.rstrip() + "\n", style="dim")
    for weekday in range(7):
        out.append(["Mon", "   ", "Wed", "   ", "Fri", "   ", "Sun"][weekday] + " ", style="dim")
        for week in range(weeks):
            day = start + dt.timedelta(days=week * 7 + weekday)
            if day not in counts:
                out.append("  ")
                continue
            n = counts[day]
            level = 0 if n == 0 else min(4, 1 + int(3 * n / peak))
            out.append(HEAT_LEVELS[level] * 2 if level else "· ", style=styles[level])
        out.append("\n")
    out.append("less ", style="dim")
    for level in range(5):
        out.append((HEAT_LEVELS[level] * 2 if level else "· "), style=styles[level])
    out.append(" more", style="dim")
    return out


def show_topics(term: Terminal, rows: list[dict]) -> None:
    from rich.table import Table

    table = Table(show_edge=False)
    table.add_column("topic")
    table.add_column("questions", justify="right")
    table.add_column("mastery", justify="right")
    table.add_column("about")
    for row in rows:
        mastery = _pct(row["mastery"]) if row["seen"] else "–"
        table.add_row(row["topic"], str(row["questions"]), mastery, row["summary"])
    term.console.print(table)
