"""The plain-text digest format: reader and writer.

The canonical form (what the writer produces) is the sample's form::

    Headline
    <blank>
    Lead paragraph
    <blank>
    Body paragraph          (zero or more, each followed by a blank line)
    <blank>
    Keep reading
    <blank>
    Next headline ...

The reader also takes the variants met in the wild; ``docs/format.md`` gives the grammar.
A line that the reader would take for structure (an end marker, a paragraph ending in a marker
phrase, a leading byte order mark, the front-matter fence) is written with a leading
backslash, which the reader removes, so every digest the model accepts round-trips.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from digestkit.errors import ValidationError
from digestkit.formats._markers import (
    _DEFAULT_RULES,
    DEFAULT_MARKER,
    ESCAPE,
    FENCE,
    LONG_HEADLINE,
    MarkerRules,
)
from digestkit.formats._markers import default_rules as _rules
from digestkit.formats._textinput import read_input
from digestkit.formats._textinput import split_lines as split_lines  # its home was here
from digestkit.model import (
    DEFAULT_LANGUAGE,
    Article,
    Digest,
    Metadata,
    _checked_article,
    check_line,
)
from digestkit.registry import Format, ReadContext

_EDGE = (" ", "\t")  # what a line of content never begins with (the model refuses it)

__all__ = [
    "DEFAULT_MARKER",
    "FORMAT",
    "LONG_HEADLINE",
    "MarkerRules",
    "parse_articles",
    "read",
    "read_front_matter",
    "stream_read",
    "stream_write",
    "write",
]

# --- writer ---------------------------------------------------------------------------------


def _front_matter(meta: Metadata) -> list[str]:
    lines = [FENCE]
    if meta.title is not None:
        lines.append(f"title: {meta.title}")
    if meta.language != DEFAULT_LANGUAGE:
        lines.append(f"language: {meta.language}")
    if meta.date is not None:
        lines.append(f"date: {meta.date.isoformat()}")
    if meta.source is not None:
        lines.append(f"source: {meta.source}")
    if meta.identifier is not None:
        lines.append(f"identifier: {meta.identifier}")
    lines.append(FENCE)
    return lines


def dump_article(article: Article, rules: MarkerRules = _DEFAULT_RULES) -> str:
    """Return one article in canonical form, end marker included, without a trailing newline."""
    escape = rules.needs_escape
    parts = [ESCAPE + p if escape(p) else p for p in (article.headline, *article.paragraphs)]
    parts.append(rules.marker or DEFAULT_MARKER)
    return "\n\n".join(parts)


def write(digest: Digest, *, marker: str | None = None, final_newline: bool = True) -> bytes:
    """Write a digest in canonical plain text, UTF-8 without BOM, LF line ends.

    Args:
        digest: the digest to write.
        marker: the end marker to write after each article. Text written with a marker must
            be read back with the same ``marker``; by default ``Keep reading`` is written and
            the default marker set is escaped.
        final_newline: end a non-empty output with a newline (the POSIX convention).

    Metadata that differs from the defaults is written as front matter between two ``---``
    lines, so nothing is lost; a digest with default metadata has none, as the sample.
    """
    out = io.BytesIO()
    stream_write(
        digest.articles, out, metadata=digest.metadata, marker=marker, final_newline=final_newline
    )
    return out.getvalue()


# --- reader ---------------------------------------------------------------------------------

_META_KEYS = ("title", "language", "date", "source", "identifier")


def read_front_matter(lines: Iterator[tuple[int, str]], context: ReadContext) -> Metadata:
    """Parse front matter from the line after its opening fence through its closing one.

    ``lines`` yields (line number, line) pairs and is left just after the closing fence, so
    the caller reads on from there: the whole-text reader and the streaming reader share this.
    """
    values: dict[str, Any] = {}
    number = 1
    for number, raw in lines:
        line = raw.strip(" \t")
        if line == FENCE:
            try:
                return Metadata(**values)
            except ValidationError as err:  # an invalid combination, should one exist
                raise context.error(f"front matter: {err}", number, 1) from err
        if not line:
            continue
        key, sep, value = line.partition(":")
        key = key.strip(" \t")
        if not sep or key not in _META_KEYS:
            raise context.error(
                f"front matter: expected 'key: value' with a key among {', '.join(_META_KEYS)}"
                f" or the closing {FENCE!r}, found {line[:60]!r}",
                number,
                1,
            )
        if key in values:
            raise context.error(f"front matter: {key!r} given twice", number, 1)
        value = value.strip(" \t")
        try:
            if key == "date":
                values[key] = dt.date.fromisoformat(value)
            else:
                values[key] = check_line(key, value) if key != "language" else value
            if key == "language":
                Metadata(language=value)
        except (ValueError, ValidationError) as err:
            raise context.error(f"front matter: bad {key}: {err}", number, 1) from err
    raise context.error(f"front matter opened on line 1 is not closed by a {FENCE!r} line", 1, 1)


def parse_articles(
    lines: Iterable[tuple[int, str]],
    context: ReadContext,
    rules: MarkerRules = _DEFAULT_RULES,
) -> Iterator[Article]:
    """Yield the articles of a run of (line number, line) pairs, lazily.

    The lines carry no line-end characters. Diagnostics go to ``context``; nothing is held but
    the current article, so memory does not grow with the input. Each article is built, and
    so validated, by :class:`Article`: a character the model refuses raises its
    :class:`~digestkit.errors.ValidationError`.
    """
    return _parse_articles(lines, context, rules, Article)


# How the parser builds an article: (headline, lead, body, line numbers) -> Article.
_Build = Callable[[str, "str | None", list[str], tuple[int, ...]], Article]


def _parse_articles(
    lines: Iterable[tuple[int, str]], context: ReadContext, rules: MarkerRules, build: _Build
) -> Iterator[Article]:
    escape = ESCAPE
    needs_escape = rules.needs_escape
    # Once may_end_in_marker() let a line through, the regexes run without it again.
    may_end_in_marker = rules.may_end_in_marker
    marker_match = rules._line.match
    split_glued = rules._split_glued
    headline: str | None = None
    headline_line = 0
    paragraphs: list[str] = []
    numbers: list[int] = []
    parts: list[str] = []  # lines of the paragraph being read (hard-wrapped ones have several)
    previous_was_headline = False

    def article() -> Article:
        assert headline is not None
        return build(
            headline,
            paragraphs[0] if paragraphs else None,
            paragraphs[1:],
            (headline_line, *numbers),
        )

    for number, raw in lines:
        line = raw.strip(" \t")
        if not line:
            if parts:
                paragraphs.append(" ".join(parts))
                parts = []
            previous_was_headline = False
            continue
        ends = False
        # The writer never escapes text that begins with a space or TAB (the model refuses
        # it), so a backslash before one is content, not an escape.
        if line[0] == escape and line[1:2] not in _EDGE and needs_escape(line[1:]):
            line = line[1:]
        elif not may_end_in_marker(line):
            pass  # text, the common case: the marker regexes need not run
        elif marker_match(line) is not None:
            if parts:
                paragraphs.append(" ".join(parts))
                parts = []
            if headline is None:
                context.warn("end marker with no article before it: ignored", number, 1)
            else:
                yield article()
                headline = None
            previous_was_headline = False
            continue
        else:
            split = split_glued(line)
            if split is not None:
                line, found, index = split
                context.warn(
                    f"end marker {found!r} glued to the end of the text: "
                    "taken as the end of the article",
                    number,
                    len(raw) - len(raw.lstrip(" \t")) + index + 1,
                )
                ends = True
        if headline is None:
            headline = line
            headline_line = number
            paragraphs = []
            numbers = []
            if len(line) > LONG_HEADLINE:
                context.warn(
                    f"headline of {len(line)} characters: is it a paragraph?"
                    f" (warned above {LONG_HEADLINE})",
                    number,
                    1,
                )
            previous_was_headline = True
        else:
            if previous_was_headline:
                context.warn(
                    f"no blank line between the headline (line {headline_line}) and this "
                    "text: taken as the start of the lead",
                    number,
                    1,
                )
                previous_was_headline = False
            if not parts:
                numbers.append(number)
            parts.append(line)
        if ends:
            if parts:
                paragraphs.append(" ".join(parts))
                parts = []
            yield article()
            headline = None
            previous_was_headline = False
    if parts:
        paragraphs.append(" ".join(parts))
    if headline is not None:
        context.warn(
            f"the article whose headline is on line {headline_line} has no end marker: "
            "taken to end with the input",
            headline_line,
            1,
        )
        yield article()


def _reader_rules(marker: str | None, context: ReadContext) -> MarkerRules:
    try:
        return _rules(marker)
    except ValidationError as err:
        raise context.error(f"bad marker option: {err}") from err


def read(data: bytes, context: ReadContext, /, *, marker: str | None = None) -> Digest:
    """Read a plain-text digest.

    Args:
        data: the digest, UTF-8 (a BOM allowed) or UTF-16/UTF-32 with a BOM.
        context: where diagnostics go, and whether they are errors.
        marker: the end marker, if the digest uses one that is not among the defaults
            (``Keep reading``, ``Read more``, ``Continue reading`` ... in any case, with a
            trailing ``»`` or ``→``). Naming one replaces the defaults.

    Raises:
        ParseError: binary or undecodable input, a character the model refuses, malformed
            front matter, or (strict) any warning.
    """
    rules = _reader_rules(marker, context)

    def parse(lines: Iterator[str] | list[str]) -> Digest:
        # read_input() checked every character of the input, so the articles are built
        # without searching their text again (the one check the validators would repeat).
        numbered = iter(enumerate(lines, 1))
        metadata, articles = _read_lines(numbered, context, rules, _checked_article)
        return Digest(tuple(articles), metadata)

    return read_input(data, context, parse)


def _read_lines(
    lines: Iterator[tuple[int, str]],
    context: ReadContext,
    rules: MarkerRules,
    build: _Build = Article,
) -> tuple[Metadata, Iterator[Article]]:
    """Read the front matter, if any, and return it with a lazy iterator over the articles.

    ``build`` makes each article: :class:`Article` (which validates everything), or
    :func:`~digestkit.model._checked_article` when every character was checked already.
    """
    first = next(lines, (1, ""))
    if first[1].strip(" \t") == FENCE:
        return read_front_matter(lines, context), _parse_articles(lines, context, rules, build)
    return Metadata(), _warn_if_empty(
        _parse_articles(itertools.chain((first,), lines), context, rules, build), context
    )


def _warn_if_empty(articles: Iterator[Article], context: ReadContext) -> Iterator[Article]:
    empty = True
    for article in articles:
        empty = False
        yield article
    if empty:
        context.warn("no article found", 1, 1)


def stream_read(
    stream: IO[bytes], context: ReadContext, /, *, marker: str | None = None
) -> tuple[Metadata, Iterator[Article]]:
    """Read a plain-text digest from a binary stream, article by article.

    The streaming form of :func:`read`: the same input gives the same metadata, articles and
    diagnostics, and memory holds one chunk and one article, however long the input.
    """
    from digestkit._linestream import numbered_lines

    rules = _reader_rules(marker, context)
    lines = numbered_lines(stream, source=context.source, format=context.format)
    return _read_lines(lines, context, rules)


def stream_write(
    articles: Iterable[Article],
    stream: IO[bytes],
    /,
    *,
    metadata: Metadata,
    marker: str | None = None,
    final_newline: bool = True,
) -> int:
    """Write articles in canonical plain text as they come; the bytes :func:`write` writes.

    Returns:
        The number of articles written.
    """
    rules = _rules(marker)
    separator = b""
    if not metadata.is_default():
        stream.write("\n".join(_front_matter(metadata)).encode("utf-8"))
        separator = b"\n\n"
    count = 0
    for count, article in enumerate(articles, 1):  # noqa: B007  # the count is the result
        stream.write(separator + dump_article(article, rules).encode("utf-8"))
        separator = b"\n\n"
    if separator and final_newline:
        stream.write(b"\n")
    return count


FORMAT = Format(
    name="text",
    extensions=("txt", "text"),
    media_type="text/plain",
    description="plain-text digest: headline, lead, body paragraphs, end marker",
    reader=read,
    writer=write,
    stream_reader=stream_read,
    stream_writer=stream_write,
)
"""The plain-text format, published under the ``digestkit.formats`` entry point ``text``."""
