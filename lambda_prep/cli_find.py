"""`show`, `search`, `flag` and `mistakes`: finding questions. Wiring only, one library call each."""

from __future__ import annotations

from typing import List, Optional

import typer

from lambda_prep.errors import UsageError


def _complete_id(incomplete: str):
    """Question ids for TAB, read from the bank cache only (never parses YAML on a keypress)."""
    import json

    from lambda_prep import paths

    ids = set()
    try:
        for entry in paths.cache_dir().glob("bank-*.json"):
            ids.update(q["id"] for q in json.loads(entry.read_text(encoding="utf-8")).get("questions", []))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return []
    return sorted(i for i in ids if i.startswith(incomplete))[:200]


def show(
    ctx: typer.Context,
    question_id: str = typer.Argument(..., metavar="ID", help="A question id (search finds them).",
                                      autocompletion=_complete_id),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """One question: its answer, explanation, every source, and your history with it.

    \b
    Examples:
      lambda-prep show cs-cold-vs-warm
      lambda-prep show ret-sqs-visibility --json
    """
    from lambda_prep import cli, library
    from lambda_prep.study.scheduler import utcnow
    from lambda_prep.views import find as view

    term = cli._terminal(ctx)
    with cli._progress(term) as (banks, store):
        data = library.show(store, banks, question_id, utcnow())
    cli._emit(term, data, as_json, view.show_question)


def search(
    ctx: typer.Context,
    words: List[str] = typer.Argument(..., metavar="TEXT", help="Words to look for (quote a phrase)."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=500, help="At most this many results."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Search the questions and the explainers; best matches first, with the ids to show them.

    \b
    Examples:
      lambda-prep search visibility timeout
      lambda-prep search "partial batch response" --limit 5
      lambda-prep search snapstart --json | jq -r '.[].id // empty'
    """
    from lambda_prep import cli, library
    from lambda_prep.views import find as view

    term = cli._terminal(ctx)
    text = " ".join(words)
    banks = cli._load_banks(term)
    hits = library.search(banks, text, limit)
    cli._emit(term, hits, as_json, lambda t, data: view.show_search(t, data, text))


def flag(
    ctx: typer.Context,
    question_id: Optional[str] = typer.Argument(None, metavar="[ID]", help="The question to flag (or to clear).",
                                                autocompletion=_complete_id),
    note: str = typer.Option("", "--note", help="What is wrong, for your report."),
    kind: str = typer.Option("wrong", "--kind", help="wrong, outdated or unclear."),
    clear: bool = typer.Option(False, "--clear", help="Remove the flag: the question is asked again."),
    list_flags: bool = typer.Option(False, "--list", help="List flagged questions (Markdown, ready to paste)."),
    as_json: bool = typer.Option(False, "--json", help="With --list: print as JSON."),
) -> None:
    """Flag a question as wrong, outdated or unclear: it is not asked until you clear the flag.

    \b
    Examples:
      lambda-prep flag lim-payloads --kind outdated --note "SNS now allows 1 MiB"
      lambda-prep flag --list
      lambda-prep flag --clear lim-payloads
    """
    from lambda_prep import cli, library
    from lambda_prep.study.scheduler import utcnow
    from lambda_prep.views import find as view

    term = cli._terminal(ctx)
    if list_flags and (question_id or clear or note):
        raise UsageError("--list takes no ID, --note or --clear")
    if as_json and not list_flags:
        raise UsageError("--json goes with --list")
    if clear and (note or kind != "wrong"):
        raise UsageError("--clear takes only the ID (no --note or --kind)")
    if not list_flags and not question_id:
        raise UsageError("name the question to flag (lambda-prep flag ID), or use --list")
    with cli._progress(term) as (banks, store):
        if list_flags:
            cli._emit(term, library.flags(store, banks), as_json, view.show_flags)
            return
        if clear:
            library.unflag(store, question_id)
            term.echo(f"Cleared the flag on {question_id}; it will be asked again.")
            return
        library.flag(store, banks, question_id, kind, note, utcnow())
    term.echo(f"Flagged {question_id} as {kind}; it will not be asked until lambda-prep flag --clear {question_id}.")


def mistakes(
    ctx: typer.Context,
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Only this topic (repeatable)."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=1000, help="At most this many rows."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """The questions you got wrong most often (then most recently), with their topics.

    \b
    Examples:
      lambda-prep mistakes
      lambda-prep mistakes --topic concurrency --limit 5
      lambda-prep quiz --mistakes          # practise them
    """
    from lambda_prep import cli, library
    from lambda_prep.views import find as view

    term = cli._terminal(ctx)
    with cli._progress(term) as (banks, store):
        topic_names = cli._topics_or_exit(term, topic, banks)
        rows = library.mistakes(store, banks, topic_names)
    if as_json:
        cli._emit(term, rows[:limit], True, None)
        return
    view.show_mistakes(term, rows, limit)
