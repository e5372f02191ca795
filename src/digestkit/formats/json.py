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
with a :class:`~digestkit.errors.ParseError` that names the JSON path
(``articles[3].body[1]``) and the line and column of the value.

The helpers that turn model objects into JSON values and back are shared with the JSON Lines
format (:mod:`digestkit.formats.jsonl`), whose lines hold the same objects.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable
from typing import Any

from digestkit._textio import decode
from digestkit.errors import OptionError, ParseError, ValidationError
from digestkit.formats._jsonpos import locate
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import Format, ReadContext

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "article_from_json",
    "article_to_json",
    "check_version",
    "describe",
    "encode",
    "metadata_from_json",
    "metadata_to_json",
    "parse_json",
    "read",
    "write",
]

FORMAT_VERSION = 1
"""The version of the document shape this module writes; the reader knows versions 1..this."""

Fail = Callable[[str, str], ParseError]
"""Turns a JSON path (``articles[3].body[1]``, ``""`` for the root) and a message into a
:class:`ParseError`, located as the caller knows how."""

_METADATA_KEYS = ("title", "language", "date", "source", "identifier")
_ARTICLE_KEYS = ("headline", "lead", "body")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_TYPE_NAMES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


# --- writing --------------------------------------------------------------------------------


def metadata_to_json(metadata: Metadata) -> dict[str, Any]:
    """Return the JSON object of ``metadata``: fixed key order, absent fields left out."""
    values: dict[str, Any] = {
        "title": metadata.title,
        "language": metadata.language,
        "date": None if metadata.date is None else metadata.date.isoformat(),
        "source": metadata.source,
        "identifier": metadata.identifier,
    }
    return {key: value for key, value in values.items() if value is not None}


def article_to_json(article: Article) -> dict[str, Any]:
    """Return the JSON object of ``article``: ``headline``, ``lead`` (if any), ``body``."""
    value: dict[str, Any] = {"headline": article.headline}
    if article.lead is not None:
        value["lead"] = article.lead
    value["body"] = list(article.body)
    return value


def encode(value: Any, *, indent: int | None, ensure_ascii: bool) -> bytes:
    """Encode a JSON value as UTF-8 bytes: pretty with ``indent``, compact with ``None``."""
    if indent is not None and (type(indent) is not int or indent < 0):
        raise OptionError(f"indent must be a non-negative integer or None, found {indent!r}")
    if type(ensure_ascii) is not bool:
        raise OptionError(f"ensure_ascii must be True or False, found {ensure_ascii!r}")
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(
        value,
        ensure_ascii=ensure_ascii,
        indent=indent,
        separators=separators,
        allow_nan=False,
    )
    return text.encode("utf-8")


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
    document = {
        "format_version": FORMAT_VERSION,
        "metadata": metadata_to_json(digest.metadata),
        "articles": [article_to_json(article) for article in digest.articles],
    }
    return encode(document, indent=indent, ensure_ascii=ensure_ascii) + b"\n"


# --- reading --------------------------------------------------------------------------------


class _Object(dict[str, Any]):
    """A JSON object that remembers the first key it was given twice."""

    duplicate: str | None = None


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                result.duplicate = key
                break
            seen.add(key)
    return result


class _NotJson(ValueError):
    pass


def _constant(name: str) -> float:
    raise _NotJson(f"{name} is not a JSON value")


def parse_json(text: str, fail: Callable[[str, int | None, int | None], ParseError]) -> Any:
    """Parse JSON text strictly: no ``NaN``/``Infinity``, objects keep their duplicate keys.

    Args:
        text: the JSON text.
        fail: builds the error from a message, a 1-based line and column within ``text``.

    Raises:
        ParseError: the text is not JSON, or nests too deeply.
    """
    try:
        return json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except json.JSONDecodeError as err:
        raise fail(f"not valid JSON: {err.msg}", err.lineno, err.colno) from err
    except RecursionError as err:
        raise fail("not readable JSON: arrays or objects nest too deeply", None, None) from err
    except ValueError as err:  # _NotJson, or an integer too long for Python to convert
        raise fail(f"not valid JSON: {err}", None, None) from err


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def describe(path: str, message: str) -> str:
    """Return ``message`` prefixed with the JSON path it concerns, if any."""
    return f"{path}: {message}" if path else message


def _type_name(value: object) -> str:
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind or (kind is dict and isinstance(value, dict)):
            return name
    return type(value).__name__


def _expect(value: object, kind: type, what: str, path: str, fail: Fail) -> None:
    if type(value) is not kind:
        raise fail(path, f"expected {what}, found {_type_name(value)}")


def check_object(
    value: object, path: str, required: tuple[str, ...], known: tuple[str, ...], fail: Fail
) -> dict[str, Any]:
    """Return ``value`` if it is an object with every ``required`` key and no unknown key.

    Raises:
        ParseError: (through ``fail``) naming ``path`` and the offending key.
    """
    if not isinstance(value, _Object):
        raise fail(path, f"expected an object, found {_type_name(value)}")
    if value.duplicate is not None:
        raise fail(path, f"key {value.duplicate!r} is given twice")
    for key in value:
        if key not in known:
            raise fail(path, f"unknown key {key!r} (expected: {', '.join(known)})")
    for key in required:
        if key not in value:
            raise fail(path, f"missing key {key!r}")
    return value


def check_version(value: object, path: str, fail: Fail) -> None:
    """Refuse a format version other than one this reader knows.

    JSON does not tell ``1`` from ``1.0``, and neither does JSON Schema: both are accepted.
    """
    number = value
    if type(value) is float and math.isfinite(value) and value.is_integer():
        number = int(value)
    if type(number) is not int:
        raise fail(path, f"expected an integer format version, found {_type_name(value)}")
    if number > FORMAT_VERSION:
        raise fail(
            path,
            f"format version {number} is newer than this digestkit reads "
            f"(up to {FORMAT_VERSION}): upgrade digestkit",
        )
    if number < 1:
        raise fail(path, f"format version {number} does not exist (versions start at 1)")


def _text(value: object, path: str, fail: Fail) -> str:
    _expect(value, str, "a string", path, fail)
    assert isinstance(value, str)
    return value


def _model_error(err: ValidationError, path: str, fail: Fail) -> ParseError:
    field = err.field.split("[", 1)
    where = _at(path, field[0]) + ("[" + field[1] if len(field) > 1 else "")
    return fail(where, err.reason)


def metadata_from_json(value: object, path: str, fail: Fail) -> Metadata:
    """Return the :class:`Metadata` a JSON object describes.

    Raises:
        ParseError: (through ``fail``) naming the JSON path of what is wrong.
    """
    obj = check_object(value, path, ("language",), _METADATA_KEYS, fail)
    fields: dict[str, Any] = {}
    for key, item in obj.items():
        fields[key] = _text(item, _at(path, key), fail)
    if "date" in fields:
        day = fields["date"]
        try:
            if not _DATE.match(day):
                raise ValueError("expected YYYY-MM-DD")
            fields["date"] = dt.date.fromisoformat(day)
        except ValueError as err:
            raise fail(_at(path, "date"), f"not a valid date {day!r}: {err}") from err
    try:
        return Metadata(**fields)
    except ValidationError as err:
        raise _model_error(err, path, fail) from err


def article_from_json(value: object, path: str, fail: Fail) -> Article:
    """Return the :class:`Article` a JSON object describes.

    Raises:
        ParseError: (through ``fail``) naming the JSON path of what is wrong.
    """
    obj = check_object(value, path, ("headline", "body"), _ARTICLE_KEYS, fail)
    headline = _text(obj["headline"], _at(path, "headline"), fail)
    lead = _text(obj["lead"], _at(path, "lead"), fail) if "lead" in obj else None
    body_path = _at(path, "body")
    _expect(obj["body"], list, "an array", body_path, fail)
    body = [_text(item, _at(body_path, index), fail) for index, item in enumerate(obj["body"])]
    try:
        return Article(headline, lead, body)
    except ValidationError as err:
        raise _model_error(err, path, fail) from err


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read a JSON document of format version 1.

    Raises:
        ParseError: the data is not UTF-8 (or BOM-marked UTF-16/32) JSON, or the document
            does not have the shape of the schema; the error gives the JSON path of the first
            offence (``articles[3].body[1]``) and the line and column where its value begins.
    """
    text = decode(data, source=context.source, format=context.format)

    def located(message: str, line: int | None, column: int | None) -> ParseError:
        return context.error(message, line, column)

    def fail(path: str, message: str) -> ParseError:
        line, column = locate(text, path) or (None, None)
        return context.error(describe(path, message), line, column)

    document = parse_json(text, located)
    if isinstance(document, _Object) and "format_version" in document:
        check_version(document["format_version"], "format_version", fail)
    obj = check_object(
        document,
        "",
        ("format_version", "metadata", "articles"),
        ("format_version", "metadata", "articles"),
        fail,
    )
    metadata = metadata_from_json(obj["metadata"], "metadata", fail)
    _expect(obj["articles"], list, "an array", "articles", fail)
    articles = [
        article_from_json(item, _at("articles", index), fail)
        for index, item in enumerate(obj["articles"])
    ]
    return Digest(articles, metadata)


FORMAT = Format(
    name="json",
    extensions=("json",),
    media_type="application/json",
    description="JSON document: format version, metadata, articles (schema shipped)",
    reader=read,
    writer=write,
)
"""The JSON format, published under the ``digestkit.formats`` entry point ``json``."""
