"""The fast paths of the plain-text reader and of the model agree with straightforward ones.

The reader skips the marker regexes on lines that cannot hold a marker and decodes plain
UTF-8 a chunk at a time, leaving the character checks to the model; the model searches fewer
characters with the regex engine. Each is compared here with a plain reference
implementation, kept in this file, on the same inputs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import digestkit
from digestkit import model
from digestkit._textio import decode, describe_char, position
from digestkit.errors import Diagnostic, ParseError, ValidationError
from digestkit.formats import text
from digestkit.formats.text import _input
from digestkit.formats.text._grammar import BLANKS
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import ReadContext
from digestkit.testing import MARKER_PHRASES, digest_like_texts, digests

# --- the reference implementations ---------------------------------------------------------

# The model's forbidden characters as one class (the form the fast paths avoid), and a text
# search that allows LF and CR, which separate lines.
_REFERENCE_FORBIDDEN = model.FORBIDDEN


def reference_forbidden_in_text(text: str) -> re.Match[str] | None:
    return _REFERENCE_FORBIDDEN.search(text.replace("\n", " ").replace("\r", " "))


_SEPARATOR_CHARS = set("*-_=~•·∙⋅◦●○◆◇✦✱#+")
_DASHES = set("—―–")
_BULLETS = set("•·▪◦‣●∙")


def reference_blank(line: str) -> bool:
    return all(c in BLANKS for c in line)


def reference_separator(line: str) -> bool:
    marks = [c for c in line if c not in BLANKS]
    if not marks:
        return False
    if all(c in _DASHES for c in marks):
        return True
    return len(marks) >= 3 and len(set(marks)) == 1 and marks[0] in _SEPARATOR_CHARS


def reference_item(line: str) -> bool:
    if line[0] in _BULLETS:
        return True
    head = line.split(" ", 1)[0].split("\t", 1)[0].split("\u00a0", 1)[0]
    rest = line[len(head) : len(head) + 1]
    if rest not in (" ", "\t", "\u00a0"):
        return False
    return head in ("-", "*", "–") or (
        1 <= len(head) - 1 <= 3 and head[:-1].isdigit() and head[:-1].isascii() and head[-1] in ".)"
    )


def reference_glued(rules: text.MarkerRules, line: str) -> tuple[str, str, int] | None:
    match = rules._glued.search(line, max(0, len(line) - rules._window))
    if match is None:
        return None
    group = "space" if match.groupdict().get("space") is not None else "stop"
    head = line[: match.start()].rstrip(" \t")
    if not any(c.isalnum() for c in head):
        return None
    marker = match.group(group)
    letters = [c for c in marker if c.isalpha()]
    if letters and letters[0].islower():
        return None
    return head, marker.rstrip(BLANKS), match.start(group)


def reference_is_marker(rules: text.MarkerRules, line: str) -> bool:
    return rules._line.match(line) is not None


def reference_needs_escape(rules: text.MarkerRules, line: str) -> bool:
    def structural(value: str) -> bool:
        return value != "" and (
            value.startswith(("\ufeff", ">"))
            or reference_blank(value)
            or reference_is_marker(rules, value)
            or reference_separator(value)
        )

    if structural(line) or reference_glued(rules, line) is not None:
        return True
    return line.startswith("\\") and structural(line.lstrip("\\"))


def reference_checks(article: Article, numbers: list[int], context: ReadContext) -> None:
    """The never-silent checks on one article, spelled out."""
    paragraphs = list(article.paragraphs)
    assert article.lines is not None
    first = article.lines[0]
    if not paragraphs:
        return
    size = len(article.headline)
    if 100 < size <= 200 and max(len(p) for p in paragraphs) < size:
        context.warn(
            f"the headline ({size} characters) is longer than every paragraph of its "
            "article: is it a paragraph, the article's start misread?",
            first,
            1,
        )
    if len(paragraphs) >= 8:
        for i, paragraph in enumerate(paragraphs):
            pairs = zip(numbers[:i], paragraphs[:i], strict=True)
            earlier = [n for n, p in pairs if p == paragraph]
            if len(paragraph) <= 40 and earlier:
                context.warn(
                    f"the short paragraph {paragraph!r} (also on line {earlier[0]}) "
                    f"recurs in the article whose headline is on line {first}: is it an end "
                    "marker the reader does not know? (name it with --marker)",
                    numbers[i],
                    1,
                )
                return


def reference_parse(
    lines: Iterable[tuple[int, str]], context: ReadContext, rules: text.MarkerRules
) -> Iterator[Article]:
    """The plain-text grammar, one line at a time, with no shortcut."""
    numbered = list(lines)
    headline: str | None = None
    headline_line = 0
    paragraphs: list[str] = []
    numbers: list[int] = []
    parts: list[str] = []
    after_headline = False
    last_item = False
    after_separator = False
    sizes: list[tuple[int, int]] = []
    first_text = next((raw for _, raw in numbered if not reference_blank(raw)), "")
    quoted = first_text.lstrip("".join(BLANKS)).startswith(">")

    def article() -> Article:
        assert headline is not None
        lead = paragraphs[0] if paragraphs else None
        made = Article(headline, lead, paragraphs[1:], (headline_line, *numbers))
        reference_checks(made, numbers, context)
        sizes.append((headline_line, len(paragraphs)))
        return made

    def flush() -> None:
        nonlocal parts
        if parts:
            paragraphs.append(" ".join(parts))
            parts = []

    for index, (number, raw) in enumerate(numbered):
        if quoted:
            bare = raw.lstrip(" \t")
            if bare[:1] == ">":
                raw = bare[1:]
                if raw[:1] in (" ", "\t"):
                    raw = raw[1:]
            elif not reference_blank(bare):
                context.warn("line not quoted in a quoted digest: read as it is", number, 1)
        line = raw.strip(" \t")
        if reference_blank(line):
            flush()
            after_headline = last_item = False
            continue
        ends = ""
        escaped = (
            line[0] == "\\"
            and line[1:2] not in (" ", "\t")
            and reference_needs_escape(rules, line[1:])
        )
        if escaped:
            line = line[1:]
        elif reference_is_marker(rules, line):
            flush()
            if headline is not None:
                yield article()
                headline = None
            elif not after_separator:
                context.warn("end marker with no article before it: ignored", number, 1)
            after_headline = last_item = after_separator = False
            continue
        elif raw == "-- ":
            rest = len(numbered) - index - 1
            context.warn(
                f"signature delimiter '-- ': the digest ends here ({rest} line"
                f"{'' if rest == 1 else 's'} after it left out)",
                number,
                1,
            )
            break
        elif reference_separator(line):
            flush()
            if headline is not None:
                context.warn(
                    f"separator line: taken as the end of the article whose headline is on "
                    f"line {headline_line} (no end marker before it)",
                    number,
                    1,
                )
                yield article()
                headline = None
                after_separator = True
            else:
                context.warn("separator line: skipped", number, 1)
            after_headline = last_item = False
            continue
        if headline is not None and not escaped:
            split = reference_glued(rules, line)
            if split is not None:
                line, ends, at = split
                column = len(raw) - len(raw.lstrip(" \t")) + at + 1
                context.warn(
                    f"end marker {ends!r} glued to the end of the text: "
                    "taken as the end of the article",
                    number,
                    column,
                )
        after_separator = False
        if headline is None:
            headline, headline_line, paragraphs, numbers = line, number, [], []
            if len(line) > text.LONG_HEADLINE:
                context.warn(
                    f"headline of {len(line)} characters: is it a paragraph?"
                    f" (warned above {text.LONG_HEADLINE})",
                    number,
                    1,
                )
            after_headline = True
            last_item = False
        else:
            if after_headline:
                context.warn(
                    f"no blank line between the headline (line {headline_line}) and this "
                    "text: taken as the start of the lead",
                    number,
                    1,
                )
                after_headline = False
            item = reference_item(line)
            if parts and item and (last_item or line[0] in _BULLETS or parts[-1].endswith(":")):
                flush()
            last_item = item
            if not parts:
                numbers.append(number)
            parts.append(line)
        if ends:
            flush()
            yield article()
            headline = None
            after_headline = last_item = False
    flush()
    if headline is not None:
        context.warn(
            f"the article whose headline is on line {headline_line} has no end marker: "
            "taken to end with the input",
            headline_line,
            1,
        )
        yield article()
    ordered = sorted(size for _, size in sizes)
    median = ordered[(len(ordered) - 1) // 2] if ordered else 0
    for line_number, size in sizes:
        if size >= 10 and size >= 5 * max(median, 1):
            context.warn(
                f"the article whose headline is on line {line_number} has {size} paragraphs, "
                f"{size // max(median, 1)} times the median ({median}): did an end marker go "
                "unrecognised?",
                line_number,
                1,
            )


def _line_ends(decoded: str) -> str:
    # VT, NEL and LINE SEPARATOR end a line; FF and PARAGRAPH SEPARATOR end a paragraph.
    for other, end in (("\x0b", "\n"), ("\x85", "\n"), ("\u2028", "\n"), ("\x0c", "\n\n")):
        decoded = decoded.replace(other, end)
    return decoded.replace("\u2029", "\n\n")


def reference_read(data: bytes, context: ReadContext, marker: str | None = None) -> Digest:
    rules = text.MarkerRules(marker)
    # A fault before the text decodes is counted in lines as the reader counts them.
    decoded = _line_ends(
        decode(data, source=context.source, format=context.format, lines=_line_ends)
    )
    bad = reference_forbidden_in_text(decoded)
    if bad is not None:
        line, column = position(decoded, bad.start())
        raise context.error(
            f"{describe_char(bad.group())} is not allowed in a digest (control characters, line "
            "separators other than LF/CR, lone surrogates and noncharacters cannot be carried by "
            "every format)",
            line,
            column,
        )
    lines = decoded.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    metadata, start = Metadata(), 0
    if lines[0].strip(" \t") == "---":
        # Front matter is not what the fast paths change: the reader itself reads it, given
        # only the lines up to the closing fence (or all of them, to raise its error).
        fences = [i for i, line in enumerate(lines) if i and line.strip(" \t") == "---"]
        start = fences[0] + 1 if fences else len(lines)
        head = "\n".join(lines[:start]).encode("utf-8", "surrogatepass")
        metadata = text.read(head, context).metadata
    articles = tuple(reference_parse(enumerate(lines[start:], start + 1), context, rules))
    if not articles and not start:
        context.warn("no article found", 1, 1)
    return Digest(articles, metadata)


# --- comparing outcomes --------------------------------------------------------------------


def outcome(reader: Any, data: bytes, strict: bool, marker: str | None) -> tuple[object, ...]:
    """What a reader did: its digest (line numbers included) or its error, and diagnostics."""
    diagnostics: list[Diagnostic] = []
    context = ReadContext(source="in.txt", format="text", strict=strict, diagnostics=diagnostics)
    try:
        digest = reader(data, context, marker=marker)
    except (ParseError, ValidationError) as err:
        return (type(err).__name__, str(err), diagnostics)
    for article in digest.articles:
        # The reader builds its articles without running their validators (its grammar
        # makes valid fields): they must pass them all the same.
        attrs.validate(article)
    return (digest, [a.lines for a in digest.articles], diagnostics)


def assert_same(data: bytes, strict: bool = False, marker: str | None = None) -> None:
    assert outcome(text.read, data, strict, marker) == outcome(reference_read, data, strict, marker)


_MARKERS = st.sampled_from([None, "Keep reading", "END", "— more —", "Seguir leyendo"])


@given(digest_like_texts(), st.booleans(), _MARKERS)
@example("\\ foo Keep reading\n", False, None)
@example("H\n\nlead READİNG\n\nKeep readıng\n\nx Read the reſt", False, None)
@example("H\n\ntext\u0085 more\n", False, None)
@example("H\n\nKeep going\n\nKeep reading\n\nH\n\nA ”\n\nB Read more”\n", False, None)
def test_read_matches_reference_on_digest_like_texts(
    value: str, strict: bool, marker: str | None
) -> None:
    assert_same(value.encode("utf-8", "surrogatepass"), strict, marker)


@given(digests(), st.sampled_from(["utf-8", "utf-16", "utf-32"]), st.booleans())
def test_read_matches_reference_on_written_digests(
    digest: Digest, encoding: str, strict: bool
) -> None:
    written = digestkit.dumps(digest, "text")
    assert_same(written.encode(encoding), strict)


_PIECES = st.one_of(
    st.sampled_from(MARKER_PHRASES),
    st.sampled_from(
        ["Read\u00a0more", "keep  reading »", "(Read the rest)", "ſtory", "FULL STORY…"]
    ),
    st.text(st.sampled_from("ab \t.\\»]):İıſK\u00a0"), max_size=8),
)


@given(st.lists(st.lists(_PIECES, min_size=1, max_size=4).map(" ".join), max_size=12))
def test_read_matches_reference_near_markers(lines: list[str]) -> None:
    assert_same("\n".join(lines).encode("utf-8"))


def test_read_matches_reference_on_the_sample(sample_bytes: bytes) -> None:
    assert_same(sample_bytes)


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("chunk", [1, 8, 1 << 20])
@pytest.mark.parametrize(
    "data",
    [
        # A warning (no blank line after the headline) long before a byte that is not UTF-8:
        # the decoding error wins, and the warning is not reported.
        b"Headline\nLead at once\n\nKeep reading\n\n" + b"More\n\nText\n" * 20 + b"\xff\n",
        # Not UTF-8, though what is left once ASCII is deleted is: only the chunk-by-chunk
        # decoding finds the fault, after the warning was reported.
        b"Headline\nLead at once\n\nKeep reading\n\n" + b"More\n\nText\n" * 20 + b"\xe2a\x80\x99",
        b"Headline\n\nLead\n\nKeep reading\n\nTail \xe2\x80",
        b"\xef\xbb\xbfHeadline\n\nLead\xc2\xa0\n\nKeep reading",
    ],
)
def test_read_matches_reference_on_bytes(data: bytes, chunk: int, strict: bool) -> None:
    saved = _input.CHUNK
    _input.CHUNK = chunk
    try:
        assert_same(data, strict)
    finally:
        _input.CHUNK = saved


@given(
    st.one_of(digest_like_texts(), digests().map(digestkit.dumps)),
    st.sampled_from([1, 2, 3, 16]),
    st.booleans(),
)
def test_read_matches_reference_in_small_chunks(value: str, chunk: int, strict: bool) -> None:
    # The fast path decodes a chunk at a time; tiny chunks put a boundary at every line.
    saved = _input.CHUNK
    _input.CHUNK = chunk
    try:
        assert_same(value.encode("utf-8", "surrogatepass"), strict)
    finally:
        _input.CHUNK = saved


# --- the pieces ----------------------------------------------------------------------------

_RULES = [
    text.MarkerRules(),
    text.MarkerRules("Keep reading"),
    text.MarkerRules("END »"),
    text.MarkerRules(["Seguir leyendo", "* * *"]),
]


@pytest.mark.parametrize("rules", _RULES)
@given(st.text(max_size=40) | st.lists(_PIECES, max_size=4).map(" ".join))
def test_marker_methods_match_reference(rules: text.MarkerRules, line: str) -> None:
    assert rules.is_marker(line) == reference_is_marker(rules, line)
    assert rules.glued(line) == reference_glued(rules, line)
    assert rules.needs_escape(line) == reference_needs_escape(rules, line)
