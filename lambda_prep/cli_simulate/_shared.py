"""The simulate sub-app and what every simulation command shares: options, running, output."""

from __future__ import annotations

import enum
import json
from typing import Any, Callable

import typer


app = typer.Typer(
    help="Watch Lambda behave: small deterministic models drawn in the terminal.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
)

DEFAULT_SEED = 1


class Pattern(str, enum.Enum):
    """Traffic shape shared by cold-start and rds-proxy."""

    poisson = "poisson"
    burst = "burst"


class DurationDist(str, enum.Enum):
    fixed = "fixed"
    exp = "exp"


class Reuse(str, enum.Enum):
    """Which idle environment a request takes (a model assumption: AWS does not document it)."""

    mru = "mru"
    lru = "lru"


def seed_option():
    return typer.Option(DEFAULT_SEED, "--seed", help="Random seed: the same seed gives the same output.")


def json_option():
    return typer.Option(False, "--json", help="Print one JSON object with the results (for scripts).")


def animate_option():
    return typer.Option(False, "--animate", help="Play the timeline live (a few seconds; terminals only).")


def simulate(ctx: typer.Context, name: str, build: Callable[[Callable[[int], None] | None], Any],
             view_module: str, *, as_json: bool, animate: bool, total_steps: int = 0) -> None:
    """Run a model and show its result.

    `build(progress)` makes the params (raising ParamError for bad ones) and runs the model;
    `progress`, when given, is called with the number of steps done since the last call.
    `view_module` names a module in lambda_prep.views.sims with `render(result) -> list` and,
    optionally, `frames(result) -> list` for --animate.
    """
    from lambda_prep.sims.common import ParamError
    from lambda_prep.terminal import Terminal

    term = Terminal(no_color=bool(((ctx.find_root().obj) or {}).get("no_color")))
    try:
        if total_steps and not as_json:
            with term.progress(total_steps, f"simulating {name}") as advance:
                result = build(advance)
        else:
            result = build(None)
    except ParamError as exc:
        exc.advice = f"See: lambda-prep simulate {name} --help"
        raise  # printed, with exit 2, by the one error boundary (lambda_prep/errors.py)
    if as_json:
        term.echo(json.dumps(result.to_json(), indent=2, sort_keys=False))
        return
    import importlib

    view = importlib.import_module(f"lambda_prep.views.sims.{view_module}")
    if animate and term.stdout_isatty and hasattr(view, "frames"):
        term.play(view.frames(result))
    for renderable in view.render(result):
        term.console.print(renderable)
