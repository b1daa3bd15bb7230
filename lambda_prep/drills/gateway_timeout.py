"""A slow request behind a front door: what does the caller see, and what does Lambda bill?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.front_door import DOOR_NAMES, Params, billed_ms, outcome

KIND = "gateway-timeout"
TOPIC = "front-doors"
SUMMARY = "a slow request behind API Gateway, an ALB or a function URL: status and billed time"
SOURCES = (facts.APIGW_QUOTAS_URL, facts.APIGW_ERRORS_URL, facts.ALB_LAMBDA_URL, facts.FUNCTION_URLS_URL,
           facts.PRICING_URL)
DOORS = ("rest", "rest", "alb", "url")  # the HTTP API's answer to a timeout is not documented: left out
REST_MAX_S = facts.APIGW_REST_TIMEOUT_MS.value[1] / 1000  # 29 s: the default, and the maximum for edge APIs


def seen(status: int, waits_s: float, billed: int) -> str:
    return f"{status} after {waits_s:g} s; Lambda bills {billed:,} ms"


def generate(rng, seed: int) -> Drill:
    door = pick(rng, DOORS)
    if door == "rest":
        integration = pick(rng, (REST_MAX_S, REST_MAX_S, 10.0, 15.0))  # 10 and 15 s: settings below it
        timeout = pick(rng, (5, 60, 120, 300))
        # past the door's timeout (and maybe the function's own), or a function timing out first
        duration = (timeout + 3.5 if timeout < integration else
                    pick(rng, ((integration + timeout) / 2, timeout + 15.5)))
    else:
        # An ALB or a function URL waits for the function. Runs under a minute: the model leaves out the
        # ALB's idle timeout (60 s by default).
        integration = REST_MAX_S  # API Gateway's, for the distractors
        timeout = pick(rng, (60, 120, 300))
        duration = pick(rng, (integration + 6.5, integration + 21.5))
    prm = Params(duration_s=duration, timeout_s=timeout, integration_timeout_s=integration)
    got = outcome(prm, door, "slow")  # the front-door model: status, how long the caller waits, billed ms
    right = seen(got["status"], got["caller_waits_s"], got["billed_ms"])
    ran = min(duration, timeout)
    bill = billed_ms(duration, timeout)
    if got["status"] == 504:
        wrong = {
            seen(504, integration, round(integration * 1000)):
                "thinking the front door's timeout stops the function (it runs on, and is billed)",
            seen(200, ran, bill): "thinking API Gateway waits as long as the function runs",
            seen(502, ran, bill): "thinking API Gateway reports its own timeout as a function error",
        }
    elif got["status"] == 502:  # the function timed out before the door gave up
        wrong = {
            seen(504, timeout, bill): "thinking a function timeout is a gateway timeout (it is a function error)",
            seen(504, integration, round(integration * 1000)):
                "thinking API Gateway's timeout decides, though the function's shorter one ends the run first",
            seen(200, timeout, bill): "thinking a timed-out function still returns a response",
        }
    else:
        wrong = {
            seen(504, integration, round(integration * 1000)):
                f"thinking every front door has API Gateway's {REST_MAX_S:g}-second integration timeout",
            seen(504, integration, bill): f"thinking every front door has API Gateway's {REST_MAX_S:g}-second "
                                          f"integration timeout (and that the function runs on)",
            seen(502, integration, round(integration * 1000)):
                f"thinking the front door cuts the function off at {REST_MAX_S:g} s and reports a function error",
        }
    wrong = {text: why for text, why in wrong.items() if text != right}
    choices, misconceptions = options(rng, right, wrong)
    door_text = (f"an API Gateway REST API (Lambda proxy integration, integration timeout {integration:g} s)"
                 if door == "rest" else f"an {DOOR_NAMES[door]}" if door == "alb" else "a Lambda function URL")
    why = {
        504: (f"API Gateway stops waiting after its integration timeout ({integration:g} s) and answers 504, but "
              f"nothing stops the function: it runs on to {ran:g} s"
              + (f" (where its own timeout ends it)" if duration > timeout else "")
              + f" and Lambda bills all of it ({bill:,} ms). "
              f"Make long work asynchronous (return 202 and let the client poll), or raise the timeout, which "
              f"Regional and private REST APIs allow past {REST_MAX_S:g} s on request."),
        502: (f"The function times out at {timeout} s, before API Gateway's {integration:g} s are up: a function "
              f"error, which API Gateway answers with 502. Lambda bills the run up to the timeout ({bill:,} ms)."),
        200: (f"The caller waits for the function, which answers after {ran:g} s; Lambda bills {bill:,} ms."
              + ("" if door == "rest" else
                 f" {'An ' + DOOR_NAMES[door] if door == 'alb' else 'A function URL'} has no {REST_MAX_S:g}-second "
                 f"integration timeout: the function's timeout is the limit.")),
    }[got["status"]]
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"door": door, "duration_s": duration, "timeout_s": timeout, "integration_timeout_s": integration,
                "status": got["status"], "caller_waits_s": got["caller_waits_s"], "billed_ms": got["billed_ms"]},
        prompt=(f"A function sits behind {door_text}. Its timeout is {timeout} s, and one request makes the "
                f"handler run {duration:g} s. What does the caller get, and what does Lambda bill?"),
        choices=choices, answer=right, misconceptions=misconceptions, explanation=why,
        simulate=(f"lambda-prep simulate front-door --duration-s {duration:g} --timeout-s {timeout} "
                  f"--integration-timeout-s {integration:g} --seed {seed}"),
    )
