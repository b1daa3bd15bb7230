"""The SQS queue and its event source mapping, modelled once for concurrency, invocation and retries.

`Mapping` is the one place that models what happens between a queue and a function:
- the pollers' control loop (`Pollers`): they start with 5 concurrent batches and add up to 300 a
  minute (5 a second) while messages are visible, up to the mapping's ceiling or its maximum
  concurrency. When invocations are throttled or the function returns an error, "Lambda gradually
  backs off ... by reducing the amount of concurrency allocated to your Amazon SQS event source
  mapping" (services-sqs-errorhandling.html), except for function errors when partial batch
  responses are on. AWS gives no formula: this model halves the pollers after a second with such
  failures (additive increase, multiplicative decrease, the usual reading of "gradually backs
  off"), never below 2 (the page's floor when traffic is low);
- batching: a poller receives up to `batch_size` visible messages at once (no batching window);
- the visibility timeout and the receive count: every receive raises a message's count; a message
  the function did not delete becomes visible again `visibility_timeout_s` after it was received,
  and the redrive policy moves it to the queue's DLQ once it has been received maxReceiveCount
  times (`dead_lettered`);
- throttles: the poller retries a throttled invoke with backoff while the retry can still finish
  inside the visibility timeout; after that the batch returns to the queue (`throttle_retry_at`).

What the function does with a batch (a pool of environments, a throttle window, random failures)
belongs to each simulation: it passes `invoke(batch) -> bool` (False: throttled) and, once the
function returns, calls `Mapping.finished`.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any, Callable, Iterable

from lambda_prep.sims import facts as F
from lambda_prep.sims.engine import Engine

START = int(F.SQS_START_BATCHES)
ADD_PER_S = F.SQS_ADD_PER_MINUTE.value / 60.0
CEILING = int(F.SQS_MAX_BATCHES)
FLOOR = 2  # "can optimize to as few as 2 concurrent batches"
BACKOFF_FACTOR = 0.5  # MODEL ASSUMPTION: the size of each step down is not documented
THROTTLE_RETRY_START_S = 1.0  # MODEL ASSUMPTION: the schedule is not documented
THROTTLE_RETRY_MAX_S = 300.0  # MODEL ASSUMPTION: capped like async throttle retries

ASSUMPTION = ("SQS pollers: start at 5 concurrent batches, add 5 a second while messages are visible, and halve "
              "(never below 2) after a second with throttled invocations or failed batches (not failed items of "
              "a partial batch response); AWS documents the back-off, not its size")
THROTTLE_ASSUMPTION = ("a throttled SQS batch is retried by its poller after 1, 2, 4 s ... (at most 5 min) while the "
                       "retry can still finish within the visibility timeout, then it returns to the queue "
                       "(AWS: 'backs off and retries'; the schedule is not documented)")
CEILING_NOTE = ("the mapping's ceiling is 1,000 concurrent batches on the English page; newer copies say 1,250 "
                "(pages disagree); the model uses 1,000")


class Pollers:
    """How many batches the mapping keeps in flight; call `tick(visible)` once a second."""

    __slots__ = ("target", "cap", "failures", "peak")

    def __init__(self, cap: int = CEILING):
        self.target = START
        self.cap = cap  # the ceiling, or ScalingConfig.MaximumConcurrency
        self.failures = 0  # throttled invocations and failed batches since the last tick
        self.peak = START

    @property
    def limit(self) -> int:
        return min(self.target, self.cap)

    def back_off(self) -> None:
        self.failures += 1

    def tick(self, visible: bool) -> None:
        if self.failures:
            self.target = max(FLOOR, int(self.target * BACKOFF_FACTOR))
        elif visible:
            self.target = min(CEILING, self.target + int(ADD_PER_S))
        self.failures = 0
        self.peak = max(self.peak, self.target)


def dead_lettered(receives: int, max_receive_count: int) -> bool:
    """The redrive policy: a message that becomes visible again after maxReceiveCount receives goes to
    the queue's DLQ instead of being received once more (SQS counts receives, not failures)."""
    return receives >= max_receive_count


def throttle_retry_at(now: float, received: float, attempt: int, visibility_timeout_s: float,
                      run_s: float = 0.0) -> float | None:
    """When the poller retries a batch whose invoke was throttled for the `attempt`-th time (0-based),
    or None when that retry could not finish before the message is visible again: the batch then
    returns to the queue when its visibility timeout expires (at received + visibility_timeout_s)."""
    retry = now + min(THROTTLE_RETRY_START_S * 2.0 ** min(attempt, 30), THROTTLE_RETRY_MAX_S)
    return retry if retry + run_s <= received + visibility_timeout_s else None


class Message:
    """One SQS message: `i` is the simulation's own number for it; SQS keeps the receive count."""

    __slots__ = ("i", "sent", "receives")

    def __init__(self, i: int, sent: float):
        self.i, self.sent, self.receives = i, sent, 0


class Batch:
    """The messages one poller received together; `tag` is free for the simulation's own notes."""

    __slots__ = ("messages", "received_at", "throttles", "tag")

    def __init__(self, messages: list[Message], received_at: float):
        self.messages, self.received_at, self.throttles, self.tag = messages, received_at, 0, None


class Mapping:
    """A standard queue with a redrive policy, read by one event source mapping.

    `invoke(batch)` runs the function on a batch and returns True, or returns False when Lambda
    throttled the invoke. After a True, the simulation calls `finished(batch, back, error)` when the
    function returns. Counters are public attributes, read by the simulations' results.
    """

    def __init__(self, engine: Engine, *, batch_size: int, visibility_timeout_s: float, max_receive_count: int,
                 run_s: float, invoke: Callable[[Batch], bool], cap: int = CEILING,
                 on_dead_letter: Callable[[Message], Any] | None = None,
                 on_visible_again: Callable[[Message], Any] | None = None,
                 on_throttled: Callable[[Batch, float | None], Any] | None = None,
                 on_returned: Callable[[Batch], Any] | None = None):
        self.engine = engine
        self.batch_size, self.vt, self.k, self.run_s = batch_size, float(visibility_timeout_s), max_receive_count, run_s
        self.pollers = Pollers(cap)
        self.visible: deque[Message] = deque()
        self._invoke_function = invoke
        self._on_dead_letter, self._on_visible_again = on_dead_letter, on_visible_again
        self._on_throttled, self._on_returned = on_throttled, on_returned
        self._pending = self._ticking = False
        self.outstanding = 0  # sent and neither deleted nor dead-lettered
        self.in_flight = self.peak_in_flight = 0  # batches held by pollers
        self.batches = self.receives = self.invokes = self.throttled_invokes = 0
        self.failed_batches = self.returned_batches = self.deleted = self.dead_lettered = 0
        self.drained_at: float | None = None  # when the last message was deleted or dead-lettered

    # --- the queue ---------------------------------------------------------------------------

    def send(self, messages: Iterable[Message]) -> None:
        messages = list(messages)
        self.outstanding += len(messages)
        self._show(messages)

    def _show(self, messages: list[Message]) -> None:
        """Messages become visible: just sent, or their visibility timeout expired."""
        for m in messages:
            if dead_lettered(m.receives, self.k):
                self.dead_lettered += 1
                self._settle(1)
                if self._on_dead_letter:
                    self._on_dead_letter(m)
            else:
                if m.receives and self._on_visible_again:
                    self._on_visible_again(m)
                self.visible.append(m)
        self._kick()

    def _settle(self, count: int) -> None:
        self.outstanding -= count
        if self.outstanding == 0:
            self.drained_at = self.engine.now

    # --- the pollers -------------------------------------------------------------------------

    def _kick(self) -> None:
        if self.visible:
            self._clock()
            if not self._pending and self.in_flight < self.pollers.limit:
                # deferred to the end of the instant, so messages sent together are received together
                self._pending = True
                self.engine.after(0, self._poll)

    def _clock(self) -> None:
        """The pollers' control loop runs on whole seconds, and only while it can change something
        (messages visible or failures to react to), so an idle queue costs no events."""
        if not self._ticking:
            self._ticking = True
            self.engine.at(math.floor(self.engine.now) + 1.0, self._tick)

    def _tick(self) -> None:
        self._ticking = False
        self.pollers.tick(bool(self.visible))
        self._fill()

    def _poll(self) -> None:
        self._pending = False
        self._fill()

    def _fill(self) -> None:
        visible, size = self.visible, self.batch_size
        while visible and self.in_flight < self.pollers.limit:
            messages = [visible.popleft() for _ in range(min(size, len(visible)))]
            for m in messages:
                m.receives += 1
            self.receives += len(messages)
            self.batches += 1
            self.in_flight += 1
            if self.in_flight > self.peak_in_flight:
                self.peak_in_flight = self.in_flight
            self._invoke(Batch(messages, self.engine.now))
        # The next tick is scheduled after this instant's throttle retries, so a throttle at a whole
        # second counts in the tick of that second, whichever batch it came from.
        if visible or self.pollers.failures:
            self._clock()

    # --- one batch -----------------------------------------------------------------------------

    def _invoke(self, batch: Batch) -> None:
        self.invokes += 1
        if self._invoke_function(batch):
            return
        self.throttled_invokes += 1
        self.pollers.back_off()
        now = self.engine.now
        retry = throttle_retry_at(now, batch.received_at, batch.throttles, self.vt, self.run_s)
        if self._on_throttled:
            self._on_throttled(batch, retry)
        if retry is not None:
            batch.throttles += 1
            self.engine.at(retry, self._retry, batch)
        else:
            self.engine.at(batch.received_at + self.vt, self._return, batch)

    def _retry(self, batch: Batch) -> None:
        self._invoke(batch)
        if self.pollers.failures:
            self._clock()

    def _return(self, batch: Batch) -> None:
        """The visibility timeout expired while the poller was still throttled: back to the queue."""
        self.returned_batches += 1
        self.in_flight -= 1
        if self._on_returned:
            self._on_returned(batch)
        self._show(batch.messages)

    def finished(self, batch: Batch, back: list[Message] | tuple = (), error: bool = False,
                 partial_batch: bool = False) -> None:
        """The function returned. The poller deletes every message but `back`, which becomes visible
        again when its visibility timeout expires. `error`: the function failed (whole batch, or
        items listed in a partial batch response when `partial_batch`); the pollers back off for a
        failed batch, not for a partial batch response."""
        self.in_flight -= 1
        if error:
            self.failed_batches += 1
            if not partial_batch:
                self.pollers.back_off()
                self._clock()
        deleted = len(batch.messages) - len(back)
        self.deleted += deleted
        if back:
            self.engine.at(batch.received_at + self.vt, self._show, list(back))
        if deleted:
            self._settle(deleted)
        self._kick()
