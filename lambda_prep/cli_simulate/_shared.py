"""The simulate sub-app and what every simulation command shares: options, running, output.

Options several simulations take are declared ONCE here as typer `Annotated` aliases, one name per
concept (`--architecture`, never `--arch`; `--requests` is a count of simulated requests, a monthly
volume is `--requests-per-month`). A command keeps its own default by giving the parameter a
default value. Simulation-specific options stay in the command's module.
"""

from __future__ import annotations

import enum
import json
from typing import Annotated, Any, Callable, Optional

import typer

from lambda_prep.sims import choices as C


app = typer.Typer(
    help="Watch Lambda behave: small deterministic models drawn in the terminal.",
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
    invoke_without_command=True,
)

DEFAULT_SEED = 1
PROGRESS_FROM = 200_000  # show a progress bar (in a terminal) for runs of at least this many steps


def choice(name: str, values: tuple[str, ...]) -> type[enum.Enum]:
    """A typer choice built from a model's choice set (sims/choices.py), so it is declared once.
    Members are named after their values ("later-wins" -> later_wins, "async" -> async_)."""
    import keyword

    def member(value: str) -> str:
        name = value.replace("-", "_")
        return name + "_" if keyword.iskeyword(name) else name

    return enum.Enum(name, [(member(v), v) for v in values], type=str)


Pattern = choice("Pattern", C.PATTERNS)  # traffic shape shared by cold-start and rds-proxy
DurationDist = choice("DurationDist", C.DURATION_DISTS)
Reuse = choice("Reuse", C.REUSE)  # which idle environment a request takes (a model assumption)
Architecture = choice("Architecture", C.ARCHITECTURES)


# --- options shared by several simulations (one name per concept) ------------------------------------
Seed = Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same output.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object: simulation, params, assumptions, "
                                                     "sources, results (for scripts).")]
Animate = Annotated[bool, typer.Option("--animate", help="Play the timeline live (a few seconds; terminals only).")]
ArrivalRate = Annotated[float, typer.Option("--arrival-rate", help="Requests per second, Poisson. Demo value.")]
Requests = Annotated[int, typer.Option("--requests", help="Requests to simulate (a count).")]
RequestsPerMonth = Annotated[float, typer.Option("--requests-per-month", help="Requests per month. Demo value.")]
DurationMs = Annotated[float, typer.Option("--duration-ms", help="Mean handler time, ms. Demo value.")]
DurationDistOption = Annotated[DurationDist, typer.Option(
    "--duration-dist", case_sensitive=False, help="Handler time: fixed, or exponential (exp) with that mean.")]
InitMs = Annotated[float, typer.Option(
    "--init-ms", help="Init time of a cold start, 0-10,000 ms (INIT limit 10 s). MODEL ASSUMPTION: AWS gives no "
                      "per-runtime figure.")]
KeepAliveS = Annotated[float, typer.Option(
    "--keep-alive-s", help="Idle seconds before an environment is reclaimed, 0-86,400. MODEL ASSUMPTION: AWS "
                           "does not document it (environments are kept 'for some time').")]
MemoryMb = Annotated[int, typer.Option("--memory-mb", help="Function memory, 128-10,240 MB (AWS default 128).")]
TimeoutS = Annotated[float, typer.Option("--timeout-s", help="Function timeout, 1-900 s (AWS default 3).")]
ArchitectureOption = Annotated[Architecture, typer.Option(
    "--architecture", case_sensitive=False, help="Price per GB-s: x86_64 (AWS default) or arm64 (Graviton).")]
PatternOption = Annotated[Pattern, typer.Option(
    "--pattern", case_sensitive=False, help="poisson, or burst: the Poisson background plus --burst-size "
                                            "requests within 1 s every --burst-every-s.")]
BurstSize = Annotated[int, typer.Option("--burst-size", help="burst: requests in each burst. Demo value.")]
BurstEveryS = Annotated[float, typer.Option("--burst-every-s", help="burst: seconds between bursts. Demo value.")]
BurstAtS = Annotated[float, typer.Option("--burst-at-s", help="burst: when the first burst starts. Demo value.")]
ReuseOption = Annotated[Reuse, typer.Option(
    "--reuse", case_sensitive=False,
    help="Which idle environment a request takes: mru (most recently used) or lru. MODEL ASSUMPTION: AWS does "
         "not say; mru lets spare environments age out after a burst.")]
ConcurrencyLimit = Annotated[Optional[int], typer.Option(
    "--concurrency-limit", show_default=False,
    help="Reserved concurrency, 0-900 (account limit 1,000 minus the 100 kept unreserved). Default: none, the "
         "account limit applies.")]
BatchSize = Annotated[int, typer.Option("--batch-size", help="Records per batch of the event source mapping.")]
VisibilityTimeoutS = Annotated[float, typer.Option(
    "--visibility-timeout-s", help="SQS visibility timeout, 0 s-12 h (SQS default 30 s).")]
MaxReceiveCount = Annotated[int, typer.Option(
    "--max-receive-count", help="Redrive policy maxReceiveCount, 1-1,000 (AWS suggests at least 5).")]


# --- `simulate --list` ---------------------------------------------------------------------------------
@app.callback()
def _list(
    ctx: typer.Context,
    show_list: Annotated[bool, typer.Option("--list", help="List every simulation with its topic and summary.")]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --list: print the list as JSON.")] = False,
) -> None:
    """Watch Lambda behave: small deterministic models drawn in the terminal.

    \b
    Examples:
      lambda-prep simulate --list
      lambda-prep simulate --list --json
      lambda-prep simulate cold-start
      lambda-prep simulate retries --source sqs --json
    """
    if ctx.invoked_subcommand is not None:
        if show_list or as_json:
            _usage_error(ctx, "--list and --json go before no simulation: use `simulate --list [--json]`, or "
                              "`simulate NAME --json`")
        return
    if not show_list:
        if as_json:
            _usage_error(ctx, "--json here needs --list (or give a simulation: `simulate NAME --json`)")
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    from lambda_prep.sims.registry import SIMULATIONS
    from lambda_prep.terminal import Terminal

    term = Terminal(no_color=bool(((ctx.find_root().obj) or {}).get("no_color")))
    rows = [{"name": s.name, "topic": s.topic, "summary": s.summary} for s in SIMULATIONS]
    if as_json:
        term.echo(json.dumps(rows, indent=2))
        return
    from lambda_prep.views.sims.listing import render

    for renderable in render(rows):
        term.console.print(renderable)


def _usage_error(ctx: typer.Context, message: str, advice: str | None = None):
    """Exit 2 through the one error boundary (lambda_prep/errors.py prints "Error: ..." and the advice)."""
    from lambda_prep.errors import UsageError

    raise UsageError(message, advice=advice)


# --- flags that belong to one variant ----------------------------------------------------------------
def flag(ctx: typer.Context, name: str) -> str:
    """How the command line spells the parameter `name` (--max-retry-attempts)."""
    for param in ctx.command.params:
        if param.name == name and getattr(param, "opts", None):
            return max(param.opts, key=len)
    return "--" + name.replace("_", "-")


def typed(ctx: typer.Context, name: str) -> bool:
    """Whether the user set the option `name` (on the command line or in the environment), as
    opposed to leaving its default."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT")


def only_for(ctx: typer.Context, variant: str, takes: dict[str, tuple[str, ...]]) -> None:
    """Exit 2 when the user set a flag that the chosen variant does not take.

    `variant` is the choice as typed ("--source async"); `takes` maps a parameter name to the
    variants it applies to, e.g. only_for(ctx, "--source async", {"max_retry_attempts":
    ("--source stream",)}). Only flags the user typed count (ctx.get_parameter_source), so defaults
    never trip it.
    """
    for name, variants in takes.items():
        if variant in variants:
            continue
        if typed(ctx, name):
            _usage_error(ctx, f"{flag(ctx, name)} does not apply to {variant}; it applies to "
                              f"{' or '.join(variants)}.", f"See: lambda-prep simulate {ctx.info_name} --help")


# --- running -----------------------------------------------------------------------------------------
def params_from_options(ctx: typer.Context, model) -> Any:
    """`model.Params` from the command's options: a Params field takes the option of the same name.

    The model names its parameters; the command line spells them as flags of the same name, so no
    command forwards its options one by one. Enum choices become their values.
    """
    import dataclasses

    values = {}
    for field in dataclasses.fields(model.Params):
        if field.name in ctx.params:
            value = ctx.params[field.name]
            values[field.name] = value.value if isinstance(value, enum.Enum) else value
    return model.Params(**values)


def simulate(ctx: typer.Context, name: str, make_params: Callable[[Any], Any] | None = None, *,
             applies: tuple[str, dict[str, tuple[str, ...]]] | None = None) -> None:
    """Build the params, run the model, show the result: the one call every command makes.

    `make_params(model)` builds `model.Params(...)` (default: params_from_options); a ParamError
    there exits 2 with the valid range. --seed, --json and --animate come from the command's options.
    The model and view modules come from the registry and load only now (TAB completion stays fast).
    `applies` = (chosen variant, {parameter: variants that take it}) for only_for(), checked once the
    params are valid: a value out of range is reported as such, even for another variant's option.
    """
    seed = ctx.params.get("seed", DEFAULT_SEED)
    as_json, animate = ctx.params.get("as_json", False), ctx.params.get("animate", False)
    make_params = make_params or (lambda model: params_from_options(ctx, model))
    import importlib

    from lambda_prep.sims.common import ParamError
    from lambda_prep.sims.registry import get
    from lambda_prep.terminal import Terminal

    spec = get(name)
    term = Terminal(no_color=bool(((ctx.find_root().obj) or {}).get("no_color")))
    model = importlib.import_module(spec.module)
    try:
        params = make_params(model)
        if applies is not None:
            only_for(ctx, *applies)
        steps = model.total_steps(params) if hasattr(model, "total_steps") else 0
        if steps >= PROGRESS_FROM and not as_json:
            with term.progress(steps, f"simulating {name}") as advance:
                result = model.run(params, seed, advance)
        else:
            result = model.run(params, seed, None)
    except ParamError as exc:
        exc.advice = f"See: lambda-prep simulate {name} --help"
        raise  # printed, with exit 2, by the one error boundary (lambda_prep/errors.py)
    if as_json:
        term.echo(json.dumps(result.to_json(), indent=2, sort_keys=False))
        return
    view = importlib.import_module(spec.view)
    width = term.console.width
    if animate and term.stdout_isatty and hasattr(view, "frames"):
        term.play(view.frames(result, width))
    for renderable in view.render(result, width):
        term.console.print(renderable)


# --- options of the newer simulations that more than one of them (or retries) takes ------------------
# (appended by the new-simulations branch; the names match the model parameters)
FailureRate = Annotated[float, typer.Option(
    "--failure-rate", help="Probability that one attempt fails with a function error, 0-1. Model assumption.")]
MaxRetries = Annotated[int, typer.Option(
    "--max-retries", help="Async MaximumRetryAttempts, 0-2 (AWS default 2): function errors retried after about "
                          "1 min, then 2 min.")]
MaxEventAgeS = Annotated[int, typer.Option(
    "--max-event-age-s", help="Async MaximumEventAgeInSeconds, 60-21,600 s (AWS default 21,600 = 6 h).")]
AccountConcurrency = Annotated[int, typer.Option(
    "--account-concurrency", help="The Region's concurrency quota (AWS default 1,000, raisable).")]
