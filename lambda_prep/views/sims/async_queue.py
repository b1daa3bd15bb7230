"""The async-queue picture: the queue's metrics over time, three events' stories, where events ended."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.cold_start import sparkline
from lambda_prep.views.sims.common import interview_footer

FOOTER = [
    "An async caller gets 202 at once; if the function is throttled the event waits in Lambda's queue and is "
    "retried with backoff (1 s up to 5 min) for up to the maximum event age, 6 h by default.",
    "Watch AsyncEventAge (how long events wait) and AsyncEventsDropped; give the function an on-failure "
    "destination or DLQ so a dropped event is kept, not lost.",
    "The fix is capacity (reserved concurrency sized to the arrival rate x duration) or a queue you control "
    "(SQS with maximum concurrency); keep handlers idempotent, the queue can deliver twice.",
]
MARKS = {"queued": "·", "invoked": "▶", "ok": "✓", "throttled": "⏸", "error": "✗", "dropped": "▣"}


def render(result, width: int = 80) -> list:
    data = result.to_json()
    res, prm = data["results"], data["params"]
    out: list = [_header(res, prm), _charts(res, width), _stories(res)]
    out.append(_outcomes(res, prm))
    out.append(Text(_lesson(res, prm), style="yellow" if res["dropped"] else "green"))
    out.append(interview_footer(FOOTER, explain_topic="retries"))
    return out


def frames(result, width: int = 80) -> list:
    res = result.to_json()["results"]
    count = len(res["series"])
    return [_charts(res, width, upto=k) for k in range(1, count + 1)]


def _header(res: dict, prm: dict) -> Text:
    theory = res["theory"]
    text = Text("async-queue: events waiting in Lambda's internal queue under throttling\n", style="bold")
    text.append(f"{fmt.count(res['received'])} events at {prm['arrival_rate']:g}/s for "
                f"{fmt.duration(prm['traffic_s'])}; reserved concurrency {prm['concurrency_limit']} x "
                f"{fmt.ms(prm['duration_ms'])} per run = {fmt.count(theory['capacity_per_s'])} events/s; maximum "
                f"event age {fmt.duration(prm['max_event_age_s'])}; on failure: {prm['on_failure']}", style="dim")
    return text


def _charts(res: dict, width: int, upto: int | None = None):
    series = res["series"][:upto] if upto else res["series"]
    rows = [
        ("AsyncEventsReceived", [r["received"] for r in series], "per bar", fmt.count),
        ("invocations", [r["invoked"] for r in series], "per bar", fmt.count),
        ("Throttles (429)", [r["throttled"] for r in series], "per bar", fmt.count),
        ("events waiting", [r["waiting"] for r in series], "peak", fmt.count),
        ("AsyncEventAge", [r["max_age_s"] for r in series], "max", fmt.duration),
        ("AsyncEventsDropped", [r["dropped"] for r in series], "per bar", fmt.count),
    ]
    full = res["series"]
    tops = {label: max([r[key] for r in full] or [0]) for label, key in
            (("AsyncEventsReceived", "received"), ("invocations", "invoked"), ("Throttles (429)", "throttled"),
             ("events waiting", "waiting"), ("AsyncEventAge", "max_age_s"), ("AsyncEventsDropped", "dropped"))}
    table = Table(title=f"The queue over {fmt.duration(len(full) * res['bucket_s'])}, one bar = "
                        f"{fmt.duration(res['bucket_s'])}", title_justify="left", box=None, pad_edge=False,
                  show_edge=False)
    table.add_column("metric", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("", justify="right", no_wrap=True)
    for label, values, how, show in rows:
        top = tops[label]
        table.add_row(label, Text(sparkline(values, top or 1).ljust(len(full)), style="cyan"),
                      f"{how} {show(top)}")
    return table


def _stories(res: dict) -> Table:
    table = Table(title="Three events, as Lambda handled them (t from the event's arrival)", title_justify="left",
                  box=None, pad_edge=False, show_edge=False)
    table.add_column("event", justify="right", no_wrap=True)
    table.add_column("t", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("what happened", overflow="fold")
    for example in res["examples"]:
        steps = example["steps"]
        # a long run of throttles reads better folded: first two, a count, the last one
        throttles = [s for s in steps if s["kind"] == "throttled"]
        if len(throttles) > 4:
            keep = throttles[:2] + throttles[-1:]
            hidden = len(throttles) - 3
            steps = [s for s in steps if s["kind"] != "throttled" or s in keep]
            at = steps.index(throttles[-1])
            steps.insert(at, {"t": None, "kind": "throttled", "what": f"... throttled {hidden} more times, "
                                                                      "each wait twice as long ..."})
        for n, step in enumerate(steps):
            when = "" if step["t"] is None else fmt.duration(step["t"] - example["arrived_s"])
            table.add_row(f"#{example['id']}" if n == 0 else "", when, MARKS.get(step["kind"], ""), step["what"])
    return table


def _outcomes(res: dict, prm: dict) -> Table:
    reasons = res["dropped_by_reason"]
    table = Table(title="Where the events ended", title_justify="left")
    table.add_column("outcome")
    table.add_column("events", justify="right", no_wrap=True)  # "8 min 31 s / 23 min ...": the label wraps instead
    table.add_column("share", justify="right", no_wrap=True)
    received = max(1, res["received"])
    table.add_row("ran successfully", fmt.count(res["succeeded"]), fmt.percent(res["succeeded"] / received))
    where = {"destination": "to the on-failure destination", "dlq": "to the DLQ", "none": "lost (no target)"}
    for reason, label in (("EventAgeExceeded", "too old (maximum event age)"),
                          ("RetriesExhausted", "function errors, retries used up"),
                          ("ReservedConcurrencyZero", "reserved concurrency 0: no retries")):
        if reasons[reason]:
            table.add_row(f"dropped: {label}, {where[prm['on_failure']]}", fmt.count(reasons[reason]),
                          fmt.percent(reasons[reason] / received))
    ages = res["async_event_age_s"]
    table.add_row("throttles (429) on the way", fmt.count(res["throttles"]), "")
    table.add_row("AsyncEventAge p50 / p99 / max",
                  f"{fmt.duration(ages['p50'])} / {fmt.duration(ages['p99'])} / {fmt.duration(ages['max'])}", "")
    return table


def _lesson(res: dict, prm: dict) -> str:
    theory = res["theory"]
    if prm["concurrency_limit"] == 0:
        return ("Reserved concurrency 0: every event went straight to the failure target, without a single retry "
                "(the documented behaviour).")
    if not theory["overloaded"]:
        return (f"The function can serve {fmt.count(theory['capacity_per_s'])} events/s and gets "
                f"{theory['offered_per_s']:g}/s: throttles are brief and events barely wait.")
    text = (f"{theory['offered_per_s']:g} events/s arrive and {fmt.count(theory['capacity_per_s'])}/s can run: "
            f"about {fmt.count(theory['excess_events'])} events pile up. Backoff spaces their retries out, so "
            "the queue drains slower than capacity allows and ages climb in steps (1, 3, 7, 15 ... s).")
    if res["dropped"]:
        text += (f" {fmt.count(res['dropped'])} events passed the {fmt.duration(prm['max_event_age_s'])} maximum "
                 "age and were dropped.")
    else:
        text += " None passed the maximum event age."
    return text
