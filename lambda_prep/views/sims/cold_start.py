"""The cold-start picture: an environment timeline, the numbers, alive vs busy, and the comparison.

Also the drawing helpers the concurrency and rds-proxy pictures reuse (timeline panel, sparklines,
number formats): they share the environment pool, so they share its pictures.
"""

from __future__ import annotations

import math

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import interview_footer

SPARK = "▁▂▃▄▅▆▇█"


# --- shared helpers -----------------------------------------------------------------------------









def sparkline(values, top: float | None = None) -> str:
    """One character per value, scaled to `top` (default: the largest value)."""
    values = list(values)
    if not values:
        return ""
    top = max(values) if top is None else top
    if top <= 0:
        return SPARK[0] * len(values)
    return "".join(" " if v <= 0 else SPARK[min(len(SPARK) - 1, int(v / top * (len(SPARK) - 1) + 0.5))]
                   for v in values)


def resample(samples: list, width: int, column: int, how: str = "max") -> list[float]:
    """Squeeze per-sample values (samples[i][column]) into `width` buckets (max or sum)."""
    if not samples:
        return []
    if len(samples) <= width:
        return [s[column] for s in samples]
    out = []
    for i in range(width):
        chunk = samples[i * len(samples) // width:(i + 1) * len(samples) // width] or [samples[-1]]
        values = [s[column] for s in chunk]
        out.append(max(values) if how == "max" else sum(values))
    return out


def timeline_panel(timeline: list, end_s: float, *, title: str, width: int = 64, max_rows: int = 16,
                   reveal: float = 1.0):
    """The environments of the first seconds, one row each ('reveal' < 1 hides the later part)."""
    from rich.panel import Panel
    from rich.text import Text

    from lambda_prep.sims.pool import PoolStats, timeline_rows

    stats = PoolStats(timeline=timeline, timeline_end_s=end_s)
    rows, step = timeline_rows(stats, width, max_rows=max_rows)
    shown = max(0, min(width, math.ceil(width * reveal)))
    body = Text()
    if not rows:
        body.append("(no environment started in the window)")
    for label, row in rows:
        body.append(f"{label} ")
        for char in row[:shown]:
            style = {"▓": "yellow", "█": "green", "·": "dim"}.get(char)
            body.append(char, style=style)
        body.append(" " * (width - shown) + "\n")
    if len(timeline) > max_rows:
        body.append(f"     … and {len(timeline) - max_rows:,} more environments started in the window\n",
                    style="dim")
    axis = f"0 s{' ' * (width - 3 - len(fmt.duration(end_s)))}{fmt.duration(end_s)}"
    body.append("     " + axis + "\n", style="dim")
    body.append("     ▓ init/restore (cold start)  █ handler  · alive, idle (warm)  P provisioned",
                style="dim")
    return Panel(body, title=f"{title}: the first {fmt.duration(end_s)}", title_align="left")


def environments_chart(samples: list, horizon_s: float, *, width: int = 60, cap: int | None = None,
                       alive_label: str = "alive", busy_label: str = "busy"):
    """Alive and busy environments over the run as two sparklines (same scale)."""
    from rich.text import Text

    if len(samples) < 2:
        return None
    alive = resample(samples, width, 1)
    busy = resample(samples, width, 2)
    top = max(max(alive), max(busy), 1)
    text = Text(f"Environments over {fmt.duration(horizon_s)} (each column: the peak in its slice; "
                f"scale 0..{top:,})\n", style="bold")
    text.append(f"{alive_label:>6} ", style="dim")
    text.append(sparkline(alive, top) + f"  peak {max(alive):,}\n", style="cyan")
    text.append(f"{busy_label:>6} ", style="dim")
    text.append(sparkline(busy, top) + f"  peak {max(busy):,}", style="green")
    if cap is not None:
        text.append(f"\n{'':>6} cap {cap:,}", style="dim")
    return text


# --- cold-start -----------------------------------------------------------------------------------

FOOTER = (
    "A cold start is a new execution environment: init runs before the handler (billed since "
    "1 Aug 2025). Steady traffic reuses warm environments, so cold starts come from scaling out "
    "and idle gaps: AWS says under 1% of invocations.",
    "Fixes: provisioned concurrency (pre-initialised, billed while configured), SnapStart (restore "
    "a snapshot; Java 11+, Python 3.12+, .NET 8+), smaller packages and lazy init.",
    "How long an idle environment lives is undocumented: design as if any request may be cold.",
)


def _header(result) -> str:
    p = result.params
    traffic = (f"Poisson {p['arrival_rate']:g}/s" if p["pattern"] == "poisson" else
               f"{p['arrival_rate']:g}/s + bursts of {p['burst_size']:,} within 1 s every {p['burst_every_s']:g} s")
    cold = (f"SnapStart restore {p['restore_ms']:g} ms" if p["snapstart"] else
            f"{p['runtime']} init {p['init_ms']:g} ms")
    extra = f", {p['provisioned']} provisioned" if p["provisioned"] else ""
    limit = (f"reserved concurrency {p['concurrency_limit']}" if p["concurrency_limit"] is not None
             else f"account limit {p['effective_limit']:,}")
    return (f"{result.requests:,} requests, {traffic}; handler {p['duration_ms']:g} ms "
            f"({p['duration_dist']}); {cold}; keep-alive {p['keep_alive_s']:g} s; "
            f"{p['reuse'].upper()} reuse; {limit}{extra}")


def _numbers(result):
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_header=True, title="Results", title_justify="left")
    table.add_column("measure", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("", style="dim")
    keep_alive = result.params["keep_alive_s"]
    table.add_row("requests / accepted", f"{result.requests:,} / {result.accepted:,}",
                  f"{fmt.duration(result.simulated_s)} simulated")
    table.add_row("cold starts", f"{result.cold_starts:,}", f"{fmt.percent(result.cold_start_ratio)} of accepted")
    by = result.throttled_by
    table.add_row("throttled (429)", f"{result.throttled:,} ({fmt.percent(result.throttled_ratio)})",
                  f"{by['concurrency_limit']:,} by the cap, {by['scaling_rate']:,} by the scaling rate, "
                  f"{by['rps_limit']:,} by the RPS limit")
    lat = result.latency_ms
    table.add_row("latency p50/p95/p99",
                  f"{fmt.ms(lat['p50'])} / {fmt.ms(lat['p95'])} / {fmt.ms(lat['p99'])}",
                  f"max {fmt.ms(lat['max'])}; init + handler, from 1-ms bins")
    ratio = result.avg_environments / result.avg_busy if result.avg_busy else 0.0
    table.add_row("environments alive", f"{result.avg_environments:,.2f} avg, {result.peak_environments:,} peak",
                  f"{ratio:,.1f}x the busy ones: idle but warm" if ratio else "")
    table.add_row("environments busy", f"{result.avg_busy:,.2f} avg, {result.peak_busy:,} peak",
                  "the concurrency: rate x mean time in service")
    table.add_row("started / reclaimed", f"{result.environments_started:,} / {result.environments_reclaimed:,}",
                  f"reclaimed after {keep_alive:g} s idle (assumed)")
    table.add_row("cost: run / month",
                  f"{fmt.money(result.cost['total_usd'])} / {fmt.money(result.cost['per_month_usd'])}",
                  "730-hour month at this traffic, free tier ignored")
    return table


def _comparison(result):
    from rich import box
    from rich.table import Table

    title = f"Same traffic, three ways (first {result.comparison_requests:,} requests)"
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    for name, justify in (("scenario", "left"), ("cold starts", "right"), ("p99", "right"),
                          ("max latency", "right"), ("$ / month", "right"), ("notes", "left")):
        table.add_column(name, justify=justify, no_wrap=name != "notes")
    for scenario in result.comparison:
        s = scenario.to_json()
        if not s["available"]:
            table.add_row(s["name"], "-", "-", "-", "-", s["note"])
            continue
        note = s["note"] + (f"; {s['cost']['note']}" if s["cost"]["note"] else "")
        table.add_row(s["name"], f"{s['cold_starts']:,} ({fmt.percent(s['cold_start_ratio'])})",
                      fmt.ms(s["latency_ms"]["p99"]), fmt.ms(s["latency_ms"]["max"]),
                      fmt.money(s["cost"]["per_month_usd"]), note)
    return table


def render(result, width: int = 80) -> list:
    from rich.text import Text

    out = [Text(f"cold-start · {_header(result)}", style="bold")]
    out.append(timeline_panel(result.timeline, result.timeline_end_s, title="Environment timeline"))
    out.append(_numbers(result))
    chart = environments_chart(result.samples, result.simulated_s)
    if chart is not None:
        out.append(chart)
    if result.comparison:
        out.append(_comparison(result))
    out.append(Text("Model assumptions: " + "; ".join(result.assumptions) + ".", style="dim"))
    out.append(interview_footer(FOOTER, explain_topic="cold-starts"))
    return out


def frames(result, width: int = 80) -> list:
    """The timeline drawn column by column (30 frames)."""
    count = 30
    return [timeline_panel(result.timeline, result.timeline_end_s, title="Environment timeline",
                           reveal=(i + 1) / count) for i in range(count)]
