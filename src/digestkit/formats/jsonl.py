"""The JSON Lines format: a header line, then one article per line.

::

    {"format_version":1,"metadata":{"language":"en"}}
    {"headline":"...","lead":"...","body":["...","..."]}
    {"headline":"...","lead":"...","body":[]}

Each line is one compact JSON object ended by LF, so ``jq -c``, log shippers, Spark and
BigQuery can take the articles line by line; ``schemas/digest-line.schema.json`` describes a
line. The article objects are those of the ``json`` format. Errors name the line (and the
column, or the JSON path within the line).

The format streams: [`digestkit.iter_articles`][digestkit.streaming.iter_articles] reads a binary
file object one line at a time (refusing a line longer than ``max_line_bytes``), and
[`digestkit.write_articles`][digestkit.streaming.write_articles] writes articles as they come.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterable, Iterator
from typing import IO

from digestkit.errors import OptionError, ParseError
from digestkit.formats._jsoncodec import (
    ShapeError,
    article_from_json,
    article_to_json,
    encode,
    header_from_json,
    header_to_json,
    parse_json,
)
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import Format, ReadContext

__all__ = ["DEFAULT_MAX_LINE_BYTES", "FORMAT", "read", "stream_read", "stream_write", "write"]

DEFAULT_MAX_LINE_BYTES = 64 << 20
"""A line longer than this (64 MiB) is refused when streaming, unless told otherwise."""

_HEADER_KEYS = ("format_version", "metadata")
_WHITESPACE = b" \t\r\n"


# --- writing --------------------------------------------------------------------------------


def stream_write(
    articles: Iterable[Article],
    stream: IO[bytes],
    /,
    *,
    metadata: Metadata,
    ensure_ascii: bool = False,
) -> int:
    """Write the header line, then each article as it comes (the ``stream_writer`` hook).

    Nothing is held but the current article, so a generator of articles is written in
    constant memory.

    Returns:
        The number of articles written.

    Raises:
        OptionError: ``ensure_ascii`` is not a bool.
    """
    stream.write(encode(header_to_json(metadata), indent=None, ensure_ascii=ensure_ascii) + b"\n")
    count = 0
    for article in articles:
        stream.write(encode(article_to_json(article), indent=None, ensure_ascii=ensure_ascii))
        stream.write(b"\n")
        count += 1
    return count


def write(digest: Digest, *, ensure_ascii: bool = False) -> bytes:
    """Write a digest as JSON Lines: the header line, then one line per article.

    Args:
        digest: the digest to write.
        ensure_ascii: escape every non-ASCII character as ``\\uXXXX``.
    """
    out = io.BytesIO()
    stream_write(digest.articles, out, metadata=digest.metadata, ensure_ascii=ensure_ascii)
    return out.getvalue()


# --- reading --------------------------------------------------------------------------------


def _lines(
    fp: IO[bytes], context: ReadContext, max_line_bytes: int | None
) -> Iterator[tuple[int, str]]:
    """Yield (line number, decoded line) for each line that holds more than whitespace."""
    number = 0
    limit = -1 if max_line_bytes is None else max_line_bytes + 1
    while True:
        raw: object = fp.readline(limit)
        if not isinstance(raw, bytes):
            raise TypeError("JSON Lines are read from a binary file object (open it with 'rb')")
        if not raw:
            return
        number += 1
        # At most max_line_bytes + 1 bytes were read: without the LF, the line is too long.
        if max_line_bytes is not None and len(raw) > max_line_bytes and raw[-1:] != b"\n":
            raise context.error(
                f"line longer than {max_line_bytes} bytes (raise max_line_bytes to read it)",
                number,
            )
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            column = len(raw[: err.start].decode("utf-8", "replace")) + 1
            bad = raw[err.start : min(err.end, err.start + 4)].hex(" ")
            raise context.error(
                f"not valid UTF-8: byte(s) {bad} ({err.reason}); JSON Lines are UTF-8",
                number,
                column,
            ) from err
        if not raw.strip(_WHITESPACE):
            context.warn("blank line ignored (JSON Lines has one JSON value per line)", number, 1)
            continue
        yield number, text


def _header(lines: Iterator[tuple[int, str]], context: ReadContext) -> Metadata:
    """Return the metadata of the header line, the first line that is not blank."""
    first = next(lines, None)
    if first is None:
        raise context.error(
            'empty input: expected a header line {"format_version": 1, "metadata": {...}}', 1, 1
        )
    number, text = first
    try:
        value = parse_json(text)
        if isinstance(value, dict) and "headline" in value:
            raise ShapeError("", "expected the format version and metadata first, found an article")
        return header_from_json(value, _HEADER_KEYS)[1]
    except ShapeError as err:
        raise _located("header line: ", err, number, text, context) from err


def _articles(lines: Iterator[tuple[int, str]], context: ReadContext) -> Iterator[Article]:
    """Yield the article of each remaining line, reading the next line only when asked."""
    for number, text in lines:
        try:
            article = article_from_json(parse_json(text), "")
        except ShapeError as err:
            raise _located("article line: ", err, number, text, context) from err
        yield article


def _located(
    kind: str, err: ShapeError, number: int, text: str, context: ReadContext
) -> ParseError:
    # Every value of a line lies before its LF, so the position within it is a column.
    return context.error(kind + str(err), number, err.position(text)[1])


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read a JSON Lines digest from bytes.

    Raises:
        ParseError: the data is not a JSON Lines digest; the error names the line.
    """
    lines = _lines(io.BytesIO(data), context, None)
    metadata = _header(lines, context)
    return Digest(tuple(_articles(lines, context)), metadata)


def stream_read(
    stream: IO[bytes],
    context: ReadContext,
    /,
    *,
    max_line_bytes: int | None = DEFAULT_MAX_LINE_BYTES,
) -> tuple[Metadata, Iterator[Article]]:
    """Read the header line now; return its metadata and the articles, read lazily.

    The ``stream_reader`` hook: the stream is read one line at a time as the iterator
    advances.

    Args:
        stream: a binary file object at the start of a JSON Lines digest.
        context: where the input comes from, and where warnings go.
        max_line_bytes: refuse a longer line; ``None`` for no limit.

    Raises:
        OptionError: ``max_line_bytes`` is not a positive integer or ``None``.
        ParseError: (now, or from the iterator) the input is not a JSON Lines digest; the
            error names the line.
    """
    if max_line_bytes is not None and (type(max_line_bytes) is not int or max_line_bytes < 1):
        raise OptionError(f"max_line_bytes must be a positive integer or None: {max_line_bytes!r}")
    lines = _lines(stream, context, max_line_bytes)
    return _header(lines, context), _articles(lines, context)


FORMAT = Format(
    name="jsonl",
    extensions=("jsonl", "ndjson"),
    media_type="application/jsonl",
    description="JSON Lines: a header line, then one article per line (schema shipped)",
    reader=read,
    writer=write,
    stream_reader=stream_read,
    stream_writer=stream_write,
)
"""The JSON Lines format, published under the ``digestkit.formats`` entry point ``jsonl``."""
