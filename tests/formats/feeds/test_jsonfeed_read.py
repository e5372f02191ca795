"""Reading JSON Feeds: other tools' feeds, and errors located by JSON path, line and column."""

from __future__ import annotations

import json

import pytest

import digestkit
from digestkit.errors import Diagnostic, ParseError
from digestkit.model import Article, Digest, Metadata

from .conftest import jsonfeed_validator

V11 = "https://jsonfeed.org/version/1.1"


def read(feed: object | str, *, strict: bool = False) -> tuple[Digest, list[Diagnostic]]:
    text = feed if isinstance(feed, str) else json.dumps(feed, indent=2)
    diagnostics: list[Diagnostic] = []
    digest = digestkit.loads(text, "jsonfeed", diagnostics=diagnostics, strict=strict)
    return digest, diagnostics


def refused(text: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        digestkit.loads(text, "jsonfeed", source="feed.json")
    assert info.value.source == "feed.json"
    assert info.value.format == "jsonfeed"
    return info.value


BLOG = {
    "version": V11,
    "title": "A Blog\n  about things",
    "home_page_url": "https://example.org/",
    "feed_url": "https://example.org/feed.json",
    "language": "en-GB",
    "authors": [{"name": "Someone"}],
    "items": [
        {
            "id": "1",
            "url": "https://example.org/1",
            "title": "First post",
            "summary": "What it is about.",
            "content_html": "<p>One <em>emphasised</em> <a href='x'>link</a>.</p>\n"
            "<ul><li>Item one</li><li>Item two</li></ul><script>alert(1)</script>"
            "<p>Line<br>break</p>",
            "tags": ["a"],
            "date_published": "2025-10-20T08:00:00+02:00",
        },
        {
            "id": "2",
            "title": "Second post",
            "content_text": "Its first paragraph,\r\nhard-wrapped.\r\n\r\n  \r\nIts second.",
            "content_html": "<p>ignored: content_text is preferred</p>",
        },
        {"id": "3", "content_text": "A microblog post without a title.\n\nAnd more."},
        {"id": "4", "title": "Title only", "content_text": ""},
        {"id": "5", "content_text": ""},
    ],
}


def test_the_other_tools_feed_is_valid_json_feed():
    assert list(jsonfeed_validator().iter_errors(BLOG)) == []


def test_another_tools_feed_reads_with_warnings_for_what_is_dropped():
    digest, diagnostics = read(BLOG)
    assert digest.metadata == Metadata(
        title="A Blog about things",
        language="en-GB",
        source="https://example.org/",
        identifier="https://example.org/feed.json",
    )
    assert digest.articles == (
        Article(
            "First post",
            "What it is about.",
            ["One emphasised link.", "Item one", "Item two", "Line", "break"],
        ),
        Article("Second post", "Its first paragraph, hard-wrapped.", ["Its second."]),
        Article("A microblog post without a title.", "And more."),
        Article("Title only"),
    )
    messages = [d.message for d in diagnostics]
    assert "items[2]: has no title: its first text is taken as the headline" in messages
    assert "items[4]: has no title and no text: skipped" in messages
    assert (
        "dropped what a digest has no place for: authors, items[].url, items[].tags, "
        "items[].date_published"
    ) in messages


def test_a_warning_is_an_error_in_strict_mode():
    with pytest.raises(ParseError, match="strict mode"):
        read(BLOG, strict=True)


def test_a_summary_that_the_content_repeats_is_the_lead_once():
    feed = {
        "version": V11,
        "title": "T",
        "items": [{"id": "1", "title": "H", "summary": "Lead.", "content_text": "Lead.\n\nBody."}],
    }
    assert read(feed)[0].articles == (Article("H", "Lead.", ["Body."]),)


def test_an_invalid_language_is_dropped_with_a_warning():
    digest, diagnostics = read({"version": V11, "title": "T", "language": "en_US", "items": []})
    assert digest.metadata.language == "en"
    assert diagnostics[0].message.startswith("language: expected a BCP 47 language tag")
    assert (diagnostics[0].line, diagnostics[0].column) == (4, 15)


def test_version_1_feeds_read_too():
    feed = {"version": "https://jsonfeed.org/version/1", "title": "T", "items": []}
    assert read(feed)[0] == Digest(metadata=Metadata(title="T"))


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ('{"version": "https://jsonfeed.org/version/1.1",\n "items": [}', "not valid JSON", 2, 12),
        ('{"title": "T",\n "items": []}', "not a JSON Feed: no version", 1, 1),
        ('{"version": "https://example.org/",\n "items": []}', "not a JSON Feed: version", 1, 13),
        (
            '{"version": "https://jsonfeed.org/version/2",\n "items": []}',
            "version: JSON Feed https://jsonfeed.org/version/2 is not a version digestkit reads",
            1,
            13,
        ),
        (f'{{"version": "{V11}",\n "items": {{}}}}', "items: expected an array of items", 2, 11),
        (
            f'{{"version": "{V11}", "items": [\n {{"id": "1",\n  "title": 7}}]}}',
            "items[0].title: expected a string",
            3,
            12,
        ),
        (
            f'{{"version": "{V11}", "items": [\n {{"id": "1", "id": "2"}}]}}',
            "items[0]: key 'id' is given twice",
            2,
            2,
        ),
        (
            f'{{"version": "{V11}", "items": [\n {{"id": "1",\n  "title": "a\\u0001b"}}]}}',
            "items[0].title: holds a character XML 1.0 cannot carry (U+0001)",
            3,
            12,
        ),
        (
            f'{{"version": "{V11}", "items": [\n {{"id": "1",\n'
            '  "content_html": "<p>a\\u0000</p>"}]}',
            "items[0].content_html: holds a character a digest cannot carry",
            3,
            19,
        ),
        (
            f'{{"version": "{V11}", "items": [],\n "_digestkit": {{"format_version": 2}}}}',
            "_digestkit.format_version: expected 1 (upgrade digestkit if newer), found 2",
            2,
            35,
        ),
        (
            f'{{"version": "{V11}", "items": [], "_digestkit":\n {{"format_version": 1,'
            ' "metadata": {"language": "en",\n "date": "20251020"}}}',
            "_digestkit.metadata.date: expected a day as YYYY-MM-DD",
            3,
            10,
        ),
        (
            f'{{"version": "{V11}", "items": [], "_digestkit":\n {{"format_version": 1,'
            ' "metadata": {"colour": "red"}}}',
            "_digestkit.metadata.colour: unknown metadata field",
            2,
            47,
        ),
    ],
)
def test_bad_feeds_are_refused_at_their_path_line_and_column(text, message, line, column):
    error = refused(text)
    assert message in error.message
    assert (error.line, error.column) == (line, column)
