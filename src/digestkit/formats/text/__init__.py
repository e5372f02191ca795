"""The plain-text digest format: the door (the `FORMAT`, the reader and the writer).

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

The rules live in the package's modules: `_grammar` (end markers and escaping, on
`_cases` and `_shapes`), `_articles` (the article parser), `_frontmatter` (metadata),
`_input` (bytes to checked lines, whole or streamed; the decoding rules themselves are
`digestkit._textio`'s).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, TypeVar

from digestkit.errors import ValidationError
from digestkit.formats.text._articles import End, parse_articles, read_articles
from digestkit.formats.text._frontmatter import front_matter_lines, read_front_matter
from digestkit.formats.text._grammar import (
    DEFAULT_MARKER,
    FENCE,
    LONG_HEADLINE,
    MARKERS,
    MarkerRules,
    dump_article,
)
from digestkit.formats.text._grammar import default_rules as _rules
from digestkit.formats.text._input import read_input
from digestkit.formats.text._input import split_lines as split_lines  # its home was here
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import Format, ReadContext

T = TypeVar("T")

__all__ = [
    "DEFAULT_MARKER",
    "FORMAT",
    "LONG_HEADLINE",
    "MARKERS",
    "MarkerRules",
    "outline",
    "parse_articles",
    "read",
    "read_front_matter",
    "stream_read",
    "stream_write",
    "write",
]


def write(
    digest: Digest, *, marker: str | Sequence[str] | None = None, final_newline: bool = True
) -> bytes:
    """Write a digest in canonical plain text, UTF-8 without BOM, LF line ends.

    Args:
        digest: the digest to write.
        marker: the end marker to write after each article, or several (the first is
            written, content like any of them is escaped). Text written with markers must be
            read back with the same ones; by default ``Keep reading`` is written and the
            built-in markers are escaped.
        final_newline: end a non-empty output with a newline (the POSIX convention).

    Metadata that differs from the defaults is written as front matter between two ``---``
    lines, so nothing is lost; a digest with default metadata has none, as the sample.
    """
    out = io.BytesIO()
    stream_write(
        digest.articles, out, metadata=digest.metadata, marker=marker, final_newline=final_newline
    )
    return out.getvalue()


def _reader_rules(
    marker: str | Sequence[str] | None, markers: Sequence[str] | None, context: ReadContext
) -> MarkerRules:
    named = [marker] if isinstance(marker, str) else list(marker or ())
    named.extend(markers or ())
    try:
        return _rules(named or None)
    except ValidationError as err:
        raise context.error(f"bad marker option: {err}") from err


def read(
    data: bytes,
    context: ReadContext,
    /,
    *,
    marker: str | Sequence[str] | None = None,
    markers: Sequence[str] | None = None,
) -> Digest:
    """Read a plain-text digest.

    Args:
        data: the digest, UTF-8 (a BOM allowed) or UTF-16/UTF-32 with a BOM.
        context: where diagnostics go, and whether they are errors.
        marker: the end marker, if the digest uses one that is not among the built-in ones
            (``Keep reading``, ``Read more``, ``Lire la suite``, ``続きを読む`` ... see
            ``docs/format.md``). Naming one replaces the built-ins; it is read with the same
            tolerance (any case, padding, decorations, brackets, a link or reading time).
        markers: several such markers (with ``marker``, all of them are end markers).

    Raises:
        ParseError: binary or undecodable input, a character the model refuses, malformed
            front matter, or (strict) any warning.
    """
    rules = _reader_rules(marker, markers, context)

    def parse(lines: Iterator[str] | list[str]) -> Digest:
        metadata, articles = _read_lines(iter(enumerate(lines, 1)), context, rules, parse_articles)
        return Digest(tuple(articles), metadata)

    return read_input(data, context, parse)


def _read_lines(
    lines: Iterator[tuple[int, str]],
    context: ReadContext,
    rules: MarkerRules,
    parser: Callable[[Iterable[tuple[int, str]], ReadContext, MarkerRules], Iterator[T]],
) -> tuple[Metadata, Iterator[T]]:
    """Read the front matter, if any, and return it with a lazy iterator over the articles."""
    first = next(lines, (1, ""))
    if first[1].strip(" \t") == FENCE:
        return read_front_matter(lines, context), parser(lines, context, rules)
    return Metadata(), _warn_if_empty(
        parser(itertools.chain((first,), lines), context, rules), context
    )


def _warn_if_empty(articles: Iterator[T], context: ReadContext) -> Iterator[T]:
    empty = True
    for article in articles:
        empty = False
        yield article
    if empty:
        context.warn("no article found", 1, 1)


def outline(
    data: bytes,
    context: ReadContext,
    /,
    *,
    marker: str | Sequence[str] | None = None,
    markers: Sequence[str] | None = None,
) -> list[tuple[Article, End]]:
    """Read a plain-text digest as `read` does; return each article with how it ended.

    The diagnostics are `read`'s. What ended an article is ``(line, marker as found)``,
    ``(line, "separator")``, ``(line, "glued: <marker>")`` or ``(0, "end of input")``.
    """
    rules = _reader_rules(marker, markers, context)

    def parse(lines: Iterator[str] | list[str]) -> list[tuple[Article, End]]:
        _, items = _read_lines(iter(enumerate(lines, 1)), context, rules, read_articles)
        return list(items)

    return read_input(data, context, parse)


def stream_read(
    stream: IO[bytes],
    context: ReadContext,
    /,
    *,
    marker: str | Sequence[str] | None = None,
    markers: Sequence[str] | None = None,
) -> tuple[Metadata, Iterator[Article]]:
    """Read a plain-text digest from a binary stream, article by article.

    The streaming form of `read`: the same input gives the same metadata, articles and
    diagnostics, and memory holds one chunk and one article, however long the input.
    """
    from digestkit.formats.text._input import numbered_lines

    rules = _reader_rules(marker, markers, context)
    lines = numbered_lines(stream, source=context.source, format=context.format)
    return _read_lines(lines, context, rules, parse_articles)


def stream_write(
    articles: Iterable[Article],
    stream: IO[bytes],
    /,
    *,
    metadata: Metadata,
    marker: str | Sequence[str] | None = None,
    final_newline: bool = True,
) -> int:
    """Write articles in canonical plain text as they come; the bytes `write` writes.

    Returns:
        The number of articles written.
    """
    rules = _rules(marker)
    separator = b""
    if not metadata.is_default():
        stream.write("\n".join(front_matter_lines(metadata)).encode("utf-8"))
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
