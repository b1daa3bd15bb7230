"""The managed-instances picture: one multi-concurrent environment, the fleet, shared state, surge, cost."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims import format as fmt
from lambda_prep.views.sims.common import interview_footer

FOOTER = [
    "Lambda Managed Instances run your function on EC2 instances in your account that Lambda manages: each "
    "environment takes many requests at once (64 per vCPU for Node.js, 32 for Java and .NET, 16 for Python).",
    "So code must be safe to share: no per-request data in globals, unique /tmp names, pooled connections; "
    "Python gets a process per request (private globals, but memory times the processes).",
    "It scales on CPU in the background, not per request: no cold starts, but traffic that more than doubles "
    "within 5 minutes can be throttled. You pay the EC2 price plus a management fee, not GB-seconds: it wins "
    "for steady, high traffic and loses for spiky or idle functions.",
]


def render(result, width: int = 80) -> list:
    data = result.to_json()
    p, r = data["params"], data["results"]
    env, fleet, share, surge, cost = r["environment"], r["fleet"], r["sharing"], r["surge"], r["cost"]
    out: list = []
    head = Text("managed-instances: ", style="bold")
    head.append(f"{p['arrival_rate']:g} requests/s of {fmt.ms(p['duration_ms'])} ({fmt.ms(p['cpu_ms'])} of CPU) on "
                f"{p['runtime']}, environments of {p['vcpus']} vCPU and {fmt.count(env['memory_mb'])} MB.")
    out.append(head)

    table = Table(title="One execution environment", title_justify="left")
    table.add_column("")
    table.add_column("value", justify="right")
    table.add_column("why")
    table.add_row("max concurrency", fmt.count(env["max_concurrency"]),
                  "PerExecutionEnvironmentMaxConcurrency" + ("" if p["max_concurrency"] else
                                                             f" default for {p['runtime']} x {p['vcpus']} vCPU"))
    table.add_row("memory at that concurrency", Text(f"{fmt.count(env['memory_at_max_mb'])} MB",
                                                     style="red" if env["out_of_memory_at_max"] else "green"),
                  "a process per request, each with its own init" if p["runtime"] == "python"
                  else "one copy of the runtime, plus each request's working memory")
    table.add_row("requests that fit", fmt.count(env["usable_concurrency"]),
                  "out of memory above this" if env["out_of_memory_at_max"] else "all of them")
    table.add_row("throughput", f"{fmt.count(env['throughput_rps'])} req/s",
                  f"limited by {env['limited_by']}: CPU allows {fmt.count(env['cpu_bound_rps'])}, concurrency "
                  f"{fmt.count(env['concurrency_bound_rps'])}")
    out.append(table)

    out.append(Text(f"Fleet: {fleet['environments']} environments ({fleet['needed_for_traffic']} for the traffic at "
                    f"{fmt.percent(p['target_utilization'])} target CPU, at least {fleet['minimum']}); CPU "
                    f"{fmt.percent(fleet['cpu_utilization'])}; {fmt.count(fleet['in_flight_per_environment'])} "
                    f"requests in flight per environment. The default Lambda would run "
                    f"{fmt.count(fleet['default_lambda_concurrency'])} single-request environments instead."))

    race = Table(title="Shared state: the chance another request gets in between", title_justify="left")
    race.add_column("what")
    race.add_column("shared by")
    race.add_column("closed form", justify="right")
    race.add_column("simulated", justify="right")
    race.add_row("a global set per request", share["globals_shared_by"],
                 fmt.percent(share["global_overwritten_probability"]), fmt.percent(share["global_overwritten_simulated"]))
    race.add_row("a fixed /tmp file name", "every request in the environment",
                 fmt.percent(share["tmp_collision_probability"]), fmt.percent(share["tmp_collision_simulated"]))
    out.append(race)
    out.append(Text(f"Closed form: {share['formula']}. On the default Lambda both are 0: one request per "
                    "environment at a time.", style="dim"))

    if surge["throttled_requests"]:
        share10 = surge["throttled_share_first_10_min"]
        tail = f", {fmt.percent(share10)} of the first 10 minutes' requests" if share10 is not None else ""
        out.append(Text(f"Surge to {fmt.count(surge['to_rps'])} req/s: capacity {fmt.count(surge['capacity_rps'])} "
                        f"req/s catches up in {fmt.duration(surge['catch_up_s'])}; about "
                        f"{fmt.count(surge['throttled_requests'])} requests throttled{tail}. The default Lambda "
                        "would start new environments for them (cold starts, up to 1,000 every 10 s).",
                        style="yellow"))
    else:
        out.append(Text(f"Surge to {fmt.count(surge['to_rps'])} req/s: absorbed by the headroom "
                        f"({fmt.count(surge['capacity_rps'])} req/s of capacity).", style="green"))

    money = Text("Cost per 730-hour month: ", style="bold")
    money.append(f"default Lambda {fmt.money(cost['default_lambda_usd'])} ({fmt.count(cost['requests_per_month'])} "
                 f"requests at {p['memory_mb']:,} MB, free tier ignored). Managed Instances: "
                 f"{fmt.count(cost['lmi_vcpu_hours'])} vCPU-hours at the EC2 price + "
                 f"{fmt.percent(cost['management_fee'])} + {fmt.money(cost['lmi_requests_usd'])} of requests. ")
    per_hour = cost["break_even_usd_per_vcpu_hour"]
    money.append(f"Break-even: {fmt.money(per_hour)} per vCPU-hour ({fmt.money(per_hour * 730)} per vCPU-month)",
                 style="bold")
    money.append(" (look up your instance type's on-demand price; this tool has no EC2 prices).")
    out.append(money)
    out.append(Text("\n".join("Assumption: " + a for a in data["assumptions"]), style="dim"))
    out.append(interview_footer(FOOTER, explain_topic="whats-new"))
    return out
