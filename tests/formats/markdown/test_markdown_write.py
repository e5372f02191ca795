"""The Markdown writer: text a person would write, read by CommonMark as that text only.

The checks render the written Markdown to HTML with markdown-it-py's own renderer, which
takes no part in digestkit's reader, and parse the front matter with PyYAML's typed loader,
as a static site generator would.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from markdown_it import MarkdownIt

import digestkit
from digestkit.codec import metadata_to_strings
from digestkit.model import Article, Digest, Metadata
from digestkit.testing import digests, lines

_RENDER = MarkdownIt("commonmark")


def _escape(text: str) -> str:
    """Escape text as markdown-it-py's HTML renderer does (its four characters)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _html_of(text: str, prefix: str = "") -> str:
    """Return the HTML of a one-paragraph (or one-heading) digest's body as written."""
    article = Article(text) if prefix else Article("H", text)
    written = digestkit.dumps(Digest([article]), "markdown")
    block = written.split("\n\n")[0 if prefix else 1].rstrip("\n")
    return _RENDER.render(block).rstrip("\n")


def _paragraph_of(text: str) -> str:
    return digestkit.dumps(Digest([Article("H", text)]), "markdown").split("\n\n")[1].rstrip("\n")


@pytest.mark.parametrize(
    "text",
    [
        "[but] we recognized Ukraine",
        "5 * 3 = 15",
        "AT&T and R&D",
        "snake_case_name",
        "a < b, and b > a",
        "“Quoted” — a dash – and an ellipsis…",
        "POKROVSK CAULDRON: the noose",
        "#hashtag and C# # sign",
        "10,000 troops; 1.5 million",
        "In 2024. A year",
    ],
)
def test_ordinary_text_is_written_as_a_person_types_it(text: str) -> None:
    assert _paragraph_of(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "# Not a heading",
        "## Nor this",
        "> not a quote",
        "- not a list",
        "+ not a list",
        "* not a list",
        "1. not a list",
        "1) not a list",
        "---",
        "- - -",
        "===",
        "--",
        "~~~ not a fence",
        "```not a fence",
        "*not emphasis*",
        "_not emphasis_",
        "__not strong__",
        "[not a link](https://example.org)",
        "[label]: https://example.org",
        "<b>not HTML</b>",
        "<https://example.org>",
        "`not code`",
        "&amp; stays &amp;",
        "&#160; stays",
        "a backslash \\ and \\* and a trailing one\\",
        "\u00a0no-break spaces at both ends\u00a0",
        "\u3000ideographic space",
        "ends with a hash #",
    ],
)
def test_text_that_looks_like_markdown_is_escaped_just_enough(text: str) -> None:
    assert _html_of(text) == f"<p>{_escape(text)}</p>"
    assert _html_of(text, prefix="##") == f"<h2>{_escape(text)}</h2>"


def test_the_sample_reads_naturally(sample_path: Path) -> None:
    digest = digestkit.load(sample_path)
    written = digestkit.dumps(digest, "markdown")
    assert "\\" not in written
    # The one kind of reference: a no-break space at the end of a paragraph, which
    # CommonMark would trim.
    edged = sum(
        text[0].isspace() + text[-1].isspace()
        for article in digest.articles
        for text in (article.headline, *article.paragraphs)
    )
    assert written.count("&#") == edged
    assert written.startswith("## Russia recognizes Ukraine’s independence")


@given(digest=digests(with_metadata=False))
def test_every_paragraph_renders_as_one_paragraph_holding_its_text(digest: Digest) -> None:
    rendered = _RENDER.render(digestkit.dumps(digest, "markdown"))
    expected = "".join(
        f"<h2>{_escape(article.headline)}</h2>\n"
        + "".join(f"<p>{_escape(p)}</p>\n" for p in article.paragraphs)
        for article in digest.articles
    )
    assert rendered == expected


@given(title=lines())
def test_the_title_is_the_one_level_1_heading(title: str) -> None:
    digest = Digest([Article("A", "Lead.")], Metadata(title=title))
    rendered = _RENDER.render(digestkit.dumps(digest, "markdown"))
    assert rendered.startswith(f"<h1>{_escape(title)}</h1>\n<h2>A</h2>")


def test_default_metadata_writes_no_front_matter() -> None:
    written = digestkit.dumps(Digest([Article("A", "B")], Metadata(title="T")), "markdown")
    assert written == "# T\n\n## A\n\nB\n"
    assert digestkit.dumps(Digest(), "markdown") == ""


@given(digest=digests(max_articles=1))
def test_front_matter_reads_as_the_metadata_in_a_typed_yaml_loader(digest: Digest) -> None:
    written = digestkit.dumps(digest, "markdown")
    expected: dict[str, object] = dict(metadata_to_strings(digest.metadata, skip_defaults=True))
    expected.pop("title", None)
    if not expected:
        assert not written.startswith("---\n")
        return
    assert written.startswith("---\n")
    matter = yaml.safe_load(written[4 : written.index("\n---\n", 3)])
    if digest.metadata.date is not None:
        expected["date"] = digest.metadata.date  # a YAML timestamp, as site generators read it
    assert matter == expected


def test_front_matter_quotes_what_yaml_would_read_as_another_type() -> None:
    metadata = Metadata(
        language="no", source="yes", identifier="2025-10-20", date=dt.date(2025, 1, 2)
    )
    written = digestkit.dumps(Digest(metadata=metadata), "markdown")
    assert yaml.safe_load(written.split("---\n")[1]) == {
        "language": "no",
        "date": dt.date(2025, 1, 2),
        "source": "yes",
        "identifier": "2025-10-20",
    }
