"""A format whose optional dependency is missing says which extra installs it.

The missing module is simulated by a ``None`` entry in ``sys.modules``, which makes Python's
import system raise ``ModuleNotFoundError`` for it, as when it is not installed.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest

import digestkit
from digestkit import Article, Digest, MissingDependencyError
from digestkit.cli import main

DIGEST = Digest([Article("Headline", "Lead.", ["Body."])])


@pytest.mark.parametrize(
    ("fmt", "blocked", "extra", "task"),
    [
        ("xml", ("lxml",), "xml", "reading XML"),
        ("epub", ("lxml",), "epub", "reading EPUB"),
    ],
)
def test_reading_without_the_extra(
    monkeypatch: pytest.MonkeyPatch, fmt: str, blocked: tuple[str, ...], extra: str, task: str
) -> None:
    data = digestkit.dumps(DIGEST, fmt)
    for module in blocked:
        monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingDependencyError) as info:
        digestkit.loads(data, fmt)
    error = info.value
    assert isinstance(error, ImportError)
    assert (error.extra, error.name, error.task) == (extra, blocked[0], task)
    assert f"pip install 'digestkit[{extra}]'" in str(error)


@pytest.mark.parametrize("blocked", [("ebooklib", "ebooklib.epub")])
def test_writing_epub_without_the_extra(
    monkeypatch: pytest.MonkeyPatch, blocked: tuple[str, ...]
) -> None:
    for module in blocked:
        monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingDependencyError, match=r"writing EPUB needs ebooklib") as info:
        digestkit.dumps(DIGEST, "epub")
    assert info.value.extra == "epub"
    assert "pip install 'digestkit[epub]'" in str(info.value)


def test_writing_xml_needs_no_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "lxml", None)
    assert digestkit.dumps(DIGEST, "xml").startswith("<?xml")


def test_the_error_survives_pickling() -> None:
    error = MissingDependencyError("epub", "ebooklib", "writing EPUB")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.extra, copy.name, copy.task, str(copy)) == (
        "epub",
        "ebooklib",
        "writing EPUB",
        str(error),
    )


def test_the_cli_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    sample_path: Path,
    tmp_path: Path,
) -> None:
    monkeypatch.setitem(sys.modules, "ebooklib", None)
    out = tmp_path / "digest.epub"
    assert main(["convert", str(sample_path), "-o", str(out)]) == 1
    assert "pip install 'digestkit[epub]'" in capsys.readouterr().err
    assert not out.exists()
