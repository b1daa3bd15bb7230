"""The idempotency model against its closed form, a brute-force enumeration and hand-worked batches."""

from __future__ import annotations

import math

import pytest

from lambda_prep.sims import idempotency as model
from lambda_prep.sims.common import ParamError


def brute_force_duplicate_rate(p: float, q: float, attempts: int) -> float:
    """Walk every path of attempts (success / fail before / fail after the effect) and add up P(effects >= 2)."""
    def walk(left: int, prob: float, effects: int) -> float:
        if left == 0:
            return prob if effects >= 2 else 0.0
        total = prob * (1 - p) if effects + 1 >= 2 else 0.0  # success: one more effect, stop
        total += walk(left - 1, prob * p * q, effects + 1)  # failed after the effect
        total += walk(left - 1, prob * p * (1 - q), effects)  # failed before it
        return total
    return walk(attempts, 1.0, 0)


def test_hand_worked_two_attempts():
    # one retry, no redelivery: a duplicate needs the 1st attempt to fail after the effect (pq)
    # and the 2nd to do the effect again (succeed, 1-p, or fail after it, pq)
    p, q = 0.2, 0.5
    expected = p * q * ((1 - p) + p * q)
    assert model.async_theory(p, q, 1, 0.0)["duplicate_rate"] == pytest.approx(expected)
    assert expected == pytest.approx(0.09)


@pytest.mark.parametrize("p, q, attempts", [(0.1, 0.5, 3), (0.3, 0.2, 3), (0.5, 1.0, 2), (0.4, 0.7, 1)])
def test_closed_form_agrees_with_enumeration(p, q, attempts):
    theory = model.async_theory(p, q, attempts - 1, 0.0)["duplicate_rate"]
    assert theory == pytest.approx(brute_force_duplicate_rate(p, q, attempts), abs=1e-12)


def test_redelivery_alone_duplicates_at_its_own_rate():
    theory = model.async_theory(0.0, 0.5, 2, 0.01)
    assert theory["duplicate_rate"] == pytest.approx(0.01)
    assert theory["effects_per_event"] == pytest.approx(1.01)


@pytest.mark.parametrize("p, q, retries, d, seed", [(0.1, 0.5, 2, 0.001, 3), (0.3, 0.8, 1, 0.0, 4),
                                                     (0.2, 0.5, 0, 0.05, 5)])
def test_simulated_async_duplicate_rate_converges(p, q, retries, d, seed):
    n = 60_000
    result = model.run(model.Params(events=n, failure_rate=p, after_effect=q, max_retries=retries,
                                    redelivery_rate=d), seed)
    theory = model.async_theory(p, q, retries, d)
    rate = theory["duplicate_rate"]
    assert abs(result.duplicate_rate - rate) <= 4 * math.sqrt(rate * (1 - rate) / n)
    assert abs(result.effects_without_key / n - theory["effects_per_event"]) < 0.02
    assert result.effects_with_key == result.events_done <= n  # the key: at most once per event


def test_sqs_batch_of_one_is_the_same_closed_form():
    n = 40_000
    result = model.run(model.Params(source="sqs", batch_size=1, events=n, failure_rate=0.3, after_effect=0.5,
                                    max_receive_count=3, redelivery_rate=0.0), 9)
    rate = model.async_theory(0.3, 0.5, 2, 0.0)["duplicate_rate"]
    assert result.theory["duplicate_rate"] == pytest.approx(rate, abs=1e-8)
    assert abs(result.duplicate_rate - rate) <= 4 * math.sqrt(rate * (1 - rate) / n)


def poison(source, partial, **kw):
    base = dict(source=source, events=10, batch_size=10, failure_rate=0.0, redelivery_rate=0.0, poison_at=5,
                partial_batch=partial)
    base.update(kw)
    return model.run(model.Params(**base), 1)


def test_stream_whole_batch_retry_by_hand():
    # records 1-4 run on each of 3 attempts (8 extra effects); 5 always fails; 6-10 are never reached
    # and are skipped when the batch goes to the on-failure destination
    result = poison("stream", False, max_retry_attempts=2)
    assert result.effects_without_key == 12 and result.events_duplicated == 4
    assert result.never_processed == 6 and result.failed_to_target == 1
    assert result.invocations == 3


def test_stream_partial_batch_replays_records_after_the_failure():
    # attempt 1 does 1-4 and 6-10; retries start at 5 (the lowest failure), so 6-10 run twice more
    result = poison("stream", True, max_retry_attempts=2)
    assert result.effects_without_key == 4 + 5 * 3
    assert result.events_duplicated == 5 and result.never_processed == 1


def test_sqs_whole_batch_dead_letters_processed_messages():
    # 3 receives of the whole batch: 1-4 done three times, then all 10 go to the DLQ
    result = poison("sqs", False, max_receive_count=3)
    assert result.effects_without_key == 12 and result.failed_to_target == 10
    assert result.processed_then_dead_lettered == 4


def test_sqs_partial_batch_retries_only_the_failure():
    result = poison("sqs", True, max_receive_count=3)
    assert result.effects_without_key == 9 and result.events_duplicated == 0
    assert result.failed_to_target == 1 and result.processed_then_dead_lettered == 0


def test_costs_count_each_extra_effect():
    result = poison("stream", False, max_retry_attempts=2, effect_cost_usd=20)
    assert result.costs()["extra_effects_without_key"] == 8
    assert result.costs()["duplicate_effects_usd"] == 160
    assert result.rejected_writes == 8


@pytest.mark.parametrize("kw, words", [
    (dict(max_retries=3), "0 to 2"),
    (dict(failure_rate=-0.1), "from 0 to 1"),
    (dict(source="stream", poison_at=3), "max-retry-attempts"),
    (dict(poison_at=0), "event number"),
])
def test_bad_params(kw, words):
    with pytest.raises(ParamError, match=words):
        model.Params(**kw)


def test_deterministic():
    assert model.run(model.Params(source="sqs"), 2).to_json() == model.run(model.Params(source="sqs"), 2).to_json()
