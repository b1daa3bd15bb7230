"""The pricing picture: the month's bill, the memory sweep, the Lambda vs Fargate break-even chart."""

from __future__ import annotations

import math

from rich.console import Group
from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import bar, interview_footer

_HEIGHT = 15






def _rps(value: float) -> str:
    return f"{value:g}" if value >= 1 else f"{value:.2g}"


def _bill_table(result) -> Table:
    p = result.params
    bills = [(f"{p.architecture}" + (", free tier" if p.free_tier else ""), result.bill)]
    if p.free_tier:
        bills.append((f"{p.architecture}, no free tier", result.bill_no_free_tier))
    bills.append((f"{result.other_arch.arch}" + (", free tier" if p.free_tier else ""), result.other_arch))
    table = Table(title=f"The month: {p.requests_per_month:,.0f} requests x {p.duration_ms:g} ms "
                        f"(billed {result.bill.billed_ms} ms) x {p.memory_mb:,} MB", title_justify="left")
    table.add_column("")
    for name, _ in bills:
        table.add_column(name, justify="right")
    rows = [
        ("requests", lambda b: f"{b.requests:,.0f}"),
        ("  free requests", lambda b: f"-{b.free_requests:,.0f}" if b.free_requests else "-"),
        ("  request charge ($0.20/1M)", lambda b: fmt.money(b.request_cost)),
        ("GB-seconds", lambda b: f"{b.gb_seconds:,.1f}"),
        ("  free GB-s", lambda b: f"-{b.free_gb_seconds:,.1f}" if b.free_gb_seconds else "-"),
        ("  duration charge", lambda b: fmt.money(b.duration_cost)),
    ]
    for label, fn in rows:
        table.add_row(label, *[fn(b) for _, b in bills])
    table.add_row(Text("total / month", style="bold"), *[Text(fmt.money(b.total), style="bold") for _, b in bills])
    return table


def _sweep_table(result) -> Table:
    table = Table(title="Memory sweep (like Lambda Power Tuning): the same work at each memory size",
                  title_justify="left")
    table.add_column("memory MB", justify="right")
    table.add_column("duration", justify="right")
    table.add_column("$ per 1M", justify="right")
    table.add_column("cost", no_wrap=True)
    table.add_column("")
    top = max(r.cost_per_million for r in result.sweep)
    for r in result.sweep:
        marks = []
        if r.cheapest:
            marks.append(Text("cheapest", style="bold green"))
        if r.fastest:
            marks.append(Text("fastest", style="bold cyan"))
        if r.chosen:
            marks.append(Text("◀ yours", style="bold"))
        table.add_row(f"{r.memory_mb:,}", f"{r.duration_ms:,.1f} ms", f"${r.cost_per_million:,.4f}",
                      bar(r.cost_per_million / top, 24), Text(" ").join(marks))
    return table


def _chart(result, columns: int | None = None) -> Group:
    p = result.params
    points = result.chart
    n = len(points) if columns is None else columns
    values = [v for pt in points for v in (pt["lambda_usd"], pt["fargate_usd"])]
    lo = math.floor(math.log10(min(values)))
    hi = math.ceil(math.log10(max(values)))
    if hi == lo:
        hi += 1

    def row_of(value: float) -> int:
        return round((math.log10(value) - lo) / (hi - lo) * (_HEIGHT - 1))

    grid = [[(" ", "")] * len(points) for _ in range(_HEIGHT)]
    main = result.break_even[0]
    be_col = None
    if main.rps is not None:
        be_col = min(range(len(points)), key=lambda i: abs(math.log10(points[i]["rps"]) - math.log10(main.rps)))
        for r in range(_HEIGHT):
            grid[r][be_col] = ("│", "dim")
    for i, pt in enumerate(points[:n]):
        rl, rf = row_of(pt["lambda_usd"]), row_of(pt["fargate_usd"])
        grid[rf][i] = ("F", "magenta")
        grid[rl][i] = ("*", "bold") if rl == rf else ("L", "cyan")

    labels = {round((d - lo) / (hi - lo) * (_HEIGHT - 1)): fmt.money(10.0 ** d, short=True) for d in range(lo, hi + 1)}
    width = max(len(v) for v in labels.values()) + 1
    lines = [Text(f"$ per month (log) vs requests per second (log); L = Lambda ({p.architecture}, {p.memory_mb:,} MB, "
                  f"{p.duration_ms:g} ms), F = Fargate {p.fargate_vcpu:g} vCPU / {p.fargate_gb:g} GB, "
                  "* = both", style="bold")]
    for r in range(_HEIGHT - 1, -1, -1):
        line = Text(labels.get(r, "").rjust(width) + " ┤" if r in labels else " " * width + " │")
        for char, style in grid[r]:
            line.append(char, style=style)
        lines.append(line)
    lines.append(Text(" " * width + " └" + "─" * len(points)))
    axis = [" "] * (len(points) + 8)
    decade_lo = math.log10(points[0]["rps"])
    decade_hi = math.log10(points[-1]["rps"])
    for d in range(math.ceil(decade_lo), math.floor(decade_hi) + 1):
        col = round((d - decade_lo) / (decade_hi - decade_lo) * (len(points) - 1))
        for k, ch in enumerate(_rps(10.0 ** d)):
            if col + k < len(axis):
                axis[col + k] = ch
    lines.append(Text(" " * (width + 2) + "".join(axis).rstrip() + "  req/s"))
    if main.rps is not None:
        lines.append(Text(" " * (width + 2 + (be_col or 0)) + f"^ break-even {main.rps:.2f} req/s", style="bold"))
    else:
        lines.append(Text("No break-even: a fully loaded Fargate task costs more per request than Lambda here.",
                          style="bold"))
    return Group(*lines)


def _break_even_table(result) -> Table:
    table = Table(title="Break-even with Fargate (free tier ignored; Fargate prices from secondary sources)",
                  title_justify="left")
    table.add_column("Fargate task")
    table.add_column("$ / month", justify="right")
    table.add_column("one task serves")
    table.add_column("Lambda $ / request", justify="right")
    table.add_column("break-even", justify="right")
    table.add_column("= requests / month", justify="right")
    for b in result.break_even:
        capacity = f"{b.rps_per_task:g} req/s (assumed)" if b.rps_per_task else "any load (F10)"
        table.add_row(f"{b.vcpu:g} vCPU / {b.gb:g} GB", fmt.money(b.fargate_monthly), capacity, f"{result.per_request:.4e}",
                      "never" if b.rps is None else f"{b.rps:.2f} req/s",
                      "-" if b.rps is None else f"{b.requests_per_month / 1e6:,.2f} M")
    return table


def render(result, width: int = 80) -> list:
    p = result.params
    cheapest = next(r for r in result.sweep if r.cheapest)
    fastest = next(r for r in result.sweep if r.fastest)
    main = result.break_even[0]
    out: list = [
        Text("pricing: what a month of Lambda costs, which memory size to pick, and when Fargate wins",
             style="bold"),
        _bill_table(result),
        _sweep_table(result),
        Text(f"Cheapest: {cheapest.memory_mb:,} MB (${cheapest.cost_per_million:,.4f} per 1M, "
             f"{cheapest.duration_ms:,.1f} ms). Fastest: {fastest.memory_mb:,} MB ({fastest.duration_ms:,.1f} ms, "
             f"${fastest.cost_per_million:,.4f} per 1M). CPU-bound share of the duration: {p.cpu_bound:.0%}.",
             style="bold"),
        _break_even_table(result),
        _chart(result),
        Text("\n".join("• " + n for n in result.notes), style="dim"),
    ]
    crossing = (f"here about {main.rps:.1f} req/s against a {main.vcpu:g} vCPU task" if main.rps is not None
                else "here a loaded task never gets cheaper per request")
    out.append(interview_footer([
        "Lambda bills $0.20 per million requests plus GB-seconds at 1-ms granularity; 1M requests and "
        "400,000 GB-s a month are always free; arm64 is about 20% cheaper per GB-s.",
        "Memory also buys CPU (1,769 MB = 1 vCPU): for CPU-bound code more memory can cost the same and run "
        "faster; measure it with Lambda Power Tuning instead of guessing.",
        f"Lambda wins at low or spiky traffic; at steady load an always-on container wins past a break-even "
        f"rate ({crossing}).",
    ], explain_topic="pricing-performance"))
    return out


def frames(result, width: int = 80) -> list:
    """The two cost lines drawn left to right."""
    total = len(result.chart)
    return [_chart(result, columns=k) for k in range(1, total + 1, 2)]
