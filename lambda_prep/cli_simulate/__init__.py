"""`lambda-prep simulate NAME`: one module per simulation, each only wiring options to its model.

The modules import nothing heavy at import time; models and views load inside the command.
"""

from lambda_prep.cli_simulate._shared import app
from lambda_prep.cli_simulate import (  # noqa: F401  (each module registers its command on `app`)
    cold_start,
    invocation,
    retries,
    concurrency,
    layers,
    limits,
    security,
    pricing,
    rds_proxy,
)

__all__ = ["app"]
