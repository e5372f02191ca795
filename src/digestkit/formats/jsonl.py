"""The JSON Lines format: a header line, then one article per line.

::

    {"format_version":1,"metadata":{"language":"en"}}
    {"headline":"...","lead":"...","body":["...","..."]}
    {"headline":"...","lead":"...","body":[]}

Each line is one compact JSON object ended by LF, so ``jq -c``, log shippers, Spark and
BigQuery can take the articles line by line; ``schemas/digest-line.schema.json`` describes a
line. The article objects are those of the ``json`` format. Errors name the line (and the
column, or the JSON path within the line).

For large inputs, :func:`iter_jsonl_articles` and :func:`read_jsonl_stream` read a binary file
object one line at a time, and :func:`write_jsonl_stream` writes articles as they come.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterable, Iterator
from typing import IO

from digestkit.errors import Diagnostic, OptionError, ParseError
from digestkit.formats._jsonpos import locate
from digestkit.formats.json import (
    FORMAT_VERSION,
    article_from_json,
    article_to_json,
    check_object,
    check_version,
    describe,
    encode,
    metadata_from_json,
    metadata_to_json,
    parse_json,
)
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import Format, ReadContext

__all__ = [
    "DEFAULT_MAX_LINE_BYTES",
    "FORMAT",
    "iter_jsonl_articles",
    "read",
    "read_jsonl_stream",
    "write",
    "write_jsonl_stream",
]

DEFAULT_MAX_LINE_BYTES = 64 << 20
"""A line longer than this (64 MiB) is refused by the streaming readers unless told otherwise."""

_HEADER_KEYS = ("format_version", "metadata")
_WHITESPACE = b" \t\r\n"


# --- writing --------------------------------------------------------------------------------


def write_jsonl_stream(
    articles: Iterable[Article],
    out: IO[bytes],
    *,
    metadata: Metadata | None = None,
    ensure_ascii: bool = False,
) -> int:
    """Write the header line, then each article as it comes, to a binary stream.

    Nothing is held but the current article, so a generator of articles is written in
    constant memory.

    Args:
        articles: the articles, in order; any iterable.
        out: a binary stream (``open(path, "wb")``, ``sys.stdout.buffer``, ``io.BytesIO``).
        metadata: the digest's metadata; the defaults if ``None``.
        ensure_ascii: escape every non-ASCII character as ``\\uXXXX``.

    Returns:
        The number of articles written.

    Raises:
        TypeError: an item of ``articles`` is not an :class:`Article`.
        OptionError: ``ensure_ascii`` is not a bool.
    """
    header = {
        "format_version": FORMAT_VERSION,
        "metadata": metadata_to_json(metadata if metadata is not None else Metadata()),
    }
    out.write(encode(header, indent=None, ensure_ascii=ensure_ascii) + b"\n")
    count = 0
    for article in articles:
        if not isinstance(article, Article):
            raise TypeError(f"expected an Article, found {type(article).__name__}")
        out.write(encode(article_to_json(article), indent=None, ensure_ascii=ensure_ascii))
        out.write(b"\n")
        count += 1
    return count


def write(digest: Digest, *, ensure_ascii: bool = False) -> bytes:
    """Write a digest as JSON Lines: the header line, then one line per article.

    Args:
        digest: the digest to write.
        ensure_ascii: escape every non-ASCII character as ``\\uXXXX``.
    """
    out = io.BytesIO()
    write_jsonl_stream(digest.articles, out, metadata=digest.metadata, ensure_ascii=ensure_ascii)
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


class _Lines:
    """Turns numbered lines into the header's metadata and articles, with located errors."""

    def __init__(self, lines: Iterator[tuple[int, str]], context: ReadContext) -> None:
        self._lines = lines
        self._context = context

    def _value(self, number: int, text: str) -> object:
        def located(message: str, line: int | None, column: int | None) -> ParseError:
            # ``line`` counts within ``text``, which holds no LF: the column is what matters.
            return self._context.error(message, number, column)

        return parse_json(text, located)

    def _locate(self, kind: str, number: int, text: str, path: str, message: str) -> ParseError:
        where = locate(text, path)
        column = None if where is None else where[1]
        return self._context.error(kind + describe(path, message), number, column)

    def metadata(self) -> Metadata:
        first = next(self._lines, None)
        if first is None:
            raise self._context.error(
                'empty input: expected a header line {"format_version": 1, "metadata": {...}}',
                1,
                1,
            )
        number, text = first
        value = self._value(number, text)

        def fail(path: str, message: str) -> ParseError:
            return self._locate("header line: ", number, text, path, message)

        if isinstance(value, dict) and "headline" in value:
            raise fail("", "expected the format version and metadata first, found an article")
        if isinstance(value, dict) and "format_version" in value:
            check_version(value["format_version"], "format_version", fail)
        obj = check_object(value, "", _HEADER_KEYS, _HEADER_KEYS, fail)
        return metadata_from_json(obj["metadata"], "metadata", fail)

    def articles(self) -> Iterator[Article]:
        for number, text in self._lines:
            value = self._value(number, text)

            def fail(path: str, message: str, number: int = number, text: str = text) -> ParseError:
                return self._locate("article line: ", number, text, path, message)

            yield article_from_json(value, "", fail)


def _check_limit(max_line_bytes: int | None) -> None:
    if max_line_bytes is not None and (type(max_line_bytes) is not int or max_line_bytes < 1):
        raise OptionError(f"max_line_bytes must be a positive integer or None: {max_line_bytes!r}")


def read_jsonl_stream(
    fp: IO[bytes],
    *,
    source: str = "<stream>",
    strict: bool = False,
    diagnostics: list[Diagnostic] | None = None,
    max_line_bytes: int | None = DEFAULT_MAX_LINE_BYTES,
) -> tuple[Metadata, Iterator[Article]]:
    """Read the header line now, and return the metadata and a lazy iterator of articles.

    The file object is read one line at a time as the iterator advances; it must stay open
    until the iterator is exhausted.

    Args:
        fp: a binary file object positioned at the start of a JSON Lines digest.
        source: the name to use in error messages.
        strict: raise for what would be a warning (a blank line).
        diagnostics: where warnings are appended.
        max_line_bytes: refuse a longer line; ``None`` for no limit.

    Raises:
        ParseError: (now, or from the iterator) the input is not a JSON Lines digest; the
            error names the line.
    """
    context = ReadContext(source=source, format="jsonl", strict=strict, diagnostics=diagnostics)
    return stream_read(fp, context, max_line_bytes=max_line_bytes)


def iter_jsonl_articles(
    fp: IO[bytes],
    *,
    source: str = "<stream>",
    strict: bool = False,
    diagnostics: list[Diagnostic] | None = None,
    max_line_bytes: int | None = DEFAULT_MAX_LINE_BYTES,
) -> Iterator[Article]:
    """Yield the articles of a JSON Lines digest one by one, reading one line at a time.

    The header line is checked when the first article is asked for, and its metadata is
    dropped: use :func:`read_jsonl_stream` to have it. Arguments are as for that function.

    Raises:
        ParseError: the input is not a JSON Lines digest; the error names the line.
    """
    _metadata, articles = read_jsonl_stream(
        fp, source=source, strict=strict, diagnostics=diagnostics, max_line_bytes=max_line_bytes
    )
    yield from articles


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read a JSON Lines digest from bytes.

    Raises:
        ParseError: the data is not a JSON Lines digest; the error names the line.
    """
    lines = _Lines(_lines(io.BytesIO(data), context, None), context)
    metadata = lines.metadata()
    return Digest(tuple(lines.articles()), metadata)


def stream_read(
    stream: IO[bytes],
    context: ReadContext,
    /,
    *,
    max_line_bytes: int | None = DEFAULT_MAX_LINE_BYTES,
) -> tuple[Metadata, Iterator[Article]]:
    """The ``stream_reader`` hook: the header's metadata now, the articles lazily."""
    _check_limit(max_line_bytes)
    lines = _Lines(_lines(stream, context, max_line_bytes), context)
    return lines.metadata(), lines.articles()


def stream_write(
    articles: Iterable[Article],
    stream: IO[bytes],
    /,
    *,
    metadata: Metadata,
    ensure_ascii: bool = False,
) -> int:
    """The ``stream_writer`` hook: :func:`write_jsonl_stream` under the registry's signature."""
    return write_jsonl_stream(articles, stream, metadata=metadata, ensure_ascii=ensure_ascii)


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
