"""The front-door picture: seven requests through four doors, the slow request's bill, the limits."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import interview_footer

DOORS = ("rest", "http", "alb", "url")
HEADINGS = {"rest": "REST API", "http": "HTTP API", "alb": "ALB", "url": "function URL"}
CASE_TITLES = {
    "quick": "quick (200 ms)",
    "slow": "slow",
    "big": "big response",
    "malformed": "no statusCode",
    "error": "unhandled error",
    "throttled-by-lambda": "Lambda throttles",
    "throttled-by-front-door": "door throttles",
}
MARKS = {"documented": "", "observed": "*", "not documented": "?", "n/a": ""}
FOOTER = [
    "API Gateway gives up after its integration timeout (29 s for REST by default, at most 30 s for HTTP APIs) "
    "and answers 504, but the function runs on to its own timeout and is billed for all of it: set the function "
    "timeout below the integration timeout.",
    "A function error or a badly formed proxy response is a 502; a Lambda throttle behind API Gateway is a 500; "
    "API Gateway's own throttle is a 429 and never reaches Lambda. API Gateway does not retry.",
    "Limits: ALB 1 MB each way, Lambda 6 MB buffered, 200 MB streamed (function URL or API Gateway REST). For "
    "long work, answer 202 and continue asynchronously.",
]


def render(result, width: int = 80) -> list:
    data = result.to_json()
    res, prm = data["results"], data["params"]
    return [_header(prm), _matrix(res, prm), _slow(res, prm), _notes(res), _legend(),
            interview_footer(FOOTER, explain_topic="front-doors")]


def _header(prm: dict) -> Text:
    text = Text("front-door: one function behind four front doors\n", style="bold")
    text.append(f"the slow request runs {fmt.duration(prm['duration_s'])} (function timeout "
                f"{fmt.duration(prm['timeout_s'])}); API Gateway integration timeout "
                f"{fmt.duration(prm['integration_timeout_s'])}; big response {fmt.count(prm['response_kb'])} KB, "
                f"{'streamed' if prm['streaming'] else 'buffered'}; {prm['memory_mb']:,} MB", style="dim")
    return text


def _cell(cell: dict) -> Text:
    if cell["status"] is None:
        return Text("-" if cell["sure"] == "n/a" else "error ?", style="dim")
    status = cell["status"]
    style = "green" if status == 200 else ("yellow" if status == 429 else "red")
    text = Text(f"{status}{MARKS[cell['sure']]}", style=style)
    if cell["caller_waits_s"] and cell["caller_waits_s"] >= 1:
        text.append(f" {fmt.duration(cell['caller_waits_s'])}", style="dim")
    return text


def _matrix(res: dict, prm: dict) -> Table:
    table = Table(title="What the caller gets (status, and how long it waited)", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("request", no_wrap=True)
    for door in DOORS:
        table.add_column(HEADINGS[door], justify="center", no_wrap=True)
    for case in res["cases"]:
        title = CASE_TITLES[case]
        if case == "slow":
            title = f"slow ({fmt.duration(prm['duration_s'])})"
        elif case == "big":
            title = f"big ({fmt.count(round(prm['response_kb'] / 1024, 1))} MB)"
        table.add_row(title, *[_cell(res["doors"][door]["cases"][case]) for door in DOORS])
    return table


def _slow(res: dict, prm: dict) -> Text:
    rest = res["doors"]["rest"]["cases"]["slow"]
    bill = res["slow_request"]
    text = Text("The slow request: ", style="bold")
    if rest["status"] == 504:
        text.append(f"the REST API answered 504 after {fmt.duration(rest['caller_waits_s'])}; the function ran "
                    f"on and Lambda billed {fmt.count(bill['billed_ms'])} ms at {prm['memory_mb']:,} MB "
                    f"({fmt.money(bill['cost_usd'])}) for an answer nobody received.", style="yellow")
    elif rest["status"] == 502:
        text.append(f"the function timed out at {fmt.duration(prm['timeout_s'])}, so every door answered an error; "
                    f"Lambda billed {fmt.count(bill['billed_ms'])} ms ({fmt.money(bill['cost_usd'])}).",
                    style="yellow")
    else:
        text.append(f"every door waited; Lambda billed {fmt.count(bill['billed_ms'])} ms "
                    f"({fmt.money(bill['cost_usd'])}).", style="green")
    traffic = res["traffic"]
    theory = traffic["theory"]
    text.append(f"\nUnder traffic ({fmt.count(traffic['requests'])} requests, handler time exponential with mean "
                f"{fmt.ms(prm['duration_ms'])}): {fmt.percent(traffic['gateway_timeout_ratio'])} got 504 from the "
                f"REST API (theory {fmt.percent(theory['gateway_timeout_ratio'])}); Lambda billed "
                f"{fmt.duration(traffic['billed_after_caller_left_per_request_s'])} a request after the caller had "
                f"gone (theory {fmt.duration(theory['billed_after_caller_left_per_request_s'])}): "
                f"{fmt.money(traffic['cost_after_caller_left_per_million_usd'])} per million requests for answers "
                "nobody got.")
    if traffic["function_timeouts"]:
        text.append(f" {fmt.count(traffic['function_timeouts'])} requests hit the function's own "
                    f"{fmt.duration(prm['timeout_s'])} timeout.")
    if traffic["gateway_timeouts"] and prm["timeout_s"] > (res["doors"]["rest"]["timeout_s"] or 0):
        text.append(" Set the function timeout below the integration timeout.", style="bold")
    return text


def _notes(res: dict) -> Table:
    """The non-200 answers worth a sentence, one per line, wrapped under their door."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(overflow="fold")
    picks = (("rest", "malformed"), ("http", "malformed"), ("alb", "big"), ("rest", "big"),
             ("rest", "throttled-by-lambda"), ("rest", "throttled-by-front-door"))
    for door, case in picks:
        cell = res["doors"][door]["cases"][case]
        if cell["status"] == 200 and case == "big":
            continue
        table.add_row(f"{HEADINGS[door]}, {CASE_TITLES[case]}:", Text(cell["what"], style="dim"))
    return table


def _legend() -> Text:
    return Text("* observed (reported by users or following from how the door works; not stated by AWS)   "
                "? AWS does not say   - the door has no such throttle", style="dim")
