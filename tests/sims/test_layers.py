"""layers: merge order, the quotas, container images, deleting a layer version, the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import layers as model
from lambda_prep.sims.common import ParamError

runner = CliRunner()
L = model.Layer


def test_merge_order_later_layer_wins_by_default():
    layers = (L("a", 1, ("python/x.py", "python/only_a.py")), L("b", 1, ("python/x.py",)),
              L("c", 1, ("python/x.py", "bin/tool")))
    files, steps = model.merge(layers)
    by_path = {f.path: f for f in files}
    assert by_path["python/x.py"].winner == "c:1"
    assert by_path["python/x.py"].providers == ["a:1", "b:1", "c:1"]  # in merge order
    assert by_path["python/only_a.py"].winner == "a:1" and not by_path["python/only_a.py"].conflict
    assert steps[1] == ("b:1", [], ["python/x.py"])
    assert [f.path for f in files] == sorted(by_path)


def test_merge_order_matters_reversing_changes_the_winner():
    a, b = L("a", 1, ("python/x.py",)), L("b", 1, ("python/x.py",))
    assert {f.path: f.winner for f in model.merge((a, b))[0]}["python/x.py"] == "b:1"
    assert {f.path: f.winner for f in model.merge((b, a))[0]}["python/x.py"] == "a:1"


def test_first_wins_reading_is_labelled():
    layers = (L("a", 1, ("python/x.py",)), L("b", 1, ("python/x.py",)))
    result = model.run(model.Params(layers=layers, function_mb=1, overlap="first-wins"))
    assert result.opt[0].winner == "a:1"
    assert "FIRST" in result.assumptions[0]
    default = model.run(model.Params(layers=layers, function_mb=1))
    assert default.opt[0].winner == "b:1"
    assert "assumption" in default.assumptions[0] and "not in the current AWS docs" in default.assumptions[0]


def test_default_demo_is_rejected_for_260_mb():
    result = model.run(model.Params())
    assert result.total_mb == 260
    assert not result.deployable
    assert "exceeds 250 MB" in result.reasons[0] and "together" in result.reasons[0]
    assert result.image.ok  # the same content fits a container image
    assert any("container image" in w for w in result.ways_out)
    assert len(result.conflicts) == 3


@pytest.mark.parametrize("total,ok", [(250, True), (250.5, False)])
def test_size_quota_counts_function_and_layers_together(total, ok):
    result = model.run(model.Params(layers=(L("a", 200),), function_mb=total - 200))
    assert result.deployable is ok


def test_sixth_layer_is_rejected_with_the_reason():
    five = tuple(L(f"l{i}", 1) for i in range(5))
    assert model.run(model.Params(layers=five, function_mb=1)).deployable
    result = model.run(model.Params(layers=five + (L("l5", 1),), function_mb=1))
    assert not result.deployable
    assert result.reasons == ["6 layers: a function can use at most 5"]


def test_container_image_cannot_use_layers_but_holds_10_gb():
    result = model.run(model.Params(layers=(), function_mb=9000, package="image"))
    assert result.deployable
    result = model.run(model.Params(layers=(L("a", 10),), function_mb=100, package="image"))
    assert not result.deployable and "cannot use layers" in result.reasons[0]
    result = model.run(model.Params(layers=(), function_mb=10_240, package="image"))
    assert result.deployable


def test_deleting_a_layer_version_keeps_existing_functions_working():
    result = model.run(model.Params(delete="shared-utils"))
    steps = result.deletion_story
    assert "shared-utils:1" in steps[1].action
    assert steps[2].ok and "still works" in steps[2].outcome           # the existing function
    assert not steps[3].ok and "new function" in steps[3].outcome       # a new function cannot use it
    assert steps[4].ok and "shared-utils:2" in steps[4].action


def test_parse_layer_spec():
    layer = model.parse_layer_spec("deps:12.5:python/a.py, python/b.py")
    assert layer == L("deps", 12.5, ("python/a.py", "python/b.py"))
    assert model.parse_layer_spec("empty:3") == L("empty", 3, ())
    with pytest.raises(ParamError, match="NAME:SIZE_MB"):
        model.parse_layer_spec("justaname")
    with pytest.raises(ParamError, match="number of megabytes"):
        model.parse_layer_spec("x:big:a.py")


@pytest.mark.parametrize("kwargs,message", [
    ({"function_mb": -1}, "--function-mb must be from 0 to 10,240"),
    ({"layers": (L("bad name", 1),)}, "layer name"),
    ({"layers": (L("a", 1), L("a", 2))}, "given twice"),
    ({"layers": (L("a", -5),)}, "from 0 to 10,240"),
    ({"layers": (L("a", 1, ("/etc/passwd",)),)}, "relative path"),
    ({"layers": (L("a", 1, ("../x",)),)}, "relative path"),
    ({"layers": tuple(L(f"l{i}", 1) for i in range(21))}, "from 0 to 20 times"),
    ({"delete": "nope"}, "--delete must name one of the layers"),
    ({"overlap": "random"}, "later-wins, first-wins"),
])
def test_bad_params(kwargs, message):
    with pytest.raises(ParamError, match=message):
        model.Params(**kwargs)


def test_determinism():
    assert model.run(model.Params(), seed=1).to_json() == model.run(model.Params(), seed=1).to_json()


def test_cli_default_demo_renders_with_footer():
    result = runner.invoke(app, ["simulate", "layers"])
    assert result.exit_code == 0, result.output
    assert "REJECTED" in result.output and "260 MB" in result.output
    assert "assumption" in result.output
    assert "What to say in the interview" in result.output and "lambda-prep quiz --topic layers" in result.output


def test_cli_json_keys_and_custom_layers():
    result = runner.invoke(app, ["simulate", "layers", "--json", "--function-mb", "10",
                                 "--layer", "deps:100:python/requests/__init__.py",
                                 "--layer", "patch:1:python/requests/__init__.py"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["results"]
    for key in ("merge_order", "layers", "layer_count", "total_unzipped_mb", "opt_files", "conflicts",
                "overlap_rule", "quota", "checks", "deployable", "reasons", "container_image",
                "deletion_story"):
        assert key in data
    assert data["deployable"] is True and data["total_unzipped_mb"] == 111
    assert data["conflicts"][0]["from"] == "patch:1" and data["conflicts"][0]["shadowed"] == ["deps:1"]


def test_cli_bad_parameter_exits_2_with_range():
    result = runner.invoke(app, ["simulate", "layers", "--function-mb", "-3"])
    assert result.exit_code == 2
    assert "from 0 to 10,240" in result.output
    result = runner.invoke(app, ["simulate", "layers", "--layer", "oops"])
    assert result.exit_code == 2 and "NAME:SIZE_MB" in result.output


def test_frames_for_animate():
    from lambda_prep.views.sims import layers as view

    frames = view.frames(model.run(model.Params()))
    assert 10 <= len(frames) <= 60
