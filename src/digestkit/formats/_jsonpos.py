"""Where a value lies in JSON text: the line and column of the value at a JSON path.

Python's :mod:`json` does not report where values are, so the JSON reader, when a document
parses but has the wrong shape, scans the text again here to point at the offending value.
This is the error path only: the scan is slow and is never run on valid input.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["locate"]

_PATH_STEP = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")


class _Node:
    """A JSON object or array with the offset in the text of each of its values."""

    __slots__ = ("items",)

    def __init__(self, items: dict[Any, tuple[int, Any]]) -> None:
        self.items = items


_SPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, index: int) -> int:
    match = _SPACE.match(text, index)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _scan(text: str, index: int, decoder: json.JSONDecoder) -> tuple[Any, int]:
    """Scan the valid JSON value at ``index``; containers become :class:`_Node` trees."""
    opening = text[index]
    if opening not in "[{":
        return decoder.raw_decode(text, index)
    closing = "]" if opening == "[" else "}"
    items: dict[Any, tuple[int, Any]] = {}
    index = _skip(text, index + 1)
    while text[index] != closing:
        if opening == "{":
            key, index = decoder.raw_decode(text, index)
            index = _skip(text, _skip(text, index) + 1)  # past the colon
        else:
            key = len(items)
        start = index
        value, index = _scan(text, index, decoder)
        items[key] = (start, value)
        index = _skip(text, index)
        if text[index] == ",":
            index = _skip(text, index + 1)
    return _Node(items), index + 1


def locate(text: str, path: str) -> tuple[int, int] | None:
    """Return the 1-based line and column where the value at a JSON ``path`` begins.

    Only called on the error path: it parses ``text`` again, slowly, recording where each
    value starts. Where ``path`` leads out of the document, the last value found on the way
    is given; ``None`` if ``text`` cannot be scanned again.
    """
    start = len(text) - len(text.lstrip(" \t\r\n"))
    try:
        value, _ = _scan(text, start, json.JSONDecoder())
    except (ValueError, IndexError, RecursionError):  # only if text is not valid JSON
        return None
    offset = start
    for name, index in _PATH_STEP.findall(path):
        key: str | int = int(index) if index else name
        if not isinstance(value, _Node) or key not in value.items:
            break
        offset, value = value.items[key]
    # Counted as the json module counts the positions of syntax errors (LF ends a line), so
    # that both kinds of error agree on where a line begins.
    found = json.JSONDecodeError("", text, offset)
    return found.lineno, found.colno
