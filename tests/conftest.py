"""Every test gets its own data directory and a plain, colourless, wide terminal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Read by typer's rich_utils when first imported: keep help output plain under CI=true etc.
os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
os.environ["TERMINAL_WIDTH"] = "200"
os.environ.pop("FORCE_COLOR", None)

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("LAMBDA_PREP_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return home


@pytest.fixture
def sample_bank() -> Path:
    return DATA / "sample.yaml"
