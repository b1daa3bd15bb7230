"""`lambda-prep simulate cold-start`: options only; the model and view load inside the command."""

from __future__ import annotations

from typing import Optional

import typer

from lambda_prep.cli_simulate._shared import (
    Animate, Architecture, ArchitectureOption, AsJson, BurstAtS, BurstEveryS, BurstSize, ConcurrencyLimit,
    DEFAULT_SEED, DurationDist, DurationDistOption, KeepAliveS, MemoryMb, Pattern, PatternOption, Reuse,
    ReuseOption, Seed, app, choice, simulate,
)
from lambda_prep.sims import choices as C


Runtime = choice("Runtime", C.RUNTIMES)


@app.command("cold-start")
def cold_start(
    ctx: typer.Context,
    arrival_rate: float = typer.Option(
        2.0, "--arrival-rate", help="Requests per second, Poisson (with --pattern burst: the background rate, "
                                    "may be 0). Demo value."),
    pattern: PatternOption = Pattern.poisson,
    burst_size: BurstSize = 100,
    burst_every_s: BurstEveryS = 900.0,
    burst_at_s: BurstAtS = 30.0,
    requests: int = typer.Option(3_000, "--requests", help="Requests to simulate, 1-10,000,000."),
    duration_ms: float = typer.Option(1_000.0, "--duration-ms",
                                      help="Mean handler time, 1-900,000 ms (timeout max 900 s). Demo value."),
    duration_dist: DurationDistOption = DurationDist.fixed,
    runtime: Runtime = typer.Option(Runtime.python, "--runtime", case_sensitive=False,
                                    help="Sets the default --init-ms and whether SnapStart is possible."),
    init_ms: Optional[float] = typer.Option(
        None, "--init-ms", show_default=False,
        help="Init time of a cold start, 0-10,000 ms (INIT limit 10 s). Default by runtime, MODEL ASSUMPTIONS "
             "(AWS gives only 'under 100 ms to over 1 second'): provided 100, nodejs 200, python 250, "
             "ruby 300, dotnet 800, java 1,500."),
    restore_ms: Optional[float] = typer.Option(
        None, "--restore-ms", show_default=False,
        help="SnapStart restore time replacing init, 0-10,000 ms. Default 200, a MODEL ASSUMPTION (AWS: "
             "'as low as sub-second')."),
    keep_alive_s: KeepAliveS = 600.0,
    provisioned: int = typer.Option(0, "--provisioned",
                                    help="Provisioned concurrency: pre-initialised environments, used first "
                                         "(AWS default 0)."),
    snapstart: bool = typer.Option(False, "--snapstart/--no-snapstart",
                                   help="Restore a snapshot instead of init (java, python, dotnet; not with "
                                        "--provisioned). AWS default off."),
    concurrency_limit: ConcurrencyLimit = None,
    memory_mb: MemoryMb = 128,
    architecture: ArchitectureOption = Architecture.x86_64,
    reuse: ReuseOption = Reuse.mru,
    compare: bool = typer.Option(True, "--compare/--no-compare",
                                 help="Also replay the first 20,000 requests on-demand, provisioned and "
                                      "SnapStart, with costs."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
) -> None:
    """Watch requests meet warm and cold execution environments.

    Requests arrive; each takes an idle warm environment if there is one (the most recently used:
    a model assumption), else a new one starts, init then handler, if the concurrency limit and
    the scaling rate allow it (else 429). Idle environments are reclaimed after the keep-alive.
    Shows an environment timeline, the cold-start ratio, latency p50/p95/p99 (from a 1-ms
    histogram: memory does not grow with requests), environments alive vs busy, and on-demand vs
    provisioned concurrency vs SnapStart on the same traffic with what each costs.

    \b
    AWS sources:
      lifecycle, cold starts under 1% and 'under 100 ms to over 1 second', INIT limit 10 s,
      environments kept 'for some time', recycled every few hours:
        https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
      INIT billed for all functions since 1 Aug 2025:
        https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/
      account limit 1,000; reserve at most (unreserved - 100):
        https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
        https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
      scaling rate 1,000 environments per 10 s per function (token bucket, refill 100/s):
        https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html
      provisioned concurrency (used first, spill-over to on-demand, <= reserved):
        https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
      SnapStart (managed runtimes Java 11+, Python 3.12+, .NET 8+; container images of any
      runtime with the snapshot hooks or the SnapStart label, not simulated here; not with
      provisioned concurrency):
        https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html
        https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-custom.html
      memory 128-10,240 MB (default 128): https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
      prices (us-east-1, as of 2026-11; provisioned rates transcribed, medium confidence):
        https://aws.amazon.com/lambda/pricing/

    \b
    Model assumptions: keep-alive 600 s: AWS publishes no idle time, and
    600 s is the idle time in 20 workloads measured on AWS Lambda, which
    this model reproduces about as well as the SimFaaS research simulator;
    most-recently-used reuse (LRU misses those measurements by far);
    init and restore times by runtime; the whole restore billed like
    init; SnapStart caching/restore charges (Python, .NET) and the free
    tier left out; no timeout; no maintenance recycling (AWS recycles
    environments every few hours). The measurements:
      https://github.com/pacslab/simfaas/blob/master/examples/exp.csv

    \b
    Examples:
      lambda-prep simulate cold-start
      lambda-prep simulate cold-start --pattern burst --arrival-rate 1 --requests 4000
      lambda-prep simulate cold-start --runtime java --snapstart
      lambda-prep simulate cold-start --keep-alive-s 60 --arrival-rate 0.02 --requests 2000
      lambda-prep simulate cold-start --arrival-rate 50 --duration-ms 200 --concurrency-limit 5
      lambda-prep simulate cold-start --json --requests 1000000 --arrival-rate 0.9
        --duration-dist exp --duration-ms 2000 --init-ms 250
    """

    burst_only = {name: ("--pattern burst",) for name in ("burst_size", "burst_every_s", "burst_at_s")}
    simulate(ctx, "cold-start", applies=(f"--pattern {pattern.value}", burst_only))
