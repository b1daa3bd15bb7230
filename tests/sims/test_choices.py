"""Option choice sets are declared once (sims/choices.py): models validate against them and every
`simulate` option with a fixed set of values offers exactly one of them."""

from __future__ import annotations

import pytest
import typer.main

from lambda_prep.cli import app
from lambda_prep.sims import choices as C
from lambda_prep.sims import pool
from lambda_prep.sims.registry import SIMULATIONS

SETS = {name: value for name, value in vars(C).items() if name.isupper() and isinstance(value, tuple)}


def _choice_options():
    group = typer.main.get_command(app).commands["simulate"]
    for sim in SIMULATIONS:
        for param in group.commands[sim.name].params:
            if getattr(param.type, "choices", None):  # a Choice
                yield sim.name, param


@pytest.mark.parametrize("sim, param", list(_choice_options()), ids=lambda v: getattr(v, "name", v))
def test_every_choice_option_offers_a_declared_choice_set(sim, param):
    offered = tuple(param.type.choices)
    assert offered in SETS.values(), f"simulate {sim} {param.opts[0]} offers {offered}, not a set of sims/choices.py"


def test_every_runtime_has_an_init_time():
    assert set(pool.INIT_MS_BY_RUNTIME) == set(C.RUNTIMES)
