"""digestkit's EPUB pages in a real browser (Debian's chromium, headless): the direction.

With DIGESTKIT_SCREENSHOT=1 the sample's first article and its contents page are saved as
docs/images/epub-a00001.png and docs/images/epub-nav.png (``make screenshot``).
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from digestkit import api

from .epub_books import ARABIC, HEBREW, JAPANESE, sample

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
BOOKS = {"arabic": ARABIC, "hebrew": HEBREW, "japanese": JAPANESE}


def _unpack(data: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(folder)
    return folder / "EPUB"


def _direction(chromium: Any, page_path: Path, selector: str) -> str:
    page = chromium.new_page(viewport={"width": 480, "height": 720})
    try:
        page.goto(page_path.resolve().as_uri())
        return str(
            page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).direction")
        )
    finally:
        page.close()


@pytest.mark.parametrize("name", ["arabic", "hebrew", "japanese", "sample"])
def test_pages_are_laid_out_in_the_language_s_direction(
    chromium: Any, tmp_path: Path, name: str
) -> None:
    digest = sample() if name == "sample" else BOOKS[name]
    folder = _unpack(api.dumps(digest, "epub"), tmp_path)
    expected = "rtl" if name in ("arabic", "hebrew") else "ltr"
    assert _direction(chromium, folder / "a00001.xhtml", "article p") == expected
    assert _direction(chromium, folder / "nav.xhtml", "nav li") == expected
    assert _direction(chromium, folder / "title.xhtml", "h1") == expected


def test_screenshots(chromium: Any, tmp_path: Path) -> None:
    if not os.environ.get("DIGESTKIT_SCREENSHOT"):
        pytest.skip("DIGESTKIT_SCREENSHOT=1 saves the screenshots")
    folder = _unpack(api.dumps(sample(), "epub"), tmp_path)
    for name, document in (("epub-a00001", "a00001.xhtml"), ("epub-nav", "nav.xhtml")):
        page = chromium.new_page(viewport={"width": 480, "height": 720})
        try:
            page.goto((folder / document).resolve().as_uri())
            page.screenshot(path=str(IMAGES / f"{name}.png"))
        finally:
            page.close()
