"""Front doors: the same function behind API Gateway (REST, HTTP), an ALB and a function URL.

What the caller sees for the same seven requests: a quick one, a slow one (past API Gateway's
integration timeout: the caller gets an error while the function runs on and is billed), a big
response (1 MB through an ALB, 6 MB buffered from Lambda, 200 MB streamed), a response without a
statusCode, an unhandled error, a request Lambda throttles, and one the front door throttles
before Lambda sees it.

Every status is tagged with how sure it is: "documented" (the AWS page says it) or "observed"
(reported by users, or read from how the front door works; AWS's pages do not state it). The
billed duration is exact: ceil to the ms of min(handler time, function timeout), whatever the
caller got. A traffic run (exponential handler times, seeded) counts the 504s and the time billed
after callers had gone, against the closed form e^(-T/m) and m (e^(-T/m) - e^(-t/m)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_range, envelope, rng

NAME = "front-door"
DOORS = ("rest", "http", "alb", "url")
DOOR_NAMES = {"rest": "API Gateway REST API", "http": "API Gateway HTTP API", "alb": "Application Load Balancer",
              "url": "Lambda function URL"}
CASES = ("quick", "slow", "big", "malformed", "error", "throttled-by-lambda", "throttled-by-front-door")
BUFFERED_KB = int(F.SYNC_PAYLOAD_KB.value)
ALB_KB = int(F.ALB_LAMBDA_BODY_KB.value)
STREAM_KB = int(F.STREAMED_RESPONSE_MB.value) * 1024
REST_MAX_MS = F.APIGW_REST_TIMEOUT_MS.value[1]
HTTP_MAX_MS = int(F.APIGW_HTTP_TIMEOUT_MS.value)
SOURCES = (F.APIGW_ERRORS_URL, F.APIGW_QUOTAS_URL, F.APIGW_HTTP_QUOTAS_URL, F.APIGW_TIMEOUT_NEWS_URL,
           F.ALB_LAMBDA_URL, F.FUNCTION_URLS_URL, F.FUNCTION_URL_STREAMING_URL, F.STREAMING_URL, F.INVOKE_API_URL,
           F.PRICING_URL)


@dataclass(frozen=True)
class Params:
    duration_s: float = 45.0  # the slow request's handler time
    timeout_s: float = 60.0  # the function's timeout
    integration_timeout_s: float = 29.0  # API Gateway's (REST default and usual maximum; HTTP API max 30 s)
    response_kb: float = 2048.0  # the big response
    streaming: bool = False  # function URL RESPONSE_STREAM / API Gateway response streaming
    memory_mb: int = 1024
    requests: int = 20_000  # the traffic run: requests with exponential handler times
    duration_ms: float = 10_000.0  # their mean handler time

    def __post_init__(self) -> None:
        check_range("duration_s", self.duration_s, 0.001, 900, why="handler time of the slow request")
        check_range("timeout_s", self.timeout_s, 1, int(F.MAX_TIMEOUT_S.value), why="the function timeout, 1-900 s")
        check_range("integration_timeout_s", self.integration_timeout_s, F.APIGW_REST_TIMEOUT_MS.value[0] / 1000,
                    HTTP_MAX_MS / 1000, why="API Gateway's integration timeout: REST 50 ms-29 s (more only for "
                                            "Regional and private APIs, on request), HTTP API up to 30 s")
        check_range("response_kb", self.response_kb, 1, STREAM_KB, why="size of the big response, up to 200 MB")
        check_range("memory_mb", self.memory_mb, int(F.MIN_MEMORY_MB.value), int(F.MAX_MEMORY_MB.value),
                    why="Lambda memory, 128-10,240 MB")
        check_range("requests", self.requests, 1, 1_000_000, why="requests in the traffic run; model limit")
        check_range("duration_ms", self.duration_ms, 1, 900_000, why="mean handler time of the traffic run")

    def door_timeout_s(self, door: str) -> float | None:
        """The front door's own wait for the function; None: it waits as long as the function runs."""
        if door == "rest":
            return min(self.integration_timeout_s, REST_MAX_MS / 1000)
        if door == "http":
            return min(self.integration_timeout_s, HTTP_MAX_MS / 1000)
        return None


def billed_ms(duration_s: float, timeout_s: float) -> int:
    """Lambda bills the handler's time rounded up to the ms, stopped at the timeout."""
    return math.ceil(round(min(duration_s, timeout_s) * 1000, 6))


def cost(ms: int, memory_mb: int) -> float:
    return F.request_cost(1) + F.duration_cost(ms / 1000 * memory_mb / 1024)


def _outcome(status, sure, caller_waits_s, billed, what):
    return {"status": status, "sure": sure, "caller_waits_s": caller_waits_s, "billed_ms": billed, "what": what}


def outcome(prm: Params, door: str, case: str) -> dict:
    """What the caller sees, how sure that is, how long the caller waits, and what Lambda bills."""
    quick_ms = 200
    gateway = door in ("rest", "http")
    if case == "quick":
        return _outcome(200, "documented", quick_ms / 1000, quick_ms, "answered")
    if case == "slow":
        ran = min(prm.duration_s, prm.timeout_s)
        bill = billed_ms(prm.duration_s, prm.timeout_s)
        limit = prm.door_timeout_s(door)
        if limit is not None and limit < ran:
            if door == "rest":
                return _outcome(504, "documented", limit, bill,
                                f"API Gateway gave up after {limit:g} s (integration timeout); the function ran on "
                                f"to {ran:g} s and was billed for it")
            return _outcome(503, "observed", limit, bill,
                            f"the HTTP API gave up after {limit:g} s; the function ran on to {ran:g} s and was billed")
        if prm.duration_s > prm.timeout_s:
            return _outcome(502, "documented" if gateway else "observed", prm.timeout_s, bill,
                            f"the function timed out at {prm.timeout_s:g} s (a function error)")
        return _outcome(200, "documented", prm.duration_s, bill, "answered, however long it took")
    if case == "big":
        kb = prm.response_kb
        bill = quick_ms
        if door == "alb" and kb > ALB_KB:
            return _outcome(502, "observed", quick_ms / 1000, bill, "over the ALB's 1 MB limit for a Lambda response")
        if kb > BUFFERED_KB:
            if prm.streaming and door in ("url", "rest"):
                return _outcome(200, "documented", quick_ms / 1000, bill,
                                "streamed (first 6 MB at full speed, then up to 2 MB/s)")
            return _outcome(502, "documented" if gateway else "observed", quick_ms / 1000, bill,
                            "over Lambda's 6 MB buffered response: the invocation fails"
                            + ("; streaming would carry it" if door in ("url", "rest") else ""))
        return _outcome(200, "documented", quick_ms / 1000, bill, "answered")
    if case == "malformed":
        if door in ("http", "url"):
            return _outcome(200, "observed", quick_ms / 1000, quick_ms,
                            "payload format 2.0 infers a 200 and sends the returned JSON as the body")
        return _outcome(502, "documented" if door == "rest" else "observed", quick_ms / 1000, quick_ms,
                        "no statusCode: a response in the wrong format")
    if case == "error":
        return _outcome(502, "documented" if gateway else "observed", quick_ms / 1000, quick_ms,
                        "unhandled exception; the caller sees only 'Internal server error'" if gateway else
                        "unhandled exception")
    if case == "throttled-by-lambda":
        if gateway:
            return _outcome(500, "documented", 0.0, 0,
                            "Lambda rejected the invocation (429 to API Gateway); the caller cannot tell it from a bug")
        if door == "url":
            return _outcome(429, "observed", 0.0, 0, "the function URL passes Lambda's throttle on")
        return _outcome(None, "not documented", 0.0, 0, "an error; AWS does not say which status the ALB returns")
    if case == "throttled-by-front-door":
        if gateway:
            return _outcome(429, "documented", 0.0, 0,
                            "API Gateway's throttle (10,000 requests/s per account and Region, stage or usage plan "
                            "limits) answers before Lambda is invoked: nothing billed")
        return _outcome(None, "n/a", None, None, "no request throttle of its own: Lambda's concurrency is the limit")
    raise ParamError(f"unknown case {case!r}")


def traffic_theory(prm: Params) -> dict:
    """Exponential handler times of mean m against the REST API's timeout T and the function's timeout t:
    P(caller gets 504) = P(min(D, t) > T) = e^(-T/m) when t > T; the time billed after the caller left,
    per request, E[(min(D, t) - T)+] = m (e^(-T/m) - e^(-t/m))."""
    m, big_t, t = prm.duration_ms / 1000, prm.door_timeout_s("rest"), prm.timeout_s
    if t <= big_t:
        return {"gateway_timeout_ratio": 0.0, "billed_after_caller_left_per_request_s": 0.0}
    return {"gateway_timeout_ratio": math.exp(-big_t / m),
            "billed_after_caller_left_per_request_s": m * (math.exp(-big_t / m) - math.exp(-t / m))}


@dataclass
class Result:
    params: Params
    table: dict  # door -> case -> outcome
    traffic: dict | None = None  # the traffic run through the REST API

    def assumptions(self) -> list[str]:
        prm = self.params
        return [
            "Each door sends the same seven requests to one function; the quick requests take 200 ms (model value).",
            f"The slow request runs {prm.duration_s:g} s against a {prm.timeout_s:g} s function timeout; the billed "
            "duration is Lambda's, whatever the caller got.",
            "'observed' statuses are reported by users or follow from how the door works; AWS's pages do not "
            "state them. The HTTP API's answer to a timeout (503) is one of these.",
            "The ALB is taken to wait for the function (its connection idle timeout, 60 s by default, is left out).",
            f"The traffic run: {prm.requests:,} requests through the REST API with exponential handler times of mean "
            f"{prm.duration_ms:g} ms (model choice).",
            "Response streaming is available through function URLs and API Gateway REST proxy integrations; Node.js "
            "streams natively, other runtimes need a custom runtime or the Lambda Web Adapter.",
        ]

    def to_json(self) -> dict:
        prm = self.params
        slow_bill = billed_ms(prm.duration_s, prm.timeout_s)
        results = {
            "doors": {door: {"name": DOOR_NAMES[door], "timeout_s": prm.door_timeout_s(door),
                             "cases": self.table[door]} for door in DOORS},
            "cases": list(CASES),
            "slow_request": {"billed_ms": slow_bill, "cost_usd": round(cost(slow_bill, prm.memory_mb), 9)},
            "traffic": self.traffic,
            "limits": {"buffered_response_kb": BUFFERED_KB, "alb_body_kb": ALB_KB, "streamed_response_kb": STREAM_KB,
                       "api_gateway_payload_mb": int(F.APIGW_PAYLOAD_MB.value),
                       "api_gateway_account_rps": int(F.APIGW_ACCOUNT_RPS.value)},
        }
        return envelope(NAME, prm, self.assumptions(), SOURCES, results)


def run(params: Params, seed: int | None = 1, progress: Callable[[int], None] | None = None) -> Result:
    table = {door: {case: outcome(params, door, case) for case in CASES} for door in DOORS}
    return Result(params=params, table=table, traffic=_traffic(params, seed))


def _traffic(prm: Params, seed) -> dict:
    """Requests with exponential handler times through the REST API: who got 504, and what was billed."""
    r = rng(seed)
    rate, limit, timeout = 1000 / prm.duration_ms, prm.door_timeout_s("rest"), prm.timeout_s
    timeouts = function_timeouts = 0
    billed_after = billed_total = 0.0
    for _ in range(prm.requests):
        ran = min(r.expovariate(rate), timeout)
        billed_total += ran
        if ran >= timeout:
            function_timeouts += 1
        if ran > limit:
            timeouts += 1
            billed_after += ran - limit
    theory = traffic_theory(prm)
    gb = prm.memory_mb / 1024
    return {
        "requests": prm.requests,
        "gateway_timeouts": timeouts,
        "gateway_timeout_ratio": round(timeouts / prm.requests, 6),
        "function_timeouts": function_timeouts,
        "billed_s": round(billed_total, 3),
        "billed_after_caller_left_s": round(billed_after, 3),
        "billed_after_caller_left_per_request_s": round(billed_after / prm.requests, 6),
        "cost_after_caller_left_per_million_usd": round(F.duration_cost(billed_after / prm.requests * gb) * 1e6, 4),
        "theory": {k: round(v, 6) for k, v in theory.items()},
    }
