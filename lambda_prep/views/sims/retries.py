"""The retries picture: example events on a time axis, outcomes against theory, what the DLQ gets."""

from __future__ import annotations

import json

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import bar, interview_footer, flat_json

LANE_WIDTH = 48
SPARK = "▁▂▃▄▅▆▇█"
MARKS = {"ok": "✓", "fail": "✗", "returned": "✗", "dead": "▣"}

SOURCE_TITLES = {
    "async": "asynchronous invocation (Lambda's internal queue)",
    "sqs": "SQS event source mapping (poller invokes synchronously)",
    "stream": "Kinesis / DynamoDB stream event source mapping (one shard)",
}

FOOTERS = {
    "async": [
        "Async: a function error is retried twice by default, about 1 min then 2 min later; after that (or past "
        "the maximum event age) the event goes to the on-failure destination (full invocation record) or the "
        "DLQ (event only).",
        "Throttles and 5xx errors are retried separately, for up to 6 h, with backoff from 1 s to 5 min.",
        "Make the handler idempotent: retries and the at-least-once queue can deliver an event twice.",
    ],
    "sqs": [
        "SQS: the poller does not retry by itself; a failed message reappears when its visibility timeout expires, "
        "and after maxReceiveCount receives SQS moves it to the queue's DLQ (the function's DLQ is not used).",
        "Turn on ReportBatchItemFailures so one bad message does not send the whole batch back; set the visibility "
        "timeout to 6x the function timeout and maxReceiveCount to at least 5.",
    ],
    "stream": [
        "Streams keep order per shard: a failing batch is retried until it succeeds or its records expire, and the "
        "shard waits meanwhile (IteratorAge climbs).",
        "Set MaximumRetryAttempts, MaximumRecordAgeInSeconds, BisectBatchOnFunctionError and an on-failure "
        "destination; the destination receives batch metadata (shard, sequence numbers), not the records.",
    ],
}


def render(result, width: int = 80) -> list:
    data = flat_json(result)
    parts = [_header(data)]
    if data["source"] == "stream":
        parts += _stream_parts(data)
    else:
        parts.append(_lanes(data))
        parts.append(_story(data))
    parts.append(_outcomes(data))
    if data.get("comparison"):
        parts.append(_comparison(data))
    parts.append(_failure_record(data))
    if data["warnings"]:
        from rich.text import Text

        parts.append(Text("\n".join("! " + w for w in data["warnings"]), style="yellow"))
    parts.append(interview_footer(FOOTERS[data["source"]], explain_topic="retries", quiz_topic="retries"))
    return parts


def frames(result, width: int = 80) -> list:
    """The example lanes (or the shard's iterator age) drawn up to a moving clock."""
    data = flat_json(result)
    count = 30
    if data["source"] == "stream":
        points = data["iterator_age"]
        return [_age_chart(data, upto=max(1, round(len(points) * k / count))) for k in range(1, count + 1)]
    span = _span(data)
    return [_lanes(data, cut=span * k / count) for k in range(1, count + 1)]


# --- pieces ---------------------------------------------------------------------------------


def _header(data: dict):
    from rich.text import Text

    prm = data["params"]
    source = data["source"]
    lines = [f"Retries · {SOURCE_TITLES[source]}"]
    traffic = (f"{data['events']:,} events, " + (f"{prm['arrival_rate']:g}/s (Poisson)" if prm["arrival_rate"]
                                                  else "all waiting at t = 0")
               + f"; each attempt fails with probability {prm['failure_rate']:g}")
    if prm["poison_at"]:
        traffic += f"; event {prm['poison_at']} always fails (poison)"
    lines.append(traffic)
    if source == "async":
        waits = ", ".join(f"{w} s" for w in (60, 120)[:prm["max_retries"]]) or "none"
        lines.append(f"MaximumRetryAttempts {prm['max_retries']} (waits: {waits}); MaximumEventAgeInSeconds "
                     f"{prm['max_event_age_s']:,}; on failure: {prm['on_failure']}")
    elif source == "sqs":
        lines.append(f"visibility timeout {prm['visibility_timeout_s']:g} s; maxReceiveCount "
                     f"{prm['max_receive_count']}; batch size {prm['batch_size']}; partial batch responses "
                     f"{'on' if prm['partial_batch'] else 'off'}; function timeout {prm['timeout_s']:g} s")
    else:
        retries = "-1 (until the records expire)" if prm["max_retry_attempts"] == -1 else prm["max_retry_attempts"]
        age = "-1 (no limit)" if prm["max_record_age_s"] == -1 else f"{prm['max_record_age_s']:,} s"
        lines.append(f"batch size {prm['batch_size']}; MaximumRetryAttempts {retries}; MaximumRecordAgeInSeconds "
                     f"{age}; bisect {'on' if prm['bisect'] else 'off'}; retention {prm['retention_hours']:g} h; "
                     f"on failure: {prm['on_failure']}")
    text = Text(lines[0] + "\n", style="bold")
    text.append("\n".join(lines[1:]), style="dim")
    return text


def _span(data: dict) -> float:
    spans = [step["t"] - ex["arrived_s"] for ex in data["examples"] for step in ex["steps"]]
    return max(spans + [1.0])


def _lanes(data: dict, cut: float | None = None):
    """Each example event on its own lane; t = 0 is when the event arrived."""
    from rich.table import Table

    span = _span(data)
    table = Table(title="Example events on the simulated clock (✓ succeeded, ✗ failed, ▣ dead-lettered)",
                  title_justify="left", box=None, pad_edge=False, show_edge=False)
    table.add_column("event", justify="right")
    axis = f"0 s{' ' * (LANE_WIDTH - 3 - len(fmt.duration(span)))}{fmt.duration(span)}"
    table.add_column(axis, no_wrap=True)
    table.add_column("outcome", overflow="fold")
    for ex in data["examples"]:
        lane = ["·"] * LANE_WIDTH
        outcome = ""
        for step in ex["steps"]:
            offset = step["t"] - ex["arrived_s"]
            if cut is not None and offset > cut:
                break
            mark = MARKS.get(step["kind"])
            if step["kind"] in ("ok", "dead"):
                outcome = _done_text(ex)
            if mark:
                col = min(LANE_WIDTH - 1, int(offset / span * (LANE_WIDTH - 1)))
                if lane[col] == "·" or mark != "✗":
                    lane[col] = mark
        table.add_row(f"#{ex['id']}", "".join(lane), outcome)
    return table


def _done_text(ex: dict) -> str:
    took = fmt.duration(ex["steps"][-1]["t"] - ex["arrived_s"])
    n = ex.get("attempts", 0)
    if ex.get("outcome") == "succeeded":
        return f"✓ on attempt {n}, after {took}"
    return f"▣ after {n} attempt{'s' if n != 1 else ''}, {took}"


def _story(data: dict):
    """One failing example, step by step."""
    from rich.text import Text

    examples = data["examples"]
    chosen = next((ex for ex in examples if ex.get("outcome") == "dead_lettered"), None)
    chosen = chosen or next((ex for ex in examples if len(ex["steps"]) > 2), examples[0] if examples else None)
    text = Text()
    if chosen is None:
        return text
    text.append(f"Event #{chosen['id']} step by step\n", style="bold")
    for step in chosen["steps"]:
        text.append(f"  t+{fmt.duration(step['t'] - chosen['arrived_s']):>9}  {step['what']}\n")
    return text


def _outcomes(data: dict):
    from rich.table import Table

    theory = data["theory"]
    table = Table(title="Outcomes", title_justify="left", box=None, pad_edge=False)
    table.add_column("")
    table.add_column("count", justify="right")
    table.add_column("share", justify="right")
    table.add_column("", no_wrap=True)
    table.add_column("theory", justify="right")
    n = data["events"]
    table.add_row("succeeded", f"{data['succeeded']:,}", f"{data['succeeded'] / n:.1%}",
                  bar(data["succeeded"] / n, 24), "")
    dead_theory = f"{theory['dead_letter_ratio']:.2%} ({theory['formula']})" if theory else "-"
    table.add_row("dead-lettered", f"{data['dead_lettered']:,}", f"{data['dead_letter_ratio']:.2%}",
                  bar(data["dead_letter_ratio"], 24), dead_theory)
    if data["lost_unprocessed"]:
        table.add_row("expired unread", f"{data['lost_unprocessed']:,}", f"{data['lost_unprocessed'] / n:.1%}",
                      bar(data["lost_unprocessed"] / n, 24), "")
    table.add_row("mean attempts", f"{data['mean_attempts']:.3f}", "", "",
                  f"{theory['mean_attempts']:.3f}" if theory else "-")
    if data["time_to_dead_letter_s"]:
        t = data["time_to_dead_letter_s"]
        table.add_row("time to dead letter", fmt.duration(t["mean"]), "", f"min {fmt.duration(t['min'])}, "
                      f"max {fmt.duration(t['max'])}", "")
    if data["source"] == "stream":
        table.add_row("shard blocked (longest)", fmt.duration(data["blocked_s"]), "", "", "")
        table.add_row("max IteratorAge", fmt.duration(data["max_iterator_age_s"]), "", "", "")
    elif data["source"] == "sqs":
        table.add_row("processed again (whole batch returned)", f"{data['duplicate_processing']:,}", "", "", "")
    if data["failure_reasons"]:
        reasons = ", ".join(f"{k} {v:,}" for k, v in data["failure_reasons"].items())
        table.add_row("why", reasons, "", "", "")
    return table


def _comparison(data: dict):
    from rich.table import Table

    other = data["comparison"]
    rows = [(data["params"]["partial_batch"], data["dead_lettered"], data["dead_letter_ratio"],
             data["mean_attempts"], data["duplicate_processing"]),
            (other["partial_batch"], other["dead_lettered"], other["dead_letter_ratio"], other["mean_attempts"],
             other["duplicate_processing"])]
    rows.sort(key=lambda row: row[0])
    table = Table(title="Same messages, same seed: partial batch responses off vs on", title_justify="left",
                  box=None, pad_edge=False)
    for name in ("ReportBatchItemFailures", "dead-lettered", "", "mean receives", "good messages re-processed"):
        table.add_column(name, justify="right" if name else "left")
    for partial, dead, ratio, mean, dup in rows:
        table.add_row("on" if partial else "off (whole batch returns)", f"{dead:,} ({ratio:.1%})", bar(ratio, 20),
                      f"{mean:.2f}", f"{dup:,}")
    return table


def _failure_record(data: dict):
    from rich.panel import Panel
    from rich.text import Text

    record = data["failure_record"]
    if not record:
        if data["dead_lettered"]:
            return Text(f"No on-failure destination or DLQ is configured: {data['dead_lettered']:,} failed "
                        "events were dropped, and nothing records them.", style="yellow")
        return Text("Nothing failed for good, so the failure target received nothing.", style="dim")
    body = {k: v for k, v in record.items() if k in ("body", "attributes")}
    text = Text(record["content"] + "\n\n", style="italic")
    text.append(json.dumps(body, indent=2))
    return Panel(text, title=f"What the {record['target']} receives", title_align="left")


def _stream_parts(data: dict) -> list:
    from rich.table import Table

    parts = [_age_chart(data)]
    table = Table(title="The shard, in order", title_justify="left", box=None, pad_edge=False)
    table.add_column("t", justify="right", no_wrap=True)
    table.add_column("what happened", overflow="fold")
    rows = data["timeline"]
    shown = rows if len(rows) <= 16 else rows[:12] + rows[-3:]
    for i, row in enumerate(shown):
        if len(rows) > 16 and i == 12:
            table.add_row("…", f"{len(rows) - 15} more entries")
        table.add_row(fmt.duration(row["t"]), row["what"])
    if data.get("shard_log_more"):
        table.add_row("…", f"{data['shard_log_more']} later entries not kept")
    parts.append(table)
    return parts


def _age_chart(data: dict, upto: int | None = None):
    """IteratorAge (age of the last record in each batch sent) over the simulated time."""
    from rich.text import Text

    points = data["iterator_age"]
    shown = points if upto is None else points[:upto]
    peak = max((p["age_s"] for p in points), default=0.0) or 1.0
    line = "".join(SPARK[min(len(SPARK) - 1, int(p["age_s"] / peak * (len(SPARK) - 1) + 0.5))] for p in shown)
    text = Text("IteratorAge over time (peak ", style="bold")
    text.append(fmt.duration(peak), style="bold")
    text.append(")\n")
    text.append(line.ljust(len(points)), style="cyan")
    end = data["simulated_s"]
    text.append(f"\n0 s{' ' * max(1, len(points) - 3 - len(fmt.duration(end)))}{fmt.duration(end)}")
    return text
