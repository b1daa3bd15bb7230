"""The security picture: one request's decision trace, who may invoke, what the function may touch."""

from __future__ import annotations

import json

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from lambda_prep.sims.iam import ALLOW, EXPLICIT_DENY, IMPLICIT_DENY
from lambda_prep.views.sims.common import interview_footer

_STYLE = {ALLOW: "bold green", EXPLICIT_DENY: "bold red", IMPLICIT_DENY: "bold yellow"}
_WORD = {ALLOW: "Allow", EXPLICIT_DENY: "Deny (explicit)", IMPLICIT_DENY: "Deny (implicit)"}


def _decision(decision: str) -> Text:
    return Text(_WORD[decision], style=_STYLE[decision])


def _why(evaluation) -> str:
    if evaluation.decision == ALLOW:
        text = "allowed by " + evaluation.deciding
        return text + " (cross-account: both sides allow)" if evaluation.cross_account else text
    if evaluation.decision == EXPLICIT_DENY:
        return "denied by " + evaluation.deciding
    if evaluation.cross_account:
        missing = []
        if not evaluation.identity_allow:
            missing.append("its own account's identity policy does not allow it")
        if not evaluation.resource_allow:
            missing.append("the function's resource policy does not name it")
        return "cross-account needs both: " + "; ".join(missing)
    for check in evaluation.checks:
        if not check.applies and check.why.startswith("condition"):
            return f"{check.statement}: {check.why}"
    return "nothing allows it"


def _short(arn: str) -> str:
    """arn:aws:SERVICE:REGION:ACCOUNT:REST -> SERVICE:REST (IAM principals keep their account)."""
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn":
        if parts[2] in ("iam", "sts"):
            return f"{parts[4]}:{parts[5]}"
        return f"{parts[2]}:{parts[5]}"
    return arn


def _compact_policy(policy: dict) -> str:
    lines = ['{"Version": "2012-10-17", "Statement": [']
    statements = policy.get("Statement", [])
    for i, statement in enumerate(statements):
        lines.append("  " + json.dumps(statement) + ("," if i < len(statements) - 1 else ""))
    lines.append("]}")
    return "\n".join(lines)


def _request_panel(result) -> Panel:
    r = result.main.request
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("principal", r.principal)
    grid.add_row("action", r.action)
    grid.add_row("resource", r.resource)
    if r.context:
        grid.add_row("context", ", ".join(f"{k}={v}" for k, v in r.context))
    grid.add_row("policies", f"identity: {result.params.identity_source}\nresource: {result.params.resource_source}")
    return Panel(grid, title="The request", title_align="left")


def _trace_table(result, rows: int | None = None) -> Table:
    table = Table(title="Decision trace: every statement checked", title_justify="left", expand=False)
    table.add_column("policy")
    table.add_column("statement")
    table.add_column("effect")
    table.add_column("applies?")
    table.add_column("why", overflow="fold")
    checks = result.main.checks if rows is None else result.main.checks[:rows]
    for check in checks:
        applies = Text("yes", style="bold") if check.applies and check.counts else \
            Text("matched, delegates", style="dim") if check.applies else Text("no", style="dim")
        table.add_row(check.policy, check.statement, check.effect, applies, check.why)
    return table


def _steps(result, upto: int | None = None) -> Group:
    lines = [Text(step) for step in result.main.steps[:upto]]
    if upto is not None:
        return Group(*lines)
    final = Text("Decision: ", style="bold")
    final.append_text(_decision(result.main.decision))
    if result.main.deciding:
        final.append(f"  ({result.main.deciding})")
    return Group(*lines, final)


def render(result, width: int = 80) -> list:
    out: list = [
        Text("security: one request through IAM policy evaluation (explicit deny > allow > implicit deny)",
             style="bold"),
        _request_panel(result),
        _trace_table(result),
        _steps(result),
        Text(""),
    ]

    who = Table(title=f"Who may invoke {result.params.function_arn.rsplit(':', 1)[-1]}? "
                      "(lambda:InvokeFunction against its resource-based policy)", title_justify="left")
    who.add_column("caller")
    who.add_column("principal", overflow="fold")
    who.add_column("decision")
    who.add_column("why", overflow="fold")
    for probe in result.who_may_invoke:
        who.add_row(probe.label, _short(probe.evaluation.request.principal), _decision(probe.evaluation.decision),
                    _why(probe.evaluation))
    out.append(who)

    touch = Table(title="What may the function touch? (requests by its execution role)", title_justify="left")
    touch.add_column("call")
    touch.add_column("action", overflow="fold")
    touch.add_column("resource", overflow="fold")
    touch.add_column("now")
    if result.suggested_policy is not None:
        touch.add_column("after fix")
    for probe in result.what_may_touch:
        r = probe.evaluation.request
        row = [probe.label, r.action, _short(r.resource), _decision(probe.evaluation.decision)]
        if result.suggested_policy is not None:
            row.append(_decision(probe.after_fix))
        touch.add_row(*row)
    out.append(touch)

    if result.findings:
        table = Table(title="Over-broad statements", title_justify="left")
        table.add_column("policy")
        table.add_column("statement")
        table.add_column("problem")
        table.add_column("least-privilege fix")
        for f in result.findings:
            table.add_row(f.policy, f.statement, Text(f.problem, style="red"), f.fix)
        out.append(table)
    else:
        out.append(Text("No over-broad statements found (no Action/Resource \"*\", no unscoped service principal).",
                        style="green"))

    if result.suggested_policy is not None:
        note = (f"Built from the {len(result.used)} calls the function makes (as CloudTrail would show them); "
                "Deny statements kept as guardrails. Every call still allowed: "
                + ("yes" if result.used_allowed_after_fix else "NO") + ".")
        out.append(Panel(Group(Text(note, style="dim"), Text(_compact_policy(result.suggested_policy))),
                         title="Suggested least-privilege execution role policy", title_align="left"))
    elif result.findings:
        out.append(Text("Give the calls the function makes (--used ACTION=RESOURCE, repeatable) to get a "
                        "generated least-privilege policy.", style="dim"))

    out.append(Text("\n".join("• " + n for n in result.notes), style="dim"))
    out.append(interview_footer([
        "An explicit Deny anywhere wins; otherwise, in one account an Allow in EITHER the identity or the "
        "resource policy is enough, but cross-account needs both sides to allow.",
        "The execution role says what the function may touch; the resource-based policy says who may invoke "
        "it (S3, SNS... scoped with aws:SourceArn and aws:SourceAccount).",
        "Least privilege: exact actions and ARNs instead of \"*\"; IAM Access Analyzer can generate a policy "
        "from CloudTrail activity.",
    ], explain_topic="security"))
    return out


def frames(result, width: int = 80) -> list:
    """The trace revealed one statement at a time, then each evaluation step, then the decision."""
    n = len(result.main.checks)
    shown = [Group(_request_panel(result), _trace_table(result, rows=k)) for k in range(n + 1)]
    for k in range(1, len(result.main.steps) + 1):
        shown.append(Group(_request_panel(result), _trace_table(result), _steps(result, upto=k)))
    shown.append(Group(_request_panel(result), _trace_table(result), _steps(result)))
    return shown
