"""Retries through an SQS event source mapping: visibility timeout, receive count, the queue's DLQ."""

from __future__ import annotations

from dataclasses import dataclass, field

from lambda_prep.sims import sqs as mapping
from lambda_prep.sims.common import ParamError, check_range, rng
from lambda_prep.sims.engine import Engine
from lambda_prep.sims.retries.common import (
    MAX_SQS_RECEIVES, MAX_SQS_TRACED_RECEIVES, SQS_DEFAULT_VISIBILITY_TIMEOUT_S, TRACE_LIMIT, CommonParams, Result,
    _Progress, _arrivals, _num, _pick_examples, _stamp, _steps_rounded,
)


@dataclass(frozen=True)
class Params(CommonParams):
    """An SQS event source mapping: batches, the visibility timeout and the queue's redrive policy."""

    source: str = field(default="sqs", init=False)
    arrival_rate: float = 0.0  # a backlog, so batches fill
    on_failure: str = "dlq"  # the queue's DLQ is the only failure target
    visibility_timeout_s: float = SQS_DEFAULT_VISIBILITY_TIMEOUT_S
    max_receive_count: int = 5
    batch_size: int = 10
    partial_batch: bool = False

    def validate(self) -> None:
        super().validate()
        check_range("visibility_timeout_s", self.visibility_timeout_s, 0, 43_200,
                    why="SQS visibility timeout is 0 s to 12 h, default 30 s")
        check_range("max_receive_count", self.max_receive_count, 1, 1_000,
                    why="redrive policy maxReceiveCount is 1-1,000; AWS suggests at least 5")
        check_range("batch_size", self.batch_size, 1, 10_000, why="SQS mapping batch size, default 10")
        if self.on_failure != "dlq":
            raise ParamError("--on-failure must be dlq for --source sqs (the dead-letter queue belongs to the "
                             "queue: its redrive policy moves a message after maxReceiveCount receives)")
        if self.timeout_s > self.visibility_timeout_s:
            raise ParamError(
                f"--visibility-timeout-s must be at least the function timeout ({_num(self.timeout_s)} s), got "
                f"{_num(self.visibility_timeout_s)} (Lambda rejects an SQS event source mapping whose function "
                f"timeout exceeds the queue's visibility timeout; AWS recommends 6 x the timeout, "
                f"{_num(6 * self.timeout_s)} s)")
        # The model simulates every receive and keeps each step of the first TRACE_LIMIT messages:
        # bound both so a run takes seconds and well under 1 GB (1,000 events x 1,000 receives took
        # 6-24 s and 0.5 GB; 100,000 x 1,000 took 4 minutes at 1 GB).
        p, m = self.failure_rate, self.max_receive_count
        per_message = m if p >= 1 else (1 - p ** m) / (1 - p)
        for label, messages, limit in (("--events", self.events, MAX_SQS_RECEIVES),
                                       (f"the first {TRACE_LIMIT:,} events (traced step by step)",
                                        min(self.events, TRACE_LIMIT), MAX_SQS_TRACED_RECEIVES)):
            if messages * per_message > limit:
                raise ParamError(
                    f"{label} x receives per message must be at most {limit:,}, got {messages:,} x "
                    f"{per_message:,.4g} = {messages * per_message:,.0f} (each message is received up to "
                    f"--max-receive-count times at --failure-rate {p:g}; the model simulates every receive: "
                    f"lower --events, --max-receive-count or --failure-rate)")


def run(prm: Params, seed, progress) -> Result:
    r = rng(seed)
    engine = Engine()
    tick = _Progress(progress)
    p, k, vt = prm.failure_rate, prm.max_receive_count, float(prm.visibility_timeout_s)
    run_s = min(prm.duration_ms / 1000, prm.timeout_s)
    timed_out = prm.duration_ms > prm.timeout_s * 1000
    poison = prm.poison_at - 1
    state = {"succeeded": 0, "duplicates": 0}
    histogram: dict[int, int] = {}
    dead_times: list[float] = []
    traces: dict[int, dict] = {}
    first_dead: list[tuple[mapping.Message, float]] = []

    def note(m: mapping.Message, kind: str, what: str) -> None:
        if m.i < TRACE_LIMIT:
            traces[m.i]["steps"].append((engine.now, kind, what))

    def send(messages: list[mapping.Message]) -> None:
        for m in messages:
            if m.i < TRACE_LIMIT:
                traces[m.i] = {"id": m.i + 1, "arrived_s": round(engine.now, 3), "steps": [], "category": ""}
            note(m, "start", "sent to the queue")
        queue.send(messages)

    def dead_letter(m: mapping.Message) -> None:
        histogram[m.receives] = histogram.get(m.receives, 0) + 1
        dead_times.append(engine.now - m.sent)
        note(m, "dead", f"visible again with ReceiveCount {m.receives} = maxReceiveCount: SQS moves it to the DLQ")
        if m.i < TRACE_LIMIT:
            traces[m.i]["category"] = "dead-lettered"
            traces[m.i]["outcome"] = "dead_lettered"
            traces[m.i]["attempts"] = m.receives
        if not first_dead:
            first_dead.append((m, engine.now))
        tick.step()

    def visible_again(m: mapping.Message) -> None:
        note(m, "info", "visibility timeout expired: visible again")

    def invoke(batch: mapping.Batch) -> bool:
        """The function is never throttled here: it runs the batch, each message failing on its own."""
        fails = []
        for m in batch.messages:
            fails.append(timed_out or m.i == poison or r.random() < p)
            note(m, "info", f"received (ReceiveCount {m.receives}) in a batch of {len(batch.messages)}; "
                    f"invisible for {vt:g} s; the poller invokes the function synchronously")
        engine.at(engine.now + run_s, done, batch, fails)
        return True

    def done(batch: mapping.Batch, fails: list[bool]) -> None:
        back: list[mapping.Message] = []
        any_failed = any(fails)
        for m, failed in zip(batch.messages, fails):
            if not any_failed or (prm.partial_batch and not failed):
                state["succeeded"] += 1
                histogram[m.receives] = histogram.get(m.receives, 0) + 1
                note(m, "ok", "processed; the poller deletes it from the queue"
                     + (" (reported as succeeded in the partial batch response)" if any_failed else ""))
                if m.i < TRACE_LIMIT:
                    traces[m.i]["category"] = "first try" if m.receives == 1 else "after retry"
                    traces[m.i]["outcome"] = "succeeded"
                    traces[m.i]["attempts"] = m.receives
                tick.step()
            elif failed:
                back.append(m)
                why = "timed out" if timed_out else "failed"
                note(m, "fail", f"{why}" + (": listed in batchItemFailures" if prm.partial_batch
                                    else ": the whole batch returns to the queue"))
            else:
                back.append(m)
                state["duplicates"] += 1
                note(m, "returned", "processed fine, but another message failed the batch: it returns too "
                        "(it will be processed again)")
                if m.i < TRACE_LIMIT:
                    traces[m.i]["returned_ok"] = True
        # with ReportBatchItemFailures Lambda does not scale polling down (the mapping knows)
        queue.finished(batch, back, error=any_failed, partial_batch=prm.partial_batch)

    # the queue and its pollers: the one SQS model that concurrency and invocation use too
    queue = mapping.Mapping(engine, batch_size=prm.batch_size, visibility_timeout_s=vt, max_receive_count=k,
                            run_s=run_s, invoke=invoke, on_dead_letter=dead_letter, on_visible_again=visible_again)
    messages = [mapping.Message(i, t) for i, t in enumerate(_arrivals(r, prm.events, prm.arrival_rate))]
    if prm.arrival_rate == 0:
        engine.at(0.0, send, messages)
    else:
        for m in messages:
            engine.at(m.sent, send, [m])
    engine.run()
    tick.flush()

    for trace in traces.values():
        if trace.pop("returned_ok", False) and trace["category"] in ("after retry", "dead-lettered"):
            trace["category"] = "returned with its batch"
    record = None
    if first_dead:
        m, when = first_dead[0]
        record = {
            "target": "queue's dead-letter queue",
            "content": "the original message, unchanged (body and attributes); SQS moved it by the source queue's "
                       "redrive policy, not the function's DLQ setting",
            "body": {"orderId": f"order-{m.i + 1}"},
            "attributes": {"ApproximateReceiveCount": str(m.receives), "SentTimestamp": _stamp(m.sent)},
        }
    warnings = []
    if prm.visibility_timeout_s < 6 * prm.timeout_s:
        warnings.append(f"Visibility timeout {prm.visibility_timeout_s:g} s is under 6 x the function timeout "
                        f"({6 * prm.timeout_s:g} s), AWS's recommendation: throttled batches can return early.")
    if prm.max_receive_count < 5:
        warnings.append("maxReceiveCount under 5: AWS suggests at least 5 so throttling alone does not "
                        "send messages to the DLQ.")
    if timed_out:
        warnings.append(f"The handler takes {prm.duration_ms:g} ms but the timeout is {prm.timeout_s:g} s: "
                        "every batch times out.")
    examples = _pick_examples(traces, ["first try", "returned with its batch", "after retry", "dead-lettered"])
    dead = queue.dead_lettered
    return Result(params=prm, succeeded=state["succeeded"], dead_lettered=dead, lost=0,
                  attempts=queue.receives, reasons={"maxReceiveCount": dead} if dead else {},
                  attempts_histogram=histogram, dead_letter_times=dead_times,
                  examples=[_steps_rounded(e) for e in examples], failure_record=record, sim_end_s=engine.now,
                  warnings=warnings,
                  extra={"duplicate_processing": state["duplicates"], "batches": queue.batches,
                         "peak_pollers": queue.pollers.peak,
                         "failed_batches": queue.failed_batches,
                         "mean_batch_size": round(queue.receives / max(1, queue.batches), 3)})


# --- stream ---------------------------------------------------------------------------------
