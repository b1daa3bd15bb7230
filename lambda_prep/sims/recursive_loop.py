"""Recursive loops: a function that triggers itself, and Lambda's loop detection stopping it.

A function writes to the queue, topic or bucket that invokes it (or calls itself). Each event
carries, in its X-Ray trace header, a count of the invocations in its chain of requests; supported
AWS SDKs update it when the function sends the next event. When a function is invoked more than
16 times in the same chain, Lambda stops the next invocation (RecursiveInvocationsDropped), sends
the event to a DLQ or on-failure destination if one is configured, and notifies you. This works for
loops through SQS, SNS, S3 and Lambda itself, by default (RecursiveLoop=Terminate). It does not
see loops through other services (DynamoDB, for one), calls made without a supported SDK, or a
function set to RecursiveLoop=Allow: those run on until someone notices.

The model is a closed computation, step by step, with no randomness (the seed changes nothing):
each invocation writes `fan_out` events; an event reaches the function after `hop_ms` (a model
choice: the service's delivery time) and runs for `duration_ms`. A runaway loop is bounded only by
the account's concurrency: at most C x (hop + duration) / duration invocations per step; the
rest wait in the queue.

Closed forms the tests check: detected with fan-out f, the chain runs sum_{k=1..16} f^(k-1)
invocations and f^16 are dropped; the 17th hop is stopped at 17 x hop + 16 x duration; one
undetected chain (f = 1) runs floor(T / (hop + duration)) times in T seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_range, envelope

NAME = "recursive-loop"
VIA = C.RECURSION_VIA
VIA_TEXT = {
    "sqs": "writes a message to the SQS queue that triggers it",
    "sns": "publishes to the SNS topic it subscribes to",
    "s3": "writes an object to the S3 bucket that notifies it",
    "lambda": "invokes itself through the Lambda API",
    "dynamodb": "writes to the DynamoDB table whose stream triggers it",
}
RECURSION = C.RECURSION
SOURCES = (F.RECURSION_URL, F.RECURSION_LAUNCH_URL, F.RECURSION_S3_URL, F.METRICS_URL, F.PRICING_URL)
TRACE_ROWS = 18  # rows of the first chain kept for the picture


@dataclass(frozen=True)
class Params:
    via: str = "sqs"
    fan_out: int = 1  # events each invocation writes back
    recursion: str = "terminate"  # PutFunctionRecursionConfig RecursiveLoop (AWS default Terminate)
    supported_sdk: bool = True  # the function sends with an AWS SDK version that carries the chain count
    hop_ms: float = 100.0  # model choice: time for the service to deliver the event
    duration_ms: float = 200.0  # model choice: handler time
    memory_mb: int = int(F.DEFAULT_MEMORY_MB.value)
    hours_unnoticed: float = 1.0  # how long a loop nobody stops runs (model choice)
    account_concurrency: int = int(F.ACCOUNT_CONCURRENCY.value)

    def __post_init__(self) -> None:
        if self.via not in VIA:
            raise ParamError(f"--via must be one of {', '.join(VIA)}, got {self.via!r}")
        if self.recursion not in RECURSION:
            raise ParamError(f"--recursion must be one of {', '.join(RECURSION)}, got {self.recursion!r}")
        check_range("fan_out", self.fan_out, 1, 4, why="events each invocation writes back")
        check_range("hop_ms", self.hop_ms, 1, 60_000, why="delivery time of one hop")
        check_range("duration_ms", self.duration_ms, 1, 900_000, why="handler time, up to the 900 s timeout")
        check_range("memory_mb", self.memory_mb, int(F.MIN_MEMORY_MB.value), int(F.MAX_MEMORY_MB.value),
                    why="Lambda memory, 128-10,240 MB")
        check_range("hours_unnoticed", self.hours_unnoticed, 0.01, 24 * 31, why="hours before someone stops it")
        check_range("account_concurrency", self.account_concurrency, 100, 20_000,
                    why="the Region's concurrency quota, default 1,000")

    @property
    def detected(self) -> bool:
        return (self.recursion == "terminate" and self.via in F.RECURSION_SERVICES.value and self.supported_sdk)

    def why_not_detected(self) -> str:
        if self.recursion == "allow":
            return "the function is set to RecursiveLoop=Allow"
        if self.via not in F.RECURSION_SERVICES.value:
            return f"loops through {self.via.upper() if self.via != 'dynamodb' else 'DynamoDB'} are not detected"
        if not self.supported_sdk:
            return "the function does not send with a supported AWS SDK, so the chain count is lost"
        return ""


def cost_per_invocation(prm: Params) -> float:
    gb_s = prm.duration_ms / 1000 * prm.memory_mb / 1024
    return F.request_cost(1) + F.duration_cost(gb_s)


@dataclass
class Result:
    params: Params
    invocations: int
    dropped: int  # RecursiveInvocationsDropped
    stopped_at_s: float | None
    elapsed_s: float
    peak_concurrency: int
    waiting_at_end: int  # events queued (runaway loops past the concurrency limit)
    chain: list[dict]  # the first chain, step by step
    cost: float
    if_not_stopped: dict | None = None  # the same loop left running for hours_unnoticed
    by_fan_out: list[dict] | None = None  # fan-out 1-3: stopped at 16 vs left running

    @property
    def detected(self) -> bool:
        return self.params.detected

    def assumptions(self) -> list[str]:
        prm = self.params
        out = [
            f"Each invocation writes {prm.fan_out} event(s) back; an event reaches the function after "
            f"{prm.hop_ms:g} ms and runs {prm.duration_ms:g} ms (model choices, not AWS figures).",
            f"Lambda stops the invocation after the {int(F.RECURSION_LIMIT.value)}th in a chain; AWS says "
            "'approximately', and detection happens 'shortly after' the loop starts.",
            "Cost is Lambda's alone (requests + GB-s, x86_64, us-east-1); the SQS, SNS or S3 requests in the "
            "loop cost extra.",
        ]
        if not self.detected:
            out.append(f"Nobody stops the loop for {prm.hours_unnoticed:g} h; it is bounded only by the account's "
                       f"{prm.account_concurrency:,} concurrency, and queued events wait (none are dropped).")
            if prm.via == "dynamodb":
                out.append("Every hop is treated like a queue: a stream's shards and batches would pace a DynamoDB "
                           "loop differently, but nothing stops it.")
        return out

    def to_json(self) -> dict:
        prm = self.params
        results = {
            "detected": self.detected,
            "why_not_detected": prm.why_not_detected() or None,
            "invocations": self.invocations,
            "recursive_invocations_dropped": self.dropped,
            "stopped_at_s": None if self.stopped_at_s is None else round(self.stopped_at_s, 6),
            "elapsed_s": round(self.elapsed_s, 6),
            "peak_concurrency": self.peak_concurrency,
            "waiting_at_end": self.waiting_at_end,
            "cost_usd": round(self.cost, 6),
            "cost_per_invocation_usd": cost_per_invocation(prm),
            "chain": self.chain,
            "limit": int(F.RECURSION_LIMIT.value),
            "services_detected": list(F.RECURSION_SERVICES.value),
        }
        runaway_cost = self.cost if not self.detected else self.if_not_stopped["cost_usd"]
        results["if_not_stopped"] = self.if_not_stopped
        results["by_fan_out"] = self.by_fan_out
        results["runaway_cost_per_month_usd"] = round(runaway_cost / (prm.hours_unnoticed * 3600)
                                                      * F.SECONDS_PER_MONTH, 2)
        return envelope(NAME, prm, self.assumptions(), SOURCES, results)


def _runaway(prm: Params, progress=None) -> tuple[int, int, int, list[dict]]:
    """A loop nobody stops: (invocations, peak concurrency, events waiting at the end, first steps)."""
    hop, dur = prm.hop_ms / 1000, prm.duration_ms / 1000
    step = hop + dur
    per_step_cap = int(prm.account_concurrency * step / dur)
    chain: list[dict] = []
    # Generation by generation, generation by generation, each step = one hop + one run, capped by concurrency.
    horizon = prm.hours_unnoticed * 3600
    steps = int(horizon / step + 1e-9)
    if prm.fan_out == 1:  # one event at a time, for ever: closed form
        chain = [{"step": k, "t": round(k * hop + (k - 1) * dur, 6), "invocations": 1, "what": "invoked"}
                 for k in range(1, min(steps, TRACE_ROWS) + 1)]
        return steps, min(steps, 1), 1, chain
    pending, invocations, peak = 1, 0, 0
    for k in range(1, steps + 1):
        ran = min(pending, per_step_cap)
        invocations += ran
        peak = max(peak, min(ran, prm.account_concurrency))
        pending = pending - ran + ran * prm.fan_out
        if k <= TRACE_ROWS:
            chain.append({"step": k, "t": round(k * hop + (k - 1) * dur, 6), "invocations": ran,
                          "what": "invoked" + (" (account concurrency full; the rest wait)" if pending > ran *
                                               prm.fan_out else "")})
        if progress is not None and k % 10_000 == 0:
            progress(10_000)
        if ran == per_step_cap and pending > per_step_cap:
            # saturated: every later step runs the cap (the backlog only grows); finish in closed form
            rest = steps - k
            invocations += rest * per_step_cap
            pending += rest * per_step_cap * (prm.fan_out - 1)
            break
    return invocations, peak, pending, chain


def fan_out_table(prm: Params) -> list[dict]:
    """For fan-out 1-3: invocations before the stop at 16, and in `hours_unnoticed` left running."""
    rows = []
    for f in (1, 2, 3):
        variant = Params(**{**{k: getattr(prm, k) for k in prm.__dataclass_fields__}, "fan_out": f})
        runaway = _runaway(variant)[0]
        hop, dur = prm.hop_ms / 1000, prm.duration_ms / 1000
        cap = int(prm.account_concurrency * (hop + dur) / dur)
        stop_s = hop + sum(-(-f ** k // cap) * (hop + dur) for k in range(int(F.RECURSION_LIMIT.value)))
        rows.append({"fan_out": f, "stopped_invocations": sum(f ** k for k in range(int(F.RECURSION_LIMIT.value))),
                     "stopped_after_s": round(stop_s, 6),
                     "unstopped_invocations": runaway,
                     "unstopped_cost_per_month_usd": round(runaway * cost_per_invocation(variant)
                                                           / (prm.hours_unnoticed * 3600) * F.SECONDS_PER_MONTH, 2)})
    return rows


def run(params: Params, seed: int | None = 1, progress: Callable[[int], None] | None = None) -> Result:
    result = _run(params, progress)
    result.by_fan_out = fan_out_table(params)
    return result


def _run(params: Params, progress) -> Result:
    prm = params
    hop, dur = prm.hop_ms / 1000, prm.duration_ms / 1000
    step = hop + dur
    limit = int(F.RECURSION_LIMIT.value)
    chain = []
    per_step_cap = int(prm.account_concurrency * step / dur)
    if prm.detected:
        # generation k holds f^(k-1) events; one that outgrows the concurrency takes several steps
        invocations = sum(prm.fan_out ** k for k in range(limit))
        dropped = prm.fan_out ** limit
        t = 0.0
        for k in range(1, limit + 1):
            events = prm.fan_out ** (k - 1)
            start = t + hop
            t += -(-events // per_step_cap) * step
            chain.append({"step": k, "t": round(start, 6), "invocations": events,
                          "what": "invoked by the first event" if k == 1 else
                          "invoked" + (" (account concurrency full; the rest wait)" if events > per_step_cap
                                       else "")})
        stopped = t + hop
        chain.append({"step": limit + 1, "t": round(stopped, 6), "invocations": 0,
                      "what": f"stopped: {dropped:,} event(s) to the DLQ or on-failure destination; "
                              "RecursiveInvocationsDropped"})
        peak = min(prm.fan_out ** (limit - 1), prm.account_concurrency)
        runaway = _runaway(prm)
        return Result(params=prm, invocations=invocations, dropped=dropped, stopped_at_s=stopped,
                      elapsed_s=stopped, peak_concurrency=peak, waiting_at_end=0, chain=chain[:TRACE_ROWS],
                      cost=invocations * cost_per_invocation(prm),
                      if_not_stopped={"invocations": runaway[0], "peak_concurrency": runaway[1],
                                      "cost_usd": round(runaway[0] * cost_per_invocation(prm), 6)})
    invocations, peak, pending, chain = _runaway(prm, progress)
    return Result(params=prm, invocations=invocations, dropped=0, stopped_at_s=None,
                  elapsed_s=prm.hours_unnoticed * 3600, peak_concurrency=peak, waiting_at_end=pending, chain=chain,
                  cost=invocations * cost_per_invocation(prm))
