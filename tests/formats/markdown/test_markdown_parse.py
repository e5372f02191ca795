"""markdown-it-py a few blocks at a time: the same digest as one parse, in bounded memory."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from digestkit.errors import Diagnostic
from digestkit.formats.markdown import _parse, _read
from digestkit.model import Digest
from digestkit.registry import ReadContext

pytest.importorskip("markdown_it")

# Every block that spans blank lines or is changed by a later line, in one document.
_DOCUMENT = """\
---
date: 2025-10-20

source: The Morning Post
---

# Morning digest

## First story

The lead, with a [reference link][ref] defined at the end,
and [a [nested] label](https://example.org) and ![an *image*](i.png).

```
code with

blank lines
```

    indented code

    after a blank line

<pre>
raw HTML

with a blank line
</pre>

- one item

  its second paragraph
- another item

> A quoted

> second quote

A setext heading
----------------

## Second story

* * *

Lead [[[ unclosed and [closed] brackets.

1. First point.

   Its second paragraph.
2. Second point.

[ref]: https://example.org/ref
"""


def _read_with_chunk(
    monkeypatch: pytest.MonkeyPatch, text: str, chunk: int
) -> tuple[Digest, list[tuple[int, ...] | None], list[Diagnostic]]:
    monkeypatch.setattr(_parse, "CHUNK", chunk)
    diagnostics: list[Diagnostic] = []
    context = ReadContext(format="markdown", diagnostics=diagnostics)
    digest = _read.read(text.encode(), context)
    return digest, [article.lines for article in digest.articles], diagnostics


@pytest.mark.parametrize("chunk", [1, 7, 40, 150])
def test_a_document_read_in_chunks_reads_as_it_does_whole(monkeypatch, chunk):
    whole = _read_with_chunk(monkeypatch, _DOCUMENT, 1 << 30)
    assert _read_with_chunk(monkeypatch, _DOCUMENT, chunk) == whole


def test_the_whole_document_is_what_a_reader_would_expect(monkeypatch):
    # Read a line at a time: every block is cut from the next, the front matter and the
    # reference definition included.
    digest, lines, diagnostics = _read_with_chunk(monkeypatch, _DOCUMENT, 1)
    assert (digest.metadata.title, digest.metadata.source) == ("Morning digest", "The Morning Post")
    assert [article.headline for article in digest.articles] == [
        "First story",
        "A setext heading",
        "Second story",
    ]
    first, _, second = digest.articles
    assert first.lead == (
        "The lead, with a reference link defined at the end, and a [nested] label and an image."
    )
    assert first.body == (
        "code with blank lines",
        "indented code after a blank line",
        "one item its second paragraph",
        "another item",
        "A quoted",
        "second quote",
    )
    assert second.lead == "Lead [[[ unclosed and [closed] brackets."
    assert lines == [(9, 11, 14, 20, 30, 33, 35, 37), (39,), (42, 46, 48, 51)]
    assert [(d.line, d.message) for d in diagnostics] == [(24, "raw HTML is skipped")]


@pytest.mark.parametrize(
    "text",
    [
        "[[[a]",
        "[a [b] c](u) [[x](y)]",
        "[" * 30 + "a" + "]" * 30 + "(u)",
        "![[a](b)](c) [x\\]](y) [`]`](z)",
        "[a]\n\n[a]: /u",
        "text [](u)",
        '[<]>](u) [a](<b]>) [a](b "]")',
        "[`[[[[` x](u) [z](w '[[[') ![[a](b) [c]](d)",
        "[a](<http://x>\\[x]\n\n[x]: /u",
        "[[[[[[[[[[]" * 30,
    ],
)
def test_the_guarded_link_label_finds_the_links_markdown_it_finds(text):
    from markdown_it import MarkdownIt

    plain = MarkdownIt("commonmark")
    assert _parse.parser().render(text) == plain.render(text)


# Pieces of the inline syntax that hides, opens or closes a label, or is dropped as HTML.
_INLINE_PIECES = st.sampled_from(
    [
        "[",
        "[",
        "]",
        "![",
        "a",
        " ",
        "\n",
        "  \n",
        "(u)",
        "](",
        ")",
        "`",
        "``",
        "\\",
        "\\[",
        "<a>",
        "</a>",
        "<!-- c -->",
        "<http://a.b>",
        "*",
        "_",
        "&amp;",
        '"',
        "[x]",
        "[x]: /u\n\n",
    ]
)


def _texts(md, text):
    return [_read._inline_text(token) for token in md.parse(text) if token.type == "inline"]


@given(st.lists(_INLINE_PIECES, max_size=60).map("".join))
@example("[a\\[](u)")  # an escaped bracket is not counted
@example("*<a>*, a*<!-- c -->*b")  # a tag between emphasis markers keeps them apart
@example("a <b>\nc  <i>\nd")  # and the spaces before a line break are dropped as they were
def test_the_reader_takes_the_text_markdown_it_takes(text):
    from markdown_it import MarkdownIt

    # Past markdown-it's nesting limit (20) it gives up on a label ("[" * 21 + "x]()"
    # is not a link to it), where the reader follows CommonMark: not compared.
    assume(text.count("[") < 20)
    assert _texts(_parse.parser(), text) == _texts(MarkdownIt("commonmark"), text)
