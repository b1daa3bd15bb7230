"""An SQS consumer with a redrive policy: what share of messages lands in the dead-letter queue?"""

from __future__ import annotations

from lambda_prep.sims import facts
from lambda_prep.drills.base import Drill, count, distinct, options, pick

KIND = "sqs-redrive"
TOPIC = "retries"
SUMMARY = "SQS maxReceiveCount and the share of messages in the DLQ"
SOURCES = (facts.SQS_ERRORS_URL,)


def dead_lettered(messages: int, failure_rate: float, max_receive_count: int) -> float:
    # The retries model's closed form with ReportBatchItemFailures: a message is moved to the DLQ
    # after maxReceiveCount receives that all failed: p^maxReceiveCount.
    return messages * failure_rate ** max_receive_count


def generate(rng, seed: int) -> Drill:
    messages = pick(rng, (10_000, 50_000, 100_000))
    p = pick(rng, (0.2, 0.3, 0.4, 0.5))
    k = pick(rng, (2, 3, 4, 5))
    right = count(dead_lettered(messages, p, k))
    wrong = distinct({
        count(messages * p ** (k + 1)): "counting maxReceiveCount as retries after a first receive",
        count(messages * p ** (k - 1)): "moving a message to the DLQ one receive early",
        count(messages * p): "thinking a failed message goes to the DLQ at once",
        count(messages * p ** 3): "applying the async limit of 2 retries to SQS",
    }, right)
    choices, misconceptions = options(rng, right, wrong)
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"messages": messages, "failure_rate": p, "max_receive_count": k, "partial_batch": True},
        prompt=(f"{messages:,} SQS messages feed a function that fails {p:.0%} of messages, independently. The "
                f"function reports partial batch failures, and the queue's redrive policy has maxReceiveCount "
                f"{k}. About how many messages end in the dead-letter queue?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"maxReceiveCount counts receives, the first one included. With ReportBatchItemFailures "
                     f"each message succeeds or fails on its own, so it reaches the DLQ only after {k} failed "
                     f"receives: {p:g}^{k} = {p ** k:.4g} of {messages:,} = {right}. Each failure waits for the "
                     f"visibility timeout before the next receive; Lambda does not count retries for SQS, the "
                     f"queue does."),
        simulate=(f"lambda-prep simulate retries --source sqs --events {messages} --failure-rate {p:g} "
                  f"--max-receive-count {k} --partial-batch --seed {seed}"),
    )
