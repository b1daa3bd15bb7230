"""security: who may invoke a function, what the function may touch, and why, with the decision trace.

A function `orders` (account 111122223333) has an execution role (its identity policy says what the
function may touch) and a resource-based policy (it says who may invoke it). One request is
evaluated in detail; a set of probes answers "who may invoke this function" and "what may this
function touch"; over-broad statements are flagged and a least-privilege policy built from the calls
the function actually makes is checked against the same probes. The evaluator is `sims.iam`.
No clock and no randomness: the seed is accepted for uniformity and changes nothing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from lambda_prep.sims import iam
from lambda_prep.sims.common import envelope
from lambda_prep.sims.common import ParamError

ACCOUNT = "111122223333"
PARTNER_ACCOUNT = "444455556666"
FUNCTION_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:orders"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/orders-fn-role"
TABLE_ARN = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders"
OTHER_TABLE_ARN = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/customers"
LOG_GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/lambda/orders:*"
RECEIPTS = f"arn:aws:s3:::orders-receipts-{ACCOUNT}"
UPLOADS = f"arn:aws:s3:::orders-uploads-{ACCOUNT}"

DEMO_IDENTITY_POLICY: dict = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Logs", "Effect": "Allow",
         "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": LOG_GROUP_ARN},
        {"Sid": "TableAccess", "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
        {"Sid": "ReadReceipts", "Effect": "Allow", "Action": "s3:Get*", "Resource": f"{RECEIPTS}/*"},
        {"Sid": "NoTableDeletes", "Effect": "Deny", "Action": "dynamodb:DeleteTable", "Resource": "*"},
    ],
}

DEMO_RESOURCE_POLICY: dict = {
    "Version": "2012-10-17",
    "Id": "default",
    "Statement": [
        {"Sid": "s3-uploads-invoke", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
         "Action": "lambda:InvokeFunction", "Resource": FUNCTION_ARN,
         "Condition": {"ArnLike": {"AWS:SourceArn": UPLOADS},
                       "StringEquals": {"AWS:SourceAccount": ACCOUNT}}},
        {"Sid": "partner-invoke", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{PARTNER_ACCOUNT}:role/partner-invoker"},
         "Action": "lambda:InvokeFunction", "Resource": FUNCTION_ARN},
        {"Sid": "sns-invoke", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
         "Action": "lambda:InvokeFunction", "Resource": FUNCTION_ARN},
    ],
}

# Identity policies of other callers in the demo (their own accounts' policies).
DEMO_CALLERS: dict[str, dict] = {
    f"arn:aws:iam::{ACCOUNT}:user/dev": {"Version": "2012-10-17", "Statement": [
        {"Sid": "DevInvokeAny", "Effect": "Allow", "Action": "lambda:InvokeFunction",
         "Resource": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:*"}]},
    f"arn:aws:iam::{PARTNER_ACCOUNT}:role/partner-invoker": {"Version": "2012-10-17", "Statement": [
        {"Sid": "PartnerInvokeOrders", "Effect": "Allow", "Action": "lambda:InvokeFunction",
         "Resource": FUNCTION_ARN}]},
    f"arn:aws:iam::{PARTNER_ACCOUNT}:user/admin": {"Version": "2012-10-17", "Statement": [
        {"Sid": "AdministratorAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}]},
}

# What the function actually calls (as CloudTrail would show): the input to least privilege.
DEMO_USED: tuple[tuple[str, str], ...] = (
    ("logs:CreateLogGroup", LOG_GROUP_ARN),
    ("logs:CreateLogStream", LOG_GROUP_ARN),
    ("logs:PutLogEvents", LOG_GROUP_ARN),
    ("dynamodb:GetItem", TABLE_ARN),
    ("dynamodb:PutItem", TABLE_ARN),
    ("s3:GetObject", f"{RECEIPTS}/*"),
)

# Probe requests: "who may invoke this function".
INVOKE_PROBES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("s3.amazonaws.com", "S3 event from the uploads bucket",
     (("aws:SourceArn", UPLOADS), ("aws:SourceAccount", ACCOUNT))),
    ("s3.amazonaws.com", "S3 event from someone else's bucket",
     (("aws:SourceArn", "arn:aws:s3:::attacker-bucket"), ("aws:SourceAccount", "999988887777"))),
    ("sns.amazonaws.com", "SNS from any topic, any account",
     (("aws:SourceArn", "arn:aws:sns:us-east-1:999988887777:any-topic"), ("aws:SourceAccount", "999988887777"))),
    (f"arn:aws:iam::{ACCOUNT}:user/dev", "a developer in the same account", ()),
    (f"arn:aws:iam::{PARTNER_ACCOUNT}:role/partner-invoker", "the partner's role (cross-account)", ()),
    (f"arn:aws:iam::{PARTNER_ACCOUNT}:user/admin", "the partner's admin, Action * in its own account", ()),
)

# Probe requests by the execution role: "what may this function touch".
TOUCH_PROBES: tuple[tuple[str, str, str], ...] = (
    ("logs:PutLogEvents", LOG_GROUP_ARN, "write its logs"),
    ("dynamodb:GetItem", TABLE_ARN, "read an order"),
    ("dynamodb:PutItem", TABLE_ARN, "write an order"),
    ("dynamodb:DeleteItem", OTHER_TABLE_ARN, "delete a customer (not its job)"),
    ("dynamodb:DeleteTable", TABLE_ARN, "drop the orders table"),
    ("s3:GetObject", f"{RECEIPTS}/2026/receipt-1.pdf", "read a receipt"),
    ("s3:PutObject", f"{RECEIPTS}/2026/receipt-1.pdf", "overwrite a receipt"),
    ("iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/backdoor", "create an IAM user"),
)


@dataclass(frozen=True)
class Params:
    principal: str = ROLE_ARN
    action: str = "dynamodb:DeleteTable"
    resource: str = TABLE_ARN
    context: tuple[tuple[str, str], ...] = ()
    identity_policy: Mapping[str, Any] = field(default_factory=lambda: copy.deepcopy(DEMO_IDENTITY_POLICY))
    resource_policy: Mapping[str, Any] = field(default_factory=lambda: copy.deepcopy(DEMO_RESOURCE_POLICY))
    identity_source: str = "built-in demo execution role policy"
    resource_source: str = "built-in demo resource-based policy"
    function_arn: str = FUNCTION_ARN
    role_arn: str = ROLE_ARN
    used: tuple[tuple[str, str], ...] | None = None  # None: the demo's calls if the demo role is used

    def __post_init__(self) -> None:
        for name in ("principal", "action", "resource", "function_arn", "role_arn"):
            if not str(getattr(self, name)).strip():
                raise ParamError(f"--{name.replace('_', '-')} must not be empty")
        if self.action != "*" and ":" not in self.action:
            raise ParamError(f"--action must look like service:Action (e.g. lambda:InvokeFunction), got {self.action!r}")
        if iam.has_wildcard(self.action) or iam.has_wildcard(self.resource) or iam.has_wildcard(self.principal):
            raise ParamError("--principal, --action and --resource name one concrete request; "
                             "wildcards belong in the policies, not in the request")
        for action, resource in self.used or ():
            if ":" not in action:
                raise ParamError(f"--used action must look like service:Action, got {action!r}")
        # parsing checks the policies and raises ParamError naming their source
        self.identity()
        self.resource_based()

    def identity(self) -> iam.Policy:
        return iam.parse_policy(self.identity_policy, kind="identity", source=self.identity_source)

    def resource_based(self) -> iam.Policy:
        return iam.parse_policy(self.resource_policy, kind="resource", source=self.resource_source)

    def used_calls(self) -> tuple[tuple[str, str], ...]:
        if self.used is not None:
            return self.used
        return DEMO_USED if dict(self.identity_policy) == DEMO_IDENTITY_POLICY else ()


@dataclass
class Probe:
    label: str
    evaluation: iam.Evaluation
    after_fix: str | None = None  # the decision under the least-privilege policy

    def to_json(self) -> dict:
        r = self.evaluation.request
        out = {"label": self.label, "principal": r.principal, "action": r.action, "resource": r.resource,
               "decision": self.evaluation.decision, "deciding_statement": self.evaluation.deciding,
               "cross_account": self.evaluation.cross_account}
        if self.after_fix is not None:
            out["decision_after_fix"] = self.after_fix
        return out


@dataclass
class Result:
    params: Params
    seed: int
    main: iam.Evaluation
    identity_statements: list[dict]
    resource_statements: list[dict]
    who_may_invoke: list[Probe]
    what_may_touch: list[Probe]
    findings: list[iam.Finding]
    used: tuple[tuple[str, str], ...]
    suggested_policy: dict | None
    used_allowed_after_fix: bool | None
    notes: list[str]

    @property
    def decision(self) -> str:
        return self.main.decision

    def to_json(self) -> dict:
        return envelope("security", self.params, self.notes, iam.SOURCES, {
            "decision": self.main.decision,
            "request": self.main.request.to_json(),
            "deciding_statement": self.main.deciding,
            "trace": [c.to_json() for c in self.main.checks],
            "steps": list(self.main.steps),
            "identity_allow": self.main.identity_allow,
            "resource_allow": self.main.resource_allow,
            "explicit_deny": self.main.explicit_deny,
            "cross_account": self.main.cross_account,
            "who_may_invoke": {"statements": self.resource_statements,
                               "probes": [p.to_json() for p in self.who_may_invoke]},
            "what_may_touch": {"statements": self.identity_statements,
                               "probes": [p.to_json() for p in self.what_may_touch]},
            "findings": [f.to_json() for f in self.findings],
            "used_calls": [{"action": a, "resource": r} for a, r in self.used],
            "suggested_policy": self.suggested_policy,
            "used_calls_allowed_after_fix": self.used_allowed_after_fix,
            "notes": list(self.notes),
        })


def run(params: Params, seed: int = 1, progress: Callable[[int], None] | None = None) -> Result:
    identity = params.identity()
    resource = params.resource_based()
    callers = {arn: iam.parse_policy(doc, kind="identity", source=f"demo caller {arn}")
               for arn, doc in DEMO_CALLERS.items()}
    account = iam.account_of_resource(params.function_arn)

    def identity_for(principal: str, role_policy: iam.Policy) -> list[iam.Policy]:
        if principal == params.role_arn or iam.role_of_session(principal) == params.role_arn:
            return [role_policy]
        if principal in callers:
            return [callers[principal]]
        return []

    def resource_policy_for(arn: str) -> iam.Policy | None:
        """The function's resource-based policy applies to the function (and its versions/aliases)."""
        return resource if arn == params.function_arn or arn.startswith(params.function_arn + ":") else None

    request = iam.Request(params.principal, params.action, params.resource, params.context)
    main = iam.evaluate(request, identity_for(params.principal, identity), resource_policy_for(params.resource))

    who = []
    for principal, label, context in INVOKE_PROBES:
        req = iam.Request(principal, "lambda:InvokeFunction", params.function_arn, context)
        who.append(Probe(label, iam.evaluate(req, identity_for(principal, identity), resource, resource_account=account)))

    used = params.used_calls()
    suggested = iam.least_privilege(used, keep=identity) if used else None
    fixed = iam.parse_policy(suggested, kind="identity", source="suggested policy") if suggested else None

    touch = []
    probes = list(TOUCH_PROBES)
    seen = {(a, r) for a, r, _ in probes}
    for action, res in used:
        if (action, res) not in seen and not iam.has_wildcard(res):
            probes.append((action, res, "a call it makes"))
            seen.add((action, res))
    for action, res, label in probes:
        req = iam.Request(params.role_arn, action, res)
        evaluation = iam.evaluate(req, [identity], None)
        after = iam.evaluate(req, [fixed], None).decision if fixed else None
        touch.append(Probe(label, evaluation, after))

    used_ok = None
    if fixed is not None:
        used_ok = all(iam.evaluate(iam.Request(params.role_arn, a, r), [fixed], None).allowed
                      for a, r in used)

    notes = [
        "Same account: the identity-based and resource-based Allows are a union (either is enough); "
        "an explicit Deny in either wins.",
        "Cross-account: the caller's own account must allow it AND the function's resource policy must; "
        "the partner's Action \"*\" is not enough without the resource policy.",
        "AWS services (S3, SNS, ...) are authorised by the resource-based policy alone.",
        "Not modelled: SCPs/RCPs, permissions boundaries, session policies, the root user, NotPrincipal.",
        "Model reading: a resource policy naming a whole account delegates to that account's identity "
        "policies; it grants nothing on its own to a user or role of the function's own account.",
    ]
    if progress:
        progress(1)
    return Result(params, seed, main,
                  [s.to_json() for s in identity.statements],
                  [s.to_json() for s in resource.statements],
                  who, touch, iam.findings(identity, resource), used, suggested, used_ok, notes)
