"""A starter bank for authors: two example questions that validate as they are.

The editor schema line points at the installed schema by absolute path: a relative path (as the
built-in banks use) breaks as soon as the file lives outside the checkout.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
SUFFIX = ".lambda-prep.yaml"  # a distinct suffix lets an editor map the schema to these files only


def schema_path() -> Path:
    return Path(__file__).resolve().parent / "schema.json"


def file_name(name: str) -> str:
    return f"{name}{SUFFIX}"


def render(name: str, topic: str, today: dt.date) -> str:
    return f"""\
# yaml-language-server: $schema={schema_path()}
# Your own questions, studied beside the built-in ones (lambda-prep quiz --topic {topic}).
# The format: docs/bank-format.md in lambda-prep's source; the schema line above checks as you type.
# Check it after every edit: lambda-prep validate
questions:
  - id: {name}-timeout-choice       # stable forever: your progress is keyed by it
    topic: {topic}
    type: single
    prompt: >
      Our nightly report job runs for about 25 minutes in one invocation. What should we change
      first to run it on Lambda?
    choices:
      - "Raise the function timeout to 30 minutes"
      - "Split the work into steps and orchestrate them with Step Functions"
      - "Give the function more memory so it finishes within 3 seconds"
      - "Run it from an asynchronous invocation, which has no timeout"
    answer: "Split the work into steps and orchestrate them with Step Functions"
    explanation: >
      On Lambda's default compute an invocation runs for at most 15 minutes (900 seconds), whatever
      the invocation type, so a 25-minute job must be split (Step Functions, or SQS batches) or moved to Fargate or
      Batch. More memory speeds up CPU-bound work but will not turn 25 minutes into 3 seconds.
    sources:
      - https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
    last_verified: {today.isoformat()}
    difficulty: 1
    tags: [scenario]

  - id: {name}-our-retries
    topic: {topic}
    type: recall
    prompt: How does our order service avoid charging a customer twice when Lambda retries an event?
    answer: >
      Asynchronous invocations and event source mappings deliver at least once, so the same event
      can reach the function twice. The handler takes an idempotency key from the event (the order
      id), records it with a conditional write before charging, and skips the charge when the key
      is already there. The record expires after the retry window, so the table does not grow
      forever.
    key_points:
      - point: Delivery is at least once, so duplicates happen
        phrasings: [at-least-once, duplicate events, same event twice]
      - point: An idempotency key from the event (the order id)
        phrasings: [idempotency key, order id, dedupe key]
      - point: A conditional write records the key before the side effect
        phrasings: [conditional write, condition expression, put if not exists]
    follow_ups:
      - prompt: What happens if the function crashes after the conditional write but before the charge?
        answer: >
          The key is recorded but the work is not done, so the retry is skipped wrongly. Record the
          key as "in progress" with an expiry, mark it "completed" after the charge, and let a
          retry proceed when an in-progress record has expired.
        key_points:
          - The key must say in progress or completed
          - An expiry lets a stuck in-progress record be retried
        premise: 3
    explanation: >
      Replace this example with a question about your own services. A recall question is answered
      in your head (or typed in a mock interview), then checked against its key points.
    sources:
      - https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html
    last_verified: {today.isoformat()}
    difficulty: 2
    tags: [scenario, idempotency]
"""
