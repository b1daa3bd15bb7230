"""The SQS event source mapping's poller control loop, as AWS documents it (a shared component).

Pollers start with 5 concurrent batches and add up to 300 a minute (5 a second) while messages
are visible, up to the mapping's ceiling. When invocations are throttled, "Lambda gradually backs
off retries by reducing the amount of concurrency allocated to your Amazon SQS event source
mapping" (services-sqs-errorhandling.html). AWS gives no formula: this model halves the pollers
after a second with throttles (additive increase, multiplicative decrease, the usual reading of
"gradually backs off"), never below 2 (the page's floor when traffic is low).
"""

from __future__ import annotations

from lambda_prep.sims import facts as F

START = int(F.SQS_START_BATCHES)
ADD_PER_S = F.SQS_ADD_PER_MINUTE.value / 60.0
CEILING = int(F.SQS_MAX_BATCHES)
FLOOR = 2  # "can optimize to as few as 2 concurrent batches"
BACKOFF_FACTOR = 0.5  # MODEL ASSUMPTION: the size of each step down is not documented

ASSUMPTION = ("SQS pollers: start at 5 concurrent batches, add 5 a second while messages are visible, and halve "
              "(never below 2) after a second with throttled invocations; AWS documents the back-off, not its "
              "size")
CEILING_NOTE = ("the mapping's ceiling is 1,000 concurrent batches on the English page; newer copies say 1,250 "
                "(pages disagree); the model uses 1,000")


class Pollers:
    """How many batches the mapping keeps in flight; call `tick(visible)` once a second."""

    __slots__ = ("target", "cap", "throttled", "peak")

    def __init__(self, cap: int = CEILING):
        self.target = START
        self.cap = cap  # the ceiling, or ScalingConfig.MaximumConcurrency
        self.throttled = 0  # throttled invocations since the last tick
        self.peak = START

    @property
    def limit(self) -> int:
        return min(self.target, self.cap)

    def throttle(self) -> None:
        self.throttled += 1

    def tick(self, visible: bool) -> None:
        if self.throttled:
            self.target = max(FLOOR, int(self.target * BACKOFF_FACTOR))
        elif visible:
            self.target = min(CEILING, self.target + int(ADD_PER_S))
        self.throttled = 0
        self.peak = max(self.peak, self.target)
