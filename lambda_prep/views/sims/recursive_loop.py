"""The recursive-loop picture: the chain hop by hop, where it stops (or not), and what it costs."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import interview_footer

VIA_TEXT = {
    "sqs": "writes a message to the SQS queue that triggers it",
    "sns": "publishes to the SNS topic it is subscribed to",
    "s3": "writes an object to the S3 bucket that notifies it",
    "lambda": "invokes itself through the Lambda API",
    "dynamodb": "writes to the DynamoDB table whose stream triggers it",
}
FOOTER = [
    "Lambda detects loops through SQS, SNS, S3 and Lambda itself: it counts invocations per chain of requests "
    "and stops the next one after about 16 (RecursiveInvocationsDropped), sending the event to a DLQ or "
    "on-failure destination and notifying you.",
    "It does not see loops through other services (a DynamoDB stream, for one), or writes without a supported "
    "SDK; RecursiveLoop=Allow turns it off per function. Guard those yourself: a depth counter in the message, "
    "a separate output bucket or prefix, reserved concurrency as a brake.",
    "The danger grows with fan-out: two writes per run fill the account's concurrency in seconds and throttle "
    "every other function.",
]


def render(result, width: int = 80) -> list:
    data = result.to_json()
    res, prm = data["results"], data["params"]
    return [_header(prm), _chain(res), _verdict(res, prm), _fan_out(res, prm),
            interview_footer(FOOTER, explain_topic="integrations-patterns")]


def frames(result, width: int = 80) -> list:
    res = result.to_json()["results"]
    return [_chain(res, upto=k) for k in range(1, len(res["chain"]) + 1)]


def _header(prm: dict) -> Text:
    text = Text(f"recursive-loop: a function that {VIA_TEXT[prm['via']]}\n", style="bold")
    text.append(f"each run writes {prm['fan_out']} event(s) back; hop {fmt.ms(prm['hop_ms'])}, run "
                f"{fmt.ms(prm['duration_ms'])} at {prm['memory_mb']:,} MB; "
                f"RecursiveLoop={prm['recursion'].capitalize()}"
                + ("" if prm["supported_sdk"] else "; the function uses an SDK too old to carry the chain count"),
                style="dim")
    return text


def _chain(res: dict, upto: int | None = None) -> Table:
    rows = res["chain"][:upto] if upto else res["chain"]
    table = Table(title="The first chain, step by step", title_justify="left", box=None, pad_edge=False,
                  show_edge=False)
    table.add_column("step", justify="right", no_wrap=True)
    table.add_column("t", justify="right", no_wrap=True)
    table.add_column("invocations", justify="right", no_wrap=True)
    table.add_column("", overflow="fold")
    for row in rows:
        stopped = row["what"].startswith("stopped")
        table.add_row(str(row["step"]), fmt.duration(row["t"]), fmt.count(row["invocations"]),
                      Text(row["what"], style="bold red" if stopped else ""))
    return table


def _verdict(res: dict, prm: dict) -> Text:
    if res["detected"]:
        text = Text(f"Stopped at {fmt.duration(res['stopped_at_s'])}: {fmt.count(res['invocations'])} invocations ran, "
                    f"RecursiveInvocationsDropped = {fmt.count(res['recursive_invocations_dropped'])}, Lambda cost "
                    f"{fmt.money(res['cost_usd'])}.", style="bold green")
        runaway = res["if_not_stopped"]
        text.append(f"\nLeft running for {fmt.duration(prm['hours_unnoticed'] * 3600)} it would have run "
                    f"{fmt.count(runaway['invocations'])} times ({fmt.money(runaway['cost_usd'])}; "
                    f"{fmt.money(res['runaway_cost_per_month_usd'])} a month).", style="dim")
        return text
    text = Text(f"Not detected: {res['why_not_detected']}.", style="bold red")
    text.append(f"\nIn {fmt.duration(res['elapsed_s'])} it ran {fmt.count(res['invocations'])} times "
                f"({fmt.money(res['cost_usd'])}; {fmt.money(res['runaway_cost_per_month_usd'])} a month), peak "
                f"concurrency {fmt.count(res['peak_concurrency'])} of {fmt.count(prm['account_concurrency'])}",
                style="yellow")
    if res["waiting_at_end"] > 1:
        text.append(f", {fmt.count(res['waiting_at_end'])} events still queued.", style="yellow")
    else:
        text.append(", and it would go on for ever.", style="yellow")
    return text


def _fan_out(res: dict, prm: dict) -> Table:
    table = Table(title=f"Fan-out: stopped at {res['limit']} hops vs left running "
                        f"{fmt.duration(prm['hours_unnoticed'] * 3600)}", title_justify="left")
    table.add_column("events per run", justify="right")
    table.add_column("stopped: invocations", justify="right")
    table.add_column("after", justify="right")
    table.add_column("not stopped: invocations", justify="right")
    table.add_column("a month of it", justify="right")
    for row in res["by_fan_out"]:
        table.add_row(str(row["fan_out"]) + (" ◀" if row["fan_out"] == prm["fan_out"] else ""),
                      fmt.count(row["stopped_invocations"]), fmt.duration(row["stopped_after_s"]),
                      fmt.count(row["unstopped_invocations"]),
                      fmt.money(row["unstopped_cost_per_month_usd"]))
    table.caption = ("The limit counts hops in a chain, not events: with fan-out the tree below 16 hops is still "
                     "huge, and it fills the account's concurrency while it runs.")
    table.caption_justify = "left"
    return table
