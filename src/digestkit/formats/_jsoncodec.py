"""The model as JSON values, shared by the ``json`` and ``jsonl`` formats.

A JSON document and a JSON Lines line hold the same objects (metadata, article, the
versioned header), so the rules for them live here once. Every fault is raised where it is
found as a `ShapeError` naming the JSON path; each reader turns it into its
[`ParseError`][digestkit.errors.ParseError] once, at its boundary, with the line and column it
knows how to count.
"""

from __future__ import annotations

import json
import math
from typing import Any

from digestkit.codec import METADATA_FIELDS, metadata_from_strings, metadata_to_strings
from digestkit.errors import OptionError, ValidationError
from digestkit.formats._jsonpos import (
    locate,
    locate_constant,
    locate_deepest,
    locate_long_integer,
)
from digestkit.model import Article, Metadata

__all__ = [
    "FORMAT_VERSION",
    "ShapeError",
    "article_from_json",
    "article_to_json",
    "articles_from_json",
    "encode",
    "header_from_json",
    "header_to_json",
    "parse_json",
]

FORMAT_VERSION = 1
"""The version of the document shape written; the readers know versions 1 up to this."""

_ARTICLE_KEYS = ("headline", "lead", "body")
_TYPE_NAMES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


class ShapeError(Exception):
    """A fault in one JSON text, raised where it is found and located by the reader.

    Args:
        path: the JSON path of the offending value (``articles[3].body[1]``, ``""`` for the
            root).
        message: what was expected and what was found.
        where: the line and column the JSON decoder reported, for text that is not JSON;
            ``None`` to locate the value at ``path`` instead.
    """

    def __init__(
        self, path: str, message: str, where: tuple[int | None, int | None] | None = None
    ) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.where = where

    def position(self, text: str) -> tuple[int | None, int | None]:
        """Return the 1-based line and column in ``text`` of the fault, where known."""
        if self.where is not None:
            return self.where
        return locate(text, self.path) or (None, None)


# --- writing --------------------------------------------------------------------------------


def article_to_json(article: Article) -> dict[str, Any]:
    """Return the JSON object of ``article``: ``headline``, ``lead`` (if any), ``body``."""
    value: dict[str, Any] = {"headline": article.headline}
    if article.lead is not None:
        value["lead"] = article.lead
    value["body"] = list(article.body)
    return value


def header_to_json(metadata: Metadata) -> dict[str, Any]:
    """Return the format version and metadata members that open every document."""
    return {"format_version": FORMAT_VERSION, "metadata": metadata_to_strings(metadata)}


def encode(value: Any, *, indent: int | None, ensure_ascii: bool) -> bytes:
    """Encode a JSON value as UTF-8 bytes: pretty with ``indent``, compact with ``None``.

    Raises:
        OptionError: an option has the wrong type.
    """
    if indent is not None and (type(indent) is not int or indent < 0):
        raise OptionError(f"indent must be a non-negative integer or None, found {indent!r}")
    if type(ensure_ascii) is not bool:
        raise OptionError(f"ensure_ascii must be True or False, found {ensure_ascii!r}")
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(
        value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, allow_nan=False
    )
    return text.encode("utf-8")


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


class _Constant(Exception):
    """``NaN``, ``Infinity`` or ``-Infinity`` met by the decoder, which gives no position."""


def _constant(name: str) -> float:
    raise _Constant(name)


def parse_json(text: str) -> Any:
    """Parse JSON text strictly: no ``NaN``/``Infinity``, objects keep their duplicate keys.

    Raises:
        ShapeError: the text is not JSON, or nests too deeply; with the decoder's line and
            column where it gives them.
    """
    try:
        return json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except json.JSONDecodeError as err:
        raise ShapeError("", f"not valid JSON: {err.msg}", (err.lineno, err.colno)) from err
    except _Constant as err:
        name = str(err)
        where = locate_constant(text, name) or (None, None)
        raise ShapeError("", f"not valid JSON: {name} is not a JSON value", where) from None
    except RecursionError as err:
        message = "not readable JSON: arrays or objects nest too deeply"
        raise ShapeError("", message, locate_deepest(text) or (None, None)) from err
    except ValueError as err:  # an integer too long for Python to convert
        where = locate_long_integer(text) or (None, None)
        raise ShapeError("", f"not valid JSON: {err}", where) from err


def _at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _type_name(value: object) -> str:
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind or (kind is dict and isinstance(value, dict)):
            return name
    return type(value).__name__


def _array(value: object, path: str) -> list[Any]:
    if type(value) is not list:
        raise ShapeError(path, f"expected an array, found {_type_name(value)}")
    return value


def _text(value: object, path: str) -> str:
    if type(value) is not str:
        raise ShapeError(path, f"expected a string, found {_type_name(value)}")
    return value


def _check_object(
    value: object, path: str, required: tuple[str, ...], known: tuple[str, ...]
) -> dict[str, Any]:
    """Return ``value`` if it is an object with every ``required`` key and no unknown key."""
    if not isinstance(value, _Object):
        raise ShapeError(path, f"expected an object, found {_type_name(value)}")
    if value.duplicate is not None:
        raise ShapeError(path, f"key {value.duplicate!r} is given twice")
    for key in value:
        if key not in known:
            raise ShapeError(path, f"unknown key {key!r} (expected: {', '.join(known)})")
    for key in required:
        if key not in value:
            raise ShapeError(path, f"missing key {key!r}")
    return value


def _check_version(value: object, path: str) -> None:
    """Refuse a format version other than one this reader knows.

    JSON does not tell ``1`` from ``1.0``, and neither does JSON Schema: both are accepted.
    """
    number = value
    if type(value) is float and math.isfinite(value) and value.is_integer():
        number = int(value)
    if type(number) is not int:
        raise ShapeError(path, f"expected an integer format version, found {_type_name(value)}")
    if number > FORMAT_VERSION:
        raise ShapeError(
            path,
            f"format version {number} is newer than this digestkit reads "
            f"(up to {FORMAT_VERSION}): upgrade digestkit",
        )
    if number < 1:
        raise ShapeError(path, f"format version {number} does not exist (versions start at 1)")


def _model_error(err: ValidationError, path: str) -> ShapeError:
    # The model names a field (``body[1]``); the JSON path of it continues ``path``.
    field, bracket, rest = err.field.partition("[")
    return ShapeError(_at(path, field) + bracket + rest, err.reason)


def _metadata_from_json(value: object, path: str) -> Metadata:
    obj = _check_object(value, path, ("language",), METADATA_FIELDS)
    strings = {key: _text(item, _at(path, key)) for key, item in obj.items()}
    try:
        return metadata_from_strings(strings)
    except ValidationError as err:
        raise _model_error(err, path) from err


def header_from_json(value: object, keys: tuple[str, ...]) -> tuple[dict[str, Any], Metadata]:
    """Return the checked object that opens a document, and the metadata it holds.

    The format version is checked before anything else, so that a newer document is
    reported as newer rather than as unknown keys.

    Args:
        value: the parsed root object (a JSON document, a JSON Lines header line).
        keys: the members the object has, all required.

    Raises:
        ShapeError: naming the JSON path of what is wrong.
    """
    if isinstance(value, _Object) and "format_version" in value:
        _check_version(value["format_version"], "format_version")
    obj = _check_object(value, "", keys, keys)
    return obj, _metadata_from_json(obj["metadata"], "metadata")


def article_from_json(value: object, path: str) -> Article:
    """Return the [`Article`][digestkit.model.Article] a JSON object describes.

    Raises:
        ShapeError: naming the JSON path of what is wrong.
    """
    obj = _check_object(value, path, ("headline", "body"), _ARTICLE_KEYS)
    headline = _text(obj["headline"], _at(path, "headline"))
    lead = _text(obj["lead"], _at(path, "lead")) if "lead" in obj else None
    body_path = _at(path, "body")
    body = [
        _text(item, _at(body_path, index))
        for index, item in enumerate(_array(obj["body"], body_path))
    ]
    try:
        return Article(headline, lead, body)
    except ValidationError as err:
        raise _model_error(err, path) from err


def articles_from_json(value: object, path: str) -> list[Article]:
    """Return the articles of a JSON array of article objects.

    Raises:
        ShapeError: naming the JSON path of what is wrong.
    """
    return [article_from_json(item, _at(path, i)) for i, item in enumerate(_array(value, path))]
