"""The idempotency picture: side effects done twice without a key, once with a conditional write."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import interview_footer

SOURCE_TITLES = {
    "async": "asynchronous invocation (Lambda's queue retries a failed event)",
    "sqs": "an SQS event source mapping (a failed message comes back after its visibility timeout)",
    "stream": "a Kinesis / DynamoDB stream mapping (a failed batch is retried, in order)",
}
FOOTER = [
    "Every queued path is at least once: async retries, SQS redelivery and stream replays run the handler "
    "again for an event it may already have acted on, and the queue itself can deliver twice (a synchronous "
    "caller's own retries do the same).",
    "Make the side effect idempotent: derive a key from the event (order id, message id), write it with a "
    "conditional write (DynamoDB attribute_not_exists) in the same step as the effect, and treat 'already "
    "there' as success. Powertools for AWS Lambda has an idempotency utility that does this.",
    "Batches multiply duplicates: report partial batch failures (ReportBatchItemFailures); on streams Lambda "
    "still replays from the lowest failed record, so the records after it run again.",
]


def render(result, width: int = 80) -> list:
    data = result.to_json()
    p, r = data["params"], data["results"]
    out: list = []
    head = Text("idempotency: ", style="bold")
    head.append(f"{fmt.count(r['events'])} events through {SOURCE_TITLES[p['source']]}; each attempt fails with "
                f"probability {p['failure_rate']:g}, {fmt.percent(p['after_effect'])} of failures after the side "
                f"effect was done; the transport delivers {fmt.percent(p['redelivery_rate'])} of events twice.")
    if p["source"] != "async":
        head.append(f" Batches of {p['batch']}, partial batch responses {'on' if p['partial_batch'] else 'off'}.")
    out.append(head)
    out.append(_outcomes(r))
    if r["theory"]:
        t = r["theory"]
        out.append(Text(f"Closed form: duplicate rate {fmt.percent(t['duplicate_rate'])} = {t['formula']}, with P0 and "
                        f"P1 the chances that one delivery does the effect 0 or 1 times; simulated "
                        f"{fmt.percent(r['duplicate_rate'])}.", style="dim"))
    warnings = []
    if r["processed_then_dead_lettered"]:
        warnings.append(f"{fmt.count(r['processed_then_dead_lettered'])} messages reached the DLQ although their "
                        "effect had happened: replaying the DLQ would do them again.")
    if r["never_processed"]:
        warnings.append(f"{fmt.count(r['never_processed'])} records were skipped: the stream batch was discarded "
                        "(its metadata went to the on-failure destination) before they ran.")
    if warnings:
        out.append(Text("\n".join("! " + w for w in warnings), style="yellow"))
    out.append(_stories(r["examples"]))
    out.append(Text("\n".join("Assumption: " + a for a in data["assumptions"]), style="dim"))
    out.append(interview_footer(FOOTER, explain_topic="system-design"))
    return out


def _outcomes(r: dict) -> Table:
    c = r["costs"]
    table = Table(title="The same deliveries, without and with an idempotency key", title_justify="left")
    table.add_column("")
    table.add_column("no key", justify="right")
    table.add_column("conditional write", justify="right")
    table.add_row("side effects done", fmt.count(r["effects_without_key"]), fmt.count(r["effects_with_key"]))
    table.add_row("events done twice or more", Text(f"{fmt.count(r['events_duplicated'])} "
                                                    f"({fmt.percent(r['duplicate_rate'])})", style="red"),
                  Text("0", style="green"))
    table.add_row("extra effects", fmt.count(c["extra_effects_without_key"]), "0")
    table.add_row("duplicates caught (write rejected)", "-", fmt.count(c["conditional_writes_rejected"]))
    table.add_row("cost of the duplicates", Text(fmt.money(c["duplicate_effects_usd"]), style="red"), "$0")
    table.add_row("per million events", fmt.money(c["duplicate_effects_per_million_events_usd"]), "$0")
    table.add_row("Lambda: invocations / cost", f"{fmt.count(r['invocations'])} / {fmt.money(c['lambda_usd'])}",
                  "same + 1 write per effect")
    table.add_row("events never done (DLQ, skipped)", fmt.count(r["events"] - r["events_done"]),
                  fmt.count(r["events"] - r["events_done"]))
    return table


def _stories(examples: list) -> Table:
    table = Table(title="What happened to a few events", title_justify="left", show_lines=False)
    table.add_column("event", justify="right")
    table.add_column("effects", justify="right")
    table.add_column("story")
    for ex in examples:
        style = "red" if ex["effects"] >= 2 else ("yellow" if ex["effects"] == 0 else "")
        table.add_row(str(ex["event"]), Text(str(ex["effects"]), style=style), "\n".join(ex["story"]))
    return table
