"""`lambda-prep simulate NAME`: one module per simulation, each only wiring options to its model.

The command modules are those of the registry (sims/registry.py), `cli_simulate/<name>.py`; each
registers its command on `app`. They import nothing heavy: models and views load inside the command.
"""

import importlib

from lambda_prep.cli_simulate._shared import app
from lambda_prep.sims.registry import SIMULATIONS

for _simulation in SIMULATIONS:
    importlib.import_module(f"lambda_prep.cli_simulate.{_simulation.name.replace('-', '_')}")

__all__ = ["app"]
