"""idempotency: at-least-once delivery does a side effect twice unless a key guards it.

Each event's side effect (charge a card, insert an order) runs inside the handler. An attempt
fails with the failure rate; a share of failures happens AFTER the effect is done (a timeout
while waiting for the reply, a crash before returning), so the retry does it again. On top of
retries, the transport itself may deliver an event twice (Lambda's async queue and SQS standard
queues are at least once). The same attempts are counted twice: without a key (every attempt that
reaches the effect does it) and with an idempotency key written by a conditional write (the
first one wins, later ones are rejected).

Sources modelled:
- async: up to MaximumRetryAttempts (0-2, default 2) retries of a failed event;
- sqs: a batch fails as a whole (the handler stops at the first failing message) unless the
  function reports partial batch failures; a message is received up to maxReceiveCount times;
- stream: a failing batch is retried as a whole; with partial batch responses Lambda retries from
  the LOWEST failed sequence number, so successful records after it run again.

Pure: params + seed -> Result. The async duplicate rate has a closed form (`async_theory`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_choice, check_range, envelope, rng

SOURCES_MODELLED = C.EVENT_SOURCES
STREAM_ATTEMPT_CAP = 10_000  # -1 ("until the records expire") is modelled as the 10,000-retry maximum
EXAMPLES = 6
STORY_EVENTS = 3_000  # example stories are kept for the first events only (memory)

ASSUMPTIONS = (
    "attempts fail independently with the failure rate; a given share of failures comes after "
    "the side effect was done (the rest before it)",
    "the transport's own duplicate rate is illustrative: AWS says duplicates can happen "
    "(at least once) but publishes no rate",
    "a handler processing a batch stops at the first failing record and throws, unless partial "
    "batch responses are on (then it processes every record and reports the failures)",
    "a failed SQS batch comes back as the same batch; no clock: timing is the retries simulation's job",
    "with a key, the side effect and its key are one conditional write (e.g. DynamoDB PutItem with "
    "attribute_not_exists); an external API needs its own idempotency key",
    "stream retries set to -1 (until the records expire) are capped at 10,000 here",
)
SOURCES = (
    F.ESM_AT_LEAST_ONCE.source,
    F.ASYNC_DUPLICATES.source,
    "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html",
    F.STREAM_PARTIAL_RETRY.source,
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html",
    "https://repost.aws/knowledge-center/lambda-function-idempotent",
    F.PRICING_URL,
)


@dataclass(frozen=True)
class Params:
    source: str = "async"
    events: int = 10_000
    failure_rate: float = 0.1
    after_effect: float = 0.5  # share of failures that happen after the side effect is done
    redelivery_rate: float = 0.001  # extra deliveries by the transport itself (model assumption)
    max_retries: int = 2  # async MaximumRetryAttempts
    max_receive_count: int = 5  # sqs redrive policy
    batch_size: int | None = None  # sqs default 10, stream default 100
    partial_batch: bool = False
    max_retry_attempts: int = -1  # stream MaximumRetryAttempts
    poison_at: int | None = None  # event number (1-based) that always fails before its effect
    duration_ms: float = 100.0  # handler time per attempt (per record in a batch)
    memory_mb: int = 128
    effect_cost_usd: float = 20.0  # what one duplicate side effect costs you (a refund, a reshipment)

    def __post_init__(self) -> None:
        check_choice("source", self.source, SOURCES_MODELLED)
        check_range("events", self.events, 1, 1_000_000)
        check_range("failure_rate", self.failure_rate, 0, 1, why="probability that one attempt fails")
        check_range("after_effect", self.after_effect, 0, 1,
                    why="share of failures that happen after the side effect was done")
        check_range("redelivery_rate", self.redelivery_rate, 0, 0.5,
                    why="chance the transport delivers an event an extra time")
        check_range("max_retries", self.max_retries, 0, 2, why="async MaximumRetryAttempts is 0 to 2")
        check_range("max_receive_count", self.max_receive_count, 1, 1_000,
                    why="the redrive policy's maxReceiveCount is 1 to 1,000")
        if self.batch_size is not None:
            high = F.SQS_BATCH_SIZE_MAX_STANDARD.value
            check_range("batch_size", self.batch_size, 1, high, why="records per batch, 1 to 10,000")
        if self.max_retry_attempts != -1:
            check_range("max_retry_attempts", self.max_retry_attempts, 0, 10_000,
                        why="-1 (until the records expire) or 0 to 10,000")
        if self.poison_at is not None:
            check_range("poison_at", self.poison_at, 1, self.events, why="an event number")
        check_range("duration_ms", self.duration_ms, 1, F.MAX_TIMEOUT_S.value * 1000)
        check_range("memory_mb", self.memory_mb, 128, 10_240, why="Lambda memory is 128 MB to 10,240 MB")
        check_range("effect_cost_usd", self.effect_cost_usd, 0, 1_000_000)
        if self.source == "stream" and self.max_retry_attempts == -1 and self.poison_at is not None:
            raise ParamError("--poison-at on a stream needs --max-retry-attempts 0-10,000: with the default -1 "
                             "the poison record blocks the shard until it expires")

    @property
    def batch(self) -> int:
        if self.source == "async":
            return 1
        if self.batch_size is not None:
            return self.batch_size
        return F.SQS_BATCH_SIZE_DEFAULT.value if self.source == "sqs" else 100

    @property
    def attempts_allowed(self) -> int:
        if self.source == "async":
            return self.max_retries + 1
        if self.source == "sqs":
            return self.max_receive_count
        return STREAM_ATTEMPT_CAP + 1 if self.max_retry_attempts == -1 else self.max_retry_attempts + 1


@dataclass
class Result:
    params: Params
    deliveries: int
    attempts: int
    events_done: int  # events whose side effect happened at least once
    events_duplicated: int  # events whose side effect happened two or more times (no key)
    effects_without_key: int
    effects_with_key: int
    rejected_writes: int  # duplicates the conditional write caught
    failed_to_target: int  # events that ended in the DLQ / on-failure destination
    never_processed: int  # events skipped without their effect (a discarded stream batch)
    processed_then_dead_lettered: int  # events in the DLQ whose effect had already happened
    invocations: int = 0
    examples: list = field(default_factory=list)
    theory: dict | None = None

    @property
    def duplicate_rate(self) -> float:
        return self.events_duplicated / self.params.events

    def costs(self) -> dict:
        p = self.params
        extra = self.effects_without_key - self.events_done
        gb_s = self.attempts * p.duration_ms / 1000.0 * p.memory_mb / 1024.0
        lambda_usd = F.request_cost(self.invocations) + F.duration_cost(gb_s)
        per_million = 1_000_000 / p.events
        return {
            "extra_effects_without_key": extra,
            "duplicate_effects_usd": round(extra * p.effect_cost_usd, 2),
            "duplicate_effects_per_million_events_usd": round(extra * p.effect_cost_usd * per_million, 2),
            "lambda_usd": round(lambda_usd, 8),
            "lambda_per_million_events_usd": round(lambda_usd * per_million, 4),
            "conditional_writes": self.effects_without_key,
            "conditional_writes_rejected": self.rejected_writes,
        }

    def to_json(self) -> dict:
        params = {**asdict(self.params), "batch": self.params.batch, "attempts_allowed": self.params.attempts_allowed}
        return envelope("idempotency", params, ASSUMPTIONS, SOURCES, {
                "events": self.params.events,
                "deliveries": self.deliveries,
                "record_attempts": self.attempts,
                "invocations": self.invocations,
                "events_done": self.events_done,
                "events_duplicated": self.events_duplicated,
                "duplicate_rate": round(self.duplicate_rate, 6),
                "effects_without_key": self.effects_without_key,
                "effects_with_key": self.effects_with_key,
                "rejected_writes": self.rejected_writes,
                "failed_to_target": self.failed_to_target,
                "never_processed": self.never_processed,
                "processed_then_dead_lettered": self.processed_then_dead_lettered,
                "costs": self.costs(),
                "theory": self.theory,
                "examples": self.examples,
        })


# --- the closed form (async; also SQS with batches of one) ------------------------------------------

def delivery_effect_probabilities(p: float, q: float, attempts: int) -> tuple[float, float]:
    """(P(no effect), P(exactly one effect)) for one delivery with up to `attempts` attempts.

    k failures then a success (k < attempts): the success does the effect, each failure did it
    with probability q. All `attempts` fail: only the failures' effects count.
    """
    p0 = (p * (1 - q)) ** attempts
    p1 = sum(p ** k * (1 - p) * (1 - q) ** k for k in range(attempts))
    p1 += p ** attempts * attempts * q * (1 - q) ** (attempts - 1)
    return p0, p1


def async_theory(p: float, q: float, retries: int, redelivery: float) -> dict:
    """Duplicate rate and effects per event for async invocation, in closed form.

    One delivery makes 0 or 1 effects with probabilities P0, P1; with probability d the event is
    delivered twice (independent runs), so P(at most one effect) = (1-d)(P0+P1) + d(P0^2 + 2 P0 P1).
    E[effects] per delivery = (1 - p^(n)) + q (p + p^2 + ... + p^n), n = retries + 1.
    """
    n = retries + 1
    p0, p1 = delivery_effect_probabilities(p, q, n)
    at_most_one = (1 - redelivery) * (p0 + p1) + redelivery * (p0 * p0 + 2 * p0 * p1)
    per_delivery = (1 - p ** n) + q * sum(p ** k for k in range(1, n + 1))
    return {"duplicate_rate": 1 - at_most_one,
            "effects_per_event": (1 + redelivery) * per_delivery,
            "no_effect_rate": (1 - redelivery) * p0 + redelivery * p0 * p0,
            "formula": "1 - [(1-d)(P0+P1) + d(P0^2 + 2 P0 P1)]"}


# --- the simulation -------------------------------------------------------------------------------

class _Tally:
    def __init__(self, params: Params):
        self.params = params
        self.effects = [0] * params.events
        self.attempts = 0
        self.invocations = 0
        self.to_target = 0
        self.skipped = 0
        self.processed_then_dlq = 0
        self.stories: dict[int, list[str]] = {}

    def note(self, event: int, text: str) -> None:
        if event in self.stories and len(self.stories[event]) < 12:
            self.stories[event].append(text)


def _attempt(tally: _Tally, gen, event: int, label: str) -> bool:
    """One attempt on one record: True if it succeeded. Records the side effect when it happens."""
    tally.attempts += 1
    poison = tally.params.poison_at is not None and event == tally.params.poison_at - 1
    if poison or gen.random() < tally.params.failure_rate:
        if not poison and gen.random() < tally.params.after_effect:
            tally.effects[event] += 1
            tally.note(event, f"{label}: effect done, then failed (e.g. timed out waiting for the reply)")
        else:
            tally.note(event, f"{label}: failed before the effect" + (" (poison record)" if poison else ""))
        return False
    tally.effects[event] += 1
    tally.note(event, f"{label}: effect done, succeeded")
    return True


def _async(tally: _Tally, gen, event: int) -> None:
    for attempt in range(1, tally.params.attempts_allowed + 1):
        tally.invocations += 1
        label = "attempt 1" if attempt == 1 else f"retry {attempt - 1}"
        if _attempt(tally, gen, event, label):
            return
    tally.to_target += 1
    tally.note(event, "retries used up: to the on-failure destination / DLQ")


def _batch(tally: _Tally, gen, events: list[int]) -> None:
    """One batch of an SQS or stream mapping, retried until done or out of attempts."""
    p = tally.params
    pending = list(events)  # records the next attempt sends
    for attempt in range(1, p.attempts_allowed + 1):
        label = f"{'receive' if p.source == 'sqs' else 'batch attempt'} {attempt}"
        failed: list[int] = []
        tally.invocations += 1
        for event in pending:
            if not _attempt(tally, gen, event, label):
                failed.append(event)
                if not p.partial_batch:
                    break  # the handler throws: the rest of the batch is not touched
        if not failed:
            return
        if p.source == "sqs":
            # whole batch back to the queue, or only the reported failures
            pending = pending if not p.partial_batch else failed
            for event in (pending if not p.partial_batch else failed):
                tally.note(event, f"{label}: message back in the queue after the visibility timeout")
        else:
            # streams: retry the whole batch, or from the lowest failed sequence number onward
            pending = pending if not p.partial_batch else pending[pending.index(failed[0]):]
    # attempts used up
    if p.source == "sqs":
        for event in pending:
            tally.to_target += 1
            if tally.effects[event]:
                tally.processed_then_dlq += 1
            tally.note(event, f"receive count reached {p.max_receive_count}: moved to the queue's DLQ")
    else:
        # the stream's on-failure destination gets the batch's metadata; records not yet done are skipped
        tally.to_target += 1
        for event in pending:
            if not tally.effects[event]:
                tally.skipped += 1
            tally.note(event, "retries used up: batch metadata to the on-failure destination, shard moves on")


def run(params: Params, seed: int, progress=None) -> Result:
    gen, transport = rng(seed), rng(seed + 1)
    tally = _Tally(params)
    deliveries: list[int] = []
    for event in range(params.events):
        deliveries.append(event)
        if transport.random() < params.redelivery_rate:
            deliveries.append(event)  # the transport hands the same event over again
    # follow the first events that end badly: pick them after the run, so track all briefly
    for event in range(min(params.events, STORY_EVENTS)):
        tally.stories[event] = []
    if params.source == "async":
        seen = set()
        for event in deliveries:
            if event in seen:
                tally.note(event, "delivered again by the at-least-once queue")
            seen.add(event)
            _async(tally, gen, event)
    else:
        b = params.batch
        seen = set()
        for start in range(0, len(deliveries), b):
            chunk = deliveries[start:start + b]
            for event in chunk:
                if event in seen:
                    tally.note(event, "delivered again by the at-least-once transport")
                seen.add(event)
            _batch(tally, gen, chunk)
    if progress:
        progress(params.events)
    effects = tally.effects
    done = sum(1 for e in effects if e)
    duplicated = sum(1 for e in effects if e >= 2)
    total = sum(effects)
    followed = effects[:STORY_EVENTS]
    interesting = [i for i, e in enumerate(followed) if e >= 2][:EXAMPLES - 2]
    interesting += [i for i, e in enumerate(followed) if e == 0][:2]
    examples = [{"event": i + 1, "effects": effects[i], "story": tally.stories[i]} for i in sorted(interesting)]
    theory = None
    if params.source == "async" or (params.source == "sqs" and params.batch == 1):
        if params.poison_at is None:
            retries = params.attempts_allowed - 1
            theory = {k: (round(v, 8) if isinstance(v, float) else v)
                      for k, v in async_theory(params.failure_rate, params.after_effect, retries,
                                               params.redelivery_rate).items()}
    return Result(params=params, deliveries=len(deliveries), attempts=tally.attempts, events_done=done,
                  events_duplicated=duplicated, effects_without_key=total, effects_with_key=done,
                  rejected_writes=total - done, failed_to_target=tally.to_target, never_processed=tally.skipped,
                  processed_then_dead_lettered=tally.processed_then_dlq, invocations=tally.invocations,
                  examples=examples, theory=theory)


def total_steps(params: Params) -> int:
    return params.events
