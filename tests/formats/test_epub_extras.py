"""EPUB without its extra says which extra installs it (XML's lxml: tests/formats/test_xml.py).

The missing module is simulated by a ``None`` entry in ``sys.modules``, which makes Python's
import system raise ``ModuleNotFoundError`` for it, as when it is not installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import digestkit
from digestkit import Article, Digest, MissingDependencyError
from digestkit.cli import main

DIGEST = Digest([Article("Headline", "Lead.", ["Body."])])


def test_reading_epub_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    data = digestkit.dumps(DIGEST, "epub")
    monkeypatch.setitem(sys.modules, "lxml", None)
    with pytest.raises(MissingDependencyError) as info:
        digestkit.loads(data, "epub")
    error = info.value
    assert isinstance(error, ImportError)
    assert (error.extra, error.name, error.task) == ("epub", "lxml", "reading EPUB")
    assert "pip install 'digestkit[epub]'" in str(error)


def test_writing_epub_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ebooklib", None)
    with pytest.raises(MissingDependencyError, match=r"writing EPUB needs ebooklib") as info:
        digestkit.dumps(DIGEST, "epub")
    assert info.value.extra == "epub"
    assert "pip install 'digestkit[epub]'" in str(info.value)


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
