"""The interview plan: the `plan` screen, the one-line status other commands show, `optimize`."""

from __future__ import annotations

import datetime as dt

from lambda_prep.terminal import Terminal
from lambda_prep.views.sims.common import bar

SPARKS = " ▁▂▃▄▅▆▇█"
SHOWN_RETENTIONS = (0.70, 0.80, 0.85, 0.90, 0.95, 0.97)


def _date(text: str) -> str:
    return dt.date.fromisoformat(text).strftime("%a %d %b %Y")


def _pct(value) -> str:
    return "–" if value is None else f"{value:.0%}"


def sparkline(values: list[float], width: int) -> tuple[str, int]:
    """One character per day (days grouped, averaged, to fit `width`); returns (line, days per char)."""
    if not values:
        return "", 1
    per = max(1, -(-len(values) // width))
    groups = [values[i:i + per] for i in range(0, len(values), per)]
    means = [sum(g) / len(g) for g in groups]
    peak = max(means) or 1.0
    return "".join(SPARKS[0] if m <= 0 else SPARKS[max(1, round(m / peak * 8))] for m in means), per


def show(term: Terminal, report: dict | None) -> None:
    from rich.text import Text

    console = term.console
    if report is None:
        console.print("No interview plan is set. Set one with: lambda-prep plan --interview YYYY-MM-DD "
                      "[--minutes-per-day M]")
        return
    topics = "all topics" if report["topics"] == "all" else ", ".join(report["topics"])
    head = Text()
    head.append(f"Interview on {_date(report['interview'])}", style="bold")
    days = report["days_left"]
    head.append(f" · {'today' if days == 0 else f'{days} day' + ('s' if days != 1 else '') + ' left'}"
                f" · {report['minutes_per_day']:g} min a day · {topics} ({report['questions']} questions, "
                f"{report['seen']} seen)")
    console.print(head)
    if report.get("note"):
        console.print(report["note"], style="dim")
    if days == 0:
        console.print(f"The interview is today: no more planning. Recall now: {_pct(report['recall_today'])}. "
                      f"Good luck! The plan ends by itself tomorrow.")
        return
    console.print()
    console.print(status_text(report, long=True))
    advice = _advice(report)
    if advice:
        console.print(advice)

    console.print()
    console.print(Text("Until the day", style="bold"))
    width = max(20, min(60, console.width - 22))
    daily = report["daily"]
    for label, key in (("new per day", "new"), ("minutes/day", "minutes")):
        values = [d[key] for d in daily]
        line, per = sparkline(values, width)
        console.print(f"  {label:<12}{line}  max {max(values):.0f}", highlight=False)
    first, last = _date(daily[0]["date"])[:10], _date(daily[-1]["date"])[:10]
    axis = f"  {'':<12}{first}" + " " * max(1, len(line) - len(first) - len(last)) + last
    console.print(axis, style="dim", highlight=False)
    if per > 1:
        console.print(f"  {'':<12}(one mark for {per} days)", style="dim")
    console.print(f"  Today: {report['new_today']} new (done {report['new_done_today']}), "
                  f"{daily[0]['reviews']} review{'' if daily[0]['reviews'] == 1 else 's'}, about {daily[0]['minutes']:.0f} min.")

    console.print()
    chosen = report["retention"]
    console.print(Text.assemble(("Retention for the day: ", "bold"), (f"{chosen:.2f}", "bold green"),
                                f" · expected recall on the day {_pct(report['expected_recall_on_day'])} "
                                f"(today {_pct(report['recall_today'])})"))
    console.print(f"Chosen by simulating every day to the interview for each retention, with "
                  f"{report['simulator'].split(':', 1)[0]}; the most recall on the day within your minutes wins.",
                  style="dim")
    # Plain lines, not rich tables: they cost a fraction of the time to render.
    console.print(f"  {'retention':>11}  {'recall on the day':>17}  {'min/day':>7}  {'short of 2 reviews':>18}",
                  style="bold", highlight=False)
    total = report["questions"] or 1
    for row in report["candidates"]:
        if row["retention"] not in SHOWN_RETENTIONS and row["retention"] != chosen:
            continue
        mark = " ◀" if row["retention"] == chosen else "  "
        console.print(f"  {row['retention']:>9.2f}{mark}  {row['recall_on_day'] / total:>17.1%}  "
                      f"{row['minutes_per_day']:>7.0f}  {row['late']:>18}", highlight=False,
                      style="green" if mark.strip() else None)

    console.print()
    console.print(Text("Expected share recalled, per topic", style="bold"))
    width = max((len(row["topic"]) for row in report["topics_recall"]), default=5)
    console.print(f"  {'topic':<{width}}  {'questions':>9}  {'today':>5}  {'on the day':>10}", style="bold",
                  highlight=False)
    for row in report["topics_recall"]:
        console.print(f"  {row['topic']:<{width}}  {row['questions']:>9}  {_pct(row['today']):>5}  "
                      f"{_pct(row['on_day']):>10}  {bar(row['on_day'] or 0.0, 16)}", highlight=False)

    console.print()
    timing = ", ".join(f"{kind} {v['seconds']:g} s" + (" (default)" if v["default"] else f" ({v['answers']} answers)")
                       for kind, v in report["seconds_per_answer"].items())
    console.print(f"Time per answer: {timing}.", style="dim")
    weights = ("your fitted FSRS weights" if report["weights"] == "fitted"
               else "FSRS-6 default weights (lambda-prep optimize fits yours once you have enough reviews)")
    console.print(f"Memory model: {weights}; rating habits: {report['rating_shares']}.", style="dim")


def _advice(report: dict) -> str | None:
    if report["on_track"]:
        return None
    parts = []
    if report.get("minutes_needed"):
        parts.append(f"study {report['minutes_needed']:g} minutes a day "
                     f"(lambda-prep plan --minutes-per-day {report['minutes_needed']:g})")
    drop = report.get("drop_topics") or []
    keep = [row["topic"] for row in report["topics_recall"] if row["topic"] not in drop]
    if drop and len(drop) <= len(keep):
        parts.append(f"leave out {', '.join(drop)} (lambda-prep plan --interview {report['interview']} "
                     f"--topic ... with the topics you keep)")
    elif drop:
        parts.append(f"study only {', '.join(keep)} (lambda-prep plan --interview {report['interview']} "
                     + " ".join(f"--topic {t}" for t in keep) + ")")
    if not parts:
        return (f"The day is too close for two reviews of every question, whatever the minutes: choose the "
                f"topics that matter most (lambda-prep plan --interview {report['interview']} --topic ...).")
    return "To catch up: " + ", or ".join(parts) + "."


def status_text(status: dict, *, long: bool = False):
    """On track or behind: one short line (fits 80 columns) for other commands, a sentence (`long`)
    for the plan screen."""
    from rich.text import Text

    if status.get("ended"):
        return Text(f"Your interview day ({status['ended']}) has passed: the plan has ended and normal "
                    f"scheduling resumes.", style="bold")
    days = status["days_left"]
    late = status["late"]
    text = Text()
    if not long:
        text.append("Plan: ", style="bold")
        if days == 0:
            return text.append("the interview is today. Good luck!")
        text.append(f"{days} day{'s' if days != 1 else ''} to the interview · ")
        if status["on_track"]:
            text.append("on track", style="bold green")
            return text.append(f", {_pct(status['expected_recall_on_day'])} expected recall on the day")
        text.append("behind", style="bold red")
        return text.append(f" by {late} question{'s' if late != 1 else ''} (see lambda-prep plan)")
    if status["on_track"]:
        text.append("On track", style="bold green")
        return text.append(": every new question gets two reviews before the day.")
    text.append("Behind", style="bold red")
    return text.append(f": {late} new question{'s' if late != 1 else ''} would not get two reviews before the "
                       f"day at {status['minutes_per_day']:g} min a day.")


def show_status(term: Terminal, status: dict | None) -> None:
    """The one line quiz, review, stats and topics print while a plan is set."""
    if status is None:
        return
    term.console.print(status_text(status))


def show_optimize(term: Terminal, data: dict) -> None:
    console = term.console
    console.print(f"Review log: {data['reviews']} answers, {data['items']} of them a day or more after the "
                  f"previous answer to the same question.")
    if data.get("before"):
        console.print(f"Held back the newest {data['test_items']} of those; fitted on the other {data['train_items']}.")
        console.print(f"  {'':<18}{'log loss':>10}{'RMSE':>10}")
        for label, key in (("weights in use", "before"), ("fitted weights", "after")):
            console.print(f"  {label:<18}{data[key]['log_loss']:>10.4f}{data[key]['rmse']:>10.4f}", highlight=False)
    console.print(("Kept the fitted weights: " if data["accepted"] else "Not changed: ") + data["reason"] + ".")
