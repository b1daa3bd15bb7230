"""`lambda-prep mock`: typer wiring only (registered in cli.py with one line; typer imports only)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from lambda_prep.exit_codes import ExitCode

MIN_COUNT, MAX_COUNT = 1, 20
MIN_MINUTES, MAX_MINUTES = 0.5, 30.0
DEFAULT_COUNT, DEFAULT_MINUTES = 6, 2.0  # as lambda_prep.study.mock (not imported here: it is heavy)


class Level(str, Enum):
    junior = "junior"
    mid = "mid"
    senior = "senior"


def _complete_topic(incomplete: str):
    from lambda_prep import topics

    return topics.complete(incomplete)


def mock(
    ctx: typer.Context,
    count: Optional[int] = typer.Option(None, "--count", "-n", help=f"Questions to ask, {MIN_COUNT}-{MAX_COUNT} (default 6)."),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", autocompletion=_complete_topic,
                                              help="Only this topic (repeatable; aliases work)."),
    level: Optional[Level] = typer.Option(None, "--level", help="Interview level: junior (basics), mid, senior "
                                                                 "(trade-offs and designs); default mid."),
    minutes: Optional[float] = typer.Option(None, "--minutes-per-answer", "-m",
                                            help=f"Minutes per answer on the timer, {MIN_MINUTES:g}-{MAX_MINUTES:g} "
                                                 f"(default 2). Going over is reported, never cut off."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Fix the choice of questions (and scheduling fuzz)."),
    report: Optional[Path] = typer.Option(None, "--report", help="Also write the report to this Markdown file."),
    as_json: bool = typer.Option(False, "--json", help="Read answers from stdin (one per line) and print one JSON "
                                                       "object: score, and per question its key points, myths, time."),
    interactive: Optional[bool] = typer.Option(None, "--interactive/--no-interactive",
                                               help="Multi-line editor with a timer, or one line per answer from "
                                                    "stdin (default: interactive in a terminal)."),
    history: bool = typer.Option(False, "--history", help="List past mock interviews with their scores."),
) -> None:
    """A mock interview: open questions, typed answers checked against the key points, follow-ups.

    Questions lean toward your weakest topics, plus one you have never seen. Type each answer in the editor while a timer counts the minutes: Enter starts a new line; Ctrl-D (or Esc then Enter) finishes.

    Each answer is checked against the key points (showing the words that matched) and for outdated beliefs; you can correct the marks, then see the model answer. A follow-up comes when your answer covered the point it drills into.

    Answers are saved as you give them and feed your review schedule (for questions that are new, due, or failed). At the end: a report per question and topic, and three things to study next.

    In plain mode (piped or --no-interactive) each answer, follow-ups included, is one line of stdin; an empty line is no answer; the automatic marks stand.

    \b
    Examples:
      lambda-prep mock
      lambda-prep mock --level senior --count 4 --topic retries
      lambda-prep mock --minutes-per-answer 3 --report mock.md
      lambda-prep mock --history
      printf 'Init runs first\\n\\n' | lambda-prep mock -n 1 --json
    """
    from lambda_prep import library
    from lambda_prep.cli import _emit, _exit, _open_store, _terminal
    from lambda_prep.views import mock as view

    term = _terminal(ctx, False if as_json else interactive)
    if as_json and interactive:
        raise _exit(term, "Error: --interactive does not apply with --json (answers are read from stdin, one per "
                          "line).", ExitCode.USAGE)
    if history:
        given = [name for name, value in (("--count", count), ("--topic", topic), ("--level", level),
                                          ("--minutes-per-answer", minutes), ("--seed", seed),
                                          ("--report", report), ("--interactive/--no-interactive", interactive))
                 if value is not None]
        if given:
            raise _exit(term, f"Error: {', '.join(given)} does not apply with --history (it only lists past mocks; "
                              f"--json may be added).", ExitCode.USAGE)
        store = _open_store(term)
        try:
            rows = library.mock_history(store)
        finally:
            store.close()
        _emit(term, rows, as_json, view.show_history)
        return
    count = DEFAULT_COUNT if count is None else count
    minutes = DEFAULT_MINUTES if minutes is None else minutes
    if not MIN_COUNT <= count <= MAX_COUNT:
        raise _exit(term, f"Error: --count must be from {MIN_COUNT} to {MAX_COUNT}, got {count}.", ExitCode.USAGE)
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise _exit(term, f"Error: --minutes-per-answer must be from {MIN_MINUTES:g} to {MAX_MINUTES:g}, "
                          f"got {minutes:g}.", ExitCode.USAGE)
    if report is not None and (report.is_dir() or not report.parent.is_dir()):
        raise _exit(term, f"Error: --report {report}: {'is a folder' if report.is_dir() else 'no such folder'}; "
                          f"give a file path in an existing folder.", ExitCode.USAGE)
    _run(ctx, term, count=count, topic_args=topic, level=(level or Level.mid).value, minutes=minutes, seed=seed,
         report=report, as_json=as_json)


def _run(ctx, term, *, count, topic_args, level, minutes, seed, report, as_json) -> None:
    import json

    from lambda_prep import library
    from lambda_prep.cli import _exit, _progress, _topics_or_exit
    from lambda_prep.study.mock import MockResult, report_markdown
    from lambda_prep.study.scheduler import utcnow
    from lambda_prep.study.store import StoreError
    from lambda_prep.views import mock as view

    if as_json:
        ui = view.QuietMockUI(term)
    else:
        ui = view.InteractiveMockUI(term) if term.interactive else view.PlainMockUI(term)
    with _progress(term) as (banks, store):
        topic_names = _topics_or_exit(term, topic_args, banks)
        now = utcnow()
        interview, questions = library.prepare_mock(store, banks, ui, topic_names=topic_names, count=count,
                                                    level=level, minutes_per_answer=minutes, seed=seed, now=now)
        if not questions:
            where = f" in {', '.join(topic_names)}" if topic_names else ""
            raise _exit(term, f"Error: no open interview questions{where}; a mock needs recall questions. "
                              f"See: lambda-prep topics", ExitCode.USAGE)
        result = MockResult(0, level, now, len(questions), minutes)

        def finish() -> None:
            if report is not None and result.results:
                report.write_text(report_markdown(result), encoding="utf-8")
            if as_json:
                term.echo(json.dumps(result.to_json(), indent=2))
            elif result.results:
                view.show_report(term, result)
                if report is not None:
                    term.echo(f"Report written to {report}")

        try:
            interview.run(questions, result)
        except KeyboardInterrupt:
            finish()
            saved = sum(len(r.answers) for r in result.results)
            raise _exit(term, f"\nInterrupted. {saved} answer{'s' if saved != 1 else ''} saved.",
                        ExitCode.INTERRUPTED) from None
        except StoreError as exc:
            raise _exit(term, f"Error: {exc}") from None
        finish()
        if result.ended_early and not as_json:
            term.echo("Input ended; answers given so far are saved.")
