"""The Makefile's set-up targets, read as `make -n` prints them (nothing is run)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

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


def test_readme_says_where_make_demo_puts_the_command() -> None:
    venv = re.search(r"^VENV\s*:=\s*(\S+)", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert venv is not None
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert "digestkit" in scripts  # the console script the venv's install makes
    readme = (ROOT / "README.md").read_text()
    assert f"`{venv.group(1)}/bin/digestkit`" in readme
    assert f". {venv.group(1)}/bin/activate" in readme


def test_the_pytest_lower_bound_is_the_version_its_settings_need() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    settings = project["tool"]["pytest"]["ini_options"]
    (pytest_requirement,) = [
        Requirement(spec)
        for spec in project["project"]["optional-dependencies"]["test"]
        if Requirement(spec).name == "pytest"
    ]
    (lower,) = [s.version for s in pytest_requirement.specifier if s.operator == ">="]
    assert Version(lower) >= Version(settings["minversion"])
    if "strict" in settings:  # the `strict` setting came with pytest 9
        assert Version(settings["minversion"]) >= Version("9.0")
