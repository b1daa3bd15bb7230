"""A function with heavy dependencies, maybe needing code signing: a .zip (direct or via S3) or an image?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.container_image import Params, run

KIND = "package-type"
TOPIC = "containers"
SUMMARY = "a .zip uploaded directly, a .zip through S3 or a container image, by size and code signing"
SOURCES = (facts.QUOTAS_URL, facts.IMAGES_URL, facts.CODE_SIGNING_URL)

DIRECT = "A .zip, uploaded directly"
VIA_S3 = "A .zip, uploaded through S3 (too big to upload directly)"
IMAGE = "Only a container image will do"
NOTHING_SIGNED = "Nothing fits and keeps code signing: the image fits but loses it"
NOTHING = "Nothing fits: it is too big for Lambda"


def keyed(params: Params) -> str:
    """The container-image model's verdict, as one of the choices."""
    result = run(params)
    good = [o.name for o in result.options if o.qualifies]
    if good:
        return {".zip, direct upload": DIRECT, ".zip through S3": VIA_S3, "container image": IMAGE}[good[0]]
    fits = [o for o in result.options if o.fits]
    return NOTHING_SIGNED if fits and params.code_signing else NOTHING


def generate(rng, seed: int) -> Drill:
    code_mb = pick(rng, (5.0, 20.0, 40.0))
    dependencies_mb = pick(rng, (40.0, 80.0, 150.0, 200.0, 300.0, 600.0, 1200.0))
    signing = pick(rng, (False, True))
    params = Params(code_mb=code_mb, dependencies_mb=dependencies_mb, code_signing=signing)
    right = keyed(params)
    unzipped = code_mb + dependencies_mb
    zipped = unzipped * params.zip_ratio
    direct_mb, unzipped_mb = facts.MAX_ZIPPED_DIRECT_UPLOAD_MB.value, facts.MAX_UNZIPPED_MB.value
    image_gb = facts.MAX_IMAGE_MB.value // 1024
    wrong = {
        DIRECT: f"forgetting the {direct_mb} MB limit on a .zip uploaded directly (it applies to the zipped file)"
        if zipped > direct_mb else
        f"thinking S3 lifts the {unzipped_mb} MB unzipped limit (it lifts only the {direct_mb} MB upload limit)",
        VIA_S3: f"thinking the {direct_mb} MB limit applies to the unzipped size (it is the zipped upload)"
        if zipped <= direct_mb else
        f"thinking S3 lifts the {unzipped_mb} MB unzipped limit (it lifts only the {direct_mb} MB upload limit)",
        IMAGE: "thinking container images support code signing (it is for .zip functions and layers only)"
        if signing else
        f"thinking large dependencies need an image (a .zip takes up to {unzipped_mb} MB unzipped)",
    }
    if signing:
        wrong[NOTHING_SIGNED] = (f"forgetting that a .zip takes up to {unzipped_mb} MB unzipped, so it keeps "
                                 "code signing")
    else:
        wrong[NOTHING] = f"thinking the {unzipped_mb} MB limit applies to images (they take up to {image_gb} GB)"
    wrong.pop(right, None)
    choices, misconceptions = options(rng, right, wrong)
    needs = " Your security team requires code signing for every deployment." if signing else ""
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"code_mb": code_mb, "dependencies_mb": dependencies_mb, "unzipped_mb": unzipped,
                "zipped_mb": round(zipped, 1), "code_signing": signing, "verdict": right},
        prompt=(f"A Python function is {code_mb:g} MB of code and {dependencies_mb:g} MB of dependencies, "
                f"{unzipped:g} MB unzipped; zipped it is about {zipped:g} MB. It uses no layers.{needs} "
                f"How can you deploy it?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"A .zip uploaded directly may be {direct_mb} MB zipped; larger ones go through S3. Either "
                     f"way the function and its layers must fit in {unzipped_mb} MB unzipped. A container image "
                     f"takes up to {image_gb} GB, but code signing works only for .zip functions and layers. Here: "
                     f"{zipped:g} MB zipped, {unzipped:g} MB unzipped"
                     + (", code signing required" if signing else "") + f", so: {right[0].lower() + right[1:]}."),
        simulate=(f"lambda-prep simulate container-image --code-mb {code_mb:g} --dependencies-mb {dependencies_mb:g}"
                  + (" --code-signing" if signing else "") + f" --seed {seed}"),
    )
