from __future__ import annotations

from typing import List, Optional

import typer

from lambda_prep.cli_simulate._shared import (
    Animate, AsJson, DEFAULT_SEED, Seed, app, choice, simulate,
)
from lambda_prep.sims import choices as C


Package = choice("Package", C.PACKAGES)


Overlap = choice("Overlap", C.OVERLAP_RULES)


@app.command("layers")
def layers(
    ctx: typer.Context,
    layer: List[str] = typer.Option([], "--layer", metavar="NAME:SIZE_MB:file1,file2",
                                    help="A layer in merge order: name, unzipped MB, files under /opt "
                                         "(repeatable; replaces the demo's 4 layers)."),
    function_mb: float = typer.Option(70.0, "--function-mb",
                                      help="Unzipped size of the function's own code, MB (demo value)."),
    package: Package = typer.Option(Package.zip, "--package",
                                    help="zip (layers allowed) or image (container image: no layers)."),
    overlap: Overlap = typer.Option(Overlap.later_wins, "--overlap",
                                    help="Who wins when two layers ship the same path. MODEL ASSUMPTION: "
                                         "later-wins is widely stated but not in AWS docs."),
    delete: Optional[str] = typer.Option(None, "--delete", metavar="NAME", show_default=False,
                                         help="The layer whose version 1 is deleted in the story "
                                              "(default: the first layer)."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
    animate: Animate = False,
) -> None:
    """Build /opt from a function's layers in order, check quotas, delete a version.

    Which file wins when two layers ship the same path; the 5-layer and
    250 MB quotas (function + all layers, unzipped, counted together);
    what a container image does instead (up to 10 GB, no layers); and
    deleting a layer version: existing functions keep working, new ones
    cannot add it. The demo (4 layers of 190 MB + 70 MB of function code
    = 260 MB) is rejected, with the reason.

    \b
    AWS values and sources:
      5 layers; 250 MB unzipped incl. layers; merged in the order added
        https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html
        https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
      container images: up to 10 GB uncompressed, no layers
        https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html
        https://docs.aws.amazon.com/lambda/latest/dg/images-create.html
      deleted layer version: existing functions keep a copy
        https://docs.aws.amazon.com/lambda/latest/api/API_DeleteLayerVersion.html

    \b
    MODEL ASSUMPTION: a later layer overwrites a path an earlier layer
    shipped ("later wins" is widely stated, NOT in current AWS docs;
    --overlap first-wins shows the other reading). The demo's layer
    names, sizes and files are made up. No randomness: --seed changes
    nothing.

    \b
    Examples:
      lambda-prep simulate layers
      lambda-prep simulate layers --function-mb 40
      lambda-prep simulate layers --layer deps:80:python/requests/__init__.py \\
          --layer patch:1:python/requests/__init__.py --function-mb 20
      lambda-prep simulate layers --package image
    """
    def make_params(model):
        kwargs: dict = {"function_mb": function_mb, "package": package.value, "overlap": overlap.value,
                        "delete": delete}
        if layer:
            kwargs["layers"] = tuple(model.parse_layer_spec(spec) for spec in layer)
        return model.Params(**kwargs)

    simulate(ctx, "layers", make_params)
