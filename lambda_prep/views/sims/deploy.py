"""The deploy picture: the alias's weight over time, errors and the alarm, and all nine configurations."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.cold_start import sparkline
from lambda_prep.views.sims.common import interview_footer

FOOTER = [
    "Publish a version, point an alias at it, and let CodeDeploy shift the alias's weight: canary (10 % then "
    "the rest), linear (10 % more every N minutes) or all at once.",
    "Attach a CloudWatch alarm on the alias's errors (and latency) to the deployment group with automatic "
    "rollback: the alias goes back to the old version, no redeploy needed.",
    "Pre-traffic and post-traffic hooks test the new version before any user sees it and again at 100 %; a "
    "canary limits how many users see a bad version to its first step.",
]


def render(result, width: int = 80) -> list:
    data = result.to_json()
    res, prm = data["results"], data["params"]
    return [_header(res, prm), _chart(res), _verdict(res, prm), _comparison(res),
            interview_footer(FOOTER, explain_topic="deployment")]


def frames(result, width: int = 80) -> list:
    res = result.to_json()["results"]
    return [_chart(res, upto=k) for k in range(1, len(res["series"]) + 1)]


def _header(res: dict, prm: dict) -> Text:
    config = res["config"]
    steps = {"canary": f"{config['percent']} % first, the rest after {config['minutes']} min",
             "linear": f"{config['percent']} % more every {config['minutes']} min",
             "all-at-once": "all traffic at once"}[config["kind"]]
    text = Text(f"deploy: CodeDeployDefault.{config['name']} ({steps})\n", style="bold")
    text.append(f"{prm['arrival_rate']:g} requests/s; the new version fails {fmt.percent(prm['new_error_rate'])}, "
                f"the old {fmt.percent(prm['baseline_error_rate'])}; alarm at {prm['alarm_threshold']} errors a "
                f"minute ({'attached, with rollback' if prm['alarm'] else 'not attached to the deployment'}); "
                f"hooks: pre {prm['pre_hook']}, post {prm['post_hook']}", style="dim")
    return text


def _chart(res: dict, upto: int | None = None) -> Table:
    full = res["series"]
    rows = full[:upto] if upto else full
    span = len(full) * res["bucket_s"]
    table = Table(title=f"From the first shift (t = 0) to {fmt.duration(span)}; one bar = "
                        f"{fmt.duration(res['bucket_s'])}", title_justify="left", box=None, pad_edge=False,
                  show_edge=False, show_header=False)
    table.add_column("", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("", justify="right", no_wrap=True)
    weights = [r["weight"] for r in rows]
    table.add_row("weight on new", Text(sparkline(weights, 1.0).ljust(len(full)), style="cyan"), "max 100%")
    top_new = max([r["on_new"] for r in full] or [0]) or 1
    table.add_row("requests to new", Text(sparkline([r["on_new"] for r in rows], top_new).ljust(len(full)),
                                          style="cyan"), f"max {fmt.count(top_new)}")
    top_err = max([r["errors"] for r in full] or [0]) or 1
    table.add_row("alias Errors", Text(sparkline([r["errors"] for r in rows], top_err).ljust(len(full)),
                                       style="red"), f"max {fmt.count(top_err)}")
    marks = "".join("▲" if r["alarm"] else " " for r in rows).ljust(len(full))
    table.add_row("alarm", Text(marks, style="bold red"), "")
    return table


def _verdict(res: dict, prm: dict) -> Text:
    status = res["status"]
    good = status == "succeeded" and prm["new_error_rate"] <= prm["baseline_error_rate"]
    text = Text(f"Deployment {status}", style="bold green" if status.startswith("rolled") or good else "bold red")
    if res["alarm_at_s"] is not None:
        text.append(f"; the alarm fired {fmt.duration(res['alarm_at_s'])} after the first shift")
    text.append(".\n")
    if status.startswith("failed"):
        text.append("The pre-traffic hook failed: no request ever reached the new version.")
        return text
    text.append(f"While it ran ({fmt.duration(res['ended_at_s'])}): {fmt.count(res['on_new_version'])} of "
                f"{fmt.count(res['requests_during_deployment'])} requests went to the new version "
                f"({fmt.percent(res['exposed_share'])}), {fmt.count(res['errors_new_version'])} of them failed.")
    if status == "succeeded" and not prm["alarm"] and res["alarm_at_s"] is not None:
        text.append("\nThe alarm fired but was not attached to the deployment: the bad version now takes all the "
                    "traffic.", style="bold red")
    return text


def _comparison(res: dict) -> Table:
    table = Table(title="All nine configurations, same traffic and alarm (expected values, no randomness)",
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("config", overflow="fold")
    table.add_column("100 % after", justify="right")
    table.add_column("alarm", justify="right")
    table.add_column("on new version", justify="right")
    table.add_column("failed", justify="right")
    chosen = res["config"]["name"]
    for row in res["comparison"]:
        alarm = "-" if row["alarm_at_s"] is None else fmt.duration(row["alarm_at_s"])
        name = row["config"].removeprefix("Lambda")
        table.add_row(Text(name + (" ◀" if row["config"] == chosen else ""),
                           style="bold" if row["config"] == chosen else ""),
                      fmt.duration(row["full_shift_after_s"]) if row["full_shift_after_s"] else "at once", alarm,
                      fmt.count(round(row["exposed"])), fmt.count(round(row["bad"])))
    table.caption = ("An alarm that fires in the first minute holds every configuration to its first step. A "
                     "subtler bug waits for more traffic before the alarm sees it, and then the configurations "
                     "differ: try --new-error-rate 0.03 --alarm-threshold 5.")
    table.caption_justify = "left"
    return table
