"""`lambda-prep simulate managed-instances`: options only; the model and view load inside the command."""

from __future__ import annotations

from typing import Optional

import typer

from lambda_prep.cli_simulate._shared import (
    DEFAULT_SEED, Architecture, ArchitectureOption, ArrivalRate, AsJson, DurationMs, MemoryMb, Seed, app, choice,
    simulate,
)
from lambda_prep.sims import choices as C


Runtime = choice("Runtime", C.MANAGED_INSTANCES_RUNTIMES)


@app.command("managed-instances")
def managed_instances(
    ctx: typer.Context,
    runtime: Runtime = typer.Option(
        Runtime.nodejs, "--runtime", case_sensitive=False,
        help="nodejs (64 requests per vCPU by default), java or dotnet (32), python (16, one process each)."),
    arrival_rate: ArrivalRate = 200.0,
    duration_ms: DurationMs = 200.0,
    cpu_ms: float = typer.Option(20.0, "--cpu-ms", help="CPU time of one request, ms (the rest waits on I/O). "
                                                        "Demo value."),
    vcpus: int = typer.Option(2, "--vcpus", help="vCPUs per execution environment, 1-64. Demo value."),
    memory_per_vcpu_gib: float = typer.Option(
        2.0, "--memory-per-vcpu-gib", help="ExecutionEnvironmentMemoryGiBPerVCpu, 2.0-8.0."),
    max_concurrency: Optional[int] = typer.Option(
        None, "--max-concurrency", show_default=False,
        help="PerExecutionEnvironmentMaxConcurrency, 1-1,600. Default: the runtime's per-vCPU default x vCPUs."),
    base_memory_mb: float = typer.Option(
        300.0, "--base-memory-mb", help="Runtime + your init, MB, once per process (Python: per request). Demo value."),
    request_memory_mb: float = typer.Option(10.0, "--request-memory-mb",
                                            help="Working memory of one request in flight, MB. Demo value."),
    target_utilization: float = typer.Option(
        0.5, "--target-utilization", help="CPU share the fleet is kept at, 0.05-1. Model assumption."),
    surge: float = typer.Option(3.0, "--surge", help="A step in traffic, as a multiple of --arrival-rate, 1-100."),
    memory_mb: MemoryMb = 512,
    architecture: ArchitectureOption = Architecture.x86_64,
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
) -> None:
    """Watch Lambda Managed Instances share environments: memory, shared state, scaling, cost.

    One multi-concurrent environment (how many requests fit, what limits it), the fleet the traffic needs, the chance another request gets between a write and a read of shared state, a surge while capacity scales in the background, and the monthly cost against a default Lambda function of --memory-mb (as the EC2 price at which the two break even).

    \b
    AWS sources:
      many requests per environment; Python runs a process per request, /tmp is shared:
        https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-runtimes.html
      defaults per vCPU: Node.js 64, Java 32, .NET 32, Python 16:
        https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html
        https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-java-runtime.html
        https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-dotnet-runtime.html
        https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-python-runtime.html
      PerExecutionEnvironmentMaxConcurrency 1-1,600; 2.0-8.0 GiB per vCPU:
        https://docs.aws.amazon.com/lambda/latest/api/API_LambdaManagedInstancesCapacityProviderConfig.html
      scaling on CPU, no cold starts, three instances to start, doubling within 5 min may throttle:
        https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-scaling.html
      EC2 price + 15% management fee + $0.20 per million requests (as transcribed; confidence M):
        https://aws.amazon.com/lambda/pricing/

    Model assumptions: Poisson traffic spread evenly; the scaler's target utilisation; capacity at most doubles per 5 minutes after a surge; cost counted per vCPU-hour of environments.

    \b
    Examples:
      lambda-prep simulate managed-instances
      lambda-prep simulate managed-instances --runtime python
      lambda-prep simulate managed-instances --runtime java --max-concurrency 8
      lambda-prep simulate managed-instances --arrival-rate 20 --surge 5
    """
    simulate(ctx, "managed-instances")
