"""The limits picture: the job against the timeout, memory buying CPU, payload and /tmp checks."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import bar, interview_footer

_WIDTH = 60




def _timeline(result, upto: float = 1.0) -> Group:
    """One bar: the work the job needs, cut where the timeout stops it."""
    p = result.params
    span = max(result.duration_s, p.timeout_s)
    cut = round(_WIDTH * min(result.duration_s, p.timeout_s) / span)
    shown = round(_WIDTH * upto)
    line = Text()
    for col in range(min(shown, _WIDTH)):
        if col < cut:
            line.append("█", style="green" if not result.timed_out else "yellow")
        elif result.timed_out:
            line.append("░", style="red")
        else:
            line.append("·", style="dim")
    timeout_col = round(_WIDTH * p.timeout_s / span)
    marker = Text(" " * max(0, timeout_col - 1) + f"^ timeout {p.timeout_s:,} s")
    if result.timed_out:
        verdict = Text(f"Stopped at {p.timeout_s:,} s (Task timed out): {result.completed_fraction:.0%} of the work "
                       f"done, {p.timeout_s:,} s billed, the rest (░) never runs.", style="bold red")
    else:
        verdict = Text(f"Finishes in {fmt.duration(result.duration_s)}, before the {p.timeout_s:,} s timeout.",
                       style="bold green")
    title = Text(f"The job at {p.memory_mb:,} MB ({_vcpu(result):.2f} vCPU): "
                 f"{p.job_minutes:g} min of one-vCPU work takes {fmt.duration(result.duration_s)}", style="bold")
    return Group(title, line, marker, verdict)


def _vcpu(result) -> float:
    return next(r.vcpus for r in result.memory_table if r.chosen)


def render(result, width: int = 80) -> list:
    p = result.params
    out: list = [Text("limits: one workload against Lambda's quotas", style="bold"), _timeline(result)]

    table = Table(title="Memory buys CPU (1,769 MB = 1 vCPU): the same job at each memory size",
                  title_justify="left")
    table.add_column("memory MB", justify="right")
    table.add_column("vCPU", justify="right")
    table.add_column("duration", justify="right")
    table.add_column("", no_wrap=True)
    table.add_column("one attempt", justify="right")
    table.add_column("whole job", justify="right")
    table.add_column("chunks", justify="right")
    longest = max(r.duration_s for r in result.memory_table)
    for r in result.memory_table:
        style = "bold" if r.chosen else ""
        status = Text("times out" if r.killed else "fits", style="red" if r.killed else "green")
        table.add_row(Text(f"{r.memory_mb:,}" + (" ◀" if r.chosen else ""), style=style), f"{r.vcpus:.2f}",
                      fmt.duration(r.duration_s), Text(bar(r.duration_s / longest, 20)) + Text(" ") + status,
                      f"${r.cost:.4f}", f"${r.job_cost:.4f}", str(r.chunks))
    out.append(table)
    out.append(Text("One attempt: billed up to the timeout. Whole job: the full work, split into chunks under the "
                    "timeout when needed. Below 1,769 MB a CPU-bound job costs about the same at any memory (more "
                    "memory, proportionally shorter run); above it, single-threaded code only gets dearer.",
                    style="dim"))

    fix = Text("Timeout: ", style="bold")
    fix.append(result.fix, style="green" if not result.timed_out else "yellow")
    out.append(fix)
    if result.split_options:
        out.append(Text("\n".join("  • " + o for o in result.split_options)))

    payload = Table(title=f"Payload: {p.payload_kb:,g} KB, invoked {p.invocation}", title_justify="left")
    payload.add_column("invocation")
    payload.add_column("limit", justify="right")
    payload.add_column("this payload")
    payload.add_column("note")
    for r in result.payload:
        payload.add_row(Text(r.invocation + (" ◀" if r.chosen else ""), style="bold" if r.chosen else ""),
                        f"{r.limit_kb:,g} KB",
                        Text("accepted" if r.accepted else "too large", style="green" if r.accepted else "red"),
                        r.note)
    out.append(payload)
    out.append(Text(("Payload: " + result.payload_fix), style="green" if result.payload_accepted else "bold red"))

    tmp = Text(f"/tmp: the job writes {p.scratch_mb:,g} MB into {p.tmp_mb:,} MB of ephemeral storage "
               f"(512-10,240 MB): ", style="bold")
    tmp.append(result.tmp_fix, style="green" if result.tmp_ok else "bold red")
    out.append(tmp)
    out.append(Text("\n".join("Assumption: " + a for a in result.assumptions), style="dim"))
    out.append(interview_footer([
        "Hard limits: 15-minute timeout (a longer job is stopped and billed for the full 900 s), 6 MB sync "
        "and 1 MB async payloads (not 256 KB any more), /tmp 512 MB to 10 GB.",
        "Memory is also the CPU dial: 1,769 MB is one vCPU, up to 6 vCPUs at 10,240 MB; for CPU-bound code "
        "more memory often costs about the same and runs faster.",
        "Past 15 minutes: split the work (Step Functions Map, SQS fan-out), checkpoint it, or move it to "
        "Fargate/Batch; pass big payloads through S3.",
    ], explain_topic="limits"))
    return out


def frames(result, width: int = 80) -> list:
    """The job's bar growing until the timeout cuts it."""
    steps = 30
    return [_timeline(result, upto=(i + 1) / steps) for i in range(steps)]
