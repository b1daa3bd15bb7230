"""Will this payload get through? Sync 6 MB, async 1 MB (not 256 KB any more)."""

from __future__ import annotations

from lambda_prep.drills.base import Drill, options, pick
from lambda_prep.sims import facts

KIND = "payload-limits"
TOPIC = "limits"
SUMMARY = "which payloads a synchronous or asynchronous invocation accepts"
SOURCES = (facts.INVOKE_API_URL,)

ACCEPTED = "Accepted"
REJECTED = "Rejected: the request is too large for this invocation type"


def accepted(payload_kb: int, invocation: str) -> bool:
    """The limits simulation's verdict on this payload."""
    from lambda_prep.sims.limits import Params, run

    return run(Params(payload_kb=payload_kb, invocation=invocation)).payload_accepted


def generate(rng, seed: int) -> Drill:
    invocation = pick(rng, ("sync", "async"))
    payload_kb = pick(rng, (200, 300, 700, 1_000, 2_000, 5_000, 7_000))
    ok = accepted(payload_kb, invocation)
    right = ACCEPTED if ok else REJECTED
    wrong = {
        REJECTED if ok else ACCEPTED: (
            "the old async limit of 256 KB" if ok and invocation == "async" and payload_kb > 256
            else "mixing up the synchronous (6 MB) and asynchronous (1 MB) limits"),
        "Accepted, but only through an SQS queue, which takes larger messages":
            "thinking a queue in front raises Lambda's own payload limit",
    }
    choices, misconceptions = options(rng, right, wrong)
    kind = "synchronously (RequestResponse)" if invocation == "sync" else "asynchronously (Event)"
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"invocation": invocation, "payload_kb": payload_kb},
        prompt=f"A client invokes a function {kind} with a {payload_kb:,} KB JSON payload. What happens?",
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"Synchronous invocations take up to {facts.SYNC_PAYLOAD_KB.value // 1024} MB of request and "
                     f"response each; asynchronous invocations take up to {facts.ASYNC_PAYLOAD_KB.value // 1024} MB "
                     f"(raised from {facts.OLD_ASYNC_PAYLOAD_KB.value} KB in 2025). {payload_kb:,} KB "
                     f"{'fits' if ok else 'does not fit'} the {invocation} limit. For more, put the data in S3 and "
                     f"pass its key (or a presigned URL)."),
        simulate=f"lambda-prep simulate limits --invocation {invocation} --payload-kb {payload_kb}",
    )
