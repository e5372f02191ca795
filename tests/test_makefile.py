"""The Makefile's set-up targets, read as `make -n` prints them (nothing is run)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _recipe(target: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(
        ["make", "-n", "-C", str(ROOT), target], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_deps_installs_what_is_missing_with_one_quiet_update() -> None:
    # deps-web (another target's recipe) is printed too: count in deps' own part only.
    recipe = _recipe("deps").split("python3-venv", 1)
    assert len(recipe) == 2, "deps must install python3-venv when venv is missing"
    own = "python3-venv" + recipe[1]
    assert own.count("apt-get update") == 1
    assert "DEBIAN_FRONTEND=noninteractive" in own
    assert "--no-install-recommends" in own


def test_clean_removes_the_built_site() -> None:
    assert " site " in _recipe("clean").replace("\n", " ")
