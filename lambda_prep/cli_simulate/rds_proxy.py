"""`lambda-prep simulate rds-proxy`: options only; the model and view load inside the command."""

from __future__ import annotations

from typing import Optional

import typer

from lambda_prep.cli_simulate._shared import (DurationDist, Pattern, Reuse, animate_option, app, json_option,
                                               seed_option, simulate)

PROGRESS_FROM = 100_000


@app.command("rds-proxy")
def rds_proxy(
    ctx: typer.Context,
    max_connections: int = typer.Option(
        100, "--max-connections",
        help="The database's max_connections, 1-100,000. EXAMPLE value: on RDS the default depends on instance "
             "memory (PostgreSQL LEAST(DBInstanceClassMemory/9531392, 5000); MySQL "
             "DBInstanceClassMemory/12582880)."),
    max_connections_percent: int = typer.Option(
        100, "--max-connections-percent",
        help="RDS Proxy MaxConnectionsPercent, 1-100: the pool's share of max_connections (AWS default 100; "
             "10 for SQL Server)."),
    borrow_timeout_s: float = typer.Option(
        120.0, "--borrow-timeout-s",
        help="RDS Proxy ConnectionBorrowTimeout, 0-3,600 s (0 = no limit; AWS default 120 s): how long an "
             "invocation waits for a pooled connection before failing."),
    arrival_rate: float = typer.Option(
        2.0, "--arrival-rate", help="Background requests per second, Poisson (may be 0 with bursts). Demo value."),
    pattern: Pattern = typer.Option(Pattern.burst, "--pattern", case_sensitive=False,
                                    help="burst: background plus --burst-size requests within 1 s every "
                                         "--burst-every-s; poisson: background only."),
    burst_size: int = typer.Option(300, "--burst-size", help="burst: requests in each burst. Demo value."),
    burst_every_s: float = typer.Option(120.0, "--burst-every-s", help="burst: seconds between bursts. Demo value."),
    burst_at_s: float = typer.Option(30.0, "--burst-at-s", help="burst: when the first burst starts. Demo value."),
    requests: int = typer.Option(3_000, "--requests", help="Requests to simulate, 1-2,000,000."),
    duration_ms: float = typer.Option(200.0, "--duration-ms",
                                      help="Handler time = one transaction holding a connection, 1-900,000 ms. "
                                           "Demo value."),
    duration_dist: DurationDist = typer.Option(DurationDist.fixed, "--duration-dist", case_sensitive=False,
                                               help="Handler time: fixed, or exponential (exp) with that mean."),
    init_ms: float = typer.Option(250.0, "--init-ms",
                                  help="Init time (opening the connection included), 0-10,000 ms. MODEL ASSUMPTION."),
    keep_alive_s: float = typer.Option(600.0, "--keep-alive-s",
                                       help="Idle seconds before an environment (and its connection) goes. MODEL "
                                            "ASSUMPTION: AWS does not document it."),
    concurrency_limit: Optional[int] = typer.Option(
        None, "--concurrency-limit", show_default=False,
        help="Reserved concurrency, 0-900: also caps environments, hence direct connections. Default: none."),
    reuse: Reuse = typer.Option(Reuse.mru, "--reuse", case_sensitive=False,
                                help="Which idle environment a request takes (MODEL ASSUMPTION): mru lets spare "
                                     "environments, and their connections, age out; lru keeps them all."),
    seed: int = seed_option(),
    as_json: bool = json_option(),
    animate: bool = animate_option(),
) -> None:
    """Watch Lambda exhaust a database's connections, and RDS Proxy turn errors into waits.

    The same traffic twice. Direct: each environment opens a connection in init and keeps it, so
    connections = environments alive (busy + idle), not busy ones; past max_connections a new
    environment cannot connect and the request fails. With RDS Proxy: each invocation borrows a
    pooled connection (MaxConnectionsPercent of max_connections) for its transaction and waits, up
    to ConnectionBorrowTimeout, when none is free.

    \b
    AWS sources:
      RDS Proxy pool settings: MaxConnectionsPercent 1-100 (default 100; 10 for SQL Server),
      ConnectionBorrowTimeout (default 120 s, 0 = no limit), IdleClientTimeout 1,800 s:
        https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html
        https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-connections.html
      default max_connections by engine and instance memory:
        https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections
      Lambda with RDS and RDS Proxy:
        https://docs.aws.amazon.com/lambda/latest/dg/services-rds.html
      lifecycle (init, environments kept 'for some time'; init failure resets the environment):
        https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
      account limit 1,000, reserved concurrency, scaling rate:
        https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
        https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html

    \b
    Model assumptions: one connection per environment held until it is reclaimed (direct); one
    transaction per invocation for the whole handler time, no pinning, first-come-first-served
    waits (proxy); max_connections 100 as an example; no other database clients; init 250 ms,
    keep-alive 600 s, most-recently-used reuse.

    \b
    Examples:
      lambda-prep simulate rds-proxy
      lambda-prep simulate rds-proxy --burst-size 1000 --max-connections 200
      lambda-prep simulate rds-proxy --max-connections-percent 50 --borrow-timeout-s 1
      lambda-prep simulate rds-proxy --pattern poisson --arrival-rate 20 --reuse lru
      lambda-prep simulate rds-proxy --json
    """

    def build(progress):
        from lambda_prep.sims import rds_proxy as model

        params = model.Params(
            arrival_rate=arrival_rate, requests=requests, pattern=pattern.value, burst_size=burst_size,
            burst_every_s=burst_every_s, burst_at_s=burst_at_s, duration_ms=duration_ms,
            duration_dist=duration_dist.value, init_ms=init_ms, keep_alive_s=keep_alive_s,
            concurrency_limit=concurrency_limit, max_connections=max_connections,
            max_connections_percent=max_connections_percent, borrow_timeout_s=borrow_timeout_s,
            reuse=reuse.value)
        return model.run(params, seed, progress)

    simulate(ctx, "rds-proxy", build, "rds_proxy", as_json=as_json, animate=animate,
             total_steps=2 * requests if requests >= PROGRESS_FROM else 0)
