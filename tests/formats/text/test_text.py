"""The plain-text format's door (read, write): the sample, variants met in the wild, round trips.

The package's modules have their own tests: test_grammar, test_frontmatter, test_input; and
test_reference compares the whole reader with a plain reference implementation.
"""

from __future__ import annotations

import codecs
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import digestkit
from digestkit import Article, Diagnostic, Digest, ParseError
from digestkit.testing import MARKER_PHRASES, digest_like_texts, digests

SAMPLE_HEADLINE_LINES = (1, 13, 35, 61, 83, 103, 119, 137, 159, 175)


def _sample_text(sample_bytes: bytes) -> str:
    return sample_bytes.decode("utf-8")


def _read(text: str | bytes, **options: object) -> tuple[Digest, list[Diagnostic]]:
    found: list[Diagnostic] = []
    digest = digestkit.loads(text, "text", diagnostics=found, **options)  # type: ignore[arg-type]
    return digest, found


# --- the sample ------------------------------------------------------------------------------


def test_sample_has_ten_articles_with_exact_headlines(sample_bytes: bytes) -> None:
    digest, found = _read(sample_bytes)
    # An independent cut: a headline is line 1 or the line two after a "Keep reading" line.
    raw = _sample_text(sample_bytes).split("\n")
    expected = [raw[0]] + [raw[i + 2] for i, line in enumerate(raw[:-2]) if line == "Keep reading"]
    assert [a.headline for a in digest.articles] == expected
    assert len(digest.articles) == 10
    assert found == []
    assert [a.lines[0] for a in digest.articles if a.lines] == list(SAMPLE_HEADLINE_LINES)


def test_sample_keeps_every_special_space(sample_bytes: bytes) -> None:
    digest, _ = _read(sample_bytes)
    text = "".join(a.headline + "".join(a.paragraphs) for a in digest.articles)
    assert text.count("\u00a0") == 118
    assert text.count("\u202f") == 5
    trailing = [p for a in digest.articles for p in a.paragraphs if p.endswith("\u00a0")]
    assert len(trailing) == 8


def test_sample_round_trips_byte_for_byte(sample_bytes: bytes) -> None:
    digest = digestkit.loads(sample_bytes)
    assert digestkit.dumps(digest, final_newline=False).encode("utf-8") == sample_bytes
    assert digestkit.dumps(digest).encode("utf-8") == sample_bytes + b"\n"


def test_sample_line_numbers(sample_bytes: bytes) -> None:
    digest = digestkit.loads(sample_bytes)
    raw = _sample_text(sample_bytes).split("\n")
    for article in digest.articles:
        assert article.lines is not None
        texts = (article.headline, *article.paragraphs)
        assert [raw[n - 1] for n in article.lines] == list(texts)


# --- variants met in the wild -----------------------------------------------------------------


def _crlf(t: str) -> bytes:
    return t.replace("\n", "\r\n").encode()


def _cr(t: str) -> bytes:
    return t.replace("\n", "\r").encode()


def _mixed(t: str) -> bytes:
    parts = t.split("\n")
    # A CR is never followed by the next line's LF, which would make one CRLF of two ends.
    ends = ["\r\n", "\r", "\r\n", "\n"]
    return "".join(p + ends[i % 4] for i, p in enumerate(parts)).encode()


def _utf8_bom(t: str) -> bytes:
    return codecs.BOM_UTF8 + t.encode()


def _utf16le(t: str) -> bytes:
    return codecs.BOM_UTF16_LE + t.encode("utf-16-le")


def _utf16be(t: str) -> bytes:
    return codecs.BOM_UTF16_BE + t.encode("utf-16-be")


def _utf32(t: str) -> bytes:
    return t.encode("utf-32")


def _blank_runs(t: str) -> bytes:
    return t.replace("\n\n", "\n\n\n\n").encode()


def _whitespace_blanks(t: str) -> bytes:
    return t.replace("\n\n", "\n \t \n").encode()


def _indented(t: str) -> bytes:
    return "\n".join("   " + line + " \t" if line else line for line in t.split("\n")).encode()


def _final_newlines(t: str) -> bytes:
    return (t + "\n\n\n").encode()


@pytest.mark.parametrize(
    "variant",
    [
        _crlf,
        _cr,
        _mixed,
        _utf8_bom,
        _utf16le,
        _utf16be,
        _utf32,
        _blank_runs,
        _whitespace_blanks,
        _indented,
        _final_newlines,
    ],
)
def test_variant_reads_like_the_sample(sample_bytes: bytes, variant: object) -> None:
    expected = digestkit.loads(sample_bytes)
    digest, found = _read(variant(_sample_text(sample_bytes)))  # type: ignore[operator]
    assert digest == expected
    assert found == []


@pytest.mark.parametrize(
    "marker",
    [
        "Read more",
        "Read More »",
        "Continue reading",
        "Continue reading →",
        "READ MORE",
        "keep reading",
        "[Read more]",
        "Read the full story",
        "Continue reading…",
    ],
)
def test_other_markers_on_their_own_line(sample_bytes: bytes, marker: str) -> None:
    text = _sample_text(sample_bytes).replace("Keep reading", marker)
    digest, found = _read(text)
    assert digest == digestkit.loads(sample_bytes)
    assert found == []


def test_glued_marker_ends_the_article_with_a_located_warning() -> None:
    text = (
        "First\n\nLead.\n\nThe end of the war. Continue reading\n\nSecond\n\nIts lead.\n\nRead more"
    )
    digest, found = _read(text)
    assert digest == Digest(
        [Article("First", "Lead.", ["The end of the war."]), Article("Second", "Its lead.")]
    )
    assert [(d.line, d.column) for d in found] == [(5, 21)]
    assert "glued" in found[0].message


def test_glued_marker_keeps_a_trailing_no_break_space() -> None:
    digest, _ = _read("H\n\nLead.\u00a0 Keep reading")
    assert digest.articles[0].lead == "Lead.\u00a0"


def test_lower_case_phrase_at_the_end_is_text() -> None:
    digest, found = _read("H\n\nShe told them to keep reading\n\nKeep reading")
    assert digest.articles[0].lead == "She told them to keep reading"
    assert found == []


def test_last_article_without_marker_is_kept_with_a_warning() -> None:
    digest, found = _read("One\n\nLead.\n\nKeep reading\n\nTwo\n\nLead two.\n\nBody two.\n")
    assert digest.articles[1] == Article("Two", "Lead two.", ["Body two."])
    assert len(found) == 1
    assert found[0].line == 7
    assert "no end marker" in found[0].message


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = (
        "A headline\n\nA lead that was\nwrapped at a short\n  width.\n\nBody\nline.\n\nKeep reading"
    )
    digest, found = _read(text)
    assert digest.articles[0] == Article(
        "A headline", "A lead that was wrapped at a short width.", ["Body line."]
    )
    assert digest.articles[0].lines == (1, 3, 7)
    assert found == []


def test_explicit_marker_replaces_the_defaults() -> None:
    text = "H\n\nRead more\n\n* * *\n\nNext\n\nLead.\n\n* * *"
    digest, found = _read(text, marker="* * *")
    assert digest == Digest([Article("H", "Read more"), Article("Next", "Lead.")])
    assert found == []


def test_headline_only_article() -> None:
    digest, found = _read("Just a headline\n\nKeep reading\n\nNext\n\nLead\n\nKeep reading")
    assert digest.articles[0] == Article("Just a headline")
    assert found == []


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("Keep reading\n\nH\n\nL\n\nKeep reading", 1, "no article before"),
        ("H\nLead right after\n\nKeep reading", 2, "no blank line between"),
        ("x" * 201 + "\n\nL\n\nKeep reading", 1, "headline of 201 characters"),
        ("", 1, "no article found"),
    ],
)
def test_warnings(text: str, line: int, fragment: str) -> None:
    _, found = _read(text)
    assert [d.line for d in found] == [line]
    assert fragment in found[0].message
    with pytest.raises(ParseError, match=re.escape(fragment)) as info:
        digestkit.loads(text, strict=True)
    assert info.value.line == line


# --- limits ------------------------------------------------------------------------------------


def test_input_size_limit() -> None:
    with pytest.raises(ParseError, match="larger than the limit"):
        digestkit.loads(b"H\n\nL\n\nKeep reading", max_bytes=10)


# --- properties --------------------------------------------------------------------------------


@given(digests(), st.sampled_from(["END", "* * *", "Read more", "— more —"]))
def test_round_trip_with_a_named_marker(digest: Digest, marker: str) -> None:
    text = digestkit.dumps(digest, marker=marker)
    assert digestkit.loads(text, marker=marker) == digest


@given(digests(), st.booleans())
def test_writer_is_canonical(digest: Digest, final_newline: bool) -> None:
    text = digestkit.dumps(digest, final_newline=final_newline)
    assert digestkit.dumps(digestkit.loads(text), final_newline=final_newline) == text


@given(st.one_of(digest_like_texts(), st.text(), st.sampled_from(MARKER_PHRASES)))
@example("\ufeff\ufeffH")
@example("H\n\nL \\\\Keep reading")
def test_any_text_parses_idempotently_or_fails_cleanly(text: str) -> None:
    try:
        digest = digestkit.loads(text)
    except ParseError as err:
        line = err.line
    else:
        assert digestkit.loads(digestkit.dumps(digest)) == digest
        return
    assert line is None or line >= 1


@given(st.binary())
def test_any_bytes_parse_or_fail_cleanly(data: bytes) -> None:
    try:
        digest = digestkit.loads(data)
    except ParseError:
        return
    assert digestkit.loads(digestkit.dumps(digest)) == digest


def test_line_numbers_past_32_bits_are_kept() -> None:
    # Line numbers are held four bytes each while an article is read, widened past 2**32 - 1
    # (a stream of more lines than that): at the headline, and within an article.
    from digestkit.formats.text import parse_articles
    from digestkit.registry import ReadContext

    big = 1 << 32
    lines = [
        (big - 3, "Headline"),
        (big - 2, ""),
        (big - 1, "Lead."),
        (big, ""),
        (big + 1, "Body."),
        (big + 2, "Keep reading"),
        (big + 3, "Second"),
        (big + 4, ""),
        (big + 5, "Its lead."),
    ]
    articles = list(parse_articles(lines, ReadContext(format="text")))
    assert [article.lines for article in articles] == [
        (big - 3, big - 1, big + 1),
        (big + 3, big + 5),
    ]
