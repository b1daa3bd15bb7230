"""IAM policy evaluation, the part a Lambda interview needs: a pure decision function with a trace.

What is modelled (AWS IAM User Guide, "Policy evaluation logic" and "How AWS enforcement code logic
evaluates requests"; lambda-facts.md §10; simulation-notes.md F11):
- every request starts as an implicit deny;
- an applicable explicit Deny in any policy wins;
- within one account the Allows of the identity-based and resource-based policies are a union:
  either one is enough;
- across accounts both sides must Allow (the caller's identity policy in its account and the
  resource policy on the function);
- an AWS service principal (s3.amazonaws.com, ...) has no identity policy: only the resource policy
  is evaluated for it.

Matching: `*` (any run of characters, also none) and `?` (exactly one character) in Action,
NotAction, Resource and NotResource; actions are case-insensitive, resources case-sensitive. In
Principal only the whole value "*" is a wildcard: AWS rejects partial wildcards in a principal
("Unsupported Wildcard In Principal"); match principal patterns with the aws:PrincipalArn condition
key and ArnLike instead. Conditions: String(Not)Equals, String(Not)Like, Arn(Not)Equals, Arn(Not)Like.

Not modelled (say so rather than guess): SCPs/RCPs, permissions boundaries, session policies, the
root user's full access, NotPrincipal, other condition operators, policy variables.

Model reading (labelled in the output): a resource policy that names a whole account
("arn:aws:iam::ACCOUNT:root" or "ACCOUNT") delegates to that account's identity policies, so it
satisfies the resource side of a cross-account request but grants nothing on its own to a user or
role in the function's own account.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from lambda_prep.sims.common import ParamError

ALLOW = "Allow"
EXPLICIT_DENY = "ExplicitDeny"
IMPLICIT_DENY = "ImplicitDeny"

SOURCES = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
)

CONDITION_OPERATORS = (
    "StringEquals", "StringNotEquals", "StringLike", "StringNotLike",
    "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike",
)


# --- the decision itself: the truth table ------------------------------------------------------

def decide(identity_allow: bool, resource_allow: bool, explicit_deny: bool, cross_account: bool = False) -> str:
    """The final decision from the three facts a trace establishes (plus whether accounts differ).

    Explicit deny wins; then, in one account, either Allow is enough; across accounts, both are
    needed; otherwise the request stays implicitly denied.
    """
    if explicit_deny:
        return EXPLICIT_DENY
    if cross_account:
        return ALLOW if (identity_allow and resource_allow) else IMPLICIT_DENY
    return ALLOW if (identity_allow or resource_allow) else IMPLICIT_DENY


# --- wildcards ---------------------------------------------------------------------------------

@lru_cache(maxsize=1024)
def _pattern(pattern: str, ignore_case: bool) -> re.Pattern:
    parts = []
    for char in pattern:
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def wildcard_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM-style glob: `*` any run of characters (also none), `?` exactly one character."""
    return _pattern(pattern, ignore_case).fullmatch(value) is not None


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


# --- principals --------------------------------------------------------------------------------

_ACCOUNT = re.compile(r"^\d{12}$")
_IAM_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:(iam|sts)::(\d{12}):(.+)$")


def account_of(principal: str) -> str | None:
    """The 12-digit account of an IAM or STS ARN (or a bare account id); None for services."""
    if _ACCOUNT.match(principal):
        return principal
    match = _IAM_ARN.match(principal)
    return match.group(2) if match else None


def is_service(principal: str) -> bool:
    return principal.endswith(".amazonaws.com") or principal.endswith(".amazonaws.com.cn")


def account_of_resource(arn: str) -> str | None:
    """The account field (5th) of a resource ARN, when it has one."""
    parts = arn.split(":", 5)
    if len(parts) >= 5 and _ACCOUNT.match(parts[4]):
        return parts[4]
    return None


def role_of_session(principal: str) -> str | None:
    """arn:aws:sts::ACCT:assumed-role/NAME/SESSION -> arn:aws:iam::ACCT:role/NAME."""
    match = re.match(r"^arn:(aws[a-zA-Z-]*):sts::(\d{12}):assumed-role/([^/]+)/.+$", principal)
    if not match:
        return None
    return f"arn:{match.group(1)}:iam::{match.group(2)}:role/{match.group(3)}"


@dataclass(frozen=True)
class Principal:
    kind: str  # "*", "AWS", "Service", "Federated"
    value: str

    @property
    def is_account(self) -> bool:
        return self.kind == "AWS" and (bool(_ACCOUNT.match(self.value)) or self.value.endswith(":root"))

    def label(self) -> str:
        return "*" if self.kind == "*" else f"{self.kind}: {self.value}"

    def matches(self, principal: str) -> bool:
        if self.kind == "*" or (self.kind == "AWS" and self.value == "*"):
            return True
        if self.kind == "Service":
            return principal == self.value
        if self.kind == "AWS":
            if self.is_account:
                return account_of(principal) == account_of(self.value)
            if principal == self.value:
                return True
            return role_of_session(principal) == self.value  # a role ARN covers its sessions
        return principal == self.value  # Federated


# --- policies ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Condition:
    operator: str
    key: str
    values: tuple[str, ...]

    def holds(self, context: Mapping[str, str]) -> bool:
        lowered = {k.lower(): v for k, v in context.items()}
        value = lowered.get(self.key.lower())
        negated = "Not" in self.operator
        if value is None:
            return negated  # a missing key never matches; a negated operator is then true
        if self.operator.endswith("Like"):
            hit = any(wildcard_match(v, value) for v in self.values)
        else:
            hit = value in self.values
        return not hit if negated else hit

    def label(self) -> str:
        shown = self.values[0] if len(self.values) == 1 else list(self.values)
        return f"{self.operator} {self.key} = {shown}"


@dataclass(frozen=True)
class Statement:
    index: int
    sid: str
    effect: str
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    principals: tuple[Principal, ...] | None  # None: identity policy (no Principal element)
    conditions: tuple[Condition, ...]

    @property
    def name(self) -> str:
        return self.sid or f"Statement[{self.index}]"

    def action_matches(self, action: str) -> bool:
        hit = any(wildcard_match(p, action, ignore_case=True) for p in self.actions)
        return not hit if self.not_action else hit

    def resource_matches(self, resource: str) -> bool:
        hit = any(wildcard_match(p, resource) for p in self.resources)
        return not hit if self.not_resource else hit

    def to_json(self) -> dict:
        out: dict[str, Any] = {"Sid": self.sid} if self.sid else {}
        out["Effect"] = self.effect
        if self.principals is not None:
            out["Principal"] = [p.label() for p in self.principals]
        out["NotAction" if self.not_action else "Action"] = list(self.actions)
        out["NotResource" if self.not_resource else "Resource"] = list(self.resources)
        if self.conditions:
            out["Condition"] = [c.label() for c in self.conditions]
        return out


@dataclass(frozen=True)
class Policy:
    kind: str  # "identity" or "resource"
    source: str
    statements: tuple[Statement, ...]
    document: Mapping[str, Any] = field(default_factory=dict, compare=False)


def parse_policy_text(text: str, *, kind: str, source: str) -> Policy:
    """Parse a policy from JSON text; ParamError names the source and the problem."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParamError(f"{source}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    return parse_policy(document, kind=kind, source=source)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ParamError(f"{where} must be a string or a non-empty list of strings")


def parse_policy(document: Any, *, kind: str, source: str) -> Policy:
    """Check and parse a policy document (a dict as in IAM JSON). ParamError says where and why."""
    if kind not in ("identity", "resource"):
        raise ValueError(kind)
    if not isinstance(document, dict):
        raise ParamError(f"{source}: a policy must be a JSON object with a \"Statement\"")
    raw = document.get("Statement")
    if raw is None:
        raise ParamError(f"{source}: the policy has no \"Statement\"")
    raw_statements = [raw] if isinstance(raw, dict) else raw
    if not isinstance(raw_statements, list) or not raw_statements:
        raise ParamError(f"{source}: \"Statement\" must be an object or a non-empty list of objects")
    statements = []
    for index, item in enumerate(raw_statements):
        where = f"{source}: Statement[{index}]"
        if not isinstance(item, dict):
            raise ParamError(f"{where} must be a JSON object")
        effect = item.get("Effect")
        if effect not in (ALLOW, "Deny"):
            raise ParamError(f"{where}: \"Effect\" must be \"Allow\" or \"Deny\", got {effect!r}")
        actions, not_action = _pick(item, "Action", "NotAction", where)
        resources, not_resource = _pick(item, "Resource", "NotResource", where)
        for action in actions:
            if action != "*" and ":" not in action:
                raise ParamError(f"{where}: action {action!r} must look like service:Action (or be \"*\")")
        if "NotPrincipal" in item:
            raise ParamError(f"{where}: NotPrincipal is not modelled by this simulator (AWS advises against it)")
        principals = None
        if kind == "identity":
            if "Principal" in item:
                raise ParamError(f"{where}: an identity-based policy cannot have a Principal "
                                 "(the principal is the identity the policy is attached to)")
        else:
            if "Principal" not in item:
                raise ParamError(f"{where}: a resource-based policy statement needs a Principal")
            principals = _principals(item["Principal"], where)
        conditions = _conditions(item.get("Condition"), where)
        sid = item.get("Sid", "")
        if not isinstance(sid, str):
            raise ParamError(f"{where}: \"Sid\" must be a string")
        statements.append(Statement(index, sid, effect, actions, not_action, resources, not_resource,
                                    principals, conditions))
    return Policy(kind, source, tuple(statements), document)


def _pick(item: dict, name: str, not_name: str, where: str) -> tuple[tuple[str, ...], bool]:
    if name in item and not_name in item:
        raise ParamError(f"{where}: use either {name} or {not_name}, not both")
    if name in item:
        return _strings(item[name], f"{where}: {name}"), False
    if not_name in item:
        return _strings(item[not_name], f"{where}: {not_name}"), True
    raise ParamError(f"{where}: needs {name} (or {not_name})")


def _principals(value: Any, where: str) -> tuple[Principal, ...]:
    if value == "*":
        return (Principal("*", "*"),)
    if not isinstance(value, dict) or not value:
        raise ParamError(f"{where}: Principal must be \"*\" or an object such as "
                         "{\"AWS\": \"arn:aws:iam::111122223333:role/name\"} or {\"Service\": \"s3.amazonaws.com\"}")
    out = []
    for kind, raw in value.items():
        if kind not in ("AWS", "Service", "Federated"):
            raise ParamError(f"{where}: Principal type {kind!r} is not one of AWS, Service, Federated")
        for item in _strings(raw, f"{where}: Principal.{kind}"):
            if item != "*" and has_wildcard(item):
                raise ParamError(
                    f"{where}: Principal {item!r} uses a partial wildcard, which AWS rejects "
                    "(\"*\" alone means everyone); match a pattern with a Condition "
                    "{\"ArnLike\": {\"aws:PrincipalArn\": \"...\"}} instead")
            out.append(Principal(kind, item))
    return tuple(out)


def _conditions(value: Any, where: str) -> tuple[Condition, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ParamError(f"{where}: Condition must be an object")
    out = []
    for operator, block in value.items():
        if operator not in CONDITION_OPERATORS:
            raise ParamError(f"{where}: condition operator {operator!r} is not modelled "
                             f"(modelled: {', '.join(CONDITION_OPERATORS)})")
        if not isinstance(block, dict) or not block:
            raise ParamError(f"{where}: Condition.{operator} must map keys to values")
        for key, raw in block.items():
            out.append(Condition(operator, key, _strings(raw, f"{where}: Condition.{operator}.{key}")))
    return tuple(out)


# --- evaluation with a trace -------------------------------------------------------------------

@dataclass(frozen=True)
class Request:
    principal: str
    action: str
    resource: str
    context: tuple[tuple[str, str], ...] = ()

    def context_map(self) -> dict[str, str]:
        """The request context: what was given, plus the aws:Principal* keys AWS always sets."""
        ctx = {"aws:PrincipalArn": self.principal}
        account = account_of(self.principal)
        if account:
            ctx["aws:PrincipalAccount"] = account
        if is_service(self.principal):
            ctx["aws:PrincipalServiceName"] = self.principal
        ctx.update(dict(self.context))
        return ctx

    def to_json(self) -> dict:
        return {"principal": self.principal, "action": self.action, "resource": self.resource,
                "context": dict(self.context)}


@dataclass(frozen=True)
class StatementCheck:
    policy: str  # "identity" or "resource"
    statement: str
    effect: str
    applies: bool
    why: str
    counts: bool = True  # False: matched, but an account principal delegates (same account)

    def to_json(self) -> dict:
        return {"policy": self.policy, "statement": self.statement, "effect": self.effect,
                "applies": self.applies, "counts": self.counts, "why": self.why}


@dataclass(frozen=True)
class Evaluation:
    request: Request
    decision: str
    identity_allow: bool
    resource_allow: bool
    explicit_deny: bool
    cross_account: bool
    checks: tuple[StatementCheck, ...]
    steps: tuple[str, ...]
    deciding: str  # the statement(s) that decided, or "" for an implicit deny

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOW

    def to_json(self) -> dict:
        return {
            "request": self.request.to_json(),
            "decision": self.decision,
            "identity_allow": self.identity_allow,
            "resource_allow": self.resource_allow,
            "explicit_deny": self.explicit_deny,
            "cross_account": self.cross_account,
            "deciding_statement": self.deciding,
            "trace": [c.to_json() for c in self.checks],
            "steps": list(self.steps),
        }


def _check(statement: Statement, request: Request, context: Mapping[str, str]) -> tuple[bool, str, bool]:
    """(applies, why, counts) for one statement against one request."""
    counts = True
    if statement.principals is not None:
        hits = [p for p in statement.principals if p.matches(request.principal)]
        if not hits:
            return False, f"principal {request.principal} is not {', '.join(p.label() for p in statement.principals)}", True
        if all(p.is_account for p in hits):
            counts = False  # decided below by the caller (delegation)
    if not statement.action_matches(request.action):
        word = "is listed in NotAction" if statement.not_action else f"does not match {', '.join(statement.actions)}"
        return False, f"action {request.action} {word}", True
    if not statement.resource_matches(request.resource):
        word = "is listed in NotResource" if statement.not_resource else f"does not match {', '.join(statement.resources)}"
        return False, f"resource {word}", True
    for condition in statement.conditions:
        if not condition.holds(context):
            got = {k.lower(): v for k, v in context.items()}.get(condition.key.lower())
            return False, f"condition {condition.label()} fails (request has {got if got is not None else 'no such key'})", True
    why = ("principal, action, resource" if statement.principals is not None else "action, resource") \
        + (" and conditions" if statement.conditions else "") + " match"
    return True, why, counts


def evaluate(request: Request, identity_policies: Sequence[Policy], resource_policy: Policy | None,
             *, resource_account: str | None = None) -> Evaluation:
    """Evaluate one request. `identity_policies` are those attached to the calling principal."""
    context = request.context_map()
    resource_account = resource_account or account_of_resource(request.resource)
    principal_account = account_of(request.principal)
    service = is_service(request.principal)
    cross = bool(principal_account and resource_account and principal_account != resource_account)

    checks: list[StatementCheck] = []
    identity_allow = resource_allow = explicit_deny = False
    allow_names: list[str] = []
    deny_names: list[str] = []

    if service and identity_policies:
        identity_policies = ()  # a service principal has no identity policy here
    for policy in identity_policies:
        for statement in policy.statements:
            applies, why, _ = _check(statement, request, context)
            checks.append(StatementCheck("identity", statement.name, statement.effect, applies, why))
            if applies and statement.effect == ALLOW:
                identity_allow = True
                allow_names.append(f"identity:{statement.name}")
            elif applies:
                explicit_deny = True
                deny_names.append(f"identity:{statement.name}")
    if resource_policy is not None:
        for statement in resource_policy.statements:
            applies, why, counts = _check(statement, request, context)
            if applies and not counts:
                if statement.effect == "Deny" or cross:
                    counts = True
                    why += " (account principal)"
                else:
                    why += "; but it names the whole account, which delegates to the account's identity policies (model reading)"
            checks.append(StatementCheck("resource", statement.name, statement.effect, applies, why, counts))
            if applies and counts and statement.effect == ALLOW:
                resource_allow = True
                allow_names.append(f"resource:{statement.name}")
            elif applies and counts:
                explicit_deny = True
                deny_names.append(f"resource:{statement.name}")

    decision = decide(identity_allow, resource_allow, explicit_deny, cross)
    steps = [
        "1. Start: implicit deny (every request starts denied).",
        "2. Explicit deny anywhere? " + (f"yes: {', '.join(deny_names)} -> Deny, whatever allows it"
                                         if explicit_deny else "none."),
    ]
    id_text = "not applicable (a service principal has no identity policy)" if service else \
        ("yes" if identity_allow else "no") if identity_policies else "no identity policy given for this principal"
    steps.append(f"3. Allow in an identity policy? {id_text}. In the resource policy? "
                 + ("yes" if resource_allow else "no" if resource_policy is not None
                    else "none applies (no resource-based policy on this resource)") + ".")
    if explicit_deny:
        steps.append("4. Decision: explicit Deny (a Deny beats any Allow).")
    elif cross:
        steps.append(f"4. Cross-account ({principal_account} -> {resource_account}): both sides must allow -> "
                     + ("Allow." if decision == ALLOW else "implicit deny."))
    else:
        steps.append("4. Same account (or a service): one Allow from either policy is enough -> "
                     + ("Allow." if decision == ALLOW else "implicit deny (nothing allows it)."))
    deciding = ", ".join(deny_names if explicit_deny else allow_names if decision == ALLOW else [])
    return Evaluation(request, decision, identity_allow, resource_allow, explicit_deny, cross,
                      tuple(checks), tuple(steps), deciding)


# --- least privilege ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    policy: str
    statement: str
    problem: str
    fix: str

    def to_json(self) -> dict:
        return {"policy": self.policy, "statement": self.statement, "problem": self.problem, "fix": self.fix}


def findings(identity: Policy | None, resource: Policy | None) -> list[Finding]:
    """Over-broad statements and what to do about each."""
    out: list[Finding] = []
    if identity is not None:
        for s in identity.statements:
            if s.effect != ALLOW:
                continue
            if s.not_action:
                out.append(Finding("identity", s.name, "Allow with NotAction grants every action not listed",
                                   "list the actions the function calls instead"))
            elif "*" in s.actions:
                out.append(Finding("identity", s.name, "Action \"*\" grants every action of every service",
                                   "list the exact actions the function calls (IAM Access Analyzer can "
                                   "generate them from CloudTrail)"))
            else:
                for action in s.actions:
                    if action.endswith(":*"):
                        out.append(Finding("identity", s.name, f"Action \"{action}\" grants every "
                                           f"{action.split(':')[0]} action, including destructive ones",
                                           "list the exact actions the function calls"))
            if s.not_resource:
                out.append(Finding("identity", s.name, "Allow with NotResource grants every resource not listed",
                                   "name the resources' ARNs"))
            elif "*" in s.resources:
                out.append(Finding("identity", s.name, "Resource \"*\" grants every resource in every account and Region",
                                   "name the resources' ARNs (the table, the bucket prefix, the log group)"))
    if resource is not None:
        for s in resource.statements:
            if s.effect != ALLOW or s.principals is None:
                continue
            keys = {c.key.lower() for c in s.conditions}
            for p in s.principals:
                if (p.kind == "*" or p.value == "*") and not s.conditions:
                    out.append(Finding("resource", s.name, "Principal \"*\" without a condition: anyone may call it",
                                       "name the principal, or add a condition (aws:SourceArn, aws:PrincipalOrgID)"))
                elif p.kind == "Service" and not keys & {"aws:sourcearn", "aws:sourceaccount"}:
                    out.append(Finding("resource", s.name, f"service principal {p.value} without aws:SourceArn or "
                                       "aws:SourceAccount: a resource in any account could trigger it (confused deputy)",
                                       "add Condition ArnLike aws:SourceArn = the source's ARN and "
                                       "StringEquals aws:SourceAccount = your account"))
    return out


def least_privilege(used: Iterable[tuple[str, str]], keep: Policy | None = None) -> dict:
    """A policy that allows exactly the (action, resource) pairs used, grouped by resource set,
    keeping the Deny statements of `keep` as guardrails (as IAM Access Analyzer policy generation
    starts from what CloudTrail saw the role do)."""
    by_action: dict[str, list[str]] = {}
    for action, resource in used:
        resources = by_action.setdefault(action, [])
        if resource not in resources:
            resources.append(resource)
    groups: dict[tuple[str, ...], list[str]] = {}
    for action, resources in by_action.items():
        groups.setdefault(tuple(sorted(resources)), []).append(action)
    statements = []
    for number, (resources, actions) in enumerate(sorted(groups.items(), key=lambda kv: (kv[0], kv[1])), 1):
        service = sorted({a.split(":")[0] for a in actions})
        sid = "".join(s.capitalize() for s in service) + f"Used{number}"
        statements.append({"Sid": sid, "Effect": ALLOW,
                           "Action": sorted(actions) if len(actions) > 1 else actions[0],
                           "Resource": list(resources) if len(resources) > 1 else resources[0]})
    if keep is not None:
        for raw in _raw_statements(keep):
            if raw.get("Effect") == "Deny":
                statements.append(raw)
    return {"Version": "2012-10-17", "Statement": statements}


def _raw_statements(policy: Policy) -> list[dict]:
    raw = policy.document.get("Statement", [])
    return [raw] if isinstance(raw, dict) else list(raw)
