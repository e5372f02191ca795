"""The Markdown reader on Markdown people write: lists, quotes, links, titles, sections."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import digestkit
from digestkit.errors import Diagnostic, ParseError
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import ReadContext


def _read(text: str, **context: Any) -> Digest:
    return (
        digestkit.default_registry()
        .get("markdown")
        .reader(  # type: ignore[misc]
            text.encode("utf-8"), ReadContext(format="markdown", **context)
        )
    )


def test_a_hand_written_digest_with_a_list_a_quote_and_links() -> None:
    text = """\
---
date: 2025-10-20
source: The Morning Post
layout: post
---

# Morning digest

## First *story*

The lead, with a [link](https://example.org) and `code`.

- one item
- another item,
  wrapped over two lines

> A quoted
> paragraph.

## Second story

1. First point.

   Its second paragraph.
2. Second point.
"""
    diagnostics: list[Diagnostic] = []
    digest = _read(text, diagnostics=diagnostics)
    assert digest == Digest(
        [
            Article(
                "First story",
                "The lead, with a link and code.",
                ["one item", "another item, wrapped over two lines", "A quoted paragraph."],
            ),
            Article("Second story", "First point. Its second paragraph.", ["Second point."]),
        ],
        Metadata(title="Morning digest", date=dt.date(2025, 10, 20), source="The Morning Post"),
    )
    assert [(d.line, d.column) for d in diagnostics] == [(4, 1)]
    assert "'layout'" in diagnostics[0].message
    assert digest.articles[0].lines == (9, 11, 13, 14, 17)


def test_the_level_that_repeats_makes_the_articles() -> None:
    text = "# Story one\n\nLead one.\n\n### Sub-heading\n\nMore.\n\n# Story two\n\nLead two.\n"
    assert _read(text) == Digest(
        [
            Article("Story one", "Lead one.", ["Sub-heading", "More."]),
            Article("Story two", "Lead two."),
        ]
    )


def test_a_lone_level_1_heading_with_text_is_an_article_not_a_title() -> None:
    assert _read("# Only story\n\nIts lead.\n") == Digest([Article("Only story", "Its lead.")])
    assert _read("# Just a title\n") == Digest(metadata=Metadata(title="Just a title"))


def test_section_headings_and_text_before_the_first_article_are_reported() -> None:
    text = "Intro.\n\n## World\n\n### A\n\nLead A.\n\n### B\n\nLead B.\n"
    diagnostics: list[Diagnostic] = []
    assert _read(text, diagnostics=diagnostics) == Digest(
        [Article("A", "Lead A."), Article("B", "Lead B.")]
    )
    assert [d.line for d in diagnostics] == [1, 3]
    with pytest.raises(ParseError) as caught:
        _read(text, strict=True)
    assert caught.value.line == 1


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("Just text.\n\nMore text.\n", 1, 1, "no heading"),
        ("---\ndate: 20 October\n---\n\n## A\n", 2, 1, "YYYY-MM-DD"),
        ("---\ntitle: [a, b]\n---\n\n## A\n", 2, 1, "one line of text"),
        ("---\nsource: x\nsource: y\n---\n", 3, 1, "repeated"),
        ("---\nsource: 'x\n---\n", 2, 11, "not valid YAML"),
        ("---\nlanguage: not a tag\n---\n", 2, 1, "BCP 47"),
        ("---\ntitle: A\n---\n\n# B\n", 5, 1, "differs"),
        ("## A\n\nA bad \x85 character.\n", 3, 7, "U+0085"),
        ("## A\n\n  Lead.\n\n  ##\n", 5, 3, "empty"),
        ("## A\n\n" + ">" * 25 + " deep\n", 3, 27, "text inside would be lost"),
    ],
)
def test_errors_say_where(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(ParseError) as caught:
        _read(text, strict=True)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert words in str(caught.value)
    assert caught.value.format == "markdown"


def test_other_formats_convert_to_markdown_and_back(sample_path: object) -> None:
    digest = digestkit.load(sample_path)  # type: ignore[arg-type]
    assert digestkit.loads(digestkit.dumps(digest, "markdown"), "markdown") == digest


def test_quotes_nested_as_deep_as_markdown_it_reads_keep_their_text() -> None:
    assert _read("## A\n\n" + ">" * 18 + " deep\n") == Digest([Article("A", "deep")])


def test_a_title_may_come_from_the_front_matter_alone() -> None:
    text = "---\ntitle: From the front matter\n---\n\n## A\n\nLead.\n"
    assert _read(text) == Digest([Article("A", "Lead.")], Metadata(title="From the front matter"))
