"""An SQS event source mapping's batch size and batching window: how many invocations?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, count, distinct, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.batching import Params, expected_batch

KIND = "batch-window"
TOPIC = "event-sources"
SUMMARY = "an SQS mapping's batch size and batching window: how many invocations"
SOURCES = (facts.SQS_PARAMS_URL, facts.ESM_API_URL, facts.PRICING_URL)
MESSAGES = 10_000
SMALL = int(facts.SQS_BATCH_SIZE_MAX_FIFO.value)  # 10: FIFO's maximum, and the most without a window


def generate(rng, seed: int) -> Drill:
    rate = pick(rng, (2, 5, 10, 50))
    batch = pick(rng, (100, 1_000, 10_000))
    window = pick(rng, (1, 2, 5, 10, 20))
    prm = Params(messages=MESSAGES, arrival_rate=rate, batch_size=batch, batching_window_s=window, compare=False)
    # The batching model's closed form: a batch opens at a message and gathers the Poisson arrivals of
    # the next `window` seconds, up to the batch size: E[min(1 + Poisson(rate x window), batch size)].
    mean = expected_batch(rate, window, prm.effective_batch)
    invocations = MESSAGES / mean
    right = count(round(invocations))
    wrong = distinct({
        count(MESSAGES): "thinking Lambda invokes the function once per message",
        count(MESSAGES / batch): "thinking every batch fills to the batch size (the window closes it first)",
        count(MESSAGES / (rate * window)): "thinking a batch is exactly rate x window messages, forgetting the "
                                           "message that opens it and the batch size cap",
        count(MESSAGES / SMALL): f"thinking an SQS batch holds at most {SMALL} messages (that is the FIFO limit, "
                                 f"and the limit without a batching window)",
    }, right, tolerance=0.1)  # about-figures: keep only distractors clearly apart from the answer
    wrong = dict(list(wrong.items())[:3])
    choices, misconceptions = options(rng, right, wrong)
    fills = rate * window + 1 >= batch
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"messages": MESSAGES, "arrival_rate": rate, "batch_size": batch, "batching_window_s": window,
                "mean_batch": round(mean, 4), "invocations": round(invocations, 1)},
        prompt=(f"{MESSAGES:,} messages reach a standard SQS queue at random, about {rate} a second. The Lambda "
                f"event source mapping has batch size {batch:,} and a batching window of {window} s. About how "
                f"many invocations process them?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"A batch opens with the first waiting message and closes when the window has passed, the "
                     f"batch size is reached or the payload hits "
                     f"{facts.ESM_BATCH_PAYLOAD_MB.value} MB, whichever comes first. In {window} s about "
                     f"{rate * window:g} more messages arrive, so a batch holds about "
                     + (f"{batch:,} (the batch size caps it)" if fills else f"1 + {rate * window:g}")
                     + f": on average {mean:.2f} with random arrivals, so {MESSAGES:,} / {mean:.2f} = about {right} "
                     f"invocations. Fewer, larger batches cut the request charge; each message waits up to {window} "
                     f"s longer. A batch size above {SMALL} needs a window of at least "
                     f"{facts.BATCH_OVER_10_NEEDS_WINDOW_S.value} s; windows go up to "
                     f"{facts.BATCHING_WINDOW_MAX_S.value} s. The model gathers one batch at a time; AWS's several "
                     f"pollers can split busy traffic into somewhat smaller batches."),
        simulate=(f"lambda-prep simulate batching --messages {MESSAGES} --arrival-rate {rate} --batch-size {batch} "
                  f"--batching-window-s {window} --seed {seed}"),
    )
