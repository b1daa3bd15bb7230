"""`lambda-prep simulate rds-proxy`: options only; the model and view load inside the command."""

from __future__ import annotations


import typer

from lambda_prep.cli_simulate._shared import (
    Animate, AsJson, BurstAtS, BurstEveryS, BurstSize, ConcurrencyLimit, DEFAULT_SEED, DurationDist,
    DurationDistOption, KeepAliveS, Pattern, PatternOption, Reuse, ReuseOption, Seed, app, only_for, simulate,
)



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
    pattern: PatternOption = Pattern.burst,
    burst_size: BurstSize = 300,
    burst_every_s: BurstEveryS = 120.0,
    burst_at_s: BurstAtS = 30.0,
    requests: int = typer.Option(3_000, "--requests", help="Requests to simulate, 1-2,000,000."),
    duration_ms: float = typer.Option(200.0, "--duration-ms",
                                      help="Handler time = one transaction holding a connection, 1-900,000 ms. "
                                           "Demo value."),
    duration_dist: DurationDistOption = DurationDist.fixed,
    init_ms: float = typer.Option(250.0, "--init-ms",
                                  help="Init time (opening the connection included), 0-10,000 ms. MODEL ASSUMPTION."),
    keep_alive_s: KeepAliveS = 600.0,
    concurrency_limit: ConcurrencyLimit = None,
    reuse: ReuseOption = Reuse.mru,
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
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

    only_for(ctx, f"--pattern {pattern.value}", {name: ("--pattern burst",) for name in ("burst_size", "burst_every_s", "burst_at_s")})
    simulate(ctx, "rds-proxy")
