"""The lifecycle picture: one environment's phases, what each request finds, and the bill."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import interview_footer

FOOTER = [
    "An environment goes INIT (extensions, runtime, your code outside the handler) -> INVOKE, again and again, "
    "frozen in between -> SHUTDOWN (0, 500 or 2,000 ms by extensions). Since 1 Aug 2025 INIT is billed too.",
    "Globals, /tmp and open connections survive warm starts: reuse clients, but expect a connection closed "
    "while the environment was frozen, and never keep one request's data in a global.",
    "Await your work before returning: code left running is frozen with the environment, resumes during some "
    "later request, or is lost at shutdown. Flush telemetry in an extension or before the handler returns.",
    "SnapStart restores a snapshot taken at publish time instead of running INIT; you pay only the billed "
    "restore (runtime load and after-restore hooks).",
]
START = {"cold": ("cold", "yellow"), "warm": ("warm", "green"), "restore": ("restore", "cyan"),
         "re-init": ("re-init", "red")}


def render(result, width: int = 80) -> list:
    data = result.to_json()
    p, r = data["params"], data["results"]
    out: list = []
    head = Text("lifecycle: ", style="bold")
    extension = "no extension" if p["extension"] == "none" else f"an {p['extension']} extension"
    head.append(f"{p['requests']} requests {fmt.duration(p['gap_s'])} apart to one environment "
                f"({p['runtime']}, {p['memory_mb']:,} MB, {extension}, SnapStart {'on' if p['snapstart'] else 'off'}"
                f"); each request starts {fmt.ms(p['background_ms'])} of work it does not await.")
    out.append(head)
    out.append(_phases(r["phases"], min(width, 100) - 4))
    out.append(_table(r["invocations"]))
    t = r["totals"]
    bill = Text("Bill: ", style="bold")
    bill.append(f"{fmt.count(t['billed_ms'])} billed ms for {p['requests']} requests, of which INIT "
                f"{fmt.count(round(t['init_billed_ms']))} ms ({fmt.percent(t['init_share_of_bill'])}); "
                f"{fmt.money(t['cost_usd'])}. Billed = INIT + INVOKE (handler + extension work), rounded up to 1 ms.")
    out.append(bill)
    s = r["shutdown"]
    down = Text("Shutdown: ", style="bold")
    down.append(f"the environment is reclaimed at {fmt.duration(s['at_s'])} (the keep-alive assumption); "
                f"{s['signal']}; limit {s['limit_ms']:,} ms, then SIGKILL.")
    if s["lost_background"]:
        lost = ", ".join(f"request {b['from']} ({fmt.ms(b['left_ms'])} left)" for b in s["lost_background"])
        down.append(f" Background work never finished: {lost}.", style="red")
    out.append(down)
    out.append(Text("\n".join("Assumption: " + a for a in data["assumptions"]), style="dim"))
    out.append(interview_footer(FOOTER, explain_topic="fundamentals"))
    return out


def _phases(phases: list, width: int) -> Text:
    """The first request's phases as a bar: INIT (or RESTORE), then INVOKE."""
    first = [ph for ph in phases if ph[3] == 1]
    text = Text("Request 1: ", style="bold")
    total = sum(end - start for _, start, end, _ in first) or 1.0
    room = max(10, width - 40)
    for name, start, end, _ in first:
        cells = max(1, round(room * (end - start) / total))
        style = {"INIT": "yellow", "RESTORE": "cyan", "INVOKE": "green"}.get(name, "")
        text.append("█" * cells, style=style)
    text.append("  " + " + ".join(f"{name} {fmt.ms((end - start) * 1000)}" for name, start, end, _ in first))
    return text


def _table(rows: list) -> Table:
    table = Table(title="Each request: what it starts with, what it finds, what it costs", title_justify="left")
    for name in ("#", "at s", "start", "waits ms", "billed ms", "global", "/tmp", "conn.", "pending ms"):
        table.add_column(name, justify="right" if name in ("#", "at s", "waits ms", "billed ms", "global") else "left",
                         no_wrap=name != "pending ms")
    for row in rows:
        label, style = START[row["start"]]
        if row["timed_out"]:
            label, style = "timeout", "red"
        left = ", ".join(f"#{b['from']} {fmt.count(round(b['left_ms']))}" for b in row["background"]) or "-"
        table.add_row(str(row["number"]), fmt.count(round(row["at_s"], 1)), Text(label, style=style),
                      fmt.count(round(row["latency_ms"], 1)), fmt.count(row["billed_ms"]), str(row["counter"]),
                      row["tmp_cache"], Text(row["connection"], style="yellow" if row["connection"] == "stale" else ""),
                      left)
    table.caption = ("waits = what the caller waits (INIT + handler); billed adds the extension's work after the "
                     "response; global = a counter kept in a global; stale = the far end closed the connection "
                     "while the environment was frozen: reconnect; pending = background work not finished yet, "
                     "by the request that started it")
    table.caption_justify = "left"
    return table
