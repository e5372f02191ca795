"""The HTML page in a real browser: Debian's chromium, driven headless by playwright.

What a reader sees: the articles and their headlines in order, no horizontal scrolling on a
360 px wide phone, right-to-left text for Arabic, and no axe-core violation, in the light and
the dark colour scheme. With DIGESTKIT_SCREENSHOT=1 the sample's page is saved as
docs/images/html-page.png (``make screenshot``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import digestkit

from .conftest import AXE, missing

SCREENSHOT = Path(__file__).resolve().parents[3] / "docs" / "images" / "html-page.png"


@pytest.fixture(scope="module")
def browser(chromium: Any) -> Any:
    if not AXE.is_file():
        missing(f"axe-core ({AXE})")
    return chromium


def _open(browser: Any, path: Path, scheme: str) -> Any:
    page = browser.new_page(viewport={"width": 360, "height": 800}, color_scheme=scheme)
    page.goto(path.resolve().as_uri())
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["sample", "arabic", "every-field"])
def test_a_reader_sees_every_article_in_order_without_scrolling_sideways(
    browser: Any, pages: dict[str, Path], name: str, scheme: str
) -> None:
    digest = digestkit.loads(pages[name].read_bytes(), "html")
    page = _open(browser, pages[name], scheme)
    try:
        assert page.locator("main > article").count() == len(digest.articles)
        headlines = page.locator("main > article > header > h2").all_text_contents()
        assert headlines == [article.headline for article in digest.articles]
        toc = page.locator("nav li a").all_text_contents()
        assert toc == headlines
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1] == 360
        direction = page.evaluate("getComputedStyle(document.querySelector('main')).direction")
        assert direction == ("rtl" if name == "arabic" else "ltr")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "axe.run(document).then(result => result.violations.map("
            "v => [v.id, v.nodes.map(n => n.target.join(' '))]))"
        )
        assert violations == []
        if name == "sample" and scheme == "light" and os.environ.get("DIGESTKIT_SCREENSHOT"):
            page.screenshot(path=str(SCREENSHOT))
    finally:
        page.close()
