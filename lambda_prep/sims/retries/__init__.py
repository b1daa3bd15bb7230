"""Retries: what Lambda does with an event that fails, by where the event came from.

Three sources, one module each (async_.py, sqs.py, stream.py), sharing common.py. Each source has
its own Params class (the common fields in common.CommonParams, its own in its module);
`Params(source, **values)` builds the one for `source` and refuses another source's parameter:

- async: Lambda's internal queue. A function error (timeouts included) is retried up to
  MaximumRetryAttempts times (0-2, default 2), about 1 minute before the 2nd attempt and 2 minutes
  before the 3rd; an event older than MaximumEventAgeInSeconds (60-21,600, default 21,600) is
  dropped. A failed event goes to the on-failure destination (the full invocation record) or the
  dead-letter queue (the event only). Closed form: P(dead-lettered) = p^(r+1),
  E[attempts] = (1 - p^(r+1)) / (1 - p).
- sqs: an event source mapping (poller) reads batches and invokes the function synchronously. A
  failed message becomes visible again when its visibility timeout expires; SQS moves it to the
  queue's DLQ once its receive count would exceed maxReceiveCount. Without partial batch responses
  the whole batch returns; with them only the failed items. Closed form (partial on or batch 1):
  P(dead-lettered) = p^k, E[receives] = (1 - p^k) / (1 - p).
- stream: one Kinesis/DynamoDB shard, read in order. A failing batch is retried (the shard waits)
  until it succeeds, MaximumRetryAttempts is reached (-1 = until the records expire), or its
  records are too old; BisectBatchOnFunctionError splits it in two to isolate the bad record.

Model choices (labelled as such in --help): each attempt fails independently with probability p;
a batch fails if any record in it fails; no queue delay before the first async attempt; the
SQS pollers of sims/sqs.py (5, growing, backing off); the retry timing of a failing stream batch
(not documented by AWS) is an exponential backoff from 1 s to 5 min; bisect splits are retried at once and keep the parent's
retry count ("splitting a batch does not count towards the retry quota").
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from lambda_prep.sims.common import ParamError, check_choice
from lambda_prep.sims.retries import async_, sqs, stream
from lambda_prep.sims.retries.common import ON_FAILURE, SOURCES, STREAM_TYPES, CommonParams, Result

__all__ = ["ON_FAILURE", "PARAMS", "SOURCES", "STREAM_TYPES", "Params", "Result", "run", "sources_taking"]

# Each source has its own parameters; a parameter belongs to the sources whose class has it.
PARAMS: dict[str, type[CommonParams]] = {"async": async_.Params, "sqs": sqs.Params, "stream": stream.Params}


def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


def sources_taking(name: str) -> tuple[str, ...]:
    """The sources that take the parameter `name` (all three for the common ones)."""
    return tuple(source for source, cls in PARAMS.items() if name in _fields(cls))


def Params(source: str = "async", **values) -> CommonParams:  # noqa: N802 (the contract's name for a model's params)
    """The parameters of one source: async_.Params, sqs.Params or stream.Params. A value of None
    means the source's default; a parameter of another source is refused, naming the sources
    that take it."""
    check_choice("source", source, SOURCES)
    cls = PARAMS[source]
    values = {name: value for name, value in values.items() if value is not None}
    for name, value in values.items():
        if name not in _fields(cls):
            takers = sources_taking(name)
            if not takers:
                raise ParamError(f"retries has no parameter {name!r}")
            PARAMS[takers[0]](**{name: value})  # a value out of range is reported as such first
            raise ParamError(f"--{name.replace('_', '-')} does not apply to --source {source}; it applies to "
                             + " or ".join(f"--source {s}" for s in takers) + ".")
    return cls(**values)


def run(params: CommonParams, seed: int | None = 1, progress: Callable[[int], None] | None = None) -> Result:
    if params.source == "async":
        return async_.run(params, seed, progress)
    if params.source == "sqs":
        result = sqs.run(params, seed, progress)
        if params.batch_size > 1:
            other = sqs.run(dataclasses.replace(params, partial_batch=not params.partial_batch), seed, None)
            result.extra["comparison"] = {
                "partial_batch": other.params.partial_batch,
                "dead_lettered": other.dead_lettered,
                "dead_letter_ratio": round(other.dead_letter_ratio, 6),
                "mean_attempts": round(other.mean_attempts, 6),
                "duplicate_processing": other.extra["duplicate_processing"],
            }
        return result
    return stream.run(params, seed, progress)
