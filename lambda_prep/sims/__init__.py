"""Simulations of Lambda's behaviour: pure models, `run(params, seed) -> result`.

Nothing here imports rich, typer, `study` or `bank`; drawing a result is `views.sims`'s job.
The list of simulations is `sims.registry.SIMULATIONS`.
"""

from lambda_prep.sims.registry import NAMES  # noqa: F401  (kept for callers of sims.NAMES)
