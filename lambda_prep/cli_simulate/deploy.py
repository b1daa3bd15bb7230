"""`lambda-prep simulate deploy`: options only; the model and view load inside the command."""

from __future__ import annotations

import typer

from lambda_prep.cli_simulate._shared import Animate, ArrivalRate, AsJson, DEFAULT_SEED, Seed, app, choice, simulate
from lambda_prep.sims import choices as C


# CodeDeploy's nine predefined Lambda configurations, from the facts module (one list, no copy here)
Config = choice("Config", C.DEPLOY_CONFIGS)


Hook = choice("Hook", C.HOOK_RESULTS)


@app.command("deploy")
def deploy(
    ctx: typer.Context,
    config: Config = typer.Option(Config.LambdaCanary10Percent5Minutes, "--config", case_sensitive=False,
                                  help="CodeDeploy's predefined configuration (CodeDeployDefault.<name>)."),
    arrival_rate: ArrivalRate = 20.0,
    new_error_rate: float = typer.Option(0.1, "--new-error-rate",
                                         help="Share of the new version's requests that fail, 0-1. Demo value: "
                                              "a bad release."),
    baseline_error_rate: float = typer.Option(0.001, "--baseline-error-rate",
                                              help="Share of the old version's requests that fail, 0-1. Demo value."),
    alarm_threshold: int = typer.Option(10, "--alarm-threshold",
                                        help="The CloudWatch alarm: alias Errors per 1-minute period that put it "
                                             "in ALARM. Demo value."),
    alarm: bool = typer.Option(True, "--alarm/--no-alarm",
                               help="Attach the alarm to the deployment group, with automatic rollback on alarm."),
    pre_hook: Hook = typer.Option(Hook.pass_, "--pre-hook", case_sensitive=False,
                                  help="The BeforeAllowTraffic hook's verdict: pass or fail."),
    post_hook: Hook = typer.Option(Hook.pass_, "--post-hook", case_sensitive=False,
                                   help="The AfterAllowTraffic hook's verdict: pass or fail."),
    hook_s: float = typer.Option(60.0, "--hook-s", help="Seconds each hook runs, 0-3,600. Demo value."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
) -> None:
    """A bad version shifted in by CodeDeploy: canary, linear or all at once; the alarm; the rollback.

    CodeDeploy moves the alias's weight from the old version to the new
    one step by step. A pre-traffic hook tests the new version first; a
    CloudWatch alarm on the alias's errors, attached to the deployment
    group, rolls everything back when it fires; a post-traffic hook tests
    again at 100 %. The picture: the weight over time, the errors, when
    the alarm fired, and how many requests saw the bad version, for
    your configuration and, on average, for all nine.

    \b
    AWS values and sources:
      predefined Lambda configurations: Canary10Percent5/10/15/30Minutes,
      Linear10PercentEvery1/2/3/10Minutes, AllAtOnce
        https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
      rollback when an alarm fires
        https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html
      BeforeAllowTraffic and AfterAllowTraffic hooks
        https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html
      weighted aliases (two versions)
        https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html

    \b
    Model assumptions: requests at random at a steady rate, routed by
    the alias's weight; fixed error rates per version; the alarm sums
    the alias's errors per minute from the first shift and fires at the
    end of a minute; the rollback is instant (real metrics arrive late,
    so real rollbacks come later); each hook takes --hook-s.

    \b
    Examples:
      lambda-prep simulate deploy
      lambda-prep simulate deploy --config LambdaAllAtOnce
      lambda-prep simulate deploy --config LambdaLinear10PercentEvery1Minute
      lambda-prep simulate deploy --new-error-rate 0.03 --alarm-threshold 5
      lambda-prep simulate deploy --no-alarm
      lambda-prep simulate deploy --pre-hook fail
    """
    simulate(ctx, "deploy")
