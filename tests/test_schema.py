"""The JSON Schema shipped for editors agrees with the loader on real and broken banks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from lambda_prep import paths

jsonschema = pytest.importorskip("jsonschema")
SCHEMA = json.loads((Path(paths.__file__).parent / "bank" / "schema.json").read_text())
DATA = Path(__file__).parent / "data"


def as_yaml_12(value):
    """What a YAML 1.2 language server sees: dates stay text."""
    if isinstance(value, dict):
        return {k: as_yaml_12(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_yaml_12(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def errors(document) -> list[str]:
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    return [e.message for e in validator.iter_errors(as_yaml_12(document))]


def test_the_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("bank", sorted(paths.builtin_banks_dir().glob("*.yaml")) + [DATA / "sample.yaml"],
                         ids=lambda p: p.name)
def test_every_valid_bank_passes_the_schema(bank):
    assert errors(yaml.safe_load(bank.read_text())) == []


@pytest.mark.parametrize("change,expected", [
    (lambda q: q.pop("sources"), "'sources' is a required property"),
    (lambda q: q.update(difficulty=4), "4 is not one of [1, 2, 3]"),
    (lambda q: q.update(type="essay"), "'essay' is not one of"),
    (lambda q: q.update(hint="x"), "Additional properties are not allowed ('hint' was unexpected)"),
    (lambda q: q.update(choices=[True, "b"]), "True is not of type 'string'"),
    (lambda q: q.update(syllabus=["S71"]), "'S71' does not match"),
])
def test_the_schema_rejects_common_mistakes(change, expected):
    document = yaml.safe_load((DATA / "sample.yaml").read_text())
    change(document["questions"][0])
    assert any(expected in message for message in errors(document)), errors(document)
