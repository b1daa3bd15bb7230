"""The container-image model against Lambda's packaging quotas, case by case by hand."""

from __future__ import annotations

import pytest

from lambda_prep.sims import container_image as model
from lambda_prep.sims.common import ParamError


def by_name(result):
    return {o.name: o for o in result.options}


def test_small_function_uploads_directly():
    # 5 + 30 = 35 MB unzipped x 0.4 = 14 MB zipped <= 50 MB
    result = model.run(model.Params(code_mb=5, dependencies_mb=30))
    assert by_name(result)[".zip, direct upload"].qualifies
    assert result.verdict == ".zip, direct upload"


def test_over_50_mb_zipped_goes_through_s3():
    # 20 + 180 = 200 MB unzipped -> 80 MB zipped > 50, but 200 <= 250 unzipped
    result = model.run(model.Params(dependencies_mb=180))
    options = by_name(result)
    assert not options[".zip, direct upload"].fits and options[".zip through S3"].fits
    assert result.verdict == ".zip through S3"


def test_over_250_mb_unzipped_needs_an_image():
    # 20 + 280 = 300 MB unzipped > 250; the image is 300 + 600 = 900 MB <= 10,240
    result = model.run(model.Params())
    options = by_name(result)
    assert not options[".zip through S3"].fits and options["container image"].qualifies
    assert result.verdict.startswith("container image")


def test_an_image_keeps_snapstart_but_loses_code_signing():
    # Current docs: SnapStart works on container images (snapstart-runtime-hooks-custom.html);
    # code signing still does not.
    result = model.run(model.Params(runtime="java", snapstart=True, code_signing=True))
    image = by_name(result)["container image"]
    assert image.fits and not image.qualifies and image.loses == ["code signing"]
    assert result.verdict.startswith("nothing fits and keeps code signing: the image fits but loses code signing")
    assert "Lambda's Java base image" in result.snapstart


def test_snapstart_on_nodejs_needs_an_image_with_the_hooks_or_the_label():
    # 50 MB unzipped fits any .zip, but the Node.js managed runtime has no SnapStart; an image can.
    result = model.run(model.Params(runtime="nodejs", snapstart=True, dependencies_mb=30))
    options = by_name(result)
    assert options[".zip, direct upload"].fits and options[".zip, direct upload"].loses == ["SnapStart"]
    assert options["container image"].qualifies
    assert result.verdict.startswith("container image")
    assert '/restore/next' in result.verdict and 'com.amazonaws.lambda.feature.snapstart="Allow"' in result.verdict
    assert "publishing a version fails" in result.snapstart
    assert "Node.js managed runtime is not supported" in result.snapstart


def test_each_package_says_what_it_loses_when_nothing_keeps_everything():
    result = model.run(model.Params(runtime="ruby", snapstart=True, code_signing=True, dependencies_mb=30))
    assert result.verdict == ("nothing fits and keeps SnapStart and code signing: a .zip fits but loses SnapStart; "
                              "the image fits but loses code signing")


def test_no_snapstart_note_unless_asked():
    assert model.run(model.Params()).snapstart == ""
    assert "snapstart" in model.run(model.Params()).to_json()["results"]


def test_snapstart_kept_by_a_zip_when_it_fits():
    result = model.run(model.Params(runtime="java", snapstart=True, dependencies_mb=120))  # 140 x 0.4 = 56 MB zipped
    assert result.verdict == ".zip through S3"


def test_too_many_layers():
    result = model.run(model.Params(dependencies_mb=150, layer_mb=100, layers=6))
    assert by_name(result)[".zip through S3"].why == "6 layers: at most 5"
    assert "merge the layers into 5 or fewer" in result.verdict


def test_over_10_gb_fits_nothing():
    result = model.run(model.Params(dependencies_mb=10_000))
    assert not any(o.fits for o in result.options)
    assert result.verdict.startswith("nothing fits")


def test_the_digest_is_pinned_until_update_function_code():
    runs = [s["runs"] for s in model.run(model.Params()).deployment]
    assert runs == ["A", "A", "B", "B"]


def test_bad_params():
    with pytest.raises(ParamError, match="cannot exceed"):
        model.Params(dependencies_mb=10, layer_mb=20)
