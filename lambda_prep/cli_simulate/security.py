from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from lambda_prep.cli_simulate._shared import animate_option, app, json_option, seed_option, simulate


def _pairs(values: List[str], option: str, what: str) -> tuple[tuple[str, str], ...]:
    from lambda_prep.sims.common import ParamError

    out = []
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip() or not rest.strip():
            raise ParamError(f"{option} must be {what}, got {value!r}")
        out.append((key.strip(), rest.strip()))
    return tuple(out)


MAX_POLICY_BYTES = 64 * 1024  # IAM policies are at most 10-20 KB; anything bigger is not one


def _read_policy(path: Path, option: str) -> tuple[dict, str]:
    """Read a JSON policy: a regular file only (never a device, FIFO or folder), at most 64 KB, checked
    before reading, so /dev/zero or a FIFO cannot eat memory or block; any parse failure is exit 2."""
    import json
    import os
    import stat

    from lambda_prep.sims.common import ParamError

    source = f"{option} {path}"
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then tells what it is.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ParamError(f"{source}: cannot read the file ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode) else \
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a regular file"
            raise ParamError(f"{source}: {kind}; give a JSON policy file")
        if info.st_size > MAX_POLICY_BYTES:
            raise ParamError(f"{source}: {info.st_size:,} bytes; a policy file must be at most "
                             f"{MAX_POLICY_BYTES // 1024} KB (IAM policies are at most 10-20 KB)")
        data = os.read(fd, MAX_POLICY_BYTES + 1)
    except OSError as exc:
        raise ParamError(f"{source}: cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ParamError(f"{source}: not UTF-8 text") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParamError(f"{source}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise ParamError(f"{source}: nested too deeply to be a policy") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise ParamError(f"{source}: not a policy: {str(exc).split(':')[0]}") from None
    return document, source


@app.command("security")
def security(
    ctx: typer.Context,
    principal: Optional[str] = typer.Option(None, "--principal", show_default=False,
                                            help="Who makes the request: an IAM ARN or a service such as "
                                                 "s3.amazonaws.com. Default: the function's execution role."),
    action: str = typer.Option("dynamodb:DeleteTable", "--action", help="The action, service:Action."),
    resource: Optional[str] = typer.Option(None, "--resource", show_default=False,
                                           help="The resource ARN. Default: the demo's orders table."),
    context: List[str] = typer.Option([], "--context", metavar="KEY=VALUE",
                                      help="A request-context key for conditions, e.g. "
                                           "aws:SourceArn=arn:aws:s3:::bucket (repeatable)."),
    identity_policy: Optional[Path] = typer.Option(None, "--identity-policy", metavar="FILE", show_default=False,
                                                   help="JSON identity policy of the execution role "
                                                        "(default: a built-in, over-broad demo)."),
    resource_policy: Optional[Path] = typer.Option(None, "--resource-policy", metavar="FILE", show_default=False,
                                                   help="JSON resource-based policy of the function "
                                                        "(default: a built-in demo)."),
    used: List[str] = typer.Option([], "--used", metavar="ACTION=RESOURCE",
                                   help="A call the function makes (as CloudTrail shows); the least-privilege "
                                        "policy is built from these (repeatable)."),
    function_arn: Optional[str] = typer.Option(None, "--function-arn", show_default=False,
                                               help="The function the resource policy is attached to. "
                                                    "Default: arn:aws:lambda:us-east-1:111122223333:function:orders."),
    role_arn: Optional[str] = typer.Option(None, "--role-arn", show_default=False,
                                           help="The execution role the identity policy is attached to. "
                                                "Default: arn:aws:iam::111122223333:role/orders-fn-role."),
    seed: int = seed_option(),
    as_json: bool = json_option(),
    animate: bool = animate_option(),
) -> None:
    """Evaluate a request against an execution role and a resource policy, with the trace.

    Explicit deny wins, then an Allow, otherwise implicit deny. In one
    account the identity and resource Allows are a union; cross-account
    both sides must allow; AWS services are authorised by the resource
    policy alone. Shows who may invoke the function, what it may touch,
    over-broad statements, and a least-privilege policy built from the
    calls it makes. Wildcards * and ? in Action and Resource; in
    Principal only "*" (AWS rejects partial principal wildcards: use a
    Condition on aws:PrincipalArn with ArnLike).

    \b
    Sources (AWS IAM User Guide, Lambda Developer Guide):
      https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
      https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
      https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
      https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
      https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html

    \b
    Not modelled: SCPs/RCPs, permissions boundaries, session policies,
    the root user, NotPrincipal, condition operators other than
    String/Arn (Not)Equals/Like. MODEL READING: a resource policy naming
    a whole account delegates to that account's identity policies and
    grants nothing by itself to users or roles of the function's own
    account. The demo's accounts, ARNs and policies are made up.
    No randomness: --seed changes nothing.

    \b
    Examples:
      lambda-prep simulate security
      lambda-prep simulate security --principal s3.amazonaws.com \\
          --action lambda:InvokeFunction \\
          --resource arn:aws:lambda:us-east-1:111122223333:function:orders \\
          --context aws:SourceArn=arn:aws:s3:::orders-uploads-111122223333
      lambda-prep simulate security --identity-policy role.json \\
          --resource-policy function-policy.json
    """
    def build(progress):
        from lambda_prep.sims import security as model

        kwargs: dict = {"action": action}
        if principal is not None:
            kwargs["principal"] = principal
        if resource is not None:
            kwargs["resource"] = resource
        if function_arn is not None:
            kwargs["function_arn"] = function_arn
        if role_arn is not None:
            kwargs["role_arn"] = role_arn
            if principal is None:
                kwargs["principal"] = role_arn
        kwargs["context"] = _pairs(context, "--context", "KEY=VALUE")
        if used:
            kwargs["used"] = _pairs(used, "--used", "ACTION=RESOURCE")
        if identity_policy is not None:
            kwargs["identity_policy"], kwargs["identity_source"] = _read_policy(identity_policy, "--identity-policy")
        if resource_policy is not None:
            kwargs["resource_policy"], kwargs["resource_source"] = _read_policy(resource_policy, "--resource-policy")
        return model.run(model.Params(**kwargs), seed, progress)

    simulate(ctx, "security", build, "security", as_json=as_json, animate=animate)
