"""`export`, `progress export|import` and `new-bank`: wiring only, each one call into the library."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer


progress_app = typer.Typer(
    name="progress",
    help="Move your progress between machines: export it to a file, import (merge) it on another.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    anki = "anki"
    csv = "csv"
    markdown = "markdown"


def export(
    ctx: typer.Context,
    fmt: Format = typer.Option(..., "--format", "-f", help="anki, csv or markdown.", case_sensitive=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file \\[default: standard output].",
                                          dir_okay=False),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", help="Only this topic (repeatable; aliases work).",
                                              autocompletion=lambda incomplete: _complete(incomplete)),
) -> None:
    """Export the questions: Anki notes, CSV (every field), or a Markdown study sheet.

    anki: Anki's text import format (File > Import in Anki 2.1.54 or later). Each note's GUID is the question id, so importing a newer export updates your notes in place instead of duplicating them; notes go to the deck lambda-prep::TOPIC.

    \b
    Examples:
      lambda-prep export --format anki -o lambda.txt
      lambda-prep export --format csv --topic retries -o retries.csv
      lambda-prep export --format markdown --topic cold-starts | less
    """
    from lambda_prep import cli, library

    term = cli._terminal(ctx)
    banks = cli._load_banks(term)
    topic_names = cli._topics_or_exit(term, topic, banks)
    text = library.export_questions(banks, fmt.value, topic_names)
    if output is None:
        term.stdout.write(text)
        return
    library.write_text(output, text)
    count = text.count("\n") if fmt is Format.anki else None
    term.error(f"Wrote {output}" + (f" ({count - 8} notes)" if count is not None else ""))


def _complete(incomplete: str):
    from lambda_prep import topics

    return topics.complete(incomplete)


@progress_app.command("export")
def progress_export(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="The file to write (JSON).", dir_okay=False),
) -> None:
    """Write your history (every review, and your settings) to FILE, to import on another machine.

    The format is versioned JSON (see the README, "Progress between machines"). Never sync the live database between machines; sync this file.

    \b
    Examples:
      lambda-prep progress export ~/Dropbox/lambda-prep-laptop.json
    """
    from lambda_prep import cli, library
    from lambda_prep.study.scheduler import utcnow

    term = cli._terminal(ctx)
    store = cli._open_store(term)
    try:
        written = library.export_progress(store, file, utcnow())
    finally:
        store.close()
    term.echo(f"Wrote {written} review{'s' if written != 1 else ''} to {file}")


@progress_app.command("import")
def progress_import(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A file written by lambda-prep progress export."),
    as_json: bool = typer.Option(False, "--json", help="Print what changed as JSON."),
) -> None:
    """Merge another machine's progress into this one.

    Both review logs are kept (their union); a review already here is recognised and skipped, so importing the same file twice changes nothing. Every card touched is recomputed by replaying all its reviews in time order.

    Settings: yours win; one you never set is taken from the file, and any that differ are listed. Nothing changes if the file is refused or anything fails.

    \b
    Examples:
      lambda-prep progress import ~/Dropbox/lambda-prep-laptop.json
    """
    from lambda_prep import cli, library

    term = cli._terminal(ctx)
    store = cli._open_store(term)
    try:
        report = library.import_progress(store, file)
    finally:
        store.close()
    if as_json:
        import json

        term.echo(json.dumps(report.to_dict(), indent=2))
        return
    term.echo(f"Imported {report.added} new review{'s' if report.added != 1 else ''} "
              f"({report.already_here} already here); {report.questions_replayed} questions recomputed.")
    for key, value in report.settings_taken.items():
        term.echo(f"  setting {key} = {value} (taken from the file)")
    for key, (kept, theirs) in report.settings_differ.items():
        term.echo(f"  setting {key}: kept yours ({kept}); the file has {theirs}")


def new_bank(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The bank's name: lower-case words joined by '-' (e.g. team-payments)."),
    topic: Optional[str] = typer.Option(None, "--topic", "-t", help="The topic of its questions [default: NAME]."),
) -> None:
    """Start a bank of your own questions, with two examples, in your banks folder.

    The file is checked at once; the quiz picks it up from then on (lambda-prep quiz --topic NAME). Its first line points your editor's YAML language server at the installed schema, so you get completion and checks as you type.

    \b
    Examples:
      lambda-prep new-bank team-payments
      lambda-prep new-bank our-services --topic integrations-patterns
    """
    import datetime as dt

    from lambda_prep import cli, library

    term = cli._terminal(ctx)
    path = library.new_bank(name, topic, dt.date.today())
    report = library.load_all_banks([path], include_user=False)
    mine = [p for p in report.problems if str(path) in p.path or p.path.endswith(path.name)]
    for problem in mine:
        term.echo(str(problem))
    if mine:
        raise cli._exit(term, f"Wrote {path}, but it does not validate (see above).")
    term.echo(f"Wrote {path}")
    term.echo("It validates. Edit it, then: lambda-prep validate && lambda-prep quiz --topic "
              f"{topic or name}")
