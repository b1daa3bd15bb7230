"""layers: build /opt from a function's layers, check the quotas, and delete a layer version.

What AWS documents (lambda-facts.md §1 and §8):
- a layer is a .zip extracted to /opt; layers are merged "in the order they were added" and the
  console can move a layer earlier or later (adding-layers.html);
- at most 5 layers per function; the function and all its layers together must fit in 250 MB
  unzipped (gettingstarted-limits.html, adding-layers.html);
- container images cannot use layers: dependencies are baked into the image, up to 10 GB
  uncompressed (chapter-layers.html, images-create.html);
- a deleted layer version keeps working for the functions that already use it ("a copy of the
  version remains in Lambda until no functions refer to it") but cannot be added to a new function
  (adding-layers.html, API_DeleteLayerVersion.html).

Model assumption (fact sheet confidence L): when two layers ship the same path, the layer merged
LATER overwrites the earlier one. This is widely stated but not found in the current AWS docs; the
option `overlap="first-wins"` shows the other reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_range, envelope

MAX_LAYERS = int(F.MAX_LAYERS)
MAX_UNZIPPED_MB = int(F.MAX_UNZIPPED_MB)
MAX_IMAGE_MB = int(F.MAX_IMAGE_MB)
MAX_ZIPPED_DIRECT_UPLOAD_MB = int(F.MAX_ZIPPED_DIRECT_UPLOAD_MB)

SOURCES = (
    "https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/images-create.html",
    "https://docs.aws.amazon.com/lambda/latest/api/API_DeleteLayerVersion.html",
)

OVERLAP_RULES = C.OVERLAP_RULES
PACKAGES = C.PACKAGES
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Layer:
    name: str
    size_mb: float
    files: tuple[str, ...] = ()
    version: int = 1

    @property
    def ref(self) -> str:
        return f"{self.name}:{self.version}"

    def to_json(self) -> dict:
        return {"name": self.name, "version": self.version, "size_mb": self.size_mb, "files": list(self.files)}


DEFAULT_LAYERS: tuple[Layer, ...] = (
    Layer("python-deps", 120, ("python/requests/__init__.py", "python/urllib3/__init__.py",
                               "python/numpy/__init__.py")),
    Layer("shared-utils", 25, ("python/shared/db.py", "python/shared/config.py",
                               "python/requests/__init__.py")),
    Layer("otel-extension", 40, ("extensions/otel-collector", "collector-config/config.yaml")),
    Layer("app-config", 5, ("collector-config/config.yaml", "python/shared/config.py")),
)
DEFAULT_FUNCTION_MB = 70.0


def parse_layer_spec(spec: str) -> Layer:
    """NAME:SIZE_MB:file1,file2 (files optional) -> Layer; ParamError says the format."""
    parts = spec.split(":", 2)
    if len(parts) < 2:
        raise ParamError(f"--layer must be NAME:SIZE_MB:file1,file2 (files optional), got {spec!r}")
    name, size = parts[0].strip(), parts[1].strip()
    try:
        size_mb = float(size)
    except ValueError:
        raise ParamError(f"--layer {spec!r}: SIZE_MB must be a number of megabytes (unzipped), got {size!r}") from None
    files = tuple(f.strip() for f in parts[2].split(",") if f.strip()) if len(parts) == 3 else ()
    return Layer(name, size_mb, files)


@dataclass(frozen=True)
class Params:
    layers: tuple[Layer, ...] = DEFAULT_LAYERS
    function_mb: float = DEFAULT_FUNCTION_MB
    package: str = "zip"
    overlap: str = "later-wins"
    delete: str | None = None  # the layer whose version 1 is deleted in the story (default: the first)

    def __post_init__(self) -> None:
        check_range("function_mb", self.function_mb, 0, MAX_IMAGE_MB,
                    why="unzipped megabytes of the function's own code; 10,240 MB is the container image ceiling")
        if len(self.layers) > 20:
            raise ParamError(f"--layer may be given from 0 to 20 times, got {len(self.layers)} (Lambda accepts "
                             f"at most {MAX_LAYERS}; up to 20 are taken here to show the rejection)")
        if self.package not in PACKAGES:
            raise ParamError(f"--package must be one of {', '.join(PACKAGES)}, got {self.package!r}")
        if self.overlap not in OVERLAP_RULES:
            raise ParamError(f"--overlap must be one of {', '.join(OVERLAP_RULES)}, got {self.overlap!r}")
        seen = set()
        for layer in self.layers:
            if not _NAME.match(layer.name):
                raise ParamError(f"--layer name must be 1-64 letters, digits, '-' or '_' (a Lambda layer name), "
                                 f"got {layer.name!r}")
            if layer.name in seen:
                raise ParamError(f"--layer {layer.name!r} is given twice (a function uses one version of a layer)")
            seen.add(layer.name)
            if not 0 <= layer.size_mb <= MAX_IMAGE_MB:
                raise ParamError(f"--layer {layer.name}: SIZE_MB must be from 0 to {MAX_IMAGE_MB:,}, got "
                                 f"{layer.size_mb:g} (unzipped megabytes; 10,240 MB is the container image ceiling)")
            for path in layer.files:
                if path.startswith("/") or ".." in path.split("/") or not path:
                    raise ParamError(f"--layer {layer.name}: file {path!r} must be a relative path inside the "
                                     "layer zip (it lands under /opt)")
        if self.delete is not None and self.delete not in seen:
            raise ParamError(f"--delete must name one of the layers ({', '.join(sorted(seen)) or 'none given'}), "
                             f"got {self.delete!r}")


@dataclass
class OptFile:
    path: str  # under /opt
    winner: str  # layer ref whose copy is visible
    providers: list[str]  # every layer ref shipping this path, in merge order

    @property
    def conflict(self) -> bool:
        return len(self.providers) > 1

    def to_json(self) -> dict:
        return {"path": "/opt/" + self.path, "from": self.winner, "providers": self.providers,
                "shadowed": [p for p in self.providers if p != self.winner]}


@dataclass
class Check:
    name: str
    value: float
    limit: float
    ok: bool
    unit: str
    reason: str

    def to_json(self) -> dict:
        return {"check": self.name, "value": self.value, "limit": self.limit, "ok": self.ok,
                "unit": self.unit, "reason": self.reason}


@dataclass
class Step:
    action: str
    outcome: str
    ok: bool

    def to_json(self) -> dict:
        return {"action": self.action, "outcome": self.outcome, "ok": self.ok}


@dataclass
class Result:
    params: Params
    seed: int
    merge_steps: list[tuple[str, list[str], list[str]]]  # (layer ref, files added, files overwritten/kept)
    opt: list[OptFile]
    total_mb: float
    checks: list[Check]
    deployable: bool
    reasons: list[str]
    image: Check
    ways_out: list[str]
    deletion_story: list[Step]
    assumptions: list[str]

    @property
    def conflicts(self) -> list[OptFile]:
        return [f for f in self.opt if f.conflict]

    def to_json(self) -> dict:
        p = self.params
        return envelope("layers", p, self.assumptions, SOURCES, {
            "package": p.package,
            "merge_order": [layer.ref for layer in p.layers],
            "layers": [layer.to_json() for layer in p.layers],
            "layer_count": len(p.layers),
            "function_mb": p.function_mb,
            "total_unzipped_mb": self.total_mb,
            "opt_files": [f.to_json() for f in self.opt],
            "conflicts": [f.to_json() for f in self.conflicts],
            "overlap_rule": p.overlap,
            "quota": {"max_layers": MAX_LAYERS, "max_unzipped_mb": MAX_UNZIPPED_MB,
                      "max_image_mb": MAX_IMAGE_MB},
            "checks": [c.to_json() for c in self.checks],
            "deployable": self.deployable,
            "reasons": list(self.reasons),
            "container_image": self.image.to_json(),
            "ways_out": list(self.ways_out),
            "deletion_story": [s.to_json() for s in self.deletion_story],
        })


def merge(layers: tuple[Layer, ...], overlap: str = "later-wins") -> tuple[list[OptFile], list]:
    """Extract the layers into /opt in merge order. Returns the files and what each step did."""
    opt: dict[str, OptFile] = {}
    steps = []
    for layer in layers:
        added, collided = [], []
        for path in layer.files:
            if path in opt:
                entry = opt[path]
                entry.providers.append(layer.ref)
                if overlap == "later-wins":
                    entry.winner = layer.ref
                collided.append(path)
            else:
                opt[path] = OptFile(path, layer.ref, [layer.ref])
                added.append(path)
        steps.append((layer.ref, added, collided))
    return sorted(opt.values(), key=lambda f: f.path), steps


def run(params: Params, seed: int = 1, progress: Callable[[int], None] | None = None) -> Result:
    p = params
    opt, steps = merge(p.layers, p.overlap)
    layers_mb = sum(layer.size_mb for layer in p.layers)
    total = round(layers_mb + p.function_mb, 3)
    checks: list[Check] = []
    reasons: list[str] = []

    if p.package == "zip":
        count_ok = len(p.layers) <= MAX_LAYERS
        checks.append(Check("layers per function", len(p.layers), MAX_LAYERS, count_ok, "layers",
                            "ok" if count_ok else f"{len(p.layers)} layers: a function can use at most {MAX_LAYERS}"))
        size_ok = total <= MAX_UNZIPPED_MB
        checks.append(Check("function + layers, unzipped", total, MAX_UNZIPPED_MB, size_ok, "MB",
                            "ok" if size_ok else
                            f"{total:g} MB unzipped (function {p.function_mb:g} MB + layers {layers_mb:g} MB) "
                            f"exceeds {MAX_UNZIPPED_MB} MB; the quota counts the function and all its layers together"))
        reasons = [c.reason for c in checks if not c.ok]
    else:
        layers_ok = not p.layers
        checks.append(Check("layers on a container image", len(p.layers), 0, layers_ok, "layers",
                            "ok" if layers_ok else "a container image function cannot use layers: copy their "
                            "content into the image (e.g. COPY into /opt in the Dockerfile)"))
        size_ok = total <= MAX_IMAGE_MB
        checks.append(Check("image size, uncompressed", total, MAX_IMAGE_MB, size_ok, "MB",
                            "ok" if size_ok else f"{total:g} MB exceeds the {MAX_IMAGE_MB:,} MB image limit"))
        reasons = [c.reason for c in checks if not c.ok]
    deployable = not reasons

    image_ok = total <= MAX_IMAGE_MB
    image = Check("same content as a container image", total, MAX_IMAGE_MB, image_ok, "MB",
                  f"fits: images go up to {MAX_IMAGE_MB:,} MB, with no layers (bake the /opt content in)"
                  if image_ok else f"{total:g} MB is over even the {MAX_IMAGE_MB:,} MB image limit")

    ways_out = []
    if p.package == "zip" and total > MAX_UNZIPPED_MB:
        ways_out += [
            f"Trim: drop unused dependencies and strip tests, docs and caches; "
            f"{total - MAX_UNZIPPED_MB:g} MB must go.",
            "Ship it as a container image instead: up to 10 GB, no layers (dependencies baked into the image).",
            "Load big, rarely changing data at run time from S3 or EFS instead of packaging it.",
        ]
    if p.package == "zip" and len(p.layers) > MAX_LAYERS:
        ways_out.append("Merge related layers into one (a layer is just a zip under /opt), or bundle the "
                        "dependencies into the function package.")

    # Deleting a layer version: the documented behaviour, step by step.
    story: list[Step] = []
    if p.layers:
        target = next((layer for layer in p.layers if layer.name == p.delete), p.layers[0])
        ref = target.ref
        story = [
            Step(f"function 'existing-fn' is deployed with {ref}", "works", True),
            Step(f"DeleteLayerVersion {ref}", f"{ref} can no longer be viewed or added to functions", True),
            Step("invoke 'existing-fn' (and cold-start a new environment)",
                 f"still works: a copy of {ref} remains in Lambda until no function refers to it", True),
            Step(f"create 'new-fn' with {ref}", "rejected: a deleted layer version cannot be added to a new function",
                 False),
            Step(f"publish {target.name}:{target.version + 1} and create 'new-fn' with it",
                 "works: layer versions are immutable, so you publish a new one", True),
        ]

    assumptions = [
        "Same path in two layers: the layer merged LATER wins (model assumption; widely stated but not in the "
        "current AWS docs, which only say layers are merged in the order added)"
        if p.overlap == "later-wins" else
        "Same path in two layers: the FIRST layer's copy is kept (the alternative reading, shown for "
        "comparison; AWS documents only that layers are merged in the order added)",
        "Sizes are unzipped megabytes as given; the 50 MB zipped limit applies only to direct uploads "
        "(larger zips go through S3).",
    ]
    if progress:
        progress(1)
    return Result(p, seed, steps, opt, total, checks, deployable, reasons, image, ways_out, story, assumptions)
