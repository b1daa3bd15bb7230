"""One environment, a cold request then warm ones: what is a request's billed duration?"""

from __future__ import annotations

import math
from datetime import date

from lambda_prep.drills.base import Drill, distinct, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.lifecycle import Params, run

KIND = "billed-duration"
TOPIC = "fundamentals"
SUMMARY = "a cold or warm request's billed duration: INIT, handler and extension time"
SOURCES = (facts.INIT_BILLING_URL, facts.EXTENSIONS_URL, facts.RUNTIME_ENV_URL)

INIT_BILLED = date.fromisoformat(facts.INIT_BILLED_SINCE.value)
INIT_BILLED_SINCE = f"{INIT_BILLED.day} {INIT_BILLED:%B %Y}"  # "1 August 2025"

EXTENSION = {"none": "no extensions", "internal": "an internal extension (in the runtime process)",
             "external": "an external extension (a telemetry agent in its own process)"}


def ms(value: float) -> str:
    return f"{value:,.0f} ms"


def generate(rng, seed: int) -> Drill:
    init_ms = pick(rng, (180.0, 450.0, 800.0, 1200.0))
    duration_ms = pick(rng, (38.4, 87.2, 120.6, 245.3, 512.7))
    extension = pick(rng, ("none", "internal", "external", "external"))
    extension_init_ms = pick(rng, (50.0, 80.0, 120.0))
    extension_post_ms = pick(rng, (20.0, 40.0, 60.0))
    number = pick(rng, (1, 1, 2))  # the cold start, or the warm request after it
    params = Params(requests=2, gap_s=60.0, init_ms=init_ms, duration_ms=duration_ms, extension=extension,
                    extension_init_ms=extension_init_ms, extension_post_ms=extension_post_ms, background_ms=0.0)
    row = run(params).invocations[number - 1]  # the lifecycle model bills it
    right = ms(row.billed_ms)
    init = params.ext_init_ms + params.init_ms
    post = params.ext_post_ms
    wrong = {
        ms(facts.DEFAULT_TIMEOUT_S.value * 1000):
            f"billing the configured timeout ({facts.DEFAULT_TIMEOUT_S.value} s) instead of the time used",
        ms(math.ceil((row.billed_init_ms + duration_ms + post) / 100) * 100):
            f"rounding up to 100 ms (billing has been per {facts.BILLING_GRANULARITY_MS.value} ms since "
            "December 2020)",
    }
    if number == 1:
        wrong[ms(math.ceil(duration_ms + post))] = (
            f"thinking INIT is free (it has been billed for every configuration since {INIT_BILLED_SINCE})")
        if post:
            wrong[ms(math.ceil(init + duration_ms))] = (
                "leaving out the extension's work after the response (INVOKE ends when the extensions are done, "
                "and their time is billed)")
        if params.ext_init_ms:
            wrong[ms(math.ceil(params.init_ms + duration_ms + post))] = (
                "leaving out the extension's start-up (extensions initialise inside INIT)")
    else:
        wrong[ms(math.ceil(init + duration_ms + post))] = "charging INIT on every request (only a cold start runs it)"
        if post:
            wrong[ms(math.ceil(duration_ms))] = (
                "billing only the handler (the extension's work after the response is billed too)")
    wrong = distinct(wrong, right)
    choices, misconceptions = options(rng, right, wrong)
    which = "request 1 (the cold start)" if number == 1 else "request 2 (warm)"
    ext_init = f"the extension starts in {extension_init_ms:g} ms, then " if extension != "none" else ""
    ext_post = (f" after returning the response, the extension flushes telemetry for {extension_post_ms:g} ms."
                if extension != "none" else ".")
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"init_ms": init_ms, "duration_ms": duration_ms, "extension": extension,
                "extension_init_ms": params.ext_init_ms, "extension_post_ms": post, "request": number,
                "billed_ms": row.billed_ms},
        prompt=(f"An on-demand Python function has {EXTENSION[extension]}. On a cold start {ext_init}the runtime "
                f"and your init code take {init_ms:g} ms. Each request's handler runs {duration_ms:g} ms;"
                f"{ext_post} Two requests arrive 60 s apart at one environment. What is the billed duration of "
                f"{which}?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=((f"A cold start is billed INIT + INVOKE: INIT is "
                      + (f"{params.ext_init_ms:g} (extension) + {init_ms:g} (runtime and your code)" if extension != "none"
                         else f"{init_ms:g}")
                      + f" ms, billed for every configuration since {INIT_BILLED_SINCE}. "
                      if number == 1 else
                      "A warm request runs no INIT: only its INVOKE phase is billed. ")
                     + f"INVOKE is the handler's {duration_ms:g} ms"
                     + (f" plus the extension's {post:g} ms after the response (the caller does not wait for "
                        f"it, but the phase lasts until every extension is done and its time is billed)"
                        if post else "")
                     + f". Rounded up to the next {facts.BILLING_GRANULARITY_MS.value} ms: {right}. The configured timeout caps a request; it is not "
                       f"what you pay."),
        simulate=(f"lambda-prep simulate lifecycle --requests 2 --gap-s 60 --init-ms {init_ms:g} "
                  f"--duration-ms {duration_ms:g} --extension {extension} --extension-init-ms {extension_init_ms:g} "
                  f"--extension-post-ms {extension_post_ms:g} --background-ms 0 --seed {seed}"),
    )
