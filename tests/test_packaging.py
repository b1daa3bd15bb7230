"""The wheel carries every bank and explainer, so a non-editable install finds them anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stderr[-2000:]}")
    return next(out.glob("lambda_prep-*.whl"))


def test_the_wheel_ships_the_content_inside_the_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind, pattern in (("banks", "*.yaml"), ("explain", "*.md")):
        for source in (REPO / "content" / kind).glob(pattern):
            assert f"lambda_prep/content/{kind}/{source.name}" in names
    assert "lambda_prep/bank/schema.json" in names


def test_the_wheel_declares_the_console_script(wheel):
    with zipfile.ZipFile(wheel) as archive:
        entry_points = next(n for n in archive.namelist() if n.endswith("entry_points.txt"))
        assert "lambda-prep = lambda_prep.cli:main" in archive.read(entry_points).decode()
