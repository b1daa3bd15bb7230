"""Command-line wiring: parse arguments, call the library, map outcomes to exit codes.

Only typer and cheap modules are imported here; everything heavy is imported inside the command
that needs it, because shell completion runs this program on every TAB.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from lambda_prep import __version__, topics
from lambda_prep.exit_codes import ExitCode

app = typer.Typer(
    name="lambda-prep",
    help="Study AWS Lambda for interviews: spaced-repetition quizzes, explainers and simulations.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lambda-prep {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
    no_color: bool = typer.Option(False, "--no-color", help="No colours (also: the NO_COLOR variable)."),
) -> None:
    """Study AWS Lambda for interviews: spaced-repetition quizzes, explainers and simulations.

    \b
    Start here:
      lambda-prep quiz                  today's questions, due reviews first
      lambda-prep explain cold-starts   a topic in five minutes
      lambda-prep simulate retries      watch Lambda retry an event
      lambda-prep stats                 how you are doing

    Progress lives in a SQLite file in your data directory; set LAMBDA_PREP_HOME to move it.
    """
    ctx.obj = {"no_color": no_color}


def _terminal(ctx: typer.Context, interactive: Optional[bool] = None):
    from lambda_prep.terminal import Terminal

    return Terminal(interactive=interactive, no_color=bool((ctx.obj or {}).get("no_color")))


def _fail(term, message: str, code: ExitCode = ExitCode.ERROR) -> typer.Exit:
    term.error(message)
    return typer.Exit(int(code))


@app.command()
def validate(
    ctx: typer.Context,
    paths: Optional[List[Path]] = typer.Argument(None, help="Bank files or folders to check as well.",
                                                 show_default=False),
) -> None:
    """Check the built-in banks, your own banks and any files or folders given.

    Prints every problem as file:line:col: message; exits 1 if there are any, 0 otherwise.

    \b
    Examples:
      lambda-prep validate
      lambda-prep validate my-banks/ extra.yaml
    """
    from lambda_prep import library

    term = _terminal(ctx)
    report = library.validate(paths or [])
    for problem in report.problems:
        term.echo(str(problem))
    summary = (f"{len(report.questions)} questions in {len(report.files)} files"
               f"{'' if not report.problems else f'; {len(report.problems)} problems'}")
    if report.problems:
        raise _fail(term, f"invalid: {summary}")
    term.echo(f"ok: {summary}")


from lambda_prep.cli_simulate import app as _simulate_app  # noqa: E402  (light: typer only)

app.add_typer(_simulate_app, name="simulate")


def main() -> None:
    """Console-script entry point."""
    app()
