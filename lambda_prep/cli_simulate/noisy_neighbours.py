"""`lambda-prep simulate noisy-neighbours`: options only; the model and view load inside the command."""

from __future__ import annotations

from typing import List, Optional

import typer

from lambda_prep.cli_simulate._shared import (
    AccountConcurrency, Animate, AsJson, DEFAULT_SEED, Seed, app, params_from_options, simulate,
)


@app.command("noisy-neighbours")
def noisy_neighbours(
    ctx: typer.Context,
    checkout_rate: float = typer.Option(50.0, "--checkout-rate", help="checkout: requests/s, 0-500 (4 s each: "
                                                                      "50/s keep 200 busy). Demo value."),
    search_rate: float = typer.Option(30.0, "--search-rate", help="search: requests/s, 0-500 (5 s each: 30/s "
                                                                  "keep 150 busy). Demo value."),
    burst_rate: float = typer.Option(250.0, "--burst-rate", help="importer's burst: requests/s, 0-1,000 (8 s "
                                                                 "each: 250/s want 2,000). Demo value."),
    burst_s: float = typer.Option(60.0, "--burst-s", help="How long the burst lasts, from t = 30 s, 0-120 s. "
                                                          "Demo value."),
    account_concurrency: AccountConcurrency = 1000,
    reserve: Optional[List[str]] = typer.Option(
        None, "--reserve", show_default=False,
        help="Reserved concurrency for the second run, NAME=N (repeat it): checkout, search or importer. "
             "Default: checkout=250 and search=200. They add up to at most the account limit minus 100."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
) -> None:
    """One function's burst throttles its neighbours; reserved concurrency as the fix, and its cost.

    Three functions share the account's concurrency. importer bursts and
    fills the unreserved pool, so checkout and search get 429s. The same
    traffic is then replayed with reserved concurrency: the reserved
    functions are safe, but each can never exceed its reservation, and
    everyone else shares what is left.

    \b
    AWS values and sources:
      account concurrency 1,000 per Region (raisable)
        https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
      reserved concurrency: a floor and a ceiling, no charge; at most the
      account limit minus 100; 0 throttles everything
        https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
      ConcurrentExecutions, UnreservedConcurrentExecutions,
      ClaimedAccountConcurrency
        https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html

    \b
    Model assumptions: Poisson arrivals; fixed handler times (checkout
    4 s, search 5 s, importer 8 s); synchronous callers, so a throttle
    is a lost request (no SDK retry); environments available at once
    (the scaling rate is simulate concurrency's subject).

    \b
    Examples:
      lambda-prep simulate noisy-neighbours
      lambda-prep simulate noisy-neighbours --reserve importer=300
      lambda-prep simulate noisy-neighbours --reserve checkout=180 --reserve search=200
      lambda-prep simulate noisy-neighbours --burst-rate 100 --account-concurrency 3000
    """

    def make_params(model):
        # typer gives an empty list when --reserve is not used: None keeps the model's default
        if not reserve:
            ctx.params["reserve"] = None
        return params_from_options(ctx, model)

    simulate(ctx, "noisy-neighbours", make_params)
