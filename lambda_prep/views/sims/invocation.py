"""The invocation picture: the same requests sync, async and through a poller, side by side."""

from __future__ import annotations

import json

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import interview_footer, flat_json

FOOTER = [
    "Sync (RequestResponse): the caller waits and gets 200 with the result, or 200 with X-Amz-Function-Error "
    "and the error as the body; a throttle is 429 at once. Lambda retries nothing: the caller handles errors.",
    "Async (Event): 202 at once; Lambda queues the event, retries function errors twice (about 1 and 2 min) "
    "and throttles for up to 6 h, then sends failures to the on-failure destination or DLQ.",
    "Poll-based (SQS, Kinesis, DynamoDB): a poller reads batches and invokes synchronously; failures are "
    "retried through the source (visibility timeout, stream retries), not Lambda's async queue.",
]


def render(result, width: int = 80) -> list:
    data = flat_json(result)
    return [_header(data), _sync_table(data), _async_table(data), _esm_table(data), _compare(data),
            interview_footer(FOOTER, explain_topic="invocation", quiz_topic="invocation")]


def frames(result, width: int = 80) -> list:
    """The combined timeline revealed step by step."""
    data = flat_json(result)
    rows = data["timeline"]
    if not rows:
        return []
    count = min(40, len(rows))
    return [_timeline_table(rows[:max(1, round(len(rows) * k / count))]) for k in range(1, count + 1)]


def _header(data: dict):
    from rich.text import Text

    prm = data["params"]
    text = Text("Invocation · the same requests three ways: sync (RequestResponse), async (Event), "
                "poll-based (SQS event source mapping)\n", style="bold")
    text.append(f"{data['requests']:,} requests, one every {prm['interval_ms']:g} ms; "
                f"handler {prm['duration_ms']:g} ms "
                f"(timeout {prm['timeout_s']:g} s); each run fails with probability {prm['function_error']:g}; "
                f"the function is throttled (at its concurrency limit) for the first {prm['throttle_s']:g} s. "
                "Model scenario; AWS defaults for retries, event age, batch size and visibility timeout.",
                style="dim")
    return text


def _body(body) -> str:
    return json.dumps(body, separators=(", ", ": ")) if body else ""


def _sync_table(data: dict):
    from rich.table import Table

    sync = data["sync"]
    table = Table(title="Synchronous: the caller waits for the answer", title_justify="left", box=None,
                  pad_edge=False)
    for name, kw in (("#", {"justify": "right"}), ("sent", {"justify": "right"}), ("waited", {"justify": "right"}),
                     ("what the caller gets back", {"overflow": "fold", "ratio": 3}),
                     ("a failure is handled by", {"overflow": "fold", "ratio": 1})):
        table.add_column(name, **kw)
    styles = {"succeeded": "green", "function error": "red", "throttled": "yellow"}
    for call in sync["calls"]:
        if call["status"] == 429:
            response = f"429 TooManyRequestsException (Reason: {call['body']['Reason']})"
        else:
            header = "".join(f" + {k}: {v}" for k, v in call["headers"].items())
            response = f"{call['status']}{header}  {_body(call['body'])}"
        table.add_row(str(call["request"]), fmt.duration(call["sent_s"]) if call["sent_s"] else "0 s",
                      f"{call['waited_ms']:,} ms", response, call["handled_by"], style=styles.get(call["outcome"]))
    _more(table, data, 5)
    return table


def _async_table(data: dict):
    from rich.table import Table

    table = Table(title="Asynchronous: 202 at once, then Lambda's queue takes over", title_justify="left",
                  box=None, pad_edge=False)
    for name, kw in (("#", {"justify": "right"}), ("sent", {"justify": "right"}), ("caller got", {}),
                     ("what Lambda did with the event", {"overflow": "fold", "ratio": 3}),
                     ("outcome", {"overflow": "fold", "ratio": 1})):
        table.add_column(name, **kw)
    for event in data["async"]["events"]:
        path = []
        for step in event["steps"]:
            what = step["what"]
            short = ("throttled, back to the queue" if what.startswith("throttled") else
                     "✓" if "succeeded" in what else
                     "✗ error" if "error" in what or "timed out" in what else what.split(":")[0])
            path.append(f"{fmt.duration(step['t'] - event['sent_s'])}: {short}")
        outcome = event.get("outcome", "")
        if event.get("done_s") is not None:
            outcome += f" after {fmt.duration(event['done_s'] - event['sent_s'])}"
        table.add_row(str(event["request"]), fmt.duration(event["sent_s"]) if event["sent_s"] else "0 s",
                      "202, 0 ms", " → ".join(path), outcome,
                      style="green" if event.get("outcome") == "succeeded" else "red")
    _more(table, data, 5)
    return table


def _esm_table(data: dict):
    from rich.table import Table

    esm = data["esm"]
    table = Table(title="Poll-based: a poller reads batches from SQS and invokes the function synchronously",
                  title_justify="left", box=None, pad_edge=False,
                  caption="Partial batch responses are off (AWS default): one failing message returns the whole "
                          "batch. Compare: lambda-prep simulate retries --source sqs", caption_justify="left")
    for name, kw in (("batch", {"justify": "right"}), ("read at", {"justify": "right"}),
                     ("messages (receive count)", {"overflow": "fold"}), ("sync invokes", {"overflow": "fold"}),
                     ("result", {"overflow": "fold", "ratio": 1})):
        table.add_column(name, **kw)
    for batch in esm["batch_log"]:
        msgs = ", ".join(f"{m}" + (f"({c})" if c > 1 else "") for m, c in zip(batch["messages"], batch["receive"]))
        invokes = "; ".join(f"{fmt.duration(i['t'])} {i['result']}" for i in batch["invokes"])
        table.add_row(str(batch["batch"]), fmt.duration(batch["read_s"]) if batch["read_s"] else "0 s", msgs,
                      invokes, batch.get("result", ""),
                      style="green" if batch.get("result", "").startswith("succeeded") else None)
    if esm["batches"] > len(esm["batch_log"]):
        table.add_row("…", "", f"{esm['batches'] - len(esm['batch_log'])} more batches", "", "")
    return table


def _more(table, data: dict, columns: int) -> None:
    shown = len(data["sync"]["calls"])
    if data["requests"] > shown:
        table.add_row("…", f"{data['requests'] - shown:,} more", *[""] * (columns - 2))


def _compare(data: dict):
    from rich.table import Table

    sync, async_, esm, n = data["sync"], data["async"], data["esm"], data["requests"]
    table = Table(title=f"Side by side ({n:,} requests)", title_justify="left", pad_edge=False)
    table.add_column("")
    table.add_column("sync", overflow="fold")
    table.add_column("async", overflow="fold")
    table.add_column("poll-based (SQS)", overflow="fold")
    table.add_row("caller waits for", f"the handler: {sync['mean_wait_ms']:,.0f} ms on average",
                  "nothing: 202 at once", "nothing: the producer only sent a message")
    table.add_row("a function error", f"200 + X-Amz-Function-Error, seen by the caller ({sync['function_errors']:,})",
                  f"retried by Lambda ({async_['error_retries']:,} retries)",
                  f"batch back to the queue after the visibility timeout ({esm['failed_batches']:,} batches)")
    table.add_row("a throttle", f"429 TooManyRequestsException to the caller ({sync['throttled']:,}); no retry",
                  f"queued and retried with backoff ({async_['throttle_retries']:,} retries, up to 6 h)",
                  f"the poller backs off and retries ({esm['throttled_invokes']:,} throttled invokes)")
    table.add_row("succeeded", f"{sync['succeeded']:,} of {n:,}", f"{async_['succeeded']:,} of {n:,}",
                  f"{esm['succeeded']:,} of {n:,}")
    table.add_row("failed for good", f"{sync['errors_seen_by_caller']:,} (the caller's problem)",
                  f"{async_['to_on_failure']:,} to the on-failure destination / DLQ",
                  f"{esm['to_dlq']:,} to the queue's DLQ (maxReceiveCount {data['params']['max_receive_count']})")
    table.add_row("time to final outcome", f"{sync['mean_wait_ms']:,.0f} ms mean",
                  f"{fmt.duration(async_['mean_time_to_outcome_s'])} mean, "
                  f"{fmt.duration(async_['max_time_to_outcome_s'])} max",
                  f"{fmt.duration(esm['mean_time_to_outcome_s'])} mean, {fmt.duration(esm['max_time_to_outcome_s'])} max")
    return table


def _timeline_table(rows: list[dict]):
    from rich.table import Table

    table = Table(title="Timeline (simulated clock)", title_justify="left", box=None, pad_edge=False)
    table.add_column("t", justify="right")
    table.add_column("path")
    table.add_column("#", justify="right")
    table.add_column("what happened", overflow="fold")
    for row in rows[-18:]:
        table.add_row(fmt.duration(row["t"]) if row["t"] else "0 s", row["path"], str(row["request"]), row["what"])
    return table
