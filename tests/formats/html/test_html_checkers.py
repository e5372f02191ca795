"""The HTML page as the field's own tools see it: the Nu Html Checker and extruct."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import digestkit

from .conftest import VNU_JAR, missing


def test_the_nu_html_checker_reports_no_error_and_no_warning(
    pages: dict[str, Path], java: str
) -> None:
    if not VNU_JAR.is_file():
        missing(f"the Nu Html Checker ({VNU_JAR})")
    # --also-check-css: the inline stylesheet is checked too.
    command = [java, "-jar", str(VNU_JAR), "--also-check-css", "--format", "json"]
    run = subprocess.run(
        [*command, *map(str, pages.values())], capture_output=True, text=True, timeout=300
    )
    report = json.loads(run.stderr)
    severe = [
        (Path(message.get("url", "?")).name, message.get("lastLine"), message["message"])
        for message in report["messages"]
        if message["type"] in ("error", "non-document-error") or message.get("subType") == "warning"
    ]
    assert severe == []
    assert run.returncode == 0


@pytest.mark.parametrize("name", ["sample", "arabic", "every-field"])
def test_extruct_finds_one_news_article_per_article_with_its_headline(
    pages: dict[str, Path], name: str
) -> None:
    extruct = pytest.importorskip("extruct")
    page = pages[name].read_text(encoding="utf-8")
    found = extruct.extract(page, syntaxes=["json-ld"], uniform=True)["json-ld"]
    digest = digestkit.loads(page, "html")
    assert [item["@type"] for item in found] == ["NewsArticle"] * len(digest.articles)
    assert [item["headline"] for item in found] == [a.headline for a in digest.articles]
    for item, article in zip(found, digest.articles, strict=True):
        assert item.get("description") == article.lead
        assert item["inLanguage"] == digest.metadata.language
        if article.lead is not None:
            assert item["articleBody"] == "\n\n".join(article.paragraphs)
        if digest.metadata.date is not None:
            assert item["datePublished"] == digest.metadata.date.isoformat()
        if digest.metadata.source is not None:
            assert item["publisher"] == {"@type": "Organization", "name": digest.metadata.source}
