"""The documentation: its examples run, and every public name is documented."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path
from types import ModuleType

import pytest

import digestkit
from digestkit.model import Article, Digest

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DOCS / "examples" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dask_example_runs_on_hundreds_of_digests(tmp_path: Path) -> None:
    example = _example("dask_pipeline")
    paths = []
    for index in range(300):
        words = " ".join(["word"] * (index % 97 + 1))
        digest = Digest((Article(f"Headline {index}", f"Lead {words}."),))
        path = tmp_path / f"{index:03}.txt"
        digestkit.dump(digest, path)
        paths.append(path)
    top = example.longest_articles(paths, top=3)
    # A lead has index % 97 + 2 words ("Lead" and the "word"s): the most, 98, at 96, 193, 290.
    assert sorted(top) == sorted((f"Headline {i}", 98) for i in (96, 193, 290))


@pytest.mark.parametrize("name", digestkit.__all__)
def test_every_public_name_has_a_docstring(name: str) -> None:
    value = getattr(digestkit, name)
    if inspect.isclass(value) or inspect.isfunction(value):
        assert inspect.getdoc(value), f"digestkit.{name} has no docstring"
