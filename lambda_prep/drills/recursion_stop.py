"""A function that triggers itself: does Lambda stop the loop, and after how many invocations?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, distinct, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.recursive_loop import VIA_TEXT, Params, run

KIND = "recursion-stop"
TOPIC = "integrations-patterns"
SUMMARY = "recursive loop detection: stopped after 16 invocations, or running on"
SOURCES = (facts.RECURSION_URL, facts.RECURSION_LAUNCH_URL)

RUNS_ON = "It runs until someone stops it: Lambda does not detect this loop"


def stopped(invocations: int, dropped: int) -> str:
    return f"Stopped after {invocations:,} invocations; {dropped:,} event{'s' if dropped != 1 else ''} dropped"


def generate(rng, seed: int) -> Drill:
    limit = int(facts.RECURSION_LIMIT.value)
    via = pick(rng, ("sqs", "sqs", "sns", "s3", "lambda", "dynamodb"))
    fan_out = pick(rng, (1, 1, 2))  # the prompt says "twice" for 2
    # mostly the default setting and a current SDK, so that the service decides most scenarios
    recursion = "allow" if rng.random() < 0.15 else "terminate"
    supported_sdk = rng.random() >= 0.15
    prm = Params(via=via, fan_out=fan_out, recursion=recursion, supported_sdk=supported_sdk)
    result = run(prm)  # closed and deterministic: no randomness in this model
    right = stopped(result.invocations, result.dropped) if result.detected else RUNS_ON
    tree = sum(fan_out ** k for k in range(limit))
    everywhere = "thinking loop detection covers every service, SDK and setting"
    concurrency = {"Stopped when it reaches the account's concurrency limit":
                   "thinking concurrency stops a loop (it only slows it: queued events wait and run later)"}
    if result.detected:
        wrong = {RUNS_ON: "thinking Lambda has no loop detection of its own", **concurrency}
        if fan_out == 1:
            wrong["Stopped at once: Lambda refuses a function that writes to its own trigger"] = (
                f"thinking Lambda forbids a loop (it lets a chain run and stops it after about {limit} invocations)")
        else:
            wrong[stopped(limit, 1)] = (f"counting one chain of {limit}, forgetting that every event written "
                                        f"carries the count, so the whole tree runs {limit} deep")
    else:
        wrong = {stopped(tree, fan_out ** limit): everywhere, **concurrency,
                 f"Stopped after {limit} invocations, but only if X-Ray tracing is turned on":
                     "thinking detection needs active tracing (it uses the trace header; no tracing needed)"}
    choices, misconceptions = options(rng, right, wrong)
    writes = VIA_TEXT[via] + ("" if fan_out == 1 else ", twice on every run")
    setting = ("RecursiveLoop is left at its default" if recursion == "terminate" else
               "RecursiveLoop is set to Allow")
    sdk = ("a current AWS SDK" if supported_sdk else
           "an AWS SDK older than the versions that carry the loop count")
    explanation = (
        f"Lambda counts the invocations in a chain of requests in metadata that supported AWS SDKs carry "
        f"(the X-Ray trace header, no tracing needed) and stops the invocation after the {limit}th, for loops "
        f"through SQS, SNS, S3 and Lambda itself, unless RecursiveLoop is Allow. ")
    if result.detected:
        explanation += (
            f"Here each invocation writes {fan_out} event{'s' if fan_out > 1 else ''}, so {limit} generations run "
            + ("1 each: " if fan_out == 1 else f"1 + {fan_out} + {fan_out}^2 ... + {fan_out}^{limit - 1} = ")
            + f"{result.invocations:,} invocations. The next generation's "
            + (f"{result.dropped:,} events go" if result.dropped != 1 else "event goes")
            + " to the DLQ or on-failure destination, if one is set (RecursiveInvocationsDropped).")
    else:
        explanation += (f"Here {prm.why_not_detected()}: the loop runs on, bounded only by the account's "
                        f"concurrency, until someone notices (an alarm on Invocations or on the bill).")
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"via": via, "fan_out": fan_out, "recursion": recursion, "supported_sdk": supported_sdk,
                "detected": result.detected, "invocations": result.invocations if result.detected else None,
                "dropped": result.dropped},
        prompt=(f"A function {writes}. {setting}, and it sends with {sdk}. One event starts the loop. What "
                f"happens?"),
        choices=choices, answer=right, misconceptions=misconceptions, explanation=explanation,
        simulate=(f"lambda-prep simulate recursive-loop --via {via} --fan-out {fan_out} --recursion {recursion}"
                  + ("" if supported_sdk else " --old-sdk") + f" --seed {seed}"),
    )
