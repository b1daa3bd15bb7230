"""The simulation contract, held for every simulation in the registry (issue 10, section 1)."""

from __future__ import annotations

import dataclasses
import importlib
import io
import json

import pytest
from typer.testing import CliRunner

from lambda_prep.cli import app
from lambda_prep.sims import registry
from lambda_prep.sims.common import json_safe

runner = CliRunner()
SIMS = registry.SIMULATIONS
IDS = [s.name for s in SIMS]
ENVELOPE = {"simulation": str, "params": dict, "assumptions": list, "sources": list, "results": dict}
# commands that turn some options into params themselves (policy files, layer specs)
CUSTOM_PARAMS = {"security", "layers"}


def _model(sim):
    return importlib.import_module(sim.module)


@pytest.fixture(scope="module")
def defaults():
    """Each simulation run once with its default params and seed 1 (shared by the tests below)."""
    return {sim.name: _model(sim).run(_model(sim).Params(), 1) for sim in SIMS}


def test_registry_names_are_unique_and_topics_exist():
    from lambda_prep.topics import TOPICS

    assert len(set(IDS)) == len(IDS)
    for sim in SIMS:
        assert sim.topic in TOPICS, sim
        assert registry.get(sim.name) is sim
        assert sim.summary and "\n" not in sim.summary
    with pytest.raises(KeyError):
        registry.get("no-such-simulation")


def test_importing_the_registry_imports_no_model():
    import subprocess
    import sys

    code = ("import sys, lambda_prep.sims.registry; "
            "print([m for m in sys.modules if m.startswith(('lambda_prep.sims.', 'lambda_prep.views'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['lambda_prep.sims.registry']"


@pytest.mark.parametrize("sim", SIMS, ids=IDS)
def test_envelope_keys_and_types(sim, defaults):
    data = defaults[sim.name].to_json()
    assert list(data) == list(ENVELOPE)
    for key, kind in ENVELOPE.items():
        assert isinstance(data[key], kind), key
    assert data["simulation"] == sim.name
    assert data["assumptions"] and all(isinstance(a, str) and a for a in data["assumptions"])
    assert data["sources"] and all(s.startswith("https://") and " " not in s for s in data["sources"])
    assert data["results"]
    json.dumps(data)  # plain JSON all the way down


@pytest.mark.parametrize("sim", SIMS, ids=IDS)
def test_params_in_the_envelope_are_the_models_params(sim, defaults):
    model = _model(sim)
    data = defaults[sim.name].to_json()
    expected = json_safe(model.Params())
    for name, value in expected.items():
        if value is None:  # the model may report the value it derived (e.g. init time by runtime)
            continue
        assert data["params"][name] == value, name


@pytest.mark.parametrize("sim", SIMS, ids=IDS)
def test_same_seed_same_json(sim, defaults):
    model = _model(sim)
    assert model.run(model.Params(), 1).to_json() == defaults[sim.name].to_json()


@pytest.mark.parametrize("sim", SIMS, ids=IDS)
def test_cli_json_parses_and_cli_defaults_are_the_models(sim, defaults):
    result = runner.invoke(app, ["simulate", sim.name, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == defaults[sim.name].to_json()


@pytest.mark.parametrize("sim", [s for s in SIMS if s.name not in CUSTOM_PARAMS], ids=lambda s: s.name)
def test_every_option_is_a_model_parameter_of_the_same_name(sim):
    """Models name parameters, the CLI spells them: an option with no field would be silently dropped."""
    import typer.main

    command = typer.main.get_command(app).commands["simulate"].commands[sim.name]
    model = _model(sim)
    # a model with variants (retries: one Params class per source) names its classes in PARAMS
    classes = getattr(model, "PARAMS", {None: model.Params}).values()
    fields = {f.name for cls in classes for f in dataclasses.fields(cls)}
    options = {p.name for p in command.params} - {"seed", "as_json", "animate"}
    assert options <= fields, options - fields


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("sim", SIMS, ids=IDS)
def test_view_fits_the_width(sim, width, defaults):
    from rich.cells import cell_len
    from rich.console import Console

    view = importlib.import_module(sim.view)
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False, legacy_windows=False)
    for renderable in view.render(defaults[sim.name], width):
        console.print(renderable)
    text = out.getvalue()
    too_wide = [line for line in text.splitlines() if cell_len(line.rstrip()) > width]
    assert not too_wide, "\n".join(too_wide[:5])
    assert "What to say in the interview" in text
    assert f"lambda-prep explain {sim.topic}" in text
    assert f"lambda-prep quiz --topic {sim.topic}" in text


@pytest.mark.parametrize("sim", SIMS, ids=IDS)
def test_help_has_examples(sim):
    result = runner.invoke(app, ["simulate", sim.name, "--help"], terminal_width=120)
    assert result.exit_code == 0
    assert "Examples:" in result.output and f"lambda-prep simulate {sim.name}" in result.output


def test_list_shows_every_simulation():
    result = runner.invoke(app, ["simulate", "--list"], terminal_width=80)
    assert result.exit_code == 0, result.output
    for sim in SIMS:
        assert sim.name in result.output
    data = json.loads(runner.invoke(app, ["simulate", "--list", "--json"]).output)
    assert [row["name"] for row in data] == IDS
    assert all(set(row) == {"name", "topic", "summary"} for row in data)


def test_json_without_list_or_simulation_is_a_usage_error():
    result = runner.invoke(app, ["simulate", "--json"])
    assert result.exit_code == 2 and "--list" in result.output


@pytest.mark.parametrize("args, flag, taker", [
    (["retries", "--source", "async", "--max-retry-attempts", "3"], "--max-retry-attempts", "--source stream"),
    (["retries", "--source", "stream", "--max-receive-count", "3"], "--max-receive-count", "--source sqs"),
    (["retries", "--source", "sqs", "--max-retries", "1"], "--max-retries", "--source async"),
    (["retries", "--max-record-age-s", "60"], "--max-record-age-s", "--source stream"),
    (["cold-start", "--burst-size", "5"], "--burst-size", "--pattern burst"),
    (["rds-proxy", "--pattern", "poisson", "--burst-every-s", "5"], "--burst-every-s", "--pattern burst"),
    (["concurrency", "--no-sqs", "--batch-size", "5"], "--batch-size", "--sqs"),
])
def test_a_flag_that_does_not_apply_exits_2_naming_the_variant_that_takes_it(args, flag, taker):
    result = runner.invoke(app, ["simulate", *args])
    assert result.exit_code == 2, result.output
    assert flag in result.output and f"it applies to {taker}" in result.output
    assert "Traceback" not in result.output


def test_a_flag_that_applies_is_accepted():
    result = runner.invoke(app, ["simulate", "retries", "--source", "stream", "--max-retry-attempts", "3",
                                 "--events", "200", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["params"]["max_retry_attempts"] == 3
