"""Markdown dense in brackets, inline HTML or small inline constructs, at 1 MB, within the bound.

markdown-it-py looked for a link's closing ``]`` from every ``[``, through nested ones to its
nesting limit, and built a token per inline HTML tag: 1 MB of ``[`` closed by one ``]`` took
39 s, a paragraph of ``<a>`` tags 121 MiB. The figures in the comments are this machine's,
before the fix and after it (CPU seconds, growth of the peak resident size), on a busy
machine.
"""

from __future__ import annotations

import pytest

import digestkit
from digestkit.errors import OptionError, ParseError
from digestkit.formats.markdown import DEFAULT_MAX_INLINE_TOKENS, _parse

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


# Before: markdown-it-py built every inline token of the paragraph (300 to 450 bytes each).
# After: refused by max_inline_tokens, in the parse. (CPU seconds, growth of the peak
# resident size, on a busy machine.)
_INLINE = {
    # 23 s, 436 MiB -> 2.3 s, 13 MiB, refused for its 500,000 lines before its inline parse
    "hard-wrapped lines": _inputs.markdown_paragraph(MIB, b"a\n"),
    # 11 s, 426 MiB -> 0.6 s, 40 MiB
    "emphasis": _inputs.markdown_paragraph(MIB, b"*a*"),
    # 11 s, 248 MiB -> 2.0 s, 40 to 65 MiB
    "links": _inputs.markdown_paragraph(MIB, b"[a](b)"),
    # 4.2 s, 180 MiB -> 0.6 s, 38 MiB
    "escapes": _inputs.markdown_paragraph(MIB, b"\\!"),
    # 9 s, 143 MiB -> 3.0 s, 48 MiB
    "autolinks": _inputs.markdown_paragraph(MIB, b"<http://a>"),
    # A line longer than the chunk was parsed again whole at each doubling: 9.6 s -> 2.5 s
    # (1 MB: 4.1 s, two parses of 100,000 tokens, each with a pass over 200,000 brackets)
    "reference links": _inputs.markdown_paragraph(3 * MIB // 10, b"[a][]", after=b"\n\n[a]: b\n"),
}


# Before: no token built, but markdown-it-py scanned for a label's "]" from each "[" that
# _brackets could not rule out. After: its steps count against max_inline_tokens.
_SCANS = {
    # 44 s, 230 MiB -> 2.7 s, 51 MiB: brackets a code span could hide ("``" never closed by "`")
    "brackets between backticks": _inputs.markdown_paragraph(MIB, b"[", before=b"``", after=b"`]"),
    # 54 s -> 2.3 s, 24 MiB
    "labels nested 19 deep": _inputs.markdown_paragraph(
        MIB, b"[]", before=b"[" * 19, after=b"]" * 19
    ),
}


@pytest.mark.parametrize("data", [*_INLINE.values(), *_SCANS.values()], ids=[*_INLINE, *_SCANS])
def test_item8_markdown_inline_tokens_and_label_scans_are_capped_within_the_bound(data, written):
    cost = measure(written(data, "input.md"), "markdown")
    assert cost.outcome.startswith("ParseError"), cost
    assert "max_inline_tokens" in cost.outcome, cost
    assert cost.within_bound(), cost


def _document(paragraph: str) -> str:
    return f"# Title\n\n## Headline\n\nThe lead.\n\n> {paragraph}\n"


@pytest.mark.parametrize("count", [9, 10])
def test_a_paragraph_up_to_the_cap_reads(count):
    # Each escape is one token: ten of them, and the cap is ten.
    digest = digestkit.loads(_document("\\!" * count), "markdown", max_inline_tokens=10)
    assert digest.articles[0].body == ("!" * count,)


def test_a_paragraph_past_the_cap_is_refused_with_its_line():
    message = r"more than 10 inline elements.*max_inline_tokens="
    with pytest.raises(ParseError, match=message) as err:
        digestkit.loads(_document("\\!" * 11), "markdown", max_inline_tokens=10)
    assert (err.value.line, err.value.column) == (7, 3)


def test_a_paragraph_of_more_lines_than_half_the_cap_is_refused_before_its_inline_parse():
    lines = "\n".join("a" * 5)  # five lines: nine tokens, the line breaks among them
    digest = digestkit.loads(_document(lines), "markdown", max_inline_tokens=10)
    assert digest.articles[0].body == ("a a a a a",)
    with pytest.raises(ParseError, match=r"more than 5 lines.*max_inline_tokens=") as err:
        digestkit.loads(_document(lines + "\na"), "markdown", max_inline_tokens=10)
    assert err.value.line == 7


def test_a_paragraph_is_judged_whole_not_by_the_part_in_a_run():
    # The part of the paragraph in the first run opens a code span that only a later line
    # closes: alone, it is thousands of emphasis tokens; whole, it is one code span.
    row = "*a*" * 33
    lines = [row] * (2 * _parse.CHUNK // len(row))
    text = "## Headline\n\n`" + "\n".join(lines) + "`\n"
    digest = digestkit.loads(text, "markdown", max_inline_tokens=1_000)
    assert digest.articles[0].lead == " ".join(lines)


def test_the_cap_is_a_reader_option_of_its_type():
    options = digestkit.default_registry().get("markdown").reader_options()
    assert options is not None
    assert "max_inline_tokens" in options
    with pytest.raises(OptionError, match="option max_inline_tokens expects int"):
        digestkit.loads(b"## Headline\n\nLead.\n", "markdown", max_inline_tokens="10")
    assert DEFAULT_MAX_INLINE_TOKENS == 100_000  # the figure docs/limits.md gives


def test_the_steps_of_a_label_scan_count_against_the_cap():
    # Brackets a code span could hide are scanned by markdown-it-py, each "[" from the one
    # before: the paragraph builds one text token, and steps over hundreds.
    paragraph = "``" + "[" * 30 + "`]"
    digest = digestkit.loads(_document(paragraph), "markdown")
    assert digest.articles[0].body == (paragraph,)
    with pytest.raises(ParseError, match="looking for a link's label") as err:
        digestkit.loads(_document(paragraph), "markdown", max_inline_tokens=20)
    assert err.value.line == 7
