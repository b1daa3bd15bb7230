"""The batching picture: how batches form, the window's trade of latency for invocations, FIFO groups."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import interview_footer

FOOTER = [
    "An event source mapping invokes when the batch is full, the batching window ends or the payload reaches "
    "6 MB, whichever comes first; a window trades latency for fewer, larger (cheaper) invocations.",
    "SQS: batch size 10 by default (up to 10,000 on standard queues, with a window of at least 1 s); FIFO allows "
    "10 and no window, and a message group never has two batches in flight, so concurrency is at most the "
    "number of active message groups.",
    "Event filters (up to 5 per mapping, ORed) discard records before the function runs, so they cost no "
    "invocation. Processing is at least once either way: make the handler idempotent.",
]


def render(result, width: int = 80) -> list:
    data = result.to_json()
    p, r = data["params"], data["results"]
    run = r["run"]
    out: list = [_header(p, r)]
    summary = Text()
    summary.append(f"{fmt.count(run['invocations'])} invocations", style="bold")
    summary.append(f" for {fmt.count(run['records'])} records (mean batch {fmt.count(run['mean_batch'])}); ")
    summary.append(f"peak concurrency {run['peak_concurrency']}; record latency p50 {fmt.ms(run['latency_ms']['p50'])}"
                   f", p99 {fmt.ms(run['latency_ms']['p99'])}; {fmt.money(run['cost_per_million_messages_usd'])} "
                   "per million messages.")
    out.append(summary)
    if r["filtered_out"]:
        out.append(Text(f"The event filter dropped {fmt.count(r['filtered_out'])} of {fmt.count(r['messages'])} "
                        "messages before any invocation: they cost no request and no duration.", style="green"))
    if r["theory"]:
        t = r["theory"]
        out.append(Text(f"Closed form: mean batch {t['mean_batch']:.3f} -> about {fmt.count(round(t['invocations']))} "
                        f"invocations ({t['note']}); simulated {run['mean_batch']:.3f}.", style="dim"))
    out.append(_examples(p, r["example_batches"]))
    if r["comparison"]:
        out.append(_comparison(p, r["comparison"], run))
    out.append(Text("\n".join("Assumption: " + a for a in data["assumptions"]), style="dim"))
    out.append(interview_footer(FOOTER, explain_topic="event-sources"))
    return out


def _header(p: dict, r: dict) -> Text:
    text = Text("batching: ", style="bold")
    rate = "a backlog waiting at t = 0" if not p["arrival_rate"] else \
        f"{p['arrival_rate']:g} messages/s ({p['pattern']})"
    if p["queue"] == "fifo":
        text.append(f"an SQS FIFO queue, {fmt.count(r['messages'])} messages in {p['message_groups']} message "
                    f"group{'s' if p['message_groups'] != 1 else ''}, {rate}; batch size {p['batch_size']}, no window")
    else:
        text.append(f"an SQS standard queue, {fmt.count(r['messages'])} messages, {rate}; batch size "
                    f"{fmt.count(p['batch_size'])}, batching window {p['batching_window_s']} s")
    if p["max_concurrency"]:
        text.append(f", maximum concurrency {p['max_concurrency']}")
    text.append(f". Handler: {p['base_ms']:g} ms + {p['per_record_ms']:g} ms per record.")
    return text


def _examples(p: dict, batches: list) -> Table:
    table = Table(title="The first batches", title_justify="left")
    table.add_column("opened", justify="right")
    table.add_column("invoked", justify="right")
    table.add_column("done", justify="right")
    table.add_column("records", justify="right")
    table.add_column("groups" if p["queue"] == "fifo" else "closed by")
    for b in batches:
        last = ", ".join(str(g + 1) for g in b["groups"]) if p["queue"] == "fifo" else b["closed_by"]
        table.add_row(fmt.duration(b["open_s"]), fmt.duration(b["close_s"]), fmt.duration(b["end_s"]),
                      fmt.count(b["records"]), last)
    return table


def _comparison(p: dict, rows: list, mine: dict) -> Table:
    fifo = p["queue"] == "fifo"
    table = Table(title="The same traffic with other " + ("message groups" if fifo else "batch sizes and windows"),
                  title_justify="left")
    if fifo:
        table.add_column("groups", justify="right", no_wrap=True)
    else:
        table.add_column("batch", justify="right", no_wrap=True)
        table.add_column("window", justify="right", no_wrap=True)
    for name in ("invocations", "avg batch", "peak", "p50", "p99", "$ per 1M"):
        table.add_column(name, justify="right", no_wrap=name in ("p50", "p99"))
    for row in rows + [mine]:
        style = "bold" if row is mine else ""
        mark = " ◀" if row is mine else ""
        first = [Text(f"{row['message_groups']}{mark}", style=style)] if fifo else \
            [Text(fmt.count(row["batch_size"]), style=style), Text(f"{row['batching_window_s']} s{mark}", style=style)]
        table.add_row(*first, fmt.count(row["invocations"]), fmt.count(round(row["mean_batch"], 1)),
                      str(row["peak_concurrency"]), fmt.ms(row["latency_ms"]["p50"]), fmt.ms(row["latency_ms"]["p99"]),
                      fmt.money(row["cost_per_million_messages_usd"]))
    table.caption = ("◀ your settings; peak = concurrent invocations; p50, p99 = a record's latency, from "
                     "its arrival to the end of the invocation that processed it")
    table.caption_justify = "left"
    return table
