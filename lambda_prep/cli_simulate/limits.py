from __future__ import annotations

import typer

from lambda_prep.cli_simulate._shared import (
    Animate, AsJson, DEFAULT_SEED, MemoryMb, Seed, app, choice, simulate,
)
from lambda_prep.sims import choices as C


Invocation = choice("Invocation", C.INVOCATIONS)


@app.command("limits")
def limits(
    ctx: typer.Context,
    job_minutes: float = typer.Option(20.0, "--job-minutes",
                                      help="CPU work in the job, in minutes on one full vCPU (demo value)."),
    memory_mb: MemoryMb = 128,
    timeout_s: int = typer.Option(900, "--timeout-s",
                                  help="Function timeout, 1-900 s (the maximum; AWS's default is 3 s)."),
    threads: int = typer.Option(1, "--threads", help="Threads the job keeps busy (1: single-threaded)."),
    payload_kb: float = typer.Option(300.0, "--payload-kb", help="Size of the invocation payload, KB (demo value)."),
    invocation: Invocation = typer.Option(Invocation.sync, "--invocation",
                                          help="sync (RequestResponse, the Invoke default) or async (Event)."),
    tmp_mb: int = typer.Option(512, "--tmp-mb", help="Ephemeral storage /tmp, 512-10,240 MB (AWS default 512)."),
    scratch_mb: float = typer.Option(1024.0, "--scratch-mb", help="Scratch data the job writes to /tmp, MB (demo)."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
) -> None:
    """A workload meets Lambda's quotas: timeout, payload, /tmp, memory and CPU.

    A CPU-bound job is stopped at the timeout (and billed for all of it),
    with a plan to split it (Step Functions Map, SQS fan-out); the payload
    is checked against 6 MB sync and 1 MB async (not 256 KB any more); the
    scratch files against /tmp; and the same job runs at each memory size
    (memory buys CPU) to show how duration and cost change.

    \b
    AWS values and sources:
      timeout 1-900 s (default 3 s)
        https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
      memory 128-10,240 MB (default 128); 1,769 MB = 1 vCPU; 6 vCPUs max
        https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
      payload 6 MB sync, 1 MB async (256 KB: deprecated InvokeAsync only)
        https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
        https://docs.aws.amazon.com/lambda/latest/api/API_InvokeAsync.html
      /tmp 512-10,240 MB (default 512)
        https://docs.aws.amazon.com/lambda/latest/api/API_EphemeralStorage.html
      all quotas
        https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
      prices (x86_64, first tier)  https://aws.amazon.com/lambda/pricing/

    \b
    Model assumptions: speed = min(threads, memory / 1,769) vCPUs, so
    single-threaded code gains nothing past one vCPU; a split keeps 20%
    headroom under the timeout; the /tmp price above 512 MB is a
    transcription (confidence M). The timeout default is the 900 s
    maximum, not AWS's 3 s default. The job and payload defaults are a
    demo. No randomness: --seed changes nothing.

    \b
    Examples:
      lambda-prep simulate limits
      lambda-prep simulate limits --job-minutes 10 --memory-mb 1769
      lambda-prep simulate limits --job-minutes 30 --threads 4 --memory-mb 7076
      lambda-prep simulate limits --payload-kb 2048 --invocation async
    """
    simulate(ctx, "limits")
