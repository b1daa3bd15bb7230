"""`lambda-prep simulate front-door`: options only; the model and view load inside the command."""

from __future__ import annotations

import typer

from lambda_prep.cli_simulate._shared import (
    Animate, AsJson, DEFAULT_SEED, DurationMs, MemoryMb, Requests, Seed, TimeoutS, app, simulate,
)


@app.command("front-door")
def front_door(
    ctx: typer.Context,
    duration_s: float = typer.Option(45.0, "--duration-s", help="The slow request's handler time, seconds. "
                                                                "Demo value."),
    timeout_s: TimeoutS = 60.0,
    integration_timeout_s: float = typer.Option(
        29.0, "--integration-timeout-s",
        help="API Gateway's integration timeout: REST 0.05-29 s (AWS default 29; more only for Regional and "
             "private REST APIs, on request), HTTP API up to 30 s."),
    response_kb: float = typer.Option(2048.0, "--response-kb", help="Size of the big response, KB, up to "
                                                                    "204,800 (200 MB). Demo value."),
    streaming: bool = typer.Option(False, "--streaming/--buffered",
                                   help="Stream the response (function URL RESPONSE_STREAM, API Gateway REST "
                                        "streaming); AWS default buffered."),
    memory_mb: MemoryMb = 1024,
    requests: Requests = 20_000,
    duration_ms: DurationMs = 10_000.0,
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
) -> None:
    """One function behind four front doors: what the caller sees, and what Lambda bills.

    The same seven requests through API Gateway (REST and HTTP APIs), an
    Application Load Balancer and a function URL: a quick one; a slow one
    that outlives API Gateway's integration timeout (the caller gets an
    error, the function runs on and is billed); a big response; a response
    without a statusCode; an unhandled error; a request Lambda throttles;
    one the front door throttles. Each status says whether AWS documents it.
    Then --requests requests with exponential handler times (mean
    --duration-ms) go through the REST API: how many get 504, and how much
    work Lambda bills after their callers have gone.

    \b
    AWS values and sources:
      API Gateway: a rejected invocation 500, a function error or a badly
      formed response 502, no retries
        https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
      REST integration timeout 50 ms-29 s (more for Regional and private
      REST APIs since June 2024); 10,000 requests/s per account
        https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
        https://aws.amazon.com/about-aws/whats-new/2024/06/amazon-api-gateway-integration-timeout-limit-29-seconds/
      HTTP API: integration timeout up to 30 s, payload 10 MB
        https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
      ALB: 1 MB request body and response JSON for a Lambda target
        https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
      function URL: BUFFERED 6 MB, RESPONSE_STREAM 200 MB
        https://docs.aws.amazon.com/lambda/latest/dg/config-rs-invoke-furls.html
      prices (x86_64, first tier)  https://aws.amazon.com/lambda/pricing/

    \b
    Model assumptions: quick requests take 200 ms; statuses marked
    "observed" are reported by users or follow from how the door works,
    not stated by AWS (the HTTP API's 503 on a timeout is one); the ALB
    waits for the function; the traffic run's handler times are
    exponential (checked against e^(-T/m)).

    \b
    Examples:
      lambda-prep simulate front-door
      lambda-prep simulate front-door --duration-s 90 --timeout-s 60
      lambda-prep simulate front-door --integration-timeout-s 30
      lambda-prep simulate front-door --response-kb 10240 --streaming
      lambda-prep simulate front-door --duration-ms 20000 --timeout-s 29
    """
    simulate(ctx, "front-door")
