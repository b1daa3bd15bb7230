"""Simulations of Lambda's behaviour: pure models, `run(params, seed) -> result`.

Nothing here imports rich, typer, `study` or `bank`; drawing a result is `views.sims`'s job.
"""

NAMES = ("cold-start", "invocation", "retries", "concurrency", "layers", "limits", "security",
         "pricing", "rds-proxy")
