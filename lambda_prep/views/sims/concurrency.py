"""The concurrency picture: the limits, concurrency against its cap over time, throttles, the SQS trap."""

from __future__ import annotations

from lambda_prep.views.sims.cold_start import resample, sparkline
from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import bar, interview_footer

FOOTER = (
    "Concurrency = requests per second x duration. The account has 1,000 per Region by default, shared "
    "by all functions; reserved concurrency both guarantees and caps one function, and 100 must stay "
    "unreserved.",
    "Each function scales by 1,000 environments every 10 s, and serves at most 10 requests per second per "
    "unit of concurrency; past the cap, the scaling rate or the RPS limit, a sync caller gets 429 (Lambda "
    "does not retry it; the caller's SDK may) while async events are queued and retried.",
    "With SQS, set maximum concurrency on the event source mapping, not only reserved concurrency: "
    "otherwise throttled batches burn receive counts and good messages reach the DLQ.",
)

WIDTH = 60


def _limits(result):
    from rich.panel import Panel
    from rich.text import Text

    p = result.params
    account = p["account_limit"]
    reserved = p["concurrency_limit"]
    text = Text()
    text.append(f"account limit    {account:>9,}  per Region, all functions (AWS default 1,000)\n")
    if reserved is None:
        text.append("reserved         {:>9}  the function shares the unreserved pool\n".format("none"))
    else:
        text.append(f"reserved         {reserved:>9,}  guaranteed to this function, and its cap\n")
        text.append(f"left unreserved  {account - reserved:>9,}  for all other functions (100 at least)\n")
    text.append(f"function cap     {result.limit:>9,}  busy environments at once\n")
    text.append("scaling rate         1,000  new environments at once, then +100/s (per function)")
    return Panel(text, title="Limits", title_align="left", expand=False)


def _chart(result, reveal: float = 1.0):
    from rich.text import Text

    samples = result.samples
    shown = max(1, round(WIDTH * reveal))
    busy = resample(samples, WIDTH, 2)
    throttled = resample(samples, WIDTH, 4, how="sum")
    tokens = resample(samples, WIDTH, 6, how="max")
    top = max([result.limit] + busy) if busy else result.limit
    text = Text(f"Over {fmt.duration(result.simulated_s)} (columns are slices of the run; concurrency scale 0..{top:,}, "
                f"cap {result.limit:,})\n", style="bold")
    rows = 6
    for level in range(rows, 0, -1):
        threshold = top * (level - 0.5) / rows
        cap_row = abs(result.limit - top * level / rows) < top / rows / 2
        line = ""
        for i, value in enumerate(busy[:shown]):
            line += "█" if value >= threshold else ("─" if cap_row else " ")
        label = f"{top * level / rows:>9,.0f} "
        text.append(label, style="dim")
        text.append(line + "\n", style="green")
    text.append(f"{'throttled':>9} ", style="dim")
    text.append(sparkline(throttled[:shown], max(throttled) if throttled else 1) +
                f"  {result.throttled:,} in all\n", style="red")
    text.append(f"{'tokens':>9} ", style="dim")
    text.append(sparkline(tokens[:shown], 1000) + "  scaling bucket, 0..1,000", style="cyan")
    return text


def _numbers(result):
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, title="Synchronous traffic", title_justify="left")
    table.add_column("measure", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("", style="dim")
    p = result.params
    table.add_row("requests", f"{result.requests:,}",
                  f"Poisson {p['arrival_rate']:,g}/s, handler {p['duration_ms']:,g} ms ({p['duration_dist']})")
    table.add_row("offered load", f"{result.offered_load:,.0f}", "rate x duration: the concurrency it needs")
    table.add_row("throttled (429)", f"{result.throttled:,} ({fmt.percent(result.throttled_ratio)})",
                  f"{result.throttled_by['concurrency_limit']:,} by the cap, "
                  f"{result.throttled_by['scaling_rate']:,} by the scaling rate, "
                  f"{result.throttled_by['rps_limit']:,} by the RPS limit (10 x the cap per second)")
    table.add_row("Erlang-B predicts", fmt.percent(result.erlang_b),
                  f"B({result.limit:,}, {result.offered_load:,.0f}): steady state, cold starts ignored")
    table.add_row("concurrency avg / peak", f"{result.avg_concurrency:,.1f} / {result.peak_concurrency:,}",
                  "busy environments")
    table.add_row("cold starts", f"{result.cold_starts:,}", f"init {p['init_ms']:g} ms (assumed)")
    table.add_row("latency p50 / p99", f"{fmt.ms(result.latency_ms['p50'])} / {fmt.ms(result.latency_ms['p99'])}",
                  "accepted requests")
    return table


def _sqs(result):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    trap, fix = result.sqs["trap"], result.sqs["fix"]
    p = result.params
    table = Table(box=box.SIMPLE_HEAD,
                  title=(f"SQS standard queue: {trap.messages:,} messages waiting, batches of {p['batch_size']}, "
                         f"reserved concurrency {p['effective_sqs_reserved']}, visibility timeout "
                         f"{p['visibility_timeout_s']:g} s, maxReceiveCount {p['max_receive_count']}"),
                  title_justify="left")
    table.add_column("", no_wrap=True)
    table.add_column("trap: no maximum concurrency", justify="right")
    table.add_column(f"fix: maximum concurrency {p['effective_max_concurrency']}", justify="right")
    table.add_row("good messages in the DLQ", f"{trap.dead_lettered:,} ({fmt.percent(trap.dead_letter_ratio)})",
                  f"{fix.dead_lettered:,} ({fmt.percent(fix.dead_letter_ratio)})")
    table.add_row("processed", f"{trap.processed:,}", f"{fix.processed:,}")
    table.add_row("throttled invokes", f"{trap.throttled_invokes:,}", f"{fix.throttled_invokes:,}")
    table.add_row("batches back to the queue", f"{trap.returned_batches:,}", f"{fix.returned_batches:,}")
    table.add_row("receives per message", f"{trap.mean_receives:.2f}", f"{fix.mean_receives:.2f}")
    table.add_row("peak batches in flight", f"{trap.peak_batches_in_flight:,}", f"{fix.peak_batches_in_flight:,}")
    table.add_row("queue drained after", fmt.duration(trap.drain_s), fmt.duration(fix.drain_s))
    out = [table]
    text = Text("Receives a processed message needed (trap):\n", style="bold")
    total = max(1, trap.processed)
    for count, n in trap.receive_counts.items():
        text.append(f"  {count:>3} ", style="dim")
        text.append(bar(n / total, 30), style="yellow")
        text.append(f" {n:,}\n")
    if trap.dead_lettered:
        text.append("  DLQ ", style="dim")
        text.append(bar(trap.dead_lettered / trap.messages, 30), style="red")
        text.append(f" {trap.dead_lettered:,} never processed\n")
    for stats, label in ((trap, "trap"), (fix, "fix")):
        visible = resample(stats.samples, WIDTH, 1)
        text.append(f"  queue, {label:<4} ", style="dim")
        text.append(sparkline(visible, trap.messages) + "\n", style="cyan")
    out.append(text)
    return out


def _header(result) -> str:
    p = result.params
    reserved = "none" if p["concurrency_limit"] is None else f"{p['concurrency_limit']:,}"
    return (f"{result.requests:,} sync requests at {p['arrival_rate']:,g}/s x {p['duration_ms']:,g} ms; "
            f"account limit {p['account_limit']:,}; reserved {reserved}")


def render(result, width: int = 80) -> list:
    from rich.text import Text

    out = [Text(f"concurrency · {_header(result)}", style="bold"), _limits(result), _chart(result),
           _numbers(result)]
    if result.throttled_by["scaling_rate"] == 0 and result.limit <= 1000:
        out.append(Text("The scaling rate never bound here: the cap is at most 1,000, the size of the bucket. "
                        "Raise --account-limit (e.g. 5000) and --arrival-rate to watch it ramp at 100/s.",
                        style="dim"))
    if result.sqs:
        out.extend(_sqs(result))
    out.append(Text("Model assumptions: " + "; ".join(result.assumptions) + ".", style="dim"))
    out.append(interview_footer(FOOTER, explain_topic="concurrency"))
    return out


def frames(result, width: int = 80) -> list:
    count = 30
    return [_chart(result, reveal=(i + 1) / count) for i in range(count)]
