"""`lambda-prep simulate lifecycle`: options only; the model and view load inside the command."""

from __future__ import annotations

from typing import Optional

import typer

from lambda_prep.cli_simulate._shared import (
    DEFAULT_SEED, Architecture, ArchitectureOption, AsJson, DurationMs, InitMs, KeepAliveS, MemoryMb, Requests,
    Seed, TimeoutS, app, only_for, choice, simulate,
)
from lambda_prep.sims import choices as C


Extension = choice("Extension", C.EXTENSIONS)


Runtime = choice("Runtime", C.RUNTIMES)


@app.command("lifecycle")
def lifecycle(
    ctx: typer.Context,
    requests: Requests = 6,
    gap_s: float = typer.Option(60.0, "--gap-s", help="Seconds between requests. Demo value."),
    init_ms: InitMs = 450.0,
    duration_ms: DurationMs = 120.0,
    extension: Extension = typer.Option(
        Extension.external, "--extension", case_sensitive=False,
        help="Extensions registered: none, internal (in the runtime process) or external (own process). "
             "Sets the Shutdown limit: 0, 500 or 2,000 ms."),
    extension_init_ms: float = typer.Option(80.0, "--extension-init-ms",
                                            help="Extension start-up during INIT, ms. Demo value."),
    extension_post_ms: float = typer.Option(
        40.0, "--extension-post-ms",
        help="Extension work after the response (flushing telemetry), ms: billed, but the caller does not wait. "
             "Demo value."),
    background_ms: float = typer.Option(
        300.0, "--background-ms", help="Work the handler starts and does not await, ms (0 = none). Demo value."),
    memory_mb: MemoryMb = 512,
    architecture: ArchitectureOption = Architecture.x86_64,
    timeout_s: TimeoutS = 3.0,
    timeout_at: Optional[int] = typer.Option(
        None, "--timeout-at", show_default=False,
        help="Number of a request whose handler runs past the timeout (the environment is reset). Default: none."),
    keep_alive_s: KeepAliveS = 600.0,
    connection_idle_timeout_s: float = typer.Option(
        100.0, "--connection-idle-timeout-s",
        help="The far end (a database, a NAT) drops a connection idle this long. Model assumption."),
    runtime: Runtime = typer.Option(Runtime.python, "--runtime", case_sensitive=False,
                                    help="Runtime; SnapStart here needs java, python or dotnet (managed runtimes)."),
    snapstart: bool = typer.Option(False, "--snapstart/--no-snapstart",
                                   help="Restore from a snapshot instead of INIT (AWS default off)."),
    restore_ms: float = typer.Option(180.0, "--restore-ms",
                                     help="SnapStart Restore Duration, ms. Illustrative, not an AWS figure."),
    billed_restore_ms: float = typer.Option(
        60.0, "--billed-restore-ms",
        help="SnapStart Billed Restore Duration (runtime load + after-restore hooks), ms; the snapshot restore "
             "itself is not charged. Illustrative."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
) -> None:
    """Watch one execution environment live: INIT, INVOKE, frozen gaps, SHUTDOWN, and the bill.

    Each request's start (cold, warm, SnapStart restore, re-init after a timeout), what it finds (a global counter, a /tmp cache, a connection the far end may have closed), background work that only runs while the environment is thawed, and the billed duration worked out as AWS bills it. Deterministic: --seed changes nothing.

    \b
    AWS sources:
      phases, freezing, what survives, shutdown limits 0 / 500 / 2,000 ms, INIT limit 10 s:
        https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
      INIT billed for every configuration since 1 Aug 2025:
        https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/
      extensions' time is billed in 1 ms increments:
        https://docs.aws.amazon.com/lambda/latest/dg/lambda-extensions.html
      SnapStart Restore Duration and Billed Restore Duration:
        https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html
      timeout 1-900 s, default 3 s:
        https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html

    Model assumptions: requests evenly spaced to one environment; reclaimed after --keep-alive-s idle (AWS documents no figure); background work runs only during INVOKE phases.

    \b
    Examples:
      lambda-prep simulate lifecycle
      lambda-prep simulate lifecycle --extension none --background-ms 500
      lambda-prep simulate lifecycle --gap-s 300 --connection-idle-timeout-s 120
      lambda-prep simulate lifecycle --timeout-at 3
      lambda-prep simulate lifecycle --runtime java --snapstart
    """
    ext = {e: f"--extension {e}" for e in ("none", "internal", "external")}
    only_for(ctx, ext[extension.value], {"extension_init_ms": (ext["internal"], ext["external"]),
                                         "extension_post_ms": (ext["internal"], ext["external"])})
    snap = "--snapstart" if snapstart else "--no-snapstart"
    only_for(ctx, snap, {"restore_ms": ("--snapstart",), "billed_restore_ms": ("--snapstart",)})
    simulate(ctx, "lifecycle")
