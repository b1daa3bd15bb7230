"""`lambda-prep simulate cold-start`: options only; the model and view load inside the command."""

from __future__ import annotations

import enum
from typing import Optional

import typer

from lambda_prep.cli_simulate._shared import (DurationDist, Pattern, Reuse, animate_option, app, json_option,
                                               seed_option, simulate)


class Runtime(str, enum.Enum):
    python = "python"
    nodejs = "nodejs"
    java = "java"
    dotnet = "dotnet"
    ruby = "ruby"
    provided = "provided"


class Architecture(str, enum.Enum):
    x86_64 = "x86_64"
    arm64 = "arm64"


PROGRESS_FROM = 200_000  # show a progress bar (in a terminal) for runs at least this long


@app.command("cold-start")
def cold_start(
    ctx: typer.Context,
    arrival_rate: float = typer.Option(
        2.0, "--arrival-rate", help="Requests per second, Poisson (with --pattern burst: the background rate, "
                                    "may be 0). Demo value."),
    pattern: Pattern = typer.Option(Pattern.poisson, "--pattern", case_sensitive=False,
                                    help="poisson, or burst: the Poisson background plus --burst-size "
                                         "requests within 1 s every --burst-every-s."),
    burst_size: int = typer.Option(100, "--burst-size", help="burst: requests in each burst. Demo value."),
    burst_every_s: float = typer.Option(900.0, "--burst-every-s", help="burst: seconds between bursts. Demo value."),
    burst_at_s: float = typer.Option(30.0, "--burst-at-s", help="burst: when the first burst starts. Demo value."),
    requests: int = typer.Option(3_000, "--requests", help="Requests to simulate, 1-10,000,000."),
    duration_ms: float = typer.Option(1_000.0, "--duration-ms",
                                      help="Mean handler time, 1-900,000 ms (timeout max 900 s). Demo value."),
    duration_dist: DurationDist = typer.Option(DurationDist.fixed, "--duration-dist", case_sensitive=False,
                                               help="Handler time: fixed, or exponential (exp) with that mean."),
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
    keep_alive_s: float = typer.Option(
        600.0, "--keep-alive-s",
        help="Idle seconds before an environment is reclaimed, 0-86,400. MODEL ASSUMPTION: AWS does not "
             "document it (environments are kept 'for some time')."),
    provisioned: int = typer.Option(0, "--provisioned",
                                    help="Provisioned concurrency: pre-initialised environments, used first "
                                         "(AWS default 0)."),
    snapstart: bool = typer.Option(False, "--snapstart/--no-snapstart",
                                   help="Restore a snapshot instead of init (java, python, dotnet; not with "
                                        "--provisioned). AWS default off."),
    concurrency_limit: Optional[int] = typer.Option(
        None, "--concurrency-limit", show_default=False,
        help="Reserved concurrency, 0-900 (account limit 1,000 minus the 100 kept unreserved). Default: none, "
             "the account limit of 1,000 applies."),
    memory_mb: int = typer.Option(128, "--memory-mb", help="Memory for the cost, 128-10,240 MB (AWS default 128)."),
    architecture: Architecture = typer.Option(Architecture.x86_64, "--architecture", case_sensitive=False,
                                              help="Price per GB-s: x86_64 (AWS default) or arm64."),
    reuse: Reuse = typer.Option(
        Reuse.mru, "--reuse", case_sensitive=False,
        help="Which idle environment a request takes: mru (most recently used) or lru. MODEL ASSUMPTION: "
             "AWS does not say; mru lets spare environments age out after a burst."),
    compare: bool = typer.Option(True, "--compare/--no-compare",
                                 help="Also replay the first 20,000 requests on-demand, provisioned and "
                                      "SnapStart, with costs."),
    seed: int = seed_option(),
    as_json: bool = json_option(),
    animate: bool = animate_option(),
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
      SnapStart (Java 11+, Python 3.12+, .NET 8+; not with provisioned concurrency):
        https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html
      memory 128-10,240 MB (default 128): https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
      prices (us-east-1, as of 2026-11; provisioned rates transcribed, medium confidence):
        https://aws.amazon.com/lambda/pricing/

    \b
    Model assumptions: keep-alive 600 s; most-recently-used reuse; init and restore times by
    runtime; the whole restore billed like init; SnapStart caching/restore charges (Python, .NET)
    and the free tier left out; no timeout, no maintenance recycling.

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

    def build(progress):
        from lambda_prep.sims import cold_start as model

        params = model.Params(
            arrival_rate=arrival_rate, requests=requests, pattern=pattern.value, burst_size=burst_size,
            burst_every_s=burst_every_s, burst_at_s=burst_at_s, duration_ms=duration_ms,
            duration_dist=duration_dist.value, runtime=runtime.value, init_ms=init_ms, restore_ms=restore_ms,
            keep_alive_s=keep_alive_s, provisioned=provisioned, snapstart=snapstart,
            concurrency_limit=concurrency_limit, memory_mb=memory_mb, architecture=architecture.value,
            reuse=reuse.value, compare=compare)
        return model.run(params, seed, progress)

    steps = requests + (3 * min(requests, 20_000) if compare else 0)
    simulate(ctx, "cold-start", build, "cold_start", as_json=as_json, animate=animate,
             total_steps=steps if requests >= PROGRESS_FROM else 0)
