"""Rendering explainers: rich Markdown in a terminal, the Markdown text itself when piped."""

from __future__ import annotations

import re

from lambda_prep.terminal import Terminal


def show(term: Terminal, text: str, *, mastery: str | None, use_pager: bool) -> None:
    if not term.stdout_isatty:
        # Plain text when piped: Markdown source reads well and greps well.
        if mastery:
            term.echo(mastery)
            term.echo()
        term.echo(text.rstrip())
        return
    from rich.console import Group
    from rich.markdown import Markdown  # lazy: ~80 ms
    from rich.text import Text

    parts = []
    if mastery:
        parts.append(Text(mastery + "\n", style="bold green"))
    parts.append(Markdown(footnote_table_links(text), code_theme="ansi_dark", hyperlinks=False))
    term.page(Group(*parts), use_pager=use_pager)


_URL = re.compile(r"https?://[^\s|)>\]]+")


def footnote_table_links(text: str) -> str:
    """Replace web addresses inside Markdown tables by [n], listed in full under the table.

    A terminal table squeezes a long address into "https://docs.aws.amazon.c…"; a reference
    keeps the table narrow and the address whole (and clickable in most terminals).
    """
    out: list[str] = []
    notes: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            def number(match: re.Match) -> str:
                if match.group(0) not in notes:
                    notes.append(match.group(0))
                return f"[{notes.index(match.group(0)) + 1}]"

            out.append(_URL.sub(number, line))
            continue
        if notes:
            out.append("")
            out.extend(f"[{n}] {url}  " for n, url in enumerate(notes, 1))
            out.append("")
            notes = []
        out.append(line)
    if notes:
        out.append("")
        out.extend(f"[{n}] {url}  " for n, url in enumerate(notes, 1))
    return "\n".join(out)


def show_list(term: Terminal, topics: list[tuple[str, str, bool]]) -> None:
    width = max(len(name) for name, _, _ in topics)
    for name, summary, present in topics:
        note = "" if present else "  (explainer coming)"
        term.echo(f"{name:<{width}}  {summary}{note}")
    term.echo()
    term.echo("Read one: lambda-prep explain cold-starts   (aliases work: cold-start, vpc, dlq, iam...)")
