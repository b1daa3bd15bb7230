from __future__ import annotations


import typer

from lambda_prep.cli_simulate._shared import (
    Animate, Architecture, ArchitectureOption, AsJson, DEFAULT_SEED, MemoryMb, RequestsPerMonth, Seed, app,
    simulate,
)



@app.command("pricing")
def pricing(
    ctx: typer.Context,
    requests_per_month: RequestsPerMonth = 3_000_000,
    duration_ms: float = typer.Option(100.0, "--duration-ms", help="Duration of one invocation, ms (demo value)."),
    memory_mb: MemoryMb = 512,
    architecture: ArchitectureOption = Architecture.x86_64,
    free_tier: bool = typer.Option(True, "--free-tier/--no-free-tier", help="Apply the always-free monthly tier."),
    cpu_bound: float = typer.Option(1.0, "--cpu-bound",
                                    help="Share of the duration spent computing (0-1); the rest is waiting."),
    fargate_vcpu: float = typer.Option(0.25, "--fargate-vcpu", help="Fargate task vCPU (0.25, 0.5, 1, 2, 4, 8, 16)."),
    fargate_gb: float = typer.Option(0.5, "--fargate-gb", help="Fargate task memory, GB."),
    fargate_rps_per_task: float = typer.Option(0.0, "--fargate-rps-per-task",
                                               help="Requests/s one task serves (0: one task is always enough)."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
) -> None:
    """Monthly cost, a memory sweep like Lambda Power Tuning, the break-even with Fargate.

    The month's bill (requests, duration, memory, x86_64 vs arm64) with
    and without the free tier; the same work at each memory size, with
    the cheapest and the fastest; and, as requests per second grow, where
    an always-on Fargate task becomes cheaper, drawn as a chart.

    \b
    Lambda prices as of 2026-11 (US East, on demand):
      https://aws.amazon.com/lambda/pricing/
      $0.20 per 1M requests; $0.0000166667 per GB-s x86_64;
      $0.0000133334 per GB-s arm64 (confidence M); 1-ms billing;
      free tier 1M requests + 400,000 GB-s a month, always free.
    Memory and CPU (1,769 MB = 1 vCPU):
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
    Fargate, from SECONDARY sources (not the AWS page), 730-hour month:
      x86 $0.04048/vCPU-h + $0.004445/GB-h; arm64 $0.03238 + $0.00356
      https://www.vantage.sh/blog/fargate-pricing
      https://www.wring.co/blog/aws-fargate-pricing-guide

    \b
    Model assumptions: the CPU-bound share of the duration scales with
    memory up to one vCPU, and single-threaded code gains nothing beyond;
    one Fargate task serves any load unless --fargate-rps-per-task is
    set; the free tier is this function's alone. EC2 is not modelled (no
    AWS-sourced price). Workload defaults are a demo, not AWS values.
    No randomness: --seed changes nothing.

    \b
    Examples:
      lambda-prep simulate pricing
      lambda-prep simulate pricing --requests-per-month 50000000 --architecture arm64
      lambda-prep simulate pricing --memory-mb 1024 --duration-ms 200
      lambda-prep simulate pricing --cpu-bound 0.3 --no-free-tier
      lambda-prep simulate pricing --fargate-vcpu 1 --fargate-gb 2
    """
    simulate(ctx, "pricing")
