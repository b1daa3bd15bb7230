"""The noisy-neighbours picture: each function's concurrency and throttles, before and after reserving."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.cold_start import sparkline
from lambda_prep.views.sims.common import interview_footer

FUNCTIONS = ("checkout", "search", "importer")
FOOTER = [
    "All functions in a Region share one concurrency pool (1,000 by default); one function's burst can use "
    "all of the unreserved part and throttle the rest (429 for sync callers).",
    "Reserved concurrency guarantees a function its share and caps it there at the same time; AWS keeps at "
    "least 100 unreserved, and every reservation shrinks the pool the others share.",
    "Cap the noisy function (reserve a small number, or SQS maximum concurrency for a queue consumer), reserve "
    "for the critical ones, raise the account quota, and alarm on Throttles and ClaimedAccountConcurrency.",
]


def render(result, width: int = 80) -> list:
    data = result.to_json()
    res, prm = data["results"], data["params"]
    out: list = [_header(res, prm)]
    for key in ("before", "after"):
        out.append(_charts(res, key))
    out.append(_comparison(res))
    out.append(Text(_lesson(res, prm), style="yellow"))
    out.append(interview_footer(FOOTER, explain_topic="concurrency"))
    return out


def frames(result, width: int = 80) -> list:
    res = result.to_json()["results"]
    count = len(res["before"]["series"])
    return [_charts(res, "before", upto=k) for k in range(1, count + 1)]


def _header(res: dict, prm: dict) -> Text:
    text = Text("noisy-neighbours: three functions, one account pool, one burst\n", style="bold")
    start, end = res["burst_start_s"], res["burst_start_s"] + prm["burst_s"]
    want = {n: rate * res["durations_s"][n] for n, rate in
            (("checkout", prm["checkout_rate"]), ("search", prm["search_rate"]), ("importer", prm["burst_rate"]))}
    text.append(f"account concurrency {fmt.count(prm['account_concurrency'])}; checkout wants about "
                f"{fmt.count(want['checkout'])} at once, search {fmt.count(want['search'])}; importer bursts to "
                f"{fmt.count(want['importer'])} from {fmt.duration(start)} to {fmt.duration(end)}", style="dim")
    return text


def _charts(res: dict, key: str, upto: int | None = None) -> Table:
    scenario = res[key]
    series = scenario["series"][:upto] if upto else scenario["series"]
    full = scenario["series"]
    reserved = scenario["reserved"]
    title = (f"{scenario['label'].capitalize()}: "
             + (", ".join(f"{n} {v}" for n, v in reserved.items()) + f"; the others share "
                f"{fmt.count(scenario['unreserved_pool'])}" if reserved else
                f"all three share {fmt.count(scenario['unreserved_pool'])}"))
    table = Table(title=title, title_justify="left", box=None, pad_edge=False, show_edge=False)
    table.add_column("function", no_wrap=True)
    table.add_column(f"concurrency, a bar = {fmt.duration(res['bucket_s'])}", no_wrap=True)
    table.add_column("peak", justify="right", no_wrap=True)
    table.add_column("throttles (429)", no_wrap=True)
    # one scale for both runs, so the two pictures compare at a glance
    both = res["before"]["series"] + res["after"]["series"]
    top = max(max(r["concurrency"].values()) for r in both) or 1
    top_throttles = max(max(r["throttled"].values()) for r in both) or 1
    for name in FUNCTIONS:
        line = sparkline([r["concurrency"][name] for r in series], top).ljust(len(full))
        throttles = sparkline([r["throttled"][name] for r in series], top_throttles).ljust(len(full))
        table.add_row(name, Text(line, style="cyan"),
                      fmt.count(scenario["functions"][name]["peak_concurrency"]), Text(throttles, style="red"))
    return table


def _comparison(res: dict) -> Table:
    before, after = res["before"]["functions"], res["after"]["functions"]
    reserved = res["after"]["reserved"]
    table = Table(title="Throttled requests, same traffic, before and after", title_justify="left")
    table.add_column("function")
    table.add_column("requests", justify="right")
    table.add_column("no reservations", justify="right")
    table.add_column("reserved", justify="right")
    table.add_column("with reservations", justify="right")
    for name in FUNCTIONS:
        b, a = before[name], after[name]
        table.add_row(name, fmt.count(b["requests"]),
                      f"{fmt.count(b['throttled'])} ({fmt.percent(b['throttled_ratio'])})",
                      fmt.count(reserved[name]) if name in reserved else "-",
                      f"{fmt.count(a['throttled'])} ({fmt.percent(a['throttled_ratio'])})")
    return table


def _lesson(res: dict, prm: dict) -> str:
    before, after = res["before"]["functions"], res["after"]["functions"]
    reserved = res["after"]["reserved"]
    theory = res["theory"]
    lines = []
    burst = theory["no reservations"]["burst"]["unreserved"]
    if prm["burst_rate"] and prm["burst_s"]:
        lines.append(f"During the burst the shared pool turns away {fmt.percent(burst)} of every function's requests "
                     "(Erlang-B: a full pool throttles all its users alike).")
    for name, cap in reserved.items():
        wanted = after[name]["peak_concurrency"]
        if after[name]["throttled"] > before[name]["throttled"]:
            lines.append(f"{name} is capped at {cap}: it now throttles {fmt.count(after[name]['throttled'])} requests "
                         "that the account had room for. A reservation is a ceiling too.")
        elif after[name]["throttled"] == 0:
            lines.append(f"{name} is safe: its {cap} are its own (it used up to {wanted}).")
        else:
            throttled, ratio = after[name]["throttled"], after[name]["throttled_ratio"]
            lines.append(f"{name} is capped at {cap}, below what it needs: it still throttles "
                         f"{fmt.count(throttled)} requests ({fmt.percent(ratio)}), burst or not. A reservation is "
                         "a ceiling too: size it to rate x duration.")
    pool_before, pool_after = res["before"]["unreserved_pool"], res["after"]["unreserved_pool"]
    others = [n for n in FUNCTIONS if n not in reserved]
    for name in others:
        lines.append(f"The cost: {name} now shares {fmt.count(pool_after)} instead of {fmt.count(pool_before)}, "
                     f"and its throttles went from {fmt.count(before[name]['throttled'])} to "
                     f"{fmt.count(after[name]['throttled'])}.")
    lines.append(f"ClaimedAccountConcurrency peaked at {fmt.count(res['after']['peak_claimed_account_concurrency'])}: "
                 "reservations count as claimed whether they run or not.")
    return "\n".join(lines)
