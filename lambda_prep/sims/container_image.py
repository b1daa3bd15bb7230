"""container-image: the same function packaged as a .zip (direct, via S3, with layers) or as an image.

Which packages fit the quotas (50 MB zipped for a direct upload, 250 MB unzipped for the function
and all its layers, 5 layers, 10 GB for an image), which features each one keeps (layers and code
signing are .zip only; SnapStart works on a .zip only on the Java, Python and .NET managed runtimes,
and on an image of any runtime whose runtime runs the snapshot hooks or carries the SnapStart label;
an image holds one architecture), and what runs after
each step of a deployment (Lambda pins the image digest when the function is created or updated:
pushing a new image to the same tag changes nothing until update-function-code).

Deterministic: the seed changes nothing. Checked case by case against the quotas by hand.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import check_choice, check_range, envelope

ARCHITECTURES = C.IMAGE_ARCHITECTURES
RUNTIMES = C.RUNTIMES

ASSUMPTIONS = (
    "the zipped size is the unzipped size times the compression ratio (an input: it depends on the files)",
    "an image's size is the code and dependencies plus the base image (an input; AWS base images vary)",
    "features asked for are requirements: a package that cannot keep one does not qualify",
)
SOURCES = (F.QUOTAS_URL, F.LAYERS_URL, F.IMAGES_URL, F.SNAPSTART_URL, F.SNAPSTART_CONTAINER_IMAGES.source,
           F.CODE_SIGNING_URL)
# How the learner would name the runtime (and, for images, Lambda's base image of it).
RUNTIME_NAMES = {"python": "Python", "nodejs": "Node.js", "java": "Java", "dotnet": ".NET", "ruby": "Ruby",
                 "provided": "provided.al2023"}


@dataclass(frozen=True)
class Params:
    code_mb: float = 20.0  # your code, unzipped
    dependencies_mb: float = 280.0  # libraries, unzipped
    layer_mb: float = 0.0  # of the dependencies, how much would live in layers
    layers: int = 0
    zip_ratio: float = 0.4  # zipped / unzipped
    base_image_mb: float = 600.0  # the base image the image builds on
    runtime: str = "python"
    architecture: str = "x86_64"
    snapstart: bool = False
    code_signing: bool = False

    def __post_init__(self) -> None:
        check_range("code_mb", self.code_mb, 0.001, 100_000)
        check_range("dependencies_mb", self.dependencies_mb, 0, 100_000)
        check_range("layer_mb", self.layer_mb, 0, self.dependencies_mb,
                    why="the part of the dependencies put in layers cannot exceed the dependencies")
        check_range("layers", self.layers, 0, 20)
        check_range("zip_ratio", self.zip_ratio, 0.01, 1, why="zipped size as a share of the unzipped size")
        check_range("base_image_mb", self.base_image_mb, 0, 100_000)
        check_choice("runtime", self.runtime, RUNTIMES)
        check_choice("architecture", self.architecture, ARCHITECTURES)


@dataclass
class Option:
    name: str
    fits: bool
    size: str
    limit: str
    keeps: list
    loses: list
    why: str
    qualifies: bool

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Result:
    params: Params
    options: list
    verdict: str
    deployment: list
    snapstart: str = ""  # what each package needs for SnapStart, when it is asked for

    def to_json(self) -> dict:
        return envelope("container-image", self.params, ASSUMPTIONS, SOURCES,
                        {"options": [o.to_json() for o in self.options], "verdict": self.verdict,
                         "deployment": self.deployment, "snapstart": self.snapstart})


def zip_snapstart(runtime: str) -> bool:
    """A .zip has SnapStart only on the managed runtimes the SnapStart page lists."""
    return runtime in F.SNAPSTART_RUNTIMES.value


def image_snapstart_step(runtime: str) -> str:
    """What an image needs for SnapStart: Lambda's Java, Python and .NET base images coordinate the
    snapshot lifecycle themselves; every other image must run the hooks or carry the label
    (snapstart-runtime-hooks-custom.html), or publishing a version fails."""
    name = RUNTIME_NAMES[runtime]
    if zip_snapstart(runtime):
        return (f"on Lambda's {name} base image nothing to add (Lambda runs the snapshot hooks); "
                f"on your own base image, add the hooks or the SnapStart label")
    return (f"the image must call the snapshot hooks (/restore/next) or carry "
            f"{F.SNAPSTART_IMAGE_LABEL.value}, or publishing a version fails")


def snapstart_note(p: Params) -> str:
    if not p.snapstart:
        return ""
    name = RUNTIME_NAMES[p.runtime]
    on_zip = (f"a .zip on the {name} managed runtime has it" if zip_snapstart(p.runtime) else
              f"a .zip cannot have it: the {name} managed runtime is not supported "
              "(Java 11+, Python 3.12+ and .NET 8+ are)")
    *rest, last = F.SNAPSTART_NOT_WITH.value
    limits = f"{', '.join(rest)} or {last}"
    return (f"SnapStart: {on_zip}; a container image can: {image_snapstart_step(p.runtime)}. "
            f"Either way: published versions only, and not with {limits}.")


def _wanted(p: Params) -> list[str]:
    wanted = []
    if p.snapstart:
        wanted.append("SnapStart")
    if p.code_signing:
        wanted.append("code signing")
    if p.layers:
        wanted.append("layers")
    return wanted


def options(p: Params) -> list[Option]:
    unzipped = p.code_mb + p.dependencies_mb
    function_zip = (unzipped - p.layer_mb) * p.zip_ratio
    max_unzipped = float(F.MAX_UNZIPPED_MB.value)
    direct = float(F.MAX_ZIPPED_DIRECT_UPLOAD_MB.value)
    wanted = _wanted(p)
    zip_features = ["layers", "code signing"] + (["SnapStart"] if zip_snapstart(p.runtime) else [])
    out = []

    def add(name, fits, size, limit, keeps, why, arch_note=""):
        loses = [w for w in wanted if w not in keeps]
        out.append(Option(name=name, fits=fits, size=size, limit=limit, keeps=keeps, loses=loses,
                          why=why + arch_note, qualifies=fits and not loses))

    too_many = p.layers > F.MAX_LAYERS.value
    fits_unzipped = unzipped <= max_unzipped
    add(".zip, direct upload", function_zip <= direct and fits_unzipped and not too_many,
        f"{function_zip:,.0f} MB zipped, {unzipped:,.0f} MB unzipped", f"{direct:,.0f} MB zipped, "
        f"{max_unzipped:,.0f} MB unzipped with layers", zip_features,
        "too big to upload directly: upload through S3" if function_zip > direct else
        ("over 250 MB unzipped, layers included" if not fits_unzipped else
         (f"{p.layers} layers: at most {F.MAX_LAYERS.value}" if too_many else "fits")))
    add(".zip through S3", fits_unzipped and not too_many, f"{unzipped:,.0f} MB unzipped",
        f"{max_unzipped:,.0f} MB unzipped with layers", zip_features,
        "over 250 MB unzipped, layers included: trim dependencies or use an image" if not fits_unzipped else
        (f"{p.layers} layers: at most {F.MAX_LAYERS.value}" if too_many else "fits"))
    image_mb = unzipped + p.base_image_mb
    image_limit = float(F.MAX_IMAGE_MB.value)
    arch = " (one image per architecture: build and deploy two)" if p.architecture == "both" else ""
    add("container image", image_mb <= image_limit, f"{image_mb:,.0f} MB uncompressed",
        f"{image_limit:,.0f} MB uncompressed", ["SnapStart"],
        "fits" if image_mb <= image_limit else "over 10 GB uncompressed", arch)
    return out


def verdict(p: Params, opts: list[Option]) -> str:
    good = [o for o in opts if o.qualifies]
    if good:
        best = good[0]
        extra = ""
        if best.name == "container image":
            extra = ": layers and code signing are .zip features, and you rebuild the image to patch the runtime"
            if p.snapstart:
                extra += f"; for SnapStart, {image_snapstart_step(p.runtime)}"
        return f"{best.name}{extra}"
    fit = [o for o in opts if o.fits]
    if fit:
        lost = sorted({x for o in fit for x in o.loses})
        losers = []
        for o in fit:
            what = "the image" if o.name == "container image" else "a .zip"
            line = f"{what} fits but loses {', '.join(o.loses)}"
            if line not in losers:
                losers.append(line)
        fixes = []
        if p.layers > F.MAX_LAYERS.value:
            fixes.append(f"merge the layers into {F.MAX_LAYERS.value} or fewer")
        if p.code_mb + p.dependencies_mb > F.MAX_UNZIPPED_MB.value:
            fixes.append("trim the package under 250 MB unzipped")
        wanted = lost[0] if len(lost) == 1 else f"{', '.join(lost[:-1])} and {lost[-1]}"
        return f"nothing fits and keeps {wanted}: " + "; ".join(losers + fixes)
    return "nothing fits: split the function or move the heavy part elsewhere (Fargate, a container service)"


def deployment() -> list[dict]:
    """What runs after each step: the tag is resolved to a digest when the function is created or updated."""
    return [
        {"step": "docker push app:latest (digest A); create-function --image-uri app:latest", "runs": "A"},
        {"step": "docker push app:latest again (digest B)", "runs": "A",
         "note": "the function still runs the digest it resolved at deploy time"},
        {"step": "update-function-code --image-uri app:latest", "runs": "B"},
        {"step": "new base image published by AWS", "runs": "B", "note": "you rebuild and redeploy to pick it up"},
    ]


def run(params: Params, seed: int = 0, progress=None) -> Result:
    opts = options(params)
    if progress:
        progress(1)
    return Result(params=params, options=opts, verdict=verdict(params, opts), deployment=deployment(),
                  snapstart=snapstart_note(params))


def total_steps(params: Params) -> int:
    return 1
