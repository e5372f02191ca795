"""The HTML page's shape, read with the standard library's HTML parser, and its reader."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

import digestkit
from digestkit.errors import ParseError
from digestkit.formats.html._write import direction
from digestkit.model import Article, Digest, Metadata

from .conftest import EVERY_FIELD


class _Elements(HTMLParser):
    """Collects (tag, attributes) of every start tag, and the text of scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if self.elements and self.elements[-1][0] == "script" and self.lasttag == "script":
            self.scripts.append(data)


def _parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ar", "rtl"),
        ("he", "rtl"),
        ("fa-IR", "rtl"),
        ("ur", "rtl"),
        ("ckb", "rtl"),
        ("yi", "rtl"),
        ("az-Arab", "rtl"),
        ("ar-Latn", "ltr"),
        ("en", "ltr"),
        ("ru", "ltr"),
        ("zh-Hant-TW", "ltr"),
        ("und", "ltr"),
    ],
)
def test_the_page_direction_follows_the_language(language: str, expected: str) -> None:
    assert direction(language) == expected
    page = digestkit.dumps(Digest(metadata=Metadata(language=language)), "html")
    assert _parse(page).elements[0] == ("html", {"lang": language, "dir": expected})


def test_the_page_is_the_same_bytes_every_time() -> None:
    assert digestkit.dumps(EVERY_FIELD, "html") == digestkit.dumps(EVERY_FIELD, "html")


def test_each_article_is_an_article_with_its_headline_and_lead_in_its_header() -> None:
    parsed = _parse(digestkit.dumps(EVERY_FIELD, "html"))
    tags = [tag for tag, _ in parsed.elements]
    start = tags.index("main")
    assert tags[start + 1 :] == [
        *("article", "header", "h2", "p"),
        *("article", "header", "h2"),
        *("article", "header", "h2", "p", "p", "p"),
    ]
    links = [attrs["href"] for tag, attrs in parsed.elements if tag == "a"]
    ids = [attrs["id"] for tag, attrs in parsed.elements if tag == "article"]
    assert links == [f"#{name}" for name in ids]


def test_no_text_can_leave_the_json_ld_script() -> None:
    hostile = "</script><script>alert(1)</script><!--"
    digest = Digest([Article(hostile, hostile)], Metadata(source=hostile))
    parsed = _parse(digestkit.dumps(digest, "html"))
    assert [tag for tag, _ in parsed.elements].count("script") == 1
    (item,) = json.loads(parsed.scripts[0])
    assert item["headline"] == item["description"] == item["publisher"]["name"] == hostile


def test_other_html_is_refused_with_the_format_to_use() -> None:
    for page in (
        "<!DOCTYPE html>\n<html><head><title>x</title></head><body><p>Hi</p></body></html>",
        "<html><body><p>Hi</p></body></html>",
    ):
        with pytest.raises(ParseError) as caught:
            digestkit.loads(page, "html")
        assert "markdown format" in str(caught.value)
        assert caught.value.line == 1


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("<p>Body &lt;p&gt; &amp; more.</p>", "<div>Body</div>", "expected <p>"),
        ("<p>Body &lt;p&gt; &amp; more.</p>", "<p>Body <b>bold</b></p>", "text only"),
        ('<main data-title="', '<main data-editor="x" data-title="', "data-editor"),
        ("<h2>Headline only</h2>", "", "holds its <h2>"),
        ("<main", "<main>stray text</main><main", "one <main>"),
    ],
)
def test_an_edited_page_is_refused_with_the_line(old: str, new: str, words: str) -> None:
    page = digestkit.dumps(EVERY_FIELD, "html")
    assert old in page
    edited = page.replace(old, new, 1)
    with pytest.raises(ParseError) as caught:
        digestkit.loads(edited, "html")
    assert words in str(caught.value)
    assert caught.value.line is not None


def test_a_doctype_with_entity_declarations_is_refused() -> None:
    page = digestkit.dumps(Digest([Article("H", "x")]), "html")
    hostile = page.replace(
        "<!DOCTYPE html>", '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    ).replace("<p>x</p>", "<p>&xxe;</p>")
    with pytest.raises(ParseError, match="DOCTYPE"):
        digestkit.loads(hostile, "html")


def test_looking_the_formats_up_imports_no_parser() -> None:
    # The CLI's start-up imports every format's module; lxml, markdown-it-py and PyYAML wait
    # until a page or a Markdown file is read.
    import subprocess
    import sys

    code = (
        "import sys, digestkit;"
        "digestkit.default_registry().all();"
        "digestkit.dumps(digestkit.Digest(), 'html');"
        "print(sorted({'lxml', 'markdown_it', 'yaml', 'mdit_py_plugins'} & set(sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
