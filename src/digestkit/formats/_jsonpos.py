"""Where a value lies in JSON text: the line and column of the value at a JSON path.

Python's `json` does not report where values are, so the JSON reader, when a document
parses but has the wrong shape, scans the text again here to point at the offending value.
This is the error path only, and it counts rather than collects: the scan follows the path,
skipping every value off it by matching brackets, so it builds nothing and holds no more
than the text it was given.
"""

from __future__ import annotations

import json
import re
import sys

__all__ = ["locate", "locate_constant", "locate_deepest", "locate_long_integer"]

_PATH_STEP = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")
_SPACE = re.compile(r"[ \t\n\r]*")
# A string, or a bracket outside strings: what skipping a value needs to see.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_SCALAR_END = re.compile(r"[,\]}]")


def _skip_space(text: str, index: int) -> int:
    match = _SPACE.match(text, index)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _skip_value(text: str, index: int) -> int:
    """Return the index just past the valid JSON value that begins at ``index``."""
    opening = text[index]
    if opening == '"':
        match = _TOKEN.match(text, index)
        assert match is not None  # a valid string
        return match.end()
    if opening not in "[{":
        end = _SCALAR_END.search(text, index)
        return len(text) if end is None else end.start()
    depth = 0
    for match in _TOKEN.finditer(text, index):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
        elif bracket in "]}":
            depth -= 1
            if depth == 0:
                return match.end()
    raise ValueError("unbalanced JSON")


def _step(text: str, index: int, key: str | int, decoder: json.JSONDecoder) -> int | None:
    """Return where the member ``key`` of the container at ``index`` begins, if it has one."""
    opening = text[index]
    if opening not in "[{" or (opening == "[") != isinstance(key, int):
        return None
    closing = "]" if opening == "[" else "}"
    index = _skip_space(text, index + 1)
    position = 0
    found = None
    while text[index] != closing:
        if opening == "{":
            name, index = decoder.raw_decode(text, index)
            index = _skip_space(text, _skip_space(text, index) + 1)  # past the colon
            if name == key:
                found = index  # the last of duplicate keys is the one json keeps
        elif position == key:
            return index
        position += 1
        index = _skip_space(text, _skip_value(text, index))
        if text[index] == ",":
            index = _skip_space(text, index + 1)
    return found


def _line_column(text: str, offset: int) -> tuple[int, int]:
    # Counted as the json module counts the positions of syntax errors (LF ends a line), so
    # that both kinds of error agree on where a line begins.
    found = json.JSONDecodeError("", text, offset)
    return found.lineno, found.colno


def locate(text: str, path: str) -> tuple[int, int] | None:
    """Return the 1-based line and column where the value at a JSON ``path`` begins.

    Only called on the error path, on text that parsed. Where ``path`` leads out of the
    document, the last value found on the way is given; ``None`` if ``text`` cannot be
    scanned again.
    """
    offset = _skip_space(text, 0)
    decoder = json.JSONDecoder()
    try:
        for name, index in _PATH_STEP.findall(path):
            found = _step(text, offset, int(index) if index else name, decoder)
            if found is None:
                break
            offset = found
    except (ValueError, IndexError):  # only if text is not valid JSON
        return None
    return _line_column(text, offset)


def locate_deepest(text: str) -> tuple[int, int] | None:
    """Return where the most deeply nested array or object of ``text`` first opens.

    For a document that nests too deeply for the parser: the bracket reported is the first
    one at the greatest depth, which is as far as any parser would have to go.
    """
    depth = deepest = 0
    offset = None
    for match in _TOKEN.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest, offset = depth, match.start()
        elif bracket in "]}":
            depth -= 1
    return None if offset is None else _line_column(text, offset)


def _first_outside_strings(text: str, token: str) -> tuple[int, int] | None:
    pattern = re.compile(r'"(?:[^"\\]|\\.)*"|' + token, re.DOTALL)
    for match in pattern.finditer(text):
        if match.group()[0] != '"':
            return _line_column(text, match.start())
    return None


def locate_long_integer(text: str) -> tuple[int, int] | None:
    """Return where the first integer longer than Python converts begins, outside strings."""
    limit = sys.get_int_max_str_digits()
    return _first_outside_strings(text, "-?[0-9]{" + str(limit + 1) + ",}") if limit else None


def locate_constant(text: str, name: str) -> tuple[int, int] | None:
    """Return where the first ``NaN``, ``Infinity`` or ``-Infinity`` (``name``) is."""
    return _first_outside_strings(text, re.escape(name))
