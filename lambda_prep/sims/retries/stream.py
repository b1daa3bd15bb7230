"""Retries on a Kinesis or DynamoDB stream shard: in order, blocking, bisect, partial batches."""

from __future__ import annotations

import math

from dataclasses import dataclass, field

from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_range, rng
from lambda_prep.sims.engine import Engine
from lambda_prep.sims.retries.common import (
    DDB_STREAM_ARN, FUNCTION_ARN, ITERATOR_AGE_POINTS, CommonParams, Result, SHARD_LOG_LIMIT, STREAM_ARN,
    STREAM_BACKOFF_MAX_S, STREAM_BACKOFF_START_S, STREAM_POLL_INTERVAL_S, STREAM_TYPES, _Progress, _arrivals, _num,
    _request_id, _stamp,
)


@dataclass(frozen=True)
class Params(CommonParams):
    """One Kinesis or DynamoDB stream shard read by an event source mapping."""

    source: str = field(default="stream", init=False)
    failure_rate: float = 0.0  # the poison record is the failure
    arrival_rate: float = 10.0
    poison_at: int | None = None  # None: a quarter of the way in (record 250 of 1,000)
    batch_size: int = 100
    partial_batch: bool = False  # ReportBatchItemFailures: retry from the lowest failed record
    max_retry_attempts: int = -1
    max_record_age_s: int = -1
    bisect: bool = False
    retention_hours: float = 24.0
    parallelization_factor: int = 1  # ParallelizationFactor: concurrent batches per shard, 1-10 (AWS default 1)
    stream_type: str = "kinesis"  # kinesis (polled once a second per shard) or dynamodb (4 times a second)

    def __post_init__(self) -> None:
        if self.poison_at is None:
            object.__setattr__(self, "poison_at", max(1, self.events // 4))
        super().__post_init__()

    def validate(self) -> None:
        super().validate()
        check_range("batch_size", self.batch_size, 1, 10_000, why="Kinesis mapping batch size, default 100")
        check_range("max_retry_attempts", self.max_retry_attempts, 0, 10_000, or_value=-1,
                    why="stream: -1 (the default) retries until the record expires")
        check_range("max_record_age_s", self.max_record_age_s, 60, 604_800, or_value=-1,
                    why="stream: -1 (the default) means no limit; otherwise 60 s to 7 days")
        check_range("retention_hours", self.retention_hours, 24, 8_760,
                    why="stream: Kinesis retention is 24 h (default) to 365 days; DynamoDB Streams keep 24 h")
        low, high = F.PARALLELIZATION_FACTOR_RANGE.value
        check_range("parallelization_factor", self.parallelization_factor, low, high,
                    why="ParallelizationFactor: concurrent batches per shard, 1 (default) to 10")
        if self.stream_type not in STREAM_TYPES:
            raise ParamError(f"--stream-type must be one of {', '.join(STREAM_TYPES)}, got {self.stream_type!r}")
        if self.stream_type == "dynamodb" and self.retention_hours != 24:
            raise ParamError(f"--retention-hours must be 24 for --stream-type dynamodb, got "
                             f"{_num(self.retention_hours)} (DynamoDB Streams keep records for 24 hours)")
        if self.on_failure == "dlq":
            raise ParamError("--on-failure must be destination or none for --source stream (a stream mapping "
                             "has no DLQ; its on-failure destination is an SQS queue, SNS topic or S3 bucket)")


def run(prm: Params, seed, progress) -> Result:
    """One shard. With ParallelizationFactor N, Lambda reads up to N batches of the shard at once,
    keeping order per partition key: the records are split into N lanes by key (MODEL: record i
    has key i, hashed to lane i mod N), each lane read in order and blocked on its own."""
    r = rng(seed)
    engine = Engine()
    tick = _Progress(progress)
    arrivals_all = list(_arrivals(r, prm.events, prm.arrival_rate))
    factor = min(prm.parallelization_factor, prm.events)
    members = [list(range(k, prm.events, factor)) for k in range(factor)]
    poison = prm.poison_at - 1
    lanes = [_lane(prm, r, engine, tick, [arrivals_all[i] for i in lane],
                   lane.index(poison) if poison in lane else -1) for lane in members]
    engine.run()
    tick.flush()
    # the lane shown record by record: the one holding the poison record (else the first)
    shown = next((k for k, lane in enumerate(members) if poison in lane), 0)
    to_global = members[shown]
    lane = lanes[shown]
    arrivals = [arrivals_all[i] for i in to_global]
    state = {key: sum(l["state"][key] for l in lanes)
             for key in ("succeeded", "dead", "lost", "invocations", "failures", "reprocessed")}
    state["max_block"] = max(l["state"]["max_block"] for l in lanes)
    attempts = [a for l in lanes for a in l["attempts"]]
    reasons: dict[str, int] = {}
    for l in lanes:
        for key, count in l["reasons"].items():
            reasons[key] = reasons.get(key, 0) + count
    dead_times = [t for l in lanes for t in l["dead_times"]]
    ages = sorted(a for l in lanes for a in l["ages"])
    log, log_dropped, discarded = lane["log"], lane["log_dropped"], lane["discarded"]
    if factor > 1:  # lane-local record numbers back to the shard's
        for entry in log:
            for key in ("first", "last"):
                if key in entry:
                    entry[key] = to_global[entry[key] - 1] + 1
        for d in discarded:
            d["first"], d["last"] = to_global[d["first"] - 1] + 1, to_global[d["last"] - 1] + 1
        arrivals = arrivals_all
    poll_every = STREAM_POLL_INTERVAL_S[prm.stream_type]
    timed_out = prm.duration_ms > prm.timeout_s * 1000

    histogram: dict[int, int] = {}
    for a in attempts:
        histogram[a] = histogram.get(a, 0) + 1
    record = None
    if discarded and prm.on_failure == "destination":
        d = discarded[0]
        record = {
            "target": "on-failure destination",
            "content": "metadata about the discarded batch (shard and sequence numbers), not the records: read "
                       "them from the stream before they expire (SQS or SNS destination; S3 also gets the records)"
                       + ("" if d["reason"] == "RetryAttemptsExhausted" else
                          f". The condition value {d['reason']} is this model's label, not checked against AWS"),
            "body": {
                "requestContext": {"requestId": _request_id(seed, d["first"]), "functionArn": FUNCTION_ARN,
                                   "condition": d["reason"], "approximateInvokeCount": d["failed_attempts"]},
                "responseContext": ({"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}
                                    if d["invoked"] else {}),
                "version": "1.0",
                "timestamp": _stamp(d["t"]),
                # DynamoDB Streams name the block DDBStreamBatchInfo (with-ddb.html's example record)
                ("DDBStreamBatchInfo" if prm.stream_type == "dynamodb" else "KinesisBatchInfo"): {
                    "shardId": "shardId-000000000000",
                    "startSequenceNumber": str(d["first"]),
                    "endSequenceNumber": str(d["last"]),
                    "approximateArrivalOfFirstRecord": _stamp(arrivals[d["first"] - 1]),
                    "approximateArrivalOfLastRecord": _stamp(arrivals[d["last"] - 1]),
                    "batchSize": d["last"] - d["first"] + 1,
                    "streamArn": DDB_STREAM_ARN if prm.stream_type == "dynamodb" else STREAM_ARN,
                },
            },
        }
    warnings = []
    if prm.max_retry_attempts == -1 and prm.max_record_age_s == -1 and not prm.bisect:
        warnings.append("Default stream settings: a failing record blocks its shard until it expires "
                        f"({prm.retention_hours:g} h here). Set --max-retry-attempts, --max-record-age-s, "
                        "--bisect and an on-failure destination.")
    if timed_out:
        warnings.append(f"The handler takes {prm.duration_ms:g} ms but the timeout is {prm.timeout_s:g} s: "
                        "every batch times out.")
    end_time = engine.now
    return Result(params=prm, succeeded=state["succeeded"], dead_lettered=state["dead"], lost=state["lost"],
                  attempts=sum(attempts), reasons=reasons, attempts_histogram=histogram,
                  dead_letter_times=dead_times, examples=[], failure_record=record, sim_end_s=end_time,
                  warnings=warnings,
                  extra={"invocations": state["invocations"], "failed_invocations": state["failures"],
                         "blocked_s": round(state["max_block"], 3),
                         "poll_interval_s": poll_every,
                         "reprocessed_successes": state["reprocessed"],
                         "parallelization_factor": factor, "shard_log_lane": shown if factor > 1 else None,
                         "max_iterator_age_s": round(max((a for _, a in ages), default=0.0), 3),
                         "iterator_age": _age_series(ages, end_time),
                         "discarded_batches": discarded,
                         "shard_log": log, "shard_log_more": log_dropped[0],
                         "poison_record": prm.poison_at or None})


def _age_series(ages: list[tuple[float, float]], end: float) -> list[dict]:
    """IteratorAge (age of the last record of each batch sent) as the maximum per time bucket."""
    if not ages:
        return []
    width = max(end, 1e-9) / ITERATOR_AGE_POINTS
    buckets: dict[int, float] = {}
    for t, age in ages:
        b = min(int(t / width), ITERATOR_AGE_POINTS - 1)
        buckets[b] = max(buckets.get(b, 0.0), age)
    return [{"t": round(b * width, 3), "age_s": round(buckets[b], 3)} for b in sorted(buckets)]


def _lane(prm: Params, r, engine: Engine, tick: _Progress, arrivals: list[float], poison: int) -> dict:
    """Records read in order, one batch at a time (a shard, or one partition-key lane of it):
    schedules its polls on `engine` and returns its books, filled in as the engine runs."""
    n_records = len(arrivals)
    p, size = prm.failure_rate, prm.batch_size
    run_s = min(prm.duration_ms / 1000, prm.timeout_s)
    timed_out = prm.duration_ms > prm.timeout_s * 1000
    poll_every = STREAM_POLL_INTERVAL_S[prm.stream_type]
    retention = prm.retention_hours * 3600.0
    max_age = float(prm.max_record_age_s) if prm.max_record_age_s != -1 else math.inf
    max_retries = prm.max_retry_attempts if prm.max_retry_attempts != -1 else math.inf
    attempts = [0] * n_records
    state = {"next": 0, "succeeded": 0, "dead": 0, "lost": 0, "invocations": 0, "block_start": None,
             "max_block": 0.0, "scheduled": False, "failures": 0, "reprocessed": 0}
    pending: list[list[int]] = []  # [start, end, retries] batches to finish before reading on (bisect halves)
    reasons: dict[str, int] = {}
    dead_times: list[float] = []
    ages: list[tuple[float, float]] = []
    log: list[dict] = []
    log_dropped = [0]
    discarded: list[dict] = []

    def add_log(entry: dict) -> None:
        last = log[-1] if log else None
        if entry["kind"] == "ok" and last and last["kind"] == "ok":
            last.update(t_end=entry["t_end"], last=entry["last"], batches=last["batches"] + 1)
            return
        if (entry["kind"] == "fail" and last and last["kind"] == "fail"
                and (last["first"], last["last"]) == (entry["first"], entry["last"])):
            last.update(t_end=entry["t"], failures=last["failures"] + 1, retries=entry["retries"])
            return
        if len(log) >= SHARD_LOG_LIMIT:
            log_dropped[0] += 1
            return
        log.append(entry)

    def schedule_poll(at: float) -> None:
        if not state["scheduled"]:
            state["scheduled"] = True
            engine.at(at, poll)

    def poll() -> None:
        state["scheduled"] = False
        now = engine.now
        if pending:
            start, end, retries = pending.pop(0)
            invoke(start, end, retries)
            return
        # records past the stream's retention are gone before anyone read them
        first_lost = state["next"]
        while state["next"] < n_records and arrivals[state["next"]] + retention <= now:
            state["next"] += 1
        if state["next"] > first_lost:
            count = state["next"] - first_lost
            state["lost"] += count
            tick.step(count)
            add_log({"kind": "lost", "t": round(now, 3), "first": first_lost + 1, "last": state["next"],
                     "what": f"{count} records expired from the stream before being read (data loss)"})
        # with MaximumRecordAgeInSeconds, records already too old are discarded without an invocation
        first_old = state["next"]
        while state["next"] < n_records and now - arrivals[state["next"]] >= max_age:
            state["next"] += 1
        if state["next"] > first_old:
            discard(first_old, state["next"], 0, "RecordAgeExceeded", now, invoked=False)
        start = state["next"]
        if start >= n_records:
            end_block(now)
            return
        if arrivals[start] > now:
            end_block(now)
            ticks = math.ceil((arrivals[start] - now) / poll_every)
            schedule_poll(now + max(1, ticks) * poll_every)
            return
        end = start
        while end < n_records and end - start < size and arrivals[end] <= now:
            end += 1
        state["next"] = end
        invoke(start, end, 0)

    def invoke(start: int, end: int, retries: int) -> None:
        now = engine.now
        state["invocations"] += 1
        ages.append((now, now - arrivals[end - 1]))
        for j in range(start, end):
            attempts[j] += 1
        count = end - start
        if prm.partial_batch and not timed_out:
            # ReportBatchItemFailures: each record fails on its own; the function reports the failed ones
            failed_items = [j for j in range(start, end) if j == poison or (p > 0 and r.random() < p)]
            engine.at(now + run_s, done, start, end, retries, bool(failed_items), failed_items)
            return
        failed = (timed_out or start <= poison < end
                  or (p > 0 and r.random() < 1 - (1 - p) ** count))
        engine.at(now + run_s, done, start, end, retries, failed)

    def done(start: int, end: int, retries: int, failed: bool, failed_items: list | None = None) -> None:
        now = engine.now
        if failed and failed_items:
            # Lambda checkpoints at the LOWEST reported sequence number and retries from there: the
            # records before it are done; successful records after it are processed again
            lowest = failed_items[0]
            state["reprocessed"] += (end - lowest) - len(failed_items)
            if lowest > start:
                state["succeeded"] += lowest - start
                tick.step(lowest - start)
                add_log({"kind": "ok", "t": round(now - run_s, 3), "t_end": round(now, 3), "first": start + 1,
                         "last": lowest, "batches": 1})
                start = lowest
        count = end - start
        if not failed:
            state["succeeded"] += count
            tick.step(count)
            add_log({"kind": "ok", "t": round(now - run_s, 3), "t_end": round(now, 3), "first": start + 1,
                     "last": end, "batches": 1})
            if not pending:
                end_block(now)
            after_batch(now, end, count)
            return
        state["failures"] += 1
        if state["block_start"] is None:
            state["block_start"] = now - run_s
        if prm.bisect and count > 1:
            middle = start + (count + 1) // 2
            pending[:0] = [[start, middle, retries], [middle, end, retries]]
            add_log({"kind": "split", "t": round(now, 3), "first": start + 1, "last": end,
                     "what": f"batch failed; bisect: {start + 1}-{middle} and {middle + 1}-{end}"})
            schedule_poll(now)
            return
        retries += 1
        oldest = arrivals[start]
        deadline = min(oldest + retention, oldest + max_age)
        add_log({"kind": "fail", "t": round(now, 3), "t_end": round(now, 3), "first": start + 1, "last": end,
                 "failures": 1, "retries": retries - 1})
        if retries > max_retries:
            discard(start, end, retries, "RetryAttemptsExhausted", now)
            schedule_poll(now)
            return
        backoff = min(STREAM_BACKOFF_START_S * 2.0 ** min(retries - 1, 30), STREAM_BACKOFF_MAX_S)
        next_try = now + backoff
        if next_try >= deadline:
            when = max(now, deadline)
            reason = "RecordExpired" if oldest + retention <= oldest + max_age else "RecordAgeExceeded"
            engine.at(when, discard_then_poll, start, end, retries, reason)
            return
        pending.insert(0, [start, end, retries])
        schedule_poll(next_try)

    def discard_then_poll(start: int, end: int, retries: int, reason: str) -> None:
        discard(start, end, retries, reason, engine.now)
        schedule_poll(engine.now)

    def discard(start: int, end: int, retries: int, reason: str, now: float, invoked: bool = True) -> None:
        count = end - start
        state["dead"] += count
        reasons[reason] = reasons.get(reason, 0) + count
        for j in range(start, end):
            dead_times.append(now - arrivals[j])
        tick.step(count)
        where = {"destination": "batch details sent to the on-failure destination",
                 "none": "dropped (no on-failure destination)"}[prm.on_failure]
        add_log({"kind": "discard", "t": round(now, 3), "first": start + 1, "last": end,
                 "what": f"{reason}: {count} record{'s' if count != 1 else ''} discarded; {where}"})
        if len(discarded) < 50:
            discarded.append({"first": start + 1, "last": end, "reason": reason, "t": round(now, 3),
                              "failed_attempts": retries, "invoked": invoked})
        if not pending:
            end_block(now)

    def end_block(now: float) -> None:
        if state["block_start"] is not None:
            state["max_block"] = max(state["max_block"], now - state["block_start"])
            state["block_start"] = None

    def after_batch(now: float, end: int, count: int) -> None:
        if pending or (end < n_records and arrivals[end] <= now):
            schedule_poll(now)  # more records waiting: keep going until caught up
        else:
            schedule_poll(now + poll_every)

    if n_records:
        schedule_poll(arrivals[0])
    return {"state": state, "attempts": attempts, "reasons": reasons, "dead_times": dead_times, "ages": ages,
            "log": log, "log_dropped": log_dropped, "discarded": discarded}
