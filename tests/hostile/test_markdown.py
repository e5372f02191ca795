"""Markdown dense in brackets or inline HTML, at the full 1 MB, within the bound.

markdown-it-py looked for a link's closing ``]`` from every ``[``, through nested ones to its
nesting limit, and built a token per inline HTML tag: 1 MB of ``[`` closed by one ``]`` took
39 s, a paragraph of ``<a>`` tags 121 MiB. The figures in the comments are this machine's,
before the fix and after it (CPU seconds, growth of the peak resident size), on a busy
machine.
"""

from __future__ import annotations

import pytest

from . import _inputs
from ._measure import MIB, measure

_BRACKETS = {
    # 38.7 s, 116 MiB -> 0.8 s, 4.8 MiB
    "open then one close": _inputs.markdown_paragraph(MIB, b"[", after=b"]"),
    # 20.7 s, 64 MiB -> 0.9 s, 4.9 MiB
    "balanced": _inputs.markdown_paragraph(MIB // 2, b"[") + b"]" * (MIB // 2),
    # 67.5 s, 101 MiB -> 0.4 s, 4.8 MiB
    "images": _inputs.markdown_paragraph(MIB, b"![", after=b"]"),
    # 38.1 s, 109 MiB -> 2.1 s, 22.6 MiB
    "groups of ten": _inputs.markdown_paragraph(MIB, b"[" * 10 + b"]"),
}
_HTML = {
    # 121 MiB, 4.3 s -> 2.9 MiB, 2.3 s
    "tags": _inputs.markdown_paragraph(MIB, b"<a>"),
    # 105 MiB, 3.4 s -> 2.9 MiB, 1.8 s
    "opening and closing tags": _inputs.markdown_paragraph(MIB, b"<a></a>", before=b"a "),
    # 48 MiB, 1.8 s -> 2.9 MiB, 0.7 s
    "comments": _inputs.markdown_paragraph(MIB, b"<!-- -->", before=b"a "),
}


@pytest.mark.parametrize("data", _BRACKETS.values(), ids=_BRACKETS.keys())
def test_item8_markdown_brackets_read_within_the_bound(data, written):
    cost = measure(written(data, "input.md"), "markdown")
    assert cost.outcome == "read", cost
    assert cost.within_bound(), cost


@pytest.mark.parametrize("data", _HTML.values(), ids=_HTML.keys())
def test_item8_markdown_inline_html_builds_no_tokens(data, written):
    cost = measure(written(data, "input.md"), "markdown")
    assert cost.outcome == "read", cost
    assert cost.within_bound(), cost
    # A token per tag was 40 to 120 times the input; without them, the text and its copies.
    assert cost.grown < 8 * cost.size, cost
