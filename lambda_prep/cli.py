"""Command-line wiring: parse arguments, call the library, map outcomes to exit codes.

Only typer and cheap modules are imported here; everything heavy is imported inside the command
that needs it, because shell completion runs this program on every TAB.
"""

from __future__ import annotations

from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
import typer.core

from lambda_prep import __version__, topics
from lambda_prep.errors import EndOfInput, LambdaPrepError, UsageError
from lambda_prep.exit_codes import ExitCode


class _Boundary(typer.core.TyperGroup):
    """The one error boundary (see lambda_prep/errors.py): every command of every sub-app runs inside
    this invoke, so a LambdaPrepError raised anywhere below (a damaged store found half-way through
    `stats`, a bad argument found by the library, a simulation's ParamError) is printed here, the
    same way for all, with its exit code and no traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except LambdaPrepError as exc:
            _report(exc.label + exc.message, exc.advice)
            raise typer.Exit(int(exc.exit_code)) from None
        except (KeyboardInterrupt, EndOfInput) as exc:  # Ctrl-C or Ctrl-D outside a quiz: nothing half-done
            _report("\nInterrupted." if isinstance(exc, KeyboardInterrupt) else "Input ended.", None)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:  # `lambda-prep stats | head -1`: the reader has all it wanted
            from lambda_prep.terminal import silence_stdout

            silence_stdout()
            raise typer.Exit(int(ExitCode.BROKEN_PIPE)) from None
        except OSError as exc:  # the file system refused (a name too long, a vanished folder): not a bug
            where = f" ({exc.filename})" if exc.filename else ""
            _report(f"Error: {exc.strerror or exc}{where}.", "Check the path, or set LAMBDA_PREP_HOME to another folder.")
            raise typer.Exit(int(ExitCode.ERROR)) from None


def _report(message: str, advice: str | None) -> None:
    import sys

    from lambda_prep.terminal import wrap_for

    try:
        typer.echo(wrap_for(sys.stderr, message), err=True)
        if advice:
            typer.echo(wrap_for(sys.stderr, advice), err=True)
    except OSError:
        pass  # stderr is gone too: the exit code still tells


app = typer.Typer(
    cls=_Boundary,
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

    return Terminal(interactive=interactive, no_color=bool((ctx.find_root().obj or {}).get("no_color")))


def _exit(term, message: str, code: ExitCode = ExitCode.ERROR) -> typer.Exit:
    term.error(message)
    return typer.Exit(int(code))


class QuestionType(str, Enum):
    single = "single"
    multi = "multi"
    true_false = "true-false"
    recall = "recall"


def _complete_topic(incomplete: str):
    return topics.complete(incomplete)


def _bank_path(value) -> Path:
    """A bank file or folder given on the command line (exit 2 when it is not one).

    Looked at before anything is read: an empty path (an unset variable; it would mean the current
    folder), a FIFO, a device, a symlink loop or a name too long is refused as what it is.
    """
    if isinstance(value, Path):
        return value
    if value == "":
        raise typer.BadParameter("an empty path; give a bank file or a folder of banks")
    from lambda_prep.bank.files import kind, printable

    what, words = kind(value)
    if what == "other":
        raise typer.BadParameter(f"{printable(value)!r} does not exist." if words == "no such file or folder"
                                 else f"{printable(value)!r}: {words}")
    return Path(value)


_bank_path.__name__ = "path"  # --help shows the type as <path>, as for the plain Path it replaces


def _open_store(term):
    from lambda_prep import library

    return library.open_store()


def _load_banks(term, extra: Optional[List[Path]] = None):
    """All banks; problems in them are reported on stderr and those files skipped."""
    from lambda_prep import library

    banks = library.load_all_banks(extra or [])
    if banks.problems:
        term.error(f"warning: skipped {len(banks.skipped_files)} bank file(s) with problems "
                   f"(run lambda-prep validate for details):")
        for problem in banks.problems[:20]:
            term.error(f"  {problem}")
        if len(banks.problems) > 20:
            term.error(f"  ... and {len(banks.problems) - 20} more")
    return banks


@contextmanager
def _progress(term, extra_banks: Optional[List[Path]] = None):
    """The banks and the open progress store, closed afterwards whatever happens."""
    banks = _load_banks(term, extra_banks)
    store = _open_store(term)
    try:
        yield banks, store
    finally:
        store.close()


def _emit(term, data, as_json: bool, show) -> None:
    """JSON for scripts, or the view's rendering for people."""
    if as_json:
        import json

        term.echo(json.dumps(data, indent=2))
    else:
        show(term, data)


def _topics_or_exit(term, requested: Optional[List[str]], banks) -> list:
    from lambda_prep import library

    return library.resolve_topics(requested or [], banks)  # UsageError: exit 2 at the boundary


# --- study ------------------------------------------------------------------------------------


@app.command()
def quiz(
    ctx: typer.Context,
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", autocompletion=_complete_topic,
                                              help="Only this topic (repeatable; aliases work)."),
    count: int = typer.Option(20, "--count", "-n", min=1, max=1000, help="At most this many questions."),
    new: bool = typer.Option(False, "--new", help="Only questions you have not seen (still within the daily limit)."),
    due: bool = typer.Option(False, "--due", help="Only questions due for review."),
    mistakes: bool = typer.Option(False, "--mistakes", help="Only questions you got wrong before, most recent first."),
    difficulty: Optional[str] = typer.Option(None, "--difficulty", "-d",
                                             help="1 basics, 2 working knowledge, 3 senior; or a range: 2-3 skips the basics."),
    qtype: Optional[List[QuestionType]] = typer.Option(None, "--type", help="Only this type (repeatable)."),
    extra_new: int = typer.Option(0, "--extra-new", min=0, max=1000, help="Today only: this many new questions beyond the daily limit."),
    drills_only: bool = typer.Option(False, "--drills-only", help="Only scenario drills (a card per drill kind); "
                                                                  "otherwise a few are mixed in (config drills-per-session)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Fix question and choice order (and scheduling fuzz)."),
    bank: Optional[List[Path]] = typer.Option(None, "--bank", parser=_bank_path,
                                              help="Also load this bank file or folder (repeatable)."),
    interactive: Optional[bool] = typer.Option(None, "--interactive/--no-interactive",
                                               help="Arrow-key prompts, or plain numbered prompts reading stdin "
                                                    "[default: interactive when stdin and stdout are terminals]"),
) -> None:
    """Study: due reviews first, then new questions up to the daily limit, topics interleaved.

    After each answer you see whether it was right, the correct answer, why, and the source.
    Every answer is saved as you give it: Ctrl-C keeps everything answered so far.

    In a terminal, ? instead of Enter answers "not sure"; after the feedback, Enter goes on, u takes the answer back, q stops with the summary.

    In plain mode (piped or --no-interactive) type the number of your answer (1 3 for several), h for a hint, ? if you don't know, end with ? if unsure, or u to take back the previous answer.

    \b
    Examples:
      lambda-prep quiz
      lambda-prep quiz --topic cold-starts --topic retries --count 10
      lambda-prep quiz --due
      lambda-prep quiz --mistakes
      lambda-prep quiz --topic concurrency --difficulty 2-3 --type recall
      printf '2\\n1\\n' | lambda-prep quiz --count 2 --seed 1
    """
    from lambda_prep import library

    if sum((new, due, mistakes)) > 1:
        raise UsageError("--new, --due and --mistakes exclude each other; use one (or none for due and new).")
    filters = library.Filters(library.parse_difficulty(difficulty),
                              tuple(t.value for t in qtype) if qtype else library.QUESTION_TYPES)
    if extra_new and (due or mistakes):
        raise UsageError("--extra-new adds new questions; it does not go with --due or --mistakes.")
    mode = "new" if new else "due" if due else "mistakes" if mistakes else "all"
    if drills_only and mistakes:
        raise _exit(_terminal(ctx), "Error: --drills-only does not go with --mistakes.", ExitCode.USAGE)
    _study(ctx, topic, count, mode, seed, bank, interactive, filters, extra_new, drills_only)


@app.command()
def review(
    ctx: typer.Context,
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", autocompletion=_complete_topic,
                                              help="Only this topic (repeatable)."),
    count: int = typer.Option(100, "--count", "-n", min=1, max=1000, help="At most this many questions."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Fix the order."),
    interactive: Optional[bool] = typer.Option(None, "--interactive/--no-interactive",
                                               help="Arrow-key prompts or plain numbered prompts."),
) -> None:
    """Review the questions that are due, and nothing new. Says when the next one is due if none are.

    \b
    Examples:
      lambda-prep review
      lambda-prep review --topic concurrency
    """
    _study(ctx, topic, count, "due", seed, None, interactive)


def _study(ctx, topic_args, count, mode, seed, bank, interactive, filters=None, extra_new: int = 0,
           drills_only: bool = False) -> None:
    from lambda_prep import library
    from lambda_prep.study.scheduler import utcnow
    from lambda_prep.errors import Interrupted
    from lambda_prep.study.session import Summary
    from lambda_prep.study.store import StoreError
    from lambda_prep.views import quiz as view

    term = _terminal(ctx, interactive)
    with _progress(term, bank) as (banks, store):
        topic_names = _topics_or_exit(term, topic_args, banks)
        now = utcnow()
        scheduler, rng, plan, config = library.prepare_quiz(
            store, banks, topic_names=topic_names, count=count, mode=mode, seed=seed, now=now, filters=filters,
            extra_new=extra_new, drills_only=drills_only)
        if not plan.questions:
            view.show_nothing_to_study(term, mode, plan, config.new_per_day,
                                       library.upcoming(store, banks, now, config.day_start_hour, topic_names),
                                       now)
            _plan_line(term, library.plan_status(store, banks))
            return
        ui = view.InteractiveQuizUI(term) if term.interactive else view.PlainQuizUI(term)
        summary = Summary()
        runner = library.start_quiz(store, banks, scheduler, ui, rng, config, now, extra_new)
        saved = lambda: f"{len(summary.outcomes)} answer{'s' if len(summary.outcomes) != 1 else ''} saved"  # noqa: E731
        try:
            runner.run(plan.questions, summary)
        except KeyboardInterrupt:
            try:
                view.show_summary(term, summary, library.upcoming(store, banks, utcnow(), config.day_start_hour),
                                  utcnow())
            except OSError:  # `quiz | tee`: the same Ctrl-C ended the reader of stdout
                from lambda_prep.terminal import silence_stdout

                silence_stdout()
            raise Interrupted(f"\nInterrupted. {saved()}.") from None
        except StoreError as exc:
            # Saving an answer failed (disk full, lock, damage): say what was kept before the cause.
            exc.message = f"this answer was not saved ({saved()} before it): {exc.message}"
            raise
        now = utcnow()
        view.show_summary(term, summary, library.upcoming(store, banks, now, config.day_start_hour), now)
        if summary.over_limit:
            term.echo(f"{summary.over_limit} new question{'s' if summary.over_limit != 1 else ''} not asked: "
                      f"another quiz reached today's limit of {config.new_per_day} new questions meanwhile.")
        if summary.ended_early:
            term.echo("Input ended; answers given so far are saved.")
        _plan_line(term, library.plan_status(store, banks))


@app.command()
def stats(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the same data as JSON, for scripts."),
    months: int = typer.Option(6, "--months", min=1, max=24, help="Months shown in the review heatmap."),
) -> None:
    """Your progress: mastery per topic, card states, accuracy, due forecast, streak, heatmap.

    Mastery is the mean predicted recall (FSRS) of a topic's questions you have seen, weighted by
    the share of the topic you have seen: 100% means everything seen and remembered.

    \b
    Examples:
      lambda-prep stats
      lambda-prep stats --json | jq '.topics[] | {topic, mastery}'
    """
    from lambda_prep import library
    from lambda_prep.study.scheduler import utcnow
    from lambda_prep.views import stats as view

    term = _terminal(ctx)
    with _progress(term) as (banks, store):
        report = library.stats_report(store, banks, utcnow(), months)
    _emit(term, report, as_json, view.show)
    if not as_json:
        _plan_line(term, report["plan"])


@app.command("topics")
def list_topics(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Every topic with its number of questions and your mastery.

    \b
    Examples:
      lambda-prep topics
      lambda-prep topics --json
    """
    from lambda_prep import library
    from lambda_prep.study.scheduler import utcnow
    from lambda_prep.views import stats as view

    term = _terminal(ctx)
    with _progress(term) as (banks, store):
        rows = library.topic_rows(store, banks, utcnow())
        status = None if as_json else library.plan_status(store, banks)
    _emit(term, rows, as_json, view.show_topics)
    _plan_line(term, status)


@app.command()
def reset(
    ctx: typer.Context,
    topic: Optional[str] = typer.Option(None, "--topic", "-t", autocompletion=_complete_topic,
                                        help="Only forget this topic."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation (needed without a terminal)."),
) -> None:
    """Forget your progress (all of it, or one topic). Asks first.

    \b
    Examples:
      lambda-prep reset --topic layers
      lambda-prep reset --yes
    """
    term = _terminal(ctx)
    topic_name = None
    if topic is not None:  # "" too: an empty variable in a script must not mean "everything"
        banks = _load_banks(term)
        topic_name = _topics_or_exit(term, [topic], banks)[0]
    what = f"your progress in {topic_name}" if topic_name else "all your progress"
    if not yes:
        if not term.interactive:
            raise UsageError(f"refusing to forget {what} without confirmation; no terminal to ask. "
                             f"Pass --yes to confirm.")
        if not term.confirm(f"Forget {what}? This cannot be undone.", default=False):
            term.echo("Nothing changed.")
            return
    from lambda_prep import library

    cards, reviews = library.reset_progress(topic_name)
    term.echo(f"Forgot {what}: {cards} questions and {reviews} reviews.")


@app.command()
def config(
    ctx: typer.Context,
    name: Optional[str] = typer.Argument(None, help="desired-retention, new-per-day, day-start-hour or exam-pass-mark."),
    value: Optional[str] = typer.Argument(None, help="The new value; omit to show the current one."),
) -> None:
    """Show or change settings: desired retention, new questions per day, day start hour, exam pass mark.

    \b
    Examples:
      lambda-prep config
      lambda-prep config new-per-day 30
      lambda-prep config desired-retention 0.92
      lambda-prep config exam-pass-mark 75
    """
    from lambda_prep import library, paths

    term = _terminal(ctx)
    with _open_store(term) as store:
        if name is not None and value is not None:
            term.echo(f"{name} = {library.set_setting(store, name, value)}")
        elif name is not None:
            term.echo(str(library.get_setting(store, name)))
        else:
            for key, val, meaning in library.setting_rows(store):
                term.echo(f"{key:<18} {val:<6} {meaning}")
            extra = {"interview plan": library.plan_summary(store), "fsrs weights": library.weights_summary(store)}
            for key, val in extra.items():
                term.echo(f"{key:<18} {val}")
            term.echo(f"{'data directory':<18} {paths.data_dir()}")


@app.command()
def validate(
    ctx: typer.Context,
    paths: Optional[List[Path]] = typer.Argument(None, help="Bank files or folders to check as well.",
                                                 show_default=False, parser=_bank_path),
) -> None:
    """Check the built-in banks and myths, your own banks and any files or folders given.

    Prints every problem as file:line:col: message; exits 1 if there are any, 0 otherwise
    (2 for a path that is empty or not a file or folder, such as a FIFO or a device).
    Your own banks live in the banks/ folder of the data directory (see lambda-prep config).

    \b
    Examples:
      lambda-prep validate
      lambda-prep validate my-banks/ extra.yaml
    """
    from lambda_prep import library

    term = _terminal(ctx)
    report, myths = library.validate_content(paths or [])
    problems = report.problems + myths.problems
    for problem in problems:
        term.echo(str(problem))
    summary = (f"{len(report.questions)} questions in {len(report.files)} files, "
               f"{len(myths.myths)} myths in {len(myths.files)} files"
               f"{'' if not problems else f'; {len(problems)} problem{_s(len(problems))}'}")
    if problems:
        raise _exit(term, f"invalid: {summary}")
    term.echo(f"ok: {summary}")


def _s(count: int) -> str:
    return "" if count == 1 else "s"


@app.command()
def explain(
    ctx: typer.Context,
    topic: Optional[str] = typer.Argument(None, autocompletion=_complete_topic,
                                          help="A topic or alias (cold-start, vpc, dlq...). Omit to list them."),
    pager: bool = typer.Option(True, "--pager/--no-pager", help="Page long output in a terminal."),
) -> None:
    """A topic in five minutes: the concept, the numbers to know, the 30-second interview answer, the traps, the follow-up questions, and what to run next.

    \b
    Examples:
      lambda-prep explain
      lambda-prep explain cold-start
      lambda-prep explain "cold starts" --no-pager
    """
    from lambda_prep import library
    from lambda_prep.study.scheduler import utcnow
    from lambda_prep.views import explain as view

    term = _terminal(ctx)
    if topic is None:
        view.show_list(term, library.explainers_available())
        return
    name, text = library.explainer(topic)  # unknown: exit 2 naming the close topics, at the boundary
    view.show(term, text, mastery=library.topic_mastery(name, utcnow()), use_pager=pager)


# --- exam -------------------------------------------------------------------------------------


@app.command()
def exam(
    ctx: typer.Context,
    count: int = typer.Option(40, "--count", "-n", min=1, max=200, help="Number of questions (1-200)."),
    minutes: Optional[int] = typer.Option(None, "--minutes", "-m", min=1, max=600, show_default=False,
                                          help="Time allowed (1-600 minutes); default: two minutes a question."),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", autocompletion=_complete_topic,
                                              help="Only this topic (repeatable; aliases work)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Fix the questions chosen and their order."),
    pass_mark: Optional[int] = typer.Option(None, "--pass-mark", min=1, max=100, show_default=False,
                                            help="Percent needed to pass (1-100); default: the exam-pass-mark "
                                                 "setting (72 unless changed)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON (questions go to stderr)."),
    interactive: Optional[bool] = typer.Option(None, "--interactive/--no-interactive",
                                               help="The navigator with a countdown, or plain numbered prompts "
                                                    "reading stdin (default: interactive in a terminal)."),
    show_history: bool = typer.Option(False, "--history", help="List past exams instead (with --json: as JSON)."),
) -> None:
    """A timed exam: choice questions against the clock, no verdicts until you submit.

    40 questions in 80 minutes by default (two minutes each, like the AWS
    associate exams; --count 10 gives 20 minutes), spread across topics. In a terminal the countdown
    stays at the bottom. Keys: arrows and enter answer (space ticks when
    several are right), f flags for review, left/right move, g goes to a
    question, r lists unanswered and flagged ones, s submits. Time up
    submits what is answered.

    The result: score, pass or fail against the pass mark (72% unless set
    with --pass-mark or lambda-prep config exam-pass-mark N), per-topic
    scores, time per question, then every wrong or flagged answer with its
    explanation and source.

    Every answer is saved as you give it and feeds your reviews like a quiz
    answer; Ctrl-C keeps them and records the exam as incomplete. In plain
    mode (piped or --no-interactive) type one answer per line: 2, or 1 3
    for several, Enter to skip, a trailing ? to flag.

    \b
    Examples:
      lambda-prep exam
      lambda-prep exam --count 20 --minutes 40 --topic concurrency --topic retries
      lambda-prep exam --seed 7 --pass-mark 80
      printf '2\\n1 3\\n\\n' | lambda-prep exam --count 3 --seed 1 --json
      lambda-prep exam --history
    """
    if show_history:
        exam_options = ("count", "minutes", "topic", "seed", "pass_mark", "interactive")
        given = [name for name in exam_options
                 if getattr(ctx.get_parameter_source(name), "name", "") == "COMMANDLINE"]
        if given:
            term = _terminal(ctx)
            flags = ", ".join("--" + name.replace("_", "-") for name in given)
            verb = "does" if len(given) == 1 else "do"
            raise _exit(term, f"Error: {flags} {verb} not apply to --history (it lists past exams).", ExitCode.USAGE)
        _exam_history(ctx, as_json)
        return
    if as_json and interactive:
        term = _terminal(ctx)
        raise _exit(term, "Error: --json reads answers as plain lines; drop --interactive.", ExitCode.USAGE)
    _exam(ctx, count, minutes, topic, seed, pass_mark, as_json, interactive)


def _exam_history(ctx, as_json: bool) -> None:
    from lambda_prep import library
    from lambda_prep.views import exam as view

    term = _terminal(ctx)
    store = _open_store(term)
    try:
        rows = library.exam_history(store)
    finally:
        store.close()
    _emit(term, rows, as_json, view.show_history)


def _exam(ctx, count, minutes, topic_args, seed, pass_mark, as_json, interactive) -> None:
    import sys

    from lambda_prep import library
    from lambda_prep.errors import Interrupted
    from lambda_prep.study.scheduler import utcnow
    from lambda_prep.terminal import Terminal
    from lambda_prep.views import exam as view

    term = _terminal(ctx, False if as_json else interactive)
    # With --json, stdout carries only the result: the questions are asked on stderr.
    ask_term = Terminal(stdout=sys.stderr, interactive=False, no_color=term.no_color) if as_json else term
    with _progress(term) as (banks, store):
        topic_names = _topics_or_exit(term, topic_args, banks)
        ui = view.InteractiveExamUI(ask_term) if ask_term.interactive else view.PlainExamUI(ask_term)
        runner = library.prepare_exam(store, banks, ui, topic_names=topic_names, count=count, minutes=minutes,
                                      pass_mark=pass_mark, seed=seed, clock=utcnow)
        if not runner.slots:
            where = f" in {', '.join(topic_names)}" if topic_names else ""
            raise _exit(term, f"Error: no choice questions{where} to build an exam from.")
        view.show_intro(ask_term, runner, count)
        try:
            result = runner.run()
        except KeyboardInterrupt:
            saved = len(runner.slots) - len(runner.unanswered())
            raise Interrupted(f"\nInterrupted. {saved} answer{'s' if saved != 1 else ''} saved; "
                              f"the exam is recorded as incomplete.") from None
    _emit(term, result.to_json() if as_json else result, as_json, view.show_result)


# --- interview plan ---------------------------------------------------------------------------


@app.command()
def plan(
    ctx: typer.Context,
    interview: Optional[str] = typer.Option(None, "--interview", "-i", metavar="YYYY-MM-DD",
                                            help="The interview (or exam) day; sets the plan."),
    minutes_per_day: Optional[int] = typer.Option(None, "--minutes-per-day", "-m",
                                                  help="Minutes you can study a day, 1-1440 (default: 30, "
                                                       "or the plan's)."),
    topic: Optional[List[str]] = typer.Option(None, "--topic", "-t", autocompletion=_complete_topic,
                                              help="With --interview: only these topics (repeatable; "
                                                   "default: all)."),
    clear: bool = typer.Option(False, "--clear", help="Remove the plan; normal scheduling resumes."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON, for scripts."),
) -> None:
    """Plan backwards from your interview day: no review after it, enough new questions a day to see everything in time, and the retention that gives the most recall on the day.

    Shows the days left, new questions and minutes per day until the day, the expected share of
    each topic recalled on the day (and today), and whether you are on track. The plan ends by
    itself after the day.

    \b
    Examples:
      lambda-prep plan --interview 2027-01-15 --minutes-per-day 45
      lambda-prep plan -i 2027-01-15 -t cold-starts -t concurrency
      lambda-prep plan                        show the plan
      lambda-prep plan --minutes-per-day 60   change the minutes
      lambda-prep plan --clear
    """
    from lambda_prep import library
    from lambda_prep.study.scheduler import utcnow
    from lambda_prep.views import plan as view

    term = _terminal(ctx)
    if clear and (interview is not None or minutes_per_day is not None or topic):
        raise _exit(term, "Error: --clear takes no other option (it removes the plan).", ExitCode.USAGE)
    with _progress(term) as (banks, store):
        topic_names = _topics_or_exit(term, topic, banks)
        if clear:
            was_set = library.clear_plan(store)
            _emit(term, {"plan": None, "cleared": was_set}, as_json, lambda t, d: t.echo(
                "Plan removed: normal scheduling resumes." if was_set else "No plan was set."))
            return
        now = utcnow()
        try:
            library.update_plan(store, interview=interview, minutes=minutes_per_day, topic_names=topic_names,
                                now=now)
        except library.UsageError as exc:
            raise _exit(term, f"Error: {exc}", ExitCode.USAGE) from None
        report = library.plan_report(store, banks, now)
    if report is not None and report.get("ended"):
        _emit(term, report, as_json, view.show_status)
        return
    _emit(term, report, as_json, view.show)


@app.command()
def optimize(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON, for scripts."),
    reset: bool = typer.Option(False, "--reset", help="Forget fitted weights; go back to FSRS-6's defaults."),
) -> None:
    """Fit the memory model (the 21 FSRS-6 weights) to your own reviews, offline, as Anki does.

    The newest 20% of your reviews are held back: the fitted weights are kept only if they predict
    them better (log loss) than the weights in use. Needs 400 reviews that come a day or more after
    the previous answer to the same question, and the optional fsrs-rs-python
    (pip install "lambda-prep\\[optimize]").

    \b
    Examples:
      lambda-prep optimize
      lambda-prep optimize --json
      lambda-prep optimize --reset
    """
    from lambda_prep import library
    from lambda_prep.study.optimize import OptimizerMissing
    from lambda_prep.views import plan as view

    term = _terminal(ctx)
    store = _open_store(term)
    try:
        data = library.optimize(store, reset=reset)
    except OptimizerMissing as exc:
        raise _exit(term, f"Error: {exc}") from None
    finally:
        store.close()
    if reset and not as_json:
        term.echo("Back to FSRS-6's default weights.")
        return
    _emit(term, data, as_json, view.show_optimize)


def _plan_line(term, status) -> None:
    """The plan's one-line status (days left, on track or behind) while a plan is set."""
    from lambda_prep.views import plan as plan_view

    plan_view.show_status(term, status)


from lambda_prep.cli_simulate import app as _simulate_app  # noqa: E402  (light: typer only)

app.add_typer(_simulate_app, name="simulate")

from lambda_prep import cli_drill as _drill  # noqa: E402  (light: typer only)

app.command("drill")(_drill.drill)

from lambda_prep import cli_find as _find  # noqa: E402  (light: typer only)

app.command("show")(_find.show)
app.command("search")(_find.search)
app.command("flag")(_find.flag)
app.command("mistakes")(_find.mistakes)

from lambda_prep import cli_portability as _portability  # noqa: E402  (light: typer only)

app.command("export")(_portability.export)
app.command("new-bank")(_portability.new_bank)
app.add_typer(_portability.progress_app, name="progress")

from lambda_prep.cli_mock import mock as _mock  # noqa: E402  (light: typer only)

app.command("mock")(_mock)


def main() -> None:
    """Console-script entry point."""
    app()
