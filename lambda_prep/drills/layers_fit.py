"""Does this function with its layers fit Lambda's deployment limits?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.layers import Layer, Params, run

KIND = "layers-fit"
TOPIC = "layers"
SUMMARY = "function plus layers against the 250 MB unzipped and 5-layer quotas"
SOURCES = (facts.QUOTAS_URL,)

FITS = "It deploys: within both quotas"
TOO_BIG = "It fails: function and layers exceed 250 MB unzipped"
TOO_MANY = "It fails: more than 5 layers"


def generate(rng, seed: int) -> Drill:
    count = pick(rng, (2, 3, 4, 5, 6))
    sizes = tuple(pick(rng, (5, 20, 40, 60, 80)) for _ in range(count))
    function_mb = pick(rng, (10, 30, 60, 90))
    layers = tuple(Layer(name=f"layer{i + 1}", size_mb=size) for i, size in enumerate(sizes))
    result = run(Params(function_mb=function_mb, layers=layers))  # the layers simulation decides
    failed = {c.name for c in result.checks if not c.ok}
    total = function_mb + sum(sizes)
    right = TOO_MANY if "layers per function" in failed else TOO_BIG if "function + layers, unzipped" in failed \
        else FITS
    wrong = {
        FITS: "thinking layers do not count towards the 250 MB (they do, unzipped)",
        TOO_BIG: "counting the 50 MB zipped upload limit, or thinking layers add room",
        TOO_MANY: "misremembering the limit of 5 layers per function",
        "It deploys, because layers are stored separately and raise the limit":
            "the belief that layers raise the deployment size limit",
    }
    choices, misconceptions = options(rng, right, {k: v for k, v in wrong.items() if k != right})
    listing = ", ".join(f"{s} MB" for s in sizes)
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"function_mb": function_mb, "layer_sizes_mb": list(sizes), "total_mb": total},
        prompt=(f"A .zip function is {function_mb} MB unzipped and uses {count} layers of {listing} (unzipped). "
                f"What happens when you deploy it?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"The function and all its layers together must fit in {facts.MAX_UNZIPPED_MB.value} MB "
                     f"unzipped, and a function takes at most {facts.MAX_LAYERS.value} layers. Here: {count} "
                     f"layer{'s' if count != 1 else ''}, {function_mb} + {' + '.join(map(str, sizes))} = {total} MB. "
                     f"Beyond that, use a container image (up to 10 GB)."),
        simulate="lambda-prep simulate layers --function-mb {} {}".format(
            function_mb, " ".join(f"--layer layer{i + 1}:{s}" for i, s in enumerate(sizes))),
    )
