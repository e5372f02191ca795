"""The JSON format: one document holding the format version, the metadata and the articles.

A document of format version 1 (the shape ``schemas/digest.schema.json`` describes)::

    {
      "format_version": 1,
      "metadata": {"title": "...", "language": "en", "date": "2025-10-20"},
      "articles": [
        {"headline": "...", "lead": "...", "body": ["...", "..."]},
        {"headline": "A headline-only article", "body": []}
      ]
    }

Optional values that are absent (a metadata field, the lead of a headline-only article) are
left out, never written as ``null``; ``language`` and ``body`` are always written. The
reader is as strict as the schema, and refuses besides what a schema cannot see (duplicate
keys, ``NaN``): unknown keys, missing keys, wrong types, ``null`` and invalid text are refused
with a [`ParseError`][digestkit.errors.ParseError] that names the JSON path
(``articles[3].body[1]``) and the line and column of the value.
"""

from __future__ import annotations

from digestkit._textio import decode
from digestkit.formats._jsoncodec import (
    FORMAT_VERSION,
    ShapeError,
    article_to_json,
    articles_from_json,
    encode,
    header_from_json,
    header_to_json,
    parse_json,
)
from digestkit.model import Digest
from digestkit.registry import Format, ReadContext

__all__ = ["FORMAT", "FORMAT_VERSION", "read", "write"]

_KEYS = ("format_version", "metadata", "articles")


def write(digest: Digest, *, indent: int | None = 2, ensure_ascii: bool = False) -> bytes:
    """Write a digest as a JSON document, UTF-8, ending with a newline.

    Args:
        digest: the digest to write.
        indent: spaces per level for a pretty document (the default, 2); ``None`` writes
            the whole document on one line.
        ensure_ascii: escape every non-ASCII character as ``\\uXXXX``.

    Raises:
        OptionError: an option has the wrong type.
    """
    document = header_to_json(digest.metadata)
    document["articles"] = [article_to_json(article) for article in digest.articles]
    return encode(document, indent=indent, ensure_ascii=ensure_ascii) + b"\n"


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read a JSON document of format version 1.

    Raises:
        ParseError: the data is not UTF-8 (or BOM-marked UTF-16/32) JSON, or the document
            does not have the shape of the schema; the error gives the JSON path of the first
            offence (``articles[3].body[1]``) and the line and column where its value begins.
    """
    text = decode(data, source=context.source, format=context.format)
    try:
        document, metadata = header_from_json(parse_json(text), _KEYS)
        return Digest(articles_from_json(document["articles"], "articles"), metadata)
    except ShapeError as err:
        line, column = err.position(text)
        raise context.error(str(err), line, column) from err


FORMAT = Format(
    name="json",
    extensions=("json",),
    media_type="application/json",
    description="JSON document: format version, metadata, articles (schema shipped)",
    reader=read,
    writer=write,
)
"""The JSON format, published under the ``digestkit.formats`` entry point ``json``."""
