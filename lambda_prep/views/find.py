"""Finding questions: show one with its history, search results, flags, and the mistakes list."""

from __future__ import annotations

import datetime as dt

from lambda_prep.terminal import Terminal
from lambda_prep.views.common import local_time

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
LETTERS = "ABCDEFGH"


def _when(iso: str) -> str:
    return local_time(dt.datetime.fromisoformat(iso))


def _url(term: Terminal, url: str, prefix: str = "  ") -> None:
    from rich.text import Text

    # Not wrapped: a web address cut across lines can no longer be clicked or copied.
    term.console.print(Text(f"{prefix}{url}", style="dim"), soft_wrap=True)


def show_question(term: Terminal, q: dict) -> None:
    from rich.panel import Panel
    from rich.text import Text

    c = term.console
    head = Text(f"{q['id']}", style="bold")
    head.append(f"  {q['topic']} · {q['type']} · difficulty {q['difficulty']} · checked {q['last_verified']}",
                style="dim")
    c.print(head)
    c.print(Panel(Text(" ".join(q["prompt"].split())), border_style="cyan"))
    if q["type"] in ("single", "multi"):
        for i, choice in enumerate(q["choices"]):
            mark = "✓" if choice in q["answer"] else " "
            c.print(Text(f" {mark} {LETTERS[i]}. {choice}", style="green" if mark == "✓" else ""))
    elif q["type"] == "true-false":
        c.print(Text(f"Answer: {q['answer'][0]}", style="green"))
    else:
        c.print(Text("Model answer: ", style="bold") + Text(" ".join(q["model_answer"].split())))
        c.print(Text("Key points:", style="bold"))
        for i, point in enumerate(q["key_points"], 1):
            c.print(Text(f"  {i}) {point}"))
        for follow_up in q["follow_ups"]:
            c.print(Text("Follow-up: ", style="bold") + Text(" ".join(follow_up["prompt"].split())))
    c.print()
    c.print(Text(" ".join(q["explanation"].split())))
    c.print(Text("Sources:", style="bold"))
    for url in q["sources"]:
        _url(term, url)
    if q["flag"]:
        f = q["flag"]
        c.print(Text(f"Flagged {f['kind']} on {_when(f['flagged_at'])}: {f['note'] or '(no note)'} "
                     f"-- not asked until lambda-prep flag --clear {q['id']}", style="yellow"))
    c.print()
    if not q["history"]:
        c.print("You have not answered it yet.")
        return
    card = q["card"]
    c.print(Text(f"Your history: {len(q['history'])} answer{'' if len(q['history']) == 1 else 's'}, {sum(not h['correct'] for h in q['history'])} wrong; "
                 f"{card['state']}, predicted recall now {card['recall_now']:.0%}, next due "
                 f"{_when(card['due'])}", style="bold"))
    for h in q["history"][-10:]:
        took = f", {h['seconds']:g} s" if h["seconds"] is not None else ""
        verdict = "right" if h["correct"] else "wrong"
        c.print(Text(f"  {_when(h['reviewed_at'])}  {RATINGS[h['rating']]:<5} {verdict}{took}: {h['answer']}"))


def show_search(term: Terminal, hits: list[dict], text: str) -> None:
    from rich.text import Text

    if not hits:
        term.echo(f"Nothing matches {text!r}. Try fewer or other words.")
        return
    for hit in hits:
        line = Text()
        if hit["kind"] == "question":
            line.append(hit["id"], style="bold")
            line.append(f"  {hit['topic']}", style="dim")
            term.console.print(line)
            term.console.print(Text(f"  {hit['title']}"))
        else:
            line.append(f"explain {hit['topic']}", style="bold")
            line.append(f"  section: {hit['section']}", style="dim")
            term.console.print(line)
        term.console.print(Text(f"  {hit['snippet']}", style="dim"))
    shown = len(hits)
    term.console.print(Text(f"\n{shown} result{'s' if shown != 1 else ''}. lambda-prep show ID shows a question; "
                            f"lambda-prep explain TOPIC a topic.", style="dim"))


def show_flags(term: Terminal, rows: list[dict]) -> None:
    """Markdown, so the list can be pasted into a report as it is."""
    from rich.text import Text

    if not rows:
        term.echo("No flagged questions. Flag one with: lambda-prep flag ID --note \"what is wrong\"")
        return
    for row in rows:
        term.console.print(Text(f"- `{row['id']}` ({row['topic'] or 'no longer in the banks'}): {row['kind']}, "
                                f"flagged {row['flagged_at'][:10]}"
                                + (f": {row['note']}" if row["note"] else "")))
        if row["prompt"]:
            term.console.print(Text(f"  > {' '.join(row['prompt'].split())}"))
        for url in row["sources"][:1]:
            _url(term, f"  source: {url}")


def show_mistakes(term: Terminal, rows: list[dict], limit: int) -> None:
    from rich.table import Table

    if not rows:
        term.echo("No mistakes yet: every question you answered, you answered right.")
        return
    table = Table(show_edge=False, expand=False)
    table.add_column("wrong", justify="right")
    table.add_column("id", no_wrap=True, overflow="fold")
    table.add_column("topic", overflow="fold")
    table.add_column("last wrong")
    for row in rows[:limit]:
        table.add_row(f"{row['wrong']}/{row['answered']}", row["id"], row["topic"], _when(row["last_wrong"]))
    term.console.print(table)
    more = f" ({len(rows) - limit} more: --limit)" if len(rows) > limit else ""
    term.console.print(f"{len(rows)} questions answered wrong at least once{more}. "
                       f"Practise them: lambda-prep quiz --mistakes")
