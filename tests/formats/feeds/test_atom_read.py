"""Reading Atom feeds: other tools' feeds, and errors located by line."""

from __future__ import annotations

import pytest

import digestkit
from digestkit.errors import Diagnostic, ParseError
from digestkit.model import Article, Digest, Metadata

from .conftest import atom_relaxng

BLOG = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title type="html">Un &lt;em&gt;blog&lt;/em&gt;</title>
  <subtitle>About things</subtitle>
  <link href="https://example.org/feed.atom" rel="self"/>
  <link href="https://example.org/"/>
  <id>tag:example.org,2025:feed</id>
  <updated>2025-10-20T08:00:00Z</updated>
  <author><name>Someone</name></author>
  <entry>
    <title>First
      post</title>
    <link href="https://example.org/1"/>
    <id>tag:example.org,2025:1</id>
    <updated>2025-10-20T08:00:00Z</updated>
    <category term="news"/>
    <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"
      >What it is <b>about</b>.</div></summary>
    <content type="xhtml">
      <div xmlns="http://www.w3.org/1999/xhtml">
        <p>One <em>emphasised</em> <a href="x">link</a>.</p>
        <ul><li>Item one</li><li>Item two</li></ul>
      </div>
    </content>
  </entry>
  <entry>
    <title>Second post</title>
    <id>tag:example.org,2025:2</id>
    <updated>2025-10-20T08:00:00Z</updated>
    <content type="html">&lt;p&gt;HTML &amp;amp; more&lt;/p&gt;
      &lt;p&gt;Second&amp;nbsp;one&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Third post</title>
    <id>tag:example.org,2025:3</id>
    <updated>2025-10-20T08:00:00Z</updated>
    <content>Plain text,
    wrapped.

    Its second paragraph.</content>
  </entry>
  <entry>
    <title>Elsewhere</title>
    <id>tag:example.org,2025:4</id>
    <updated>2025-10-20T08:00:00Z</updated>
    <content src="https://example.org/4" type="text/html"/>
  </entry>
</feed>
"""


def read(text: str, *, strict: bool = False) -> tuple[Digest, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    digest = digestkit.loads(text, "atom", diagnostics=diagnostics, strict=strict)
    return digest, diagnostics


def refused(text: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        digestkit.loads(text, "atom", source="feed.atom")
    assert info.value.source == "feed.atom"
    assert info.value.format == "atom"
    return info.value


def test_the_other_tools_feed_is_valid_atom():
    from lxml import etree

    relaxng = atom_relaxng()
    assert relaxng.validate(etree.fromstring(BLOG.encode())), relaxng.error_log


def test_another_tools_feed_reads_with_warnings_for_what_is_dropped():
    digest, diagnostics = read(BLOG)
    assert digest.metadata == Metadata(
        title="Un blog",
        language="fr",
        source="https://example.org/",
        identifier="tag:example.org,2025:feed",
    )
    assert digest.articles == (
        Article(
            "First post", "What it is about.", ["One emphasised link.", "Item one", "Item two"]
        ),
        Article("Second post", "HTML & more", ["Second\u00a0one"]),
        Article("Third post", "Plain text, wrapped.", ["Its second paragraph."]),
        Article("Elsewhere"),
    )
    assert [d.message for d in diagnostics] == [
        "dropped what a digest has no place for: subtitle, author, entry/link, entry/updated, "
        "entry/category, entry/content[@src]"
    ]


def test_a_warning_is_an_error_in_strict_mode():
    with pytest.raises(ParseError, match="strict mode"):
        read(BLOG, strict=True)


def test_an_entry_without_a_title_takes_its_first_text_as_headline():
    text = BLOG.replace("<title>Second post</title>", "")
    digest, diagnostics = read(text)
    assert digest.articles[1] == Article("HTML & more", "Second\u00a0one")
    assert "entry 2: has no title: its first text is taken as the headline" in [
        d.message for d in diagnostics
    ]
    starts = [n for n, line in enumerate(text.split("\n"), 1) if line.strip() == "<entry>"]
    assert [d.line for d in diagnostics if d.message.startswith("entry 2")] == [starts[1]]


HEAD = '<feed xmlns="http://www.w3.org/2005/Atom">\n'


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("<feed", "not well-formed XML", 1),
        ('<rss version="2.0">\n<channel/></rss>', "expected an Atom <feed>", 1),
        (
            '<entry xmlns="http://www.w3.org/2005/Atom"/>',
            "expected an Atom <feed> in http://www.w3.org/2005/Atom, found <entry>",
            1,
        ),
        (
            HEAD + "<entry>\n<title>a&#x80;b</title></entry></feed>",
            "<title>: holds a character XML 1.0 cannot carry (U+0080)",
            3,
        ),
        (
            HEAD + "<entry><title>H</title>\n<summary>S</summary>\n"
            '<content type="html">&lt;p&gt;&amp;#1;&lt;/p&gt;</content></entry></feed>',
            "<content>: holds a character XML 1.0 cannot carry (U+0001)",
            4,
        ),
        (
            HEAD + '<metadata xmlns="urn:digestkit:digest:1">\n<colour>red</colour>'
            "</metadata></feed>",
            "unknown element <colour> in digestkit's <metadata>",
            3,
        ),
        (
            HEAD + '<metadata xmlns="urn:digestkit:digest:1"><language>en</language>\n'
            "<date>20251020</date></metadata></feed>",
            "<date>: expected a day as YYYY-MM-DD",
            3,
        ),
        (
            HEAD + '<metadata xmlns="urn:digestkit:digest:1"><language>en</language>\n'
            "<language>de</language></metadata></feed>",
            "<language> is given twice in <metadata>",
            3,
        ),
    ],
)
def test_bad_feeds_are_refused_at_their_line(text, message, line):
    error = refused(text)
    assert message in error.message
    assert error.line == line


def test_own_metadata_wins_over_the_feeds_elements():
    text = digestkit.dumps(Digest(metadata=Metadata(title="Own", language="de")), "atom")
    assert "<title>Own</title>" in text
    edited = text.replace("<title>Own</title>", "<title>Edited</title>", 1)
    assert read(edited)[0].metadata == Metadata(title="Own", language="de")
