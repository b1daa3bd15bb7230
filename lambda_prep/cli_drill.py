"""`lambda-prep drill`: wiring only; drills come from lambda_prep.drills through the library."""

from __future__ import annotations

from typing import Optional

import typer

from lambda_prep.exit_codes import ExitCode


def _complete_kind(incomplete: str):
    from lambda_prep.drills.registry import NAMES  # names only: no model is imported

    return [n for n in NAMES if n.startswith(incomplete)]


def drill(
    ctx: typer.Context,
    kind: Optional[str] = typer.Argument(None, help="A drill kind (see --list); omit for a mix.",
                                         autocompletion=_complete_kind, show_default=False),
    count: int = typer.Option(3, "--count", "-n", min=1, max=100, help="How many scenarios."),
    seed: Optional[int] = typer.Option(None, "--seed", help="The same seed gives the same scenarios."),
    list_kinds: bool = typer.Option(False, "--list", help="List the drill kinds."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per drill (answers read from stdin, "
                                                       "one per line, if any)."),
    interactive: Optional[bool] = typer.Option(None, "--interactive/--no-interactive",
                                               help="Arrow-key prompts, or plain numbered prompts reading stdin."),
) -> None:
    """Predict what Lambda does in a scenario drawn at random; the simulation's model answers.

    Each drill states a scenario as an interviewer would, you predict (a choice), and the verdict names the misconception behind a wrong answer, shows the reasoning and the lambda-prep simulate command that plays this very scenario (in a terminal, offered right away). Answers count for the drill kind's spaced-repetition card, as in the quiz.

    \b
    Examples:
      lambda-prep drill
      lambda-prep drill async-retries --count 5
      lambda-prep drill --list
      printf '2\\n1\\n' | lambda-prep drill sqs-redrive --count 2 --seed 7 --json
    """
    from lambda_prep import cli, library

    term = cli._terminal(ctx, False if as_json else interactive)
    if list_kinds:
        if kind is not None:
            raise cli._exit(term, "Error: --list takes no KIND", ExitCode.USAGE)
        from lambda_prep.views import drill as view

        cli._emit(term, library.drill_kinds(), as_json, view.show_kinds)
        return
    try:
        drills = library.make_drills(kind, count, seed)
    except library.UsageError as exc:
        raise cli._exit(term, f"Error: {exc}", ExitCode.USAGE) from None
    _run(ctx, term, drills, as_json)


def _run(ctx, term, drills, as_json: bool) -> None:
    import json
    import time

    from lambda_prep import cli, library
    from lambda_prep.study.scheduler import utcnow
    from lambda_prep.views import drill as view

    store = cli._open_store(term)
    right = answered = 0
    try:
        for position, item in enumerate(drills, 1):
            folder = library.drill_folder(item)
            if as_json:
                given = _read_answer(term, item)
                if given is not None:
                    library.record_drill(store, item, given, None, utcnow())
                term.echo(json.dumps(item.to_json(given, folder)))
                continue
            view.show_prompt(term, item, position, len(drills))
            start = time.monotonic()
            given = view.ask(term, item)
            if given is None:
                term.echo("Input ended; answers given so far are saved.")
                break
            library.record_drill(store, item, given, time.monotonic() - start if term.interactive else None,
                                 utcnow())
            answered += 1
            right += item.check(given)[0]
            command = item.simulate_in(folder)
            view.show_verdict(term, item, given, command)
            if term.interactive and term.confirm("Run the simulation now?", default=False):
                _simulate(command)
    except KeyboardInterrupt:
        view.show_score(term, right, answered)
        raise cli._exit(term, f"\nInterrupted. {answered} answer{'s' if answered != 1 else ''} saved.",
                        ExitCode.INTERRUPTED) from None
    finally:
        store.close()
    if not as_json:
        view.show_score(term, right, answered)


def _read_answer(term, item) -> str | None:
    """--json: one answer per line of stdin (a choice number or text); none when input has ended."""
    if term.stdin_isatty:
        return None
    line = term.stdin.readline()  # not term.read_line: nothing may be echoed into the JSON
    if not line:
        return None
    line = line.strip()
    if item.choices and line.isdigit() and 1 <= int(line) <= len(item.choices):
        return item.choices[int(line) - 1]
    return line or None


def _simulate(command: str) -> None:
    import shlex
    import subprocess
    import sys

    args = shlex.split(command)[1:]  # drop "lambda-prep": run with this same Python
    subprocess.run([sys.executable, "-m", "lambda_prep", *args], check=False)
