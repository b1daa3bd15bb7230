"""`lambda-prep simulate container-image`: options only; the model and view load inside the command."""

from __future__ import annotations

import typer

from lambda_prep.cli_simulate._shared import DEFAULT_SEED, AsJson, Seed, app, choice, simulate
from lambda_prep.sims import choices as C


Runtime = choice("Runtime", C.RUNTIMES)


Arch = choice("Arch", C.IMAGE_ARCHITECTURES)


@app.command("container-image")
def container_image(
    ctx: typer.Context,
    code_mb: float = typer.Option(20.0, "--code-mb", help="Your code, unzipped, MB. Demo value."),
    dependencies_mb: float = typer.Option(280.0, "--dependencies-mb",
                                          help="Libraries, unzipped, MB (ML libraries run to hundreds). Demo value."),
    layer_mb: float = typer.Option(0.0, "--layer-mb", help="Of the dependencies, MB you would put in layers."),
    layers: int = typer.Option(0, "--layers", help="Layers you would attach (.zip only; at most 5)."),
    zip_ratio: float = typer.Option(0.4, "--zip-ratio",
                                    help="Zipped size / unzipped size, 0.01-1. Model assumption."),
    base_image_mb: float = typer.Option(600.0, "--base-image-mb",
                                        help="The base image under your code, MB. Model assumption."),
    runtime: Runtime = typer.Option(Runtime.python, "--runtime", case_sensitive=False,
                                    help="Runtime; SnapStart on a .zip: java, python, dotnet; on an image: any."),
    architecture: Arch = typer.Option(Arch.x86_64, "--architecture", case_sensitive=False,
                                      help="x86_64 (AWS default), arm64, or both (an image holds one)."),
    snapstart: bool = typer.Option(False, "--snapstart/--no-snapstart",
                                   help="You need SnapStart (a .zip on Java, Python, .NET; an image of any runtime)."),
    code_signing: bool = typer.Option(False, "--code-signing/--no-code-signing",
                                      help="You need code signing (.zip functions and layers only)."),
    seed: Seed = DEFAULT_SEED,
    as_json: AsJson = False,
) -> None:
    """See which package a function fits: .zip (direct, via S3, with layers) or container image.

    Each package against Lambda's quotas, the features it keeps or loses, a recommendation, and what an image-based function runs after each deployment step (the digest is pinned). Deterministic: --seed changes nothing.

    \b
    AWS sources:
      50 MB zipped direct upload, 250 MB unzipped with layers, 5 layers, 10 GB image:
        https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
        https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html
      images: ECR in the same Region, Linux, one architecture, no layers:
        https://docs.aws.amazon.com/lambda/latest/dg/images-create.html
      SnapStart: a .zip on the Java 11+, Python 3.12+ or .NET 8+ managed runtime:
        https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html
      SnapStart on an image: Lambda's Java, Python, .NET base images
      handle it; others call the snapshot hooks or carry the
      com.amazonaws.lambda.feature.snapstart label, else publishing fails:
        https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-custom.html
      code signing: .zip functions and layers only:
        https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html

    \b
    Examples:
      lambda-prep simulate container-image
      lambda-prep simulate container-image --dependencies-mb 30
      lambda-prep simulate container-image --runtime java --snapstart
      lambda-prep simulate container-image --runtime ruby --snapstart
      lambda-prep simulate container-image --dependencies-mb 150 --layer-mb 100 --layers 6
      lambda-prep simulate container-image --architecture both
    """
    simulate(ctx, "container-image")
