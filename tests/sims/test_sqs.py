"""The one SQS queue model (sims/sqs.py) that concurrency, invocation and retries share.

Every figure below is hand-computed from the rules the model states: pollers start at 5 batches and
add 5 a second while messages are visible, halve (never below 2) after a second with failures;
a message comes back `visibility_timeout_s` after it was received; the redrive policy moves it to
the DLQ once it has been received maxReceiveCount times; a throttled invoke is retried after
1, 2, 4 ... s while the retry can still finish inside the visibility timeout.
"""

from __future__ import annotations

import pytest

from lambda_prep.sims import concurrency, invocation, retries, sqs
from lambda_prep.sims.engine import Engine


def mapping(engine: Engine, invoke, **kw) -> sqs.Mapping:
    kw.setdefault("batch_size", 1)
    kw.setdefault("visibility_timeout_s", 30)
    kw.setdefault("max_receive_count", 5)
    kw.setdefault("run_s", 1.0)
    return sqs.Mapping(engine, invoke=invoke, **kw)


def test_pollers_start_at_5_and_add_5_a_second_while_messages_wait():
    """A function that never returns: batches in flight are the pollers' target, 5 + 5 t."""
    engine = Engine()
    queue = mapping(engine, lambda batch: True)
    engine.at(0, queue.send, [sqs.Message(i, 0) for i in range(1_000)])
    seen = []
    for t in (0.5, 1.5, 2.5, 3.5):
        engine.at(t, lambda: seen.append(queue.in_flight))
    engine.run(until=4)
    assert seen == [5, 10, 15, 20]


def test_maximum_concurrency_caps_the_batches_in_flight():
    engine = Engine()
    queue = mapping(engine, lambda batch: True, cap=7)
    engine.at(0, queue.send, [sqs.Message(i, 0) for i in range(1_000)])
    engine.run(until=10)
    assert queue.in_flight == queue.peak_in_flight == 7


def test_a_failing_message_is_received_max_receive_count_times_then_dead_lettered():
    """Received at 0, 30, 60, 90, 120 (one visibility timeout apart); visible again at 150 with
    ReceiveCount 5 = maxReceiveCount: the DLQ."""
    engine = Engine()
    received = []

    def invoke(batch):
        received.append(engine.now)
        engine.after(1.0, queue.finished, batch, batch.messages, True)
        return True

    dead = []
    queue = mapping(engine, invoke, on_dead_letter=lambda m: dead.append((engine.now, m.receives)))
    queue.send([sqs.Message(0, 0.0)])
    engine.run()
    assert received == [0, 30, 60, 90, 120]
    assert dead == [(150, 5)] and queue.dead_lettered == 1 and queue.drained_at == 150
    assert queue.failed_batches == 5 and queue.deleted == 0


def test_a_throttled_batch_is_retried_inside_the_visibility_timeout_then_returns():
    """Invokes at 0, 1, 3, 7, 15 (the next, at 31, could not finish by 30); back to the queue at 30,
    received again: 30, 31, 33, 37, 45; back at 60 with ReceiveCount 2 = maxReceiveCount: the DLQ."""
    engine = Engine()
    tries = []

    def invoke(batch):
        tries.append(engine.now)
        return False

    queue = mapping(engine, invoke, max_receive_count=2)
    queue.send([sqs.Message(0, 0.0)])
    engine.run()
    assert tries == [0, 1, 3, 7, 15, 30, 31, 33, 37, 45]
    assert queue.throttled_invokes == 10 and queue.returned_batches == 2
    assert queue.dead_lettered == 1 and queue.drained_at == 60


@pytest.mark.parametrize("partial, target", [(False, 2), (True, 20)])
def test_failed_batches_halve_the_pollers_unless_partial_batch_responses_are_on(partial, target):
    """Every batch fails at once. Without partial batch responses each tick halves (5 -> 2, floor 2);
    with them the pollers keep growing (5 + 5 a second: 20 after three ticks)."""
    engine = Engine()

    def invoke(batch):
        engine.after(0.5, queue.finished, batch, batch.messages, True, partial)
        return True

    queue = mapping(engine, invoke, visibility_timeout_s=1_000)
    engine.at(0, queue.send, [sqs.Message(i, 0) for i in range(1_000)])
    engine.run(until=3.5)
    assert queue.pollers.target == target


def test_the_three_simulations_run_their_queues_on_the_shared_model(monkeypatch):
    """Concurrency, invocation and retries build their SQS queue from sims/sqs.Mapping, and the same
    scenario (five messages that always fail, visibility timeout 30 s, maxReceiveCount 5) ends the
    same way in invocation and retries: every message in the DLQ after 5 x 30 s."""
    built = []
    real = sqs.Mapping

    class Spy(real):
        def __init__(self, *args, **kwargs):
            built.append(kwargs["batch_size"])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(sqs, "Mapping", Spy)
    concurrency.run(concurrency.Params(requests=100, sqs_messages=100), 1)
    esm = invocation.run(invocation.Params(requests=5, interval_ms=0, function_error=1.0, throttle_s=0), 1)
    retry = retries.run(retries.Params(source="sqs", events=5, failure_rate=1.0, arrival_rate=0,
                                       batch_size=10, on_failure="dlq"), 1)
    assert len(built) >= 4  # concurrency: trap and fix; invocation; retries (and its comparison run)
    assert esm.esm["to_dlq"] == retry.dead_lettered == 5
    assert esm.esm["max_time_to_outcome_s"] == pytest.approx(150)
    assert max(retry.dead_letter_times) == pytest.approx(150)


def test_concurrency_fix_drains_at_the_cap_in_the_hand_computed_time():
    """Maximum concurrency 5 = reserved 5: no throttles; 10,000 messages in batches of 10 are 1,000
    batches, 5 at a time, 1 s each, plus one 250 ms cold start: 200 x 1 s + 0.25 s."""
    r = concurrency.run(concurrency.Params(requests=100, sqs_messages=10_000, init_ms=250, duration_ms=1000), 1)
    fix = r.sqs["fix"]
    assert fix.throttled_invokes == 0 and fix.drain_s == pytest.approx(200.25)
