"""`simulate --list`: every simulation with the topic it teaches and one line on what it shows."""

from __future__ import annotations


def render(rows: list[dict]) -> list:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("simulation", no_wrap=True, style="bold")
    table.add_column("topic", no_wrap=True)
    table.add_column("what it shows", overflow="fold")
    for row in rows:
        table.add_row(row["name"], row["topic"], row["summary"])
    return [table, Text("Run one: lambda-prep simulate NAME  (--help for its options, --json for scripts)")]
