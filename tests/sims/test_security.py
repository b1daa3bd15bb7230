"""security: the IAM evaluator (truth table, wildcards, conditions, principals) and the simulation."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import iam, security
from lambda_prep.sims import security as model
from lambda_prep.sims.common import ParamError

DATA = Path(__file__).parent / "data"
runner = CliRunner()

ACCT = "111122223333"
OTHER = "444455556666"
FN = f"arn:aws:lambda:us-east-1:{ACCT}:function:orders"


# --- the truth table: every combination of (identity allow, resource allow, explicit deny) -----

def expected(identity_allow: bool, resource_allow: bool, explicit_deny: bool, cross: bool) -> str:
    """Written out from the AWS pages, independently of iam.decide."""
    table_same = {  # (identity, resource, deny) -> decision, one account
        (False, False, False): "ImplicitDeny",
        (True, False, False): "Allow",
        (False, True, False): "Allow",
        (True, True, False): "Allow",
        (False, False, True): "ExplicitDeny",
        (True, False, True): "ExplicitDeny",
        (False, True, True): "ExplicitDeny",
        (True, True, True): "ExplicitDeny",
    }
    table_cross = {
        (False, False, False): "ImplicitDeny",
        (True, False, False): "ImplicitDeny",
        (False, True, False): "ImplicitDeny",
        (True, True, False): "Allow",
        (False, False, True): "ExplicitDeny",
        (True, False, True): "ExplicitDeny",
        (False, True, True): "ExplicitDeny",
        (True, True, True): "ExplicitDeny",
    }
    return (table_cross if cross else table_same)[(identity_allow, resource_allow, explicit_deny)]


@pytest.mark.parametrize("identity_allow,resource_allow,explicit_deny,cross",
                         list(itertools.product([False, True], repeat=4)))
def test_decide_truth_table(identity_allow, resource_allow, explicit_deny, cross):
    assert iam.decide(identity_allow, resource_allow, explicit_deny, cross) == \
        expected(identity_allow, resource_allow, explicit_deny, cross)


def _identity(allow: bool, deny: bool) -> iam.Policy:
    statements = [{"Sid": "Unrelated", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
    if allow:
        statements.append({"Sid": "IdAllow", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FN})
    if deny:
        statements.append({"Sid": "IdDeny", "Effect": "Deny", "Action": "lambda:Invoke*", "Resource": "*"})
    return iam.parse_policy({"Statement": statements}, kind="identity", source="test identity")


def _resource(caller: str, allow: bool, deny: bool) -> iam.Policy:
    statements = [{"Sid": "Unrelated", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                   "Action": "lambda:InvokeFunction", "Resource": FN}]
    if allow:
        statements.append({"Sid": "ResAllow", "Effect": "Allow", "Principal": {"AWS": caller},
                           "Action": "lambda:InvokeFunction", "Resource": FN})
    if deny:
        statements.append({"Sid": "ResDeny", "Effect": "Deny", "Principal": {"AWS": caller},
                           "Action": "lambda:*", "Resource": FN})
    return iam.parse_policy({"Statement": statements}, kind="resource", source="test resource")


@pytest.mark.parametrize("identity_allow,resource_allow,deny_where,cross",
                         list(itertools.product([False, True], [False, True],
                                                [None, "identity", "resource", "both"], [False, True])))
def test_evaluate_follows_the_truth_table(identity_allow, resource_allow, deny_where, cross):
    """The same table, reached through real policies: every combination, deny placed in either policy."""
    caller = f"arn:aws:iam::{OTHER if cross else ACCT}:role/caller"
    identity = _identity(identity_allow, deny_where in ("identity", "both"))
    resource = _resource(caller, resource_allow, deny_where in ("resource", "both"))
    result = iam.evaluate(iam.Request(caller, "lambda:InvokeFunction", FN), [identity], resource)
    explicit_deny = deny_where is not None
    assert (result.identity_allow, result.resource_allow, result.explicit_deny, result.cross_account) == \
        (identity_allow, resource_allow, explicit_deny, cross)
    assert result.decision == expected(identity_allow, resource_allow, explicit_deny, cross)
    assert len(result.checks) == len(identity.statements) + len(resource.statements)  # every statement traced
    if result.decision == "ExplicitDeny":
        assert "Deny" in result.deciding
    elif result.decision == "Allow":
        assert "Allow" in result.deciding
    else:
        assert result.deciding == ""


# --- wildcards --------------------------------------------------------------------------------

@pytest.mark.parametrize("pattern,value,ignore_case,hit", [
    ("*", "", False, True),
    ("*", "anything:at/all", False, True),
    ("s3:Get*", "s3:GetObject", True, True),
    ("s3:Get*", "s3:getobject", True, True),          # actions are case-insensitive
    ("s3:Get*", "s3:PutObject", True, False),
    ("s3:Get*", "xs3:GetObject", True, False),        # whole-string match, not a search
    ("lambda:?nvokeFunction", "lambda:InvokeFunction", True, True),
    ("lambda:?nvokeFunction", "lambda:nvokeFunction", True, False),   # ? is exactly one character
    ("lambda:?nvokeFunction", "lambda:XXnvokeFunction", True, False),
    ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b.txt", False, True),
    ("arn:aws:s3:::bucket/*", "arn:aws:s3:::Bucket/a", False, False),  # resources are case-sensitive
    ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", False, False),
    ("arn:aws:s3:::b.cket", "arn:aws:s3:::bxcket", False, False),       # '.' is literal, not a regex
    ("arn:aws:lambda:*:111122223333:function:*", FN, False, True),
    ("arn:aws:lambda:us-east-1:111122223333:function:ord??s", FN, False, True),
    ("arn:aws:lambda:us-east-1:111122223333:function:ord?s", FN, False, False),
])
def test_wildcard_match(pattern, value, ignore_case, hit):
    assert iam.wildcard_match(pattern, value, ignore_case=ignore_case) is hit


def test_wildcards_in_action_and_resource_through_evaluate():
    role = f"arn:aws:iam::{ACCT}:role/r"
    policy = iam.parse_policy({"Statement": [
        {"Effect": "Allow", "Action": "dynamodb:Get*", "Resource": f"arn:aws:dynamodb:*:{ACCT}:table/ord?rs"},
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::logs/*"},
    ]}, kind="identity", source="t")

    def decision(action, resource):
        return iam.evaluate(iam.Request(role, action, resource), [policy], None).decision

    assert decision("dynamodb:GetItem", f"arn:aws:dynamodb:eu-west-1:{ACCT}:table/orders") == "Allow"
    assert decision("dynamodb:PutItem", f"arn:aws:dynamodb:eu-west-1:{ACCT}:table/orders") == "ImplicitDeny"
    assert decision("dynamodb:GetItem", f"arn:aws:dynamodb:eu-west-1:{ACCT}:table/ordrs") == "ImplicitDeny"
    assert decision("s3:PutObject", "arn:aws:s3:::logs/x") == "Allow"          # NotAction iam:* covers s3
    assert decision("iam:PassRole", "arn:aws:s3:::logs/x") == "ImplicitDeny"


def test_principal_star_matches_everyone_and_partial_wildcards_are_rejected():
    star = iam.parse_policy({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction",
                                            "Resource": FN}]}, kind="resource", source="t")
    anyone = iam.evaluate(iam.Request("arn:aws:iam::999988887777:user/x", "lambda:InvokeFunction", FN), [], star)
    assert anyone.resource_allow and anyone.decision == "ImplicitDeny"  # cross-account: its own side is missing
    service = iam.evaluate(iam.Request("events.amazonaws.com", "lambda:InvokeFunction", FN), [], star)
    assert service.decision == "Allow"
    with pytest.raises(ParamError, match="partial wildcard"):
        iam.parse_policy(json.loads((DATA / "resource_partial_principal.json").read_text()),
                         kind="resource", source="f")


def test_role_principal_covers_its_sessions_and_account_principal_delegates():
    role = f"arn:aws:iam::{OTHER}:role/partner"
    session = f"arn:aws:sts::{OTHER}:assumed-role/partner/session-1"
    by_role = iam.parse_policy({"Statement": [{"Effect": "Allow", "Principal": {"AWS": role},
                                               "Action": "lambda:InvokeFunction", "Resource": FN}]},
                               kind="resource", source="t")
    assert iam.evaluate(iam.Request(session, "lambda:InvokeFunction", FN), [], by_role).resource_allow

    by_account = iam.parse_policy({"Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCT},
                                                  "Action": "lambda:InvokeFunction", "Resource": FN}]},
                                  kind="resource", source="t")
    same = iam.evaluate(iam.Request(f"arn:aws:iam::{ACCT}:user/u", "lambda:InvokeFunction", FN), [], by_account)
    assert not same.resource_allow and same.decision == "ImplicitDeny"  # delegation: identity must allow
    assert any("delegates" in c.why for c in same.checks)
    other = iam.parse_policy({"Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
                                             "Action": "lambda:InvokeFunction", "Resource": FN}]},
                             kind="resource", source="t")
    cross = iam.evaluate(iam.Request(role, "lambda:InvokeFunction", FN), [_identity(True, False)], other)
    assert cross.resource_allow and cross.decision == "Allow"


def test_service_principal_ignores_identity_policies():
    resource = _resource("arn:aws:iam::111122223333:role/x", False, False)  # only the S3 statement
    result = iam.evaluate(iam.Request("s3.amazonaws.com", "lambda:InvokeFunction", FN),
                          [_identity(False, True)], resource)
    assert result.decision == "Allow" and not result.explicit_deny


@pytest.mark.parametrize("operator,values,context,holds", [
    ("StringEquals", ["111122223333"], {"aws:SourceAccount": "111122223333"}, True),
    ("StringEquals", ["111122223333"], {"aws:SourceAccount": "999988887777"}, False),
    ("StringEquals", ["111122223333"], {}, False),                   # missing key: no match
    ("StringNotEquals", ["111122223333"], {}, True),                 # missing key: negated is true
    ("StringNotEquals", ["111122223333"], {"aws:SourceAccount": "111122223333"}, False),
    ("ArnLike", ["arn:aws:s3:::up-*"], {"AWS:SOURCEACCOUNT": "arn:aws:s3:::up-1"}, True),  # key case-insensitive
    ("StringLike", ["a", "b*"], {"aws:SourceAccount": "bee"}, True),  # values are OR-ed
    ("ArnNotLike", ["arn:aws:s3:::up-*"], {"aws:SourceAccount": "arn:aws:s3:::other"}, True),
])
def test_conditions(operator, values, context, holds):
    assert iam.Condition(operator, "aws:SourceAccount", tuple(values)).holds(context) is holds


@pytest.mark.parametrize("document,kind,message", [
    ([], "identity", "JSON object"),
    ({"Statement": []}, "identity", "non-empty"),
    ({"Statement": [{"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}]}, "identity", "Effect"),
    ({"Statement": [{"Effect": "Allow", "Resource": "*"}]}, "identity", "needs Action"),
    ({"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}, "identity", "needs Resource"),
    ({"Statement": [{"Effect": "Allow", "Action": "GetObject", "Resource": "*"}]}, "identity", "service:Action"),
    ({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}, "identity",
     "cannot have a Principal"),
    ({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}, "resource", "needs a Principal"),
    ({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                     "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}, "identity", "not modelled"),
])
def test_bad_policies_raise_param_error_naming_the_source(document, kind, message):
    with pytest.raises(ParamError, match=message) as info:
        iam.parse_policy(document, kind=kind, source="my-file.json")
    assert "my-file.json" in str(info.value)


# --- the simulation ----------------------------------------------------------------------------

def test_default_demo_decisions():
    result = security.run(security.Params(), seed=1)
    assert result.decision == "ExplicitDeny" and result.main.deciding == "identity:NoTableDeletes"
    assert result.main.identity_allow  # dynamodb:* allowed it; the Deny still wins
    who = {p.label: p.evaluation.decision for p in result.who_may_invoke}
    assert who["S3 event from the uploads bucket"] == "Allow"
    assert who["S3 event from someone else's bucket"] == "ImplicitDeny"
    assert who["the partner's role (cross-account)"] == "Allow"
    assert who["the partner's admin, Action * in its own account"] == "ImplicitDeny"
    assert who["a developer in the same account"] == "Allow"
    problems = " ".join(f.problem for f in result.findings)
    assert "dynamodb:*" in problems and 'Resource "*"' in problems and "sns.amazonaws.com" in problems


def test_least_privilege_fix_keeps_used_calls_and_removes_the_rest():
    result = security.run(security.Params(), seed=1)
    assert result.used_allowed_after_fix is True
    after = {p.evaluation.request.action: (p.evaluation.decision, p.after_fix) for p in result.what_may_touch}
    assert after["dynamodb:DeleteItem"] == ("Allow", "ImplicitDeny")   # over-broad before, gone after
    assert after["dynamodb:GetItem"] == ("Allow", "Allow")
    assert after["dynamodb:DeleteTable"] == ("ExplicitDeny", "ExplicitDeny")  # guardrail kept
    statements = result.suggested_policy["Statement"]
    assert all(s["Resource"] != "*" for s in statements if s["Effect"] == "Allow")
    assert all("*" not in json.dumps(s["Action"]) for s in statements if s["Effect"] == "Allow")


def test_determinism():
    assert security.run(security.Params(), seed=1).to_json() == security.run(security.Params(), seed=1).to_json()


def test_bad_params():
    with pytest.raises(ParamError, match="service:Action"):
        security.Params(action="InvokeFunction")
    with pytest.raises(ParamError, match="wildcards belong in the policies"):
        security.Params(resource="arn:aws:s3:::*")


# --- the CLI ------------------------------------------------------------------------------------

def test_cli_default_demo_renders_with_footer():
    result = runner.invoke(app, ["simulate", "security"])
    assert result.exit_code == 0, result.output
    assert "What to say in the interview" in result.output
    assert "lambda-prep quiz --topic security" in result.output
    assert "Deny (explicit)" in result.output


def test_cli_json_keys():
    result = runner.invoke(app, ["simulate", "security", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["results"]
    for key in ("decision", "request", "trace", "steps", "identity_allow", "resource_allow", "explicit_deny",
                "cross_account", "who_may_invoke", "what_may_touch", "findings", "suggested_policy"):
        assert key in data


def test_cli_policy_files_and_a_request():
    result = runner.invoke(app, ["simulate", "security", "--json",
                                 "--identity-policy", str(DATA / "identity_admin.json"),
                                 "--resource-policy", str(DATA / "resource_public.json"),
                                 "--principal", "arn:aws:iam::111122223333:role/old-role",
                                 "--action", "lambda:InvokeFunction", "--resource", FN])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["results"]
    assert data["decision"] == "ExplicitDeny"
    assert data["deciding_statement"] == "resource:NoInvokeFromTheOldRole"
    problems = " ".join(f["problem"] for f in data["findings"])
    assert 'Action "*"' in problems and 'Principal "*"' in problems


def test_cli_bad_json_file_exits_2_naming_the_file():
    path = DATA / "bad_syntax.json"
    result = runner.invoke(app, ["simulate", "security", "--identity-policy", str(path)])
    assert result.exit_code == 2
    assert "bad_syntax.json" in result.output and "not valid JSON" in result.output and "line 4" in result.output


def test_cli_missing_file_and_bad_context_exit_2():
    result = runner.invoke(app, ["simulate", "security", "--resource-policy", str(DATA / "nope.json")])
    assert result.exit_code == 2 and "nope.json" in result.output
    result = runner.invoke(app, ["simulate", "security", "--context", "novalue"])
    assert result.exit_code == 2 and "KEY=VALUE" in result.output


def test_frames_for_animate():
    from lambda_prep.views.sims import security as view

    frames = view.frames(model.run(model.Params()))
    assert 10 <= len(frames) <= 60
