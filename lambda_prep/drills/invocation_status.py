"""What does the caller get back? Sync vs async, success, function error, throttle."""

from __future__ import annotations

from lambda_prep.sims import facts
from lambda_prep.drills.base import Drill, options, pick
from lambda_prep.sims.invocation import Params, run

KIND = "invocation-status"
TOPIC = "invocation"
SUMMARY = "the status a caller sees: 200, 200 with X-Amz-Function-Error, 202 or 429"
SOURCES = (facts.INVOKE_API_URL,)

WHY = {
    "200 with the function's result": "treating an error or a throttle as a normal result",
    "200 with the header X-Amz-Function-Error and the error as the body":
        "thinking an async caller waits for the function's outcome",
    "429 TooManyRequestsException, at once": "thinking async invocations are throttled at the caller",
    "202 Accepted, at once": "thinking a synchronous caller is answered before the function runs",
    "500 Internal Server Error": "thinking a function error is an HTTP 5xx for a direct Invoke caller",
}


def caller_sees(invocation: str, outcome: str) -> tuple[int, str]:
    """(status, what the caller gets) for the first request, as the invocation model answers it."""
    params = Params(requests=1, function_error=1.0 if outcome == "error" else 0.0,
                    throttle_s=5.0 if outcome == "throttled" else 0.0)
    results = run(params, seed=1).to_json()["results"][invocation]
    call = results["calls"][0] if invocation == "sync" else results["events"][0]
    status, headers = call["status"], call.get("headers", {})
    if status == 429:
        return status, "429 TooManyRequestsException, at once"
    if status == 202:
        return status, "202 Accepted, at once"
    if "X-Amz-Function-Error" in headers:
        return status, "200 with the header X-Amz-Function-Error and the error as the body"
    return status, "200 with the function's result"


def generate(rng, seed: int) -> Drill:
    invocation = pick(rng, ("sync", "async"))
    outcome = pick(rng, ("ok", "error", "throttled"))
    status, right = caller_sees(invocation, outcome)
    wrong = {text: why for text, why in WHY.items() if text != right}
    wrong = dict(list(wrong.items())[:3])
    choices, misconceptions = options(rng, right, wrong)
    situation = {"ok": "the function succeeds", "error": "the function throws an unhandled exception",
                 "throttled": "the function is at its concurrency limit (throttled)"}[outcome]
    kind = "synchronously (RequestResponse)" if invocation == "sync" else "asynchronously (Event)"
    later = {"ok": "", "error": " Lambda retries the event itself (twice by default) and then sends it to the "
                                "on-failure destination or DLQ.",
             "throttled": " Lambda keeps the event in its queue and retries throttles for up to 6 hours."}
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"invocation": invocation, "outcome": outcome, "status": status},
        prompt=f"A client calls Invoke {kind}, and {situation}. What does the caller get back?",
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(("A synchronous caller waits for the function. A function error is not an HTTP error for "
                      "a direct Invoke: the status is 200 and X-Amz-Function-Error says the body is an error. A "
                      "throttle is 429 at once; Lambda does not retry it (the SDK may).")
                     if invocation == "sync" else
                     ("An asynchronous caller gets 202 as soon as Lambda has queued the event, whatever happens "
                      "next." + later[outcome])),
        simulate=(f"lambda-prep simulate invocation --requests 3 --function-error {1 if outcome == 'error' else 0} "
                  f"--throttle-s {5 if outcome == 'throttled' else 0}"),
    )
