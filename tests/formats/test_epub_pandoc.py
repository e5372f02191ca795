"""An independent reader, pandoc, finds the same headlines and paragraphs in our EPUB."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from digestkit import api


def _pandoc() -> str:
    found = shutil.which("pandoc")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("pandoc is missing; CI must have it (make deps installs it)")
        pytest.skip("pandoc is missing (make deps installs it)")
    return found


def _text(inlines: list[dict]) -> str:
    parts: list[str] = []
    for inline in inlines:
        kind, content = inline["t"], inline.get("c", "")
        if kind == "Str":
            parts.append(content)
        elif kind in ("Space", "SoftBreak"):
            parts.append(" ")
        elif kind in ("Span", "Emph", "Strong"):
            parts.append(_text(content[-1]))
        elif kind == "Image":  # the cover page's picture: its text is the title page's
            continue
        else:
            raise AssertionError(f"unexpected inline {kind} in {inline}")
    return "".join(parts)


def _flat(blocks: list[dict]) -> Iterator[dict]:
    """The blocks, with those inside a Div (an <article>, a <header>, a <section>) in order."""
    for block in blocks:
        if block["t"] == "Div":
            yield from _flat(block["c"][1])
        else:
            yield block


def test_pandoc_reads_the_same_text(sample_bytes, tmp_path):
    digest = api.loads(sample_bytes)
    path = tmp_path / "sample.epub"
    path.write_bytes(api.dumps(digest, "epub"))
    result = subprocess.run(
        [_pandoc(), "-f", "epub", "-t", "json", str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    blocks = list(_flat(json.loads(result.stdout)["blocks"]))
    headlines = [
        _text(block["c"][2])
        for block in blocks
        if block["t"] == "Header" and "headline" in block["c"][1][1]
    ]
    paragraphs = [text for block in blocks if block["t"] == "Para" if (text := _text(block["c"]))]
    assert headlines == [article.headline for article in digest.articles]
    assert len(headlines) == 10
    assert paragraphs == [p for article in digest.articles for p in article.paragraphs]


def _markdown(digest, kind: str) -> str:
    """The sample as Markdown: as is (``raw``), or each headline as an ``#`` or ``##`` heading."""
    marks = {"h1": "# ", "h2": "## "}[kind]
    return "".join(
        f"{marks}{a.headline}\n\n" + "".join(f"{p}\n\n" for p in a.paragraphs)
        for a in digest.articles
    )


@pytest.mark.parametrize("version", ["epub2", "epub3"])
@pytest.mark.parametrize("kind", ["raw", "h1", "h2"])
def test_pandoc_made_epubs_read_back_as_the_sample(sample_bytes, tmp_path, kind, version):
    digest = api.loads(sample_bytes)
    source = tmp_path / "sample.md"
    if kind == "raw":
        source.write_bytes(sample_bytes)
    else:
        source.write_text(_markdown(digest, kind), encoding="utf-8")
    book = tmp_path / "book.epub"
    # -smart: pandoc's smart typography would turn "Oct. 19" into "Oct.\u00a019".
    subprocess.run(
        [_pandoc(), "-f", "markdown-smart", "-t", version, "-o", str(book), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert api.loads(book.read_bytes(), "epub").articles == digest.articles
