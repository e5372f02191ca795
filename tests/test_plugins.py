"""A third-party format through the entry-point door: tests/plugins/digestkit-mdexample.

`make venv` installs that package (pip install -e) into the test environment, as a user would
install a plugin from PyPI; nothing here registers it by hand.
"""

from __future__ import annotations

import re
import string
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import given

import digestkit
from digestkit.testing import digests

_ESCAPES = re.compile(r"\\[!-/:-@\[-`{-~]|&#x[0-9A-F]+;")


@pytest.fixture(scope="module", autouse=True)
def _installed() -> None:
    try:
        metadata.distribution("digestkit-mdexample")
    except metadata.PackageNotFoundError:  # pragma: no cover  # the Makefile installs it
        pytest.fail("pip install -e tests/plugins/digestkit-mdexample (make venv does)")


def test_the_registry_finds_the_plugin_by_its_entry_point() -> None:
    registry = digestkit.default_registry()
    assert registry.package("mdexample") == "digestkit-mdexample"
    assert registry.for_path("digest.mdex").name == "mdexample"
    assert registry.for_media_type("text/x-digestkit-mdexample").name == "mdexample"


def test_the_cli_converts_to_and_from_the_plugin(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "sample.mdex"
    command = [sys.executable, "-m", "digestkit", "convert", str(sample_path), "-o", str(out)]
    subprocess.run(command, check=True)
    assert out.read_text(encoding="utf-8").startswith("# Russia recognizes")
    listed = subprocess.run(
        [sys.executable, "-m", "digestkit", "formats"], capture_output=True, check=True, text=True
    ).stdout
    assert "digestkit-mdexample" in listed
    assert digestkit.load(out) == digestkit.load(sample_path)


@given(digest=digests(with_metadata=False))
def test_the_plugin_holds_every_headline_and_paragraph_escaped(digest: digestkit.Digest) -> None:
    from digestkit_mdexample import escape

    written = digestkit.dumps(digest, "mdexample")
    assert isinstance(written, str)
    blocks = written.rstrip("\n").split("\n\n")
    expected = [
        text
        for article in digest.articles
        for text in ("# " + escape(article.headline), *map(escape, article.paragraphs))
    ]
    assert blocks == (expected or [""])
    # Nothing Markdown reads as syntax is left bare: once the backslash pairs and the
    # character references are taken out, no ASCII punctuation and no edge space remains.
    for block in expected:
        text = block[2:] if block.startswith("# ") else block
        assert not set(_ESCAPES.sub("", text)) & set(string.punctuation)
        assert text == text.strip()
        assert not text.startswith("\ufeff")
