"""Can this caller invoke the function? Identity policy, resource policy, deny, accounts."""

from __future__ import annotations

import json

from lambda_prep.drills.base import Drill, options, pick
from lambda_prep.sims import iam

KIND = "invoke-permission"
TOPIC = "security"
SUMMARY = "allowed or denied, and which policy decides, in one account or across two"
SOURCES = ("https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",)

LABELS = {iam.ALLOW: "Allowed", iam.IMPLICIT_DENY: "Denied: nothing allows it (implicit deny)",
          iam.EXPLICIT_DENY: "Denied: an explicit Deny wins"}


def generate(rng, seed: int) -> Drill:
    cross = pick(rng, (False, True))
    identity = pick(rng, (True, False))
    resource = pick(rng, (True, False))
    deny = rng.random() < 0.2
    decision = iam.decide(identity, resource, deny, cross)  # the security simulation's evaluator
    right = LABELS[decision]
    wrong = {}
    for other, label in LABELS.items():
        if other == decision:
            continue
        if other == iam.ALLOW:
            why = ("thinking one Allow is enough across accounts (both sides must allow)" if cross
                   else "forgetting that an explicit Deny beats any Allow" if deny
                   else "thinking some Allow exists somewhere by default")
        elif other == iam.IMPLICIT_DENY:
            why = ("thinking both policies must allow within one account" if not cross
                   else "mistaking an explicit Deny for a missing Allow")
        else:
            why = "seeing a Deny where there is only a missing Allow"
        wrong[label] = why
    choices, misconceptions = options(rng, right, wrong)
    where = "in another AWS account" if cross else "in the same account"
    caller = f"arn:aws:iam::{'444455556666' if cross else '111122223333'}:role/reporting"
    lines = [f"A role {where} calls lambda:InvokeFunction on a function.",
             f"- The role's identity policy {'allows' if identity else 'does not mention'} lambda:InvokeFunction on it.",
             f"- The function's resource-based policy {'allows that role' if resource else 'does not mention that role'}.",
             f"- {'The role also has a statement that explicitly denies lambda:InvokeFunction.' if deny else 'No policy denies it.'}",
             "What is the result?"]
    rule = ("an explicit Deny anywhere wins" if deny else
            "across accounts both the caller's identity policy and the function's resource policy must allow"
            if cross else "within one account an Allow in either the identity policy or a resource policy "
                          "that names the caller is enough")
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"cross_account": cross, "identity_allows": identity, "resource_allows": resource,
                "explicit_deny": deny},
        prompt="\n".join(lines), choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"IAM evaluation: {rule}. Here: identity {'allows' if identity else 'silent'}, resource "
                     f"policy {'allows' if resource else 'silent'}, {'a Deny' if deny else 'no Deny'}, "
                     f"{'two accounts' if cross else 'one account'}: {right}."),
        simulate=("lambda-prep simulate security --principal {caller} --role-arn {caller} "
                  "--identity-policy {{dir}}/caller-identity.json --resource-policy {{dir}}/function-policy.json "
                  "--function-arn {function} --resource {function} --action lambda:InvokeFunction"
                  ).format(caller=caller, function=FUNCTION),
        files={"caller-identity.json": _policy(identity_statements(identity, deny)),
               "function-policy.json": _policy(resource_statements(resource, caller))},
    )


FUNCTION = "arn:aws:lambda:us-east-1:111122223333:function:orders"


def _policy(statements: list[dict]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)


def identity_statements(allows: bool, deny: bool) -> list[dict]:
    statements = [{"Sid": "Invoke", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FUNCTION}
                  if allows else
                  {"Sid": "LogsOnly", "Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]
    if deny:
        statements.append({"Sid": "NoInvoke", "Effect": "Deny", "Action": "lambda:InvokeFunction", "Resource": "*"})
    return statements


def resource_statements(allows: bool, caller: str) -> list[dict]:
    if allows:
        return [{"Sid": "Caller", "Effect": "Allow", "Principal": {"AWS": caller}, "Action": "lambda:InvokeFunction",
                 "Resource": FUNCTION}]
    return [{"Sid": "S3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
             "Action": "lambda:InvokeFunction", "Resource": FUNCTION}]
