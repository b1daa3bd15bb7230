"""The rds-proxy picture: database connections against max_connections, without and with RDS Proxy."""

from __future__ import annotations

from lambda_prep.views.sims.cold_start import resample, sparkline
from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import interview_footer

FOOTER = (
    "Without a proxy each environment keeps its own connection, so connections follow environments "
    "ALIVE (busy + idle), not concurrency, and a burst of new environments exhausts max_connections: "
    "'too many connections' errors.",
    "RDS Proxy pools connections: an invocation borrows one per transaction, the database sees at most "
    "MaxConnectionsPercent of max_connections, and a burst waits (up to ConnectionBorrowTimeout, "
    "120 s) instead of failing.",
    "Also: open the connection in init and reuse it, cap the function with reserved concurrency, "
    "and avoid session pinning.",
)

WIDTH = 60


def _chart(title: str, samples: list, rows: list[tuple[str, int, str]], top: int, limit_label: str,
           reveal: float = 1.0):
    from rich.text import Text

    shown = max(1, round(WIDTH * reveal))
    text = Text(f"{title}\n", style="bold")
    for label, column, style in rows:
        how = "sum" if label.startswith("errors") else "max"
        values = resample(samples, WIDTH, column, how=how)
        scale = max(values) if how == "sum" and values else top
        text.append(f"{label:>18} ", style="dim")
        peak = max(values) if values else 0
        text.append(sparkline(values[:shown], scale or 1), style=style)
        text.append(" " * (WIDTH - min(shown, len(values))))
        text.append(f"  {'total' if how == 'sum' else 'peak'} {sum(values) if how == 'sum' else peak:,}\n",
                    style="dim")
    text.append(f"{'':>18} scale 0..{top:,} = {limit_label}", style="dim")
    return text


def _charts(result, reveal: float = 1.0) -> list:
    direct, proxy = result.direct, result.proxy
    top = max(result.max_connections, direct.environments_peak, proxy.environments_peak)
    return [
        _chart(f"Without a proxy over {fmt.duration(direct.simulated_s)}: connections = environments alive",
               direct.samples, [("connections", 3, "cyan"), ("busy", 2, "green"), ("errors/slice", 5, "red")],
               top, f"max {top:,} (max_connections {result.max_connections:,})", reveal),
        _chart(f"With RDS Proxy over {fmt.duration(proxy.simulated_s)}: connections = invocations in a transaction",
               proxy.samples, [("environments", 1, "cyan"), ("db connections", 3, "green"),
                               ("waiting", 4, "yellow"), ("errors/slice", 5, "red")],
               top, f"max {top:,} (pool {result.pool_size:,})", reveal),
    ]


def _table(result):
    from rich import box
    from rich.table import Table

    d, p = result.direct, result.proxy
    table = Table(box=box.SIMPLE_HEAD, title="Same traffic, two ways", title_justify="left")
    table.add_column("", no_wrap=True)
    table.add_column("direct", justify="right")
    table.add_column("RDS Proxy", justify="right")
    table.add_row("errors", f"{d.errors:,} ({fmt.percent(d.error_ratio)})", f"{p.errors:,} ({fmt.percent(p.error_ratio)})")
    table.add_row("database connections avg / peak", f"{d.db_connections_avg:,.1f} / {d.db_connections_peak:,}",
                  f"{p.db_connections_avg:,.1f} / {p.db_connections_peak:,}")
    table.add_row("environments alive avg / peak", f"{d.environments_avg:,.1f} / {d.environments_peak:,}",
                  f"{p.environments_avg:,.1f} / {p.environments_peak:,}")
    table.add_row("environments busy avg / peak", f"{d.busy_avg:,.1f} / {d.busy_peak:,}",
                  f"{p.busy_avg:,.1f} / {p.busy_peak:,}")
    table.add_row("waited for a connection", "-",
                  f"{p.waited:,} ({fmt.percent(p.wait_ratio)}), p99 {fmt.ms(p.wait_ms['p99'])}")
    table.add_row("latency p50 / p99", f"{fmt.ms(d.latency_ms['p50'])} / {fmt.ms(d.latency_ms['p99'])}",
                  f"{fmt.ms(p.latency_ms['p50'])} / {fmt.ms(p.latency_ms['p99'])}")
    table.add_row("cold starts", f"{d.cold_starts:,}", f"{p.cold_starts:,}")
    return table


def _header(result) -> str:
    q = result.params
    traffic = (f"Poisson {q['arrival_rate']:g}/s" if q["pattern"] == "poisson" else
               f"{q['arrival_rate']:g}/s + bursts of {q['burst_size']:,} within 1 s every {q['burst_every_s']:g} s")
    return (f"{result.requests:,} requests, {traffic}; handler {q['duration_ms']:g} ms; max_connections "
            f"{result.max_connections:,} (example); proxy pool {result.pool_size:,} "
            f"({q['max_connections_percent']}%), borrow timeout {q['borrow_timeout_s']:g} s")


def render(result, width: int = 80) -> list:
    from rich.text import Text

    d = result.direct
    ratio = d.environments_avg / d.busy_avg if d.busy_avg else 0.0
    out = [Text(f"rds-proxy · {_header(result)}", style="bold")]
    out.extend(_charts(result))
    out.append(_table(result))
    if ratio:
        out.append(Text(f"Without a proxy the database held {d.db_connections_avg:,.1f} connections on average "
                        f"for {d.busy_avg:,.1f} busy invocations: {ratio:,.0f}x, the idle environments' "
                        "connections.", style="bold"))
    out.append(Text("Model assumptions: " + "; ".join(result.assumptions) + ".", style="dim"))
    out.append(interview_footer(FOOTER, explain_topic="networking-storage"))
    return out


def frames(result, width: int = 80) -> list:
    from rich.console import Group

    count = 30
    return [Group(*_charts(result, reveal=(i + 1) / count)) for i in range(count)]
