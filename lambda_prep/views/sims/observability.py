"""The observability picture: per-minute metrics as sparklines, the alarm's states, logs and traces."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import interview_footer

SPARK = "▁▂▃▄▅▆▇█"
FOOTER = [
    "Lambda publishes per-function metrics for free: Invocations (throttles excluded), Errors (timeouts "
    "included), Throttles, Duration (handler only; use p99, not the average), ConcurrentExecutions; plus "
    "IteratorAge for streams and AsyncEventAge / AsyncEventsDropped for async invocation.",
    "Alarm on symptoms with 'M out of N' datapoints so one noisy minute does not page you: Errors or an error "
    "ratio, Throttles, p99 Duration near the timeout, IteratorAge for streams.",
    "Logs: every invocation ends with a REPORT line (Duration, Billed Duration, Memory Size, Init Duration on "
    "cold starts); X-Ray samples the first request each second and 5% of the rest by default.",
]


def render(result, width: int = 80) -> list:
    data = result.to_json()
    p, r = data["params"], data["results"]
    rows = r["minutes"]
    out: list = []
    head = Text("observability: ", style="bold")
    limit = "the account's 1,000" if p["concurrency_limit"] is None else f"reserved {p['concurrency_limit']}"
    head.append(f"{p['minutes']} minutes of {p['arrival_rate']:g} requests/s (handler {fmt.ms(p['duration_ms'])} on "
                f"average, timeout {p['timeout_s']:g} s, concurrency {limit}); an incident from minute "
                f"{p['incident_at_min']} for {p['incident_minutes']} min: {p['incident_slowdown']:g}x slower, "
                f"{fmt.percent(p['incident_error_rate'])} errors.")
    out.append(head)
    spark = max(10, min(len(rows), width - 34))
    table = Table(title="CloudWatch: one datapoint a minute", title_justify="left")
    table.add_column("metric", no_wrap=True)
    table.add_column("minute by minute", no_wrap=True)
    table.add_column("max", justify="right", no_wrap=True)
    series = [
        ("Invocations", [x["invocations"] for x in rows], fmt.count),
        ("Errors", [x["errors"] for x in rows], fmt.count),
        ("Throttles", [x["throttles"] for x in rows], fmt.count),
        ("Duration p99", [x["duration_ms"]["p99"] for x in rows], fmt.ms),
        ("ConcurrentExec.", [x["concurrent_max"] for x in rows], fmt.count),
    ]
    for name, values, show in series:
        table.add_row(name, _sparkline(values, spark), show(max(values) if values else 0))
    states = "".join("█" if x["alarm"] == "ALARM" else "·" for x in rows)
    table.add_row(Text("alarm", style="bold"), Text(_squeeze(states, spark), style="red"), "")
    out.append(table)
    a = r["alarm"]
    alarm = Text("Alarm: ", style="bold")
    alarm.append(f"{a['metric']} >= {a['threshold']:g} in {a['datapoints']} of {a['periods']} one-minute periods. ")
    if a["fired_at_min"]:
        alarm.append(f"ALARM at minute {', '.join(map(str, a['fired_at_min']))}", style="red")
        if a["cleared_at_min"]:
            alarm.append(f", back to OK at minute {', '.join(map(str, a['cleared_at_min']))}")
        alarm.append(f" ({a['minutes_in_alarm']} minutes in ALARM).")
    else:
        alarm.append("It never fired.", style="green")
    out.append(alarm)
    t, th = r["totals"], r["theory"]
    out.append(Text(f"Totals: {fmt.count(t['requests'])} requests, {fmt.count(t['invocations'])} invocations, "
                    f"{fmt.count(t['errors'])} errors ({fmt.count(t['timeouts'])} timeouts), "
                    f"{fmt.count(t['throttles'])} throttles; mean concurrency {t['mean_concurrency']:.2f}; "
                    f"{fmt.money(t['cost_usd'])}."))
    out.append(Text(f"Closed forms: concurrency = rate x mean duration (Little's law): {th['calm_concurrency']:.2f} "
                    f"calm, {th['incident_concurrency']:.2f} in the incident; throttled share with a limit of "
                    f"{1000 if p['concurrency_limit'] is None else p['concurrency_limit']} (Erlang-B): "
                    f"{fmt.percent(th['calm_throttle_share'])} calm, {fmt.percent(th['incident_throttle_share'])} "
                    "in the incident.", style="dim"))
    logs = Text("CloudWatch Logs (a few lines):\n", style="bold")
    for entry in r["logs"]:
        for line in entry["lines"]:
            logs.append("  " + line + "\n", style="red" if "timed out" in line or "ERROR" in line else "")
    out.append(logs)
    x = r["traces"]
    if p["xray"]:
        out.append(Text(f"X-Ray: {fmt.count(x['sampled'])} of {fmt.count(x['invocations'])} invocations traced "
                        f"(expected {fmt.count(round(x['expected']))}: {x['rule']})."))
    out.append(Text("\n".join("Assumption: " + s for s in data["assumptions"]), style="dim"))
    out.append(interview_footer(FOOTER, explain_topic="monitoring"))
    return out


def _sparkline(values: list, width: int) -> str:
    values = _bucket(values, width)
    top = max(values) if values else 0
    if not top:
        return SPARK[0] * len(values)
    return "".join(SPARK[min(len(SPARK) - 1, int(v / top * (len(SPARK) - 1) + 0.5))] for v in values)


def _bucket(values: list, width: int) -> list:
    """At most `width` points: the max of each bucket, so a spike never disappears."""
    if len(values) <= width:
        return list(values)
    size = len(values) / width
    return [max(values[int(i * size):max(int((i + 1) * size), int(i * size) + 1)]) for i in range(width)]


def _squeeze(marks: str, width: int) -> str:
    if len(marks) <= width:
        return marks
    size = len(marks) / width
    return "".join("█" if "█" in marks[int(i * size):max(int((i + 1) * size), int(i * size) + 1)] else "·"
                   for i in range(width))
