"""The plain-text reader's input (formats/text/_input.py): decoding, refusals, the fast path."""

from __future__ import annotations

import re

import pytest

import digestkit
from digestkit import ParseError
from digestkit.formats.text import _input
from digestkit.model import FORBIDDEN


@pytest.mark.parametrize(
    ("data", "line", "column", "fragment"),
    [
        (b"Headline\n\nLe\x00ad", 3, 3, "NUL byte"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", 1, 1, "PNG image"),
        (b"PK\x03\x04\x14\x00", 1, 1, "ZIP archive"),
        (b"Headline\n\nL\xe9ad\n", 3, 2, "not valid UTF-8"),
        (b"Headline\n\nbell\x07\n", 3, 5, "U+0007"),
        (b"Headline\n\nform\x0cfeed\n", 3, 5, "U+000C"),
        ("H\n\nsep\u2028arator".encode(), 3, 4, "U+2028"),
        ("H\u0085\n".encode(), 1, 2, "U+0085"),
        ("H\n\nL\ud800".encode("utf-8", "surrogatepass"), 3, 2, "not valid UTF-8"),
        ("Hé".encode("utf-16-le"), 1, 2, "UTF-16 without a byte order mark"),
    ],
)
def test_refusals_are_located(data: bytes, line: int, column: int, fragment: str) -> None:
    with pytest.raises(ParseError, match=re.escape(fragment)) as info:
        digestkit.loads(data, source="in.txt")
    assert (info.value.source, info.value.line, info.value.column) == ("in.txt", line, column)
    assert info.value.format == "text"
    assert str(info.value).startswith(f"in.txt:{line}:{column}: ")


def test_lone_surrogate_in_a_str_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="surrogate") as info:
        digestkit.loads("H\n\nL\ud800")
    assert info.value.line == 3


def test_sample_takes_the_fast_path(sample_bytes: bytes) -> None:
    lines = _input._fast_lines(sample_bytes, 0)
    assert lines is not None
    assert list(lines) == _input.split_lines(sample_bytes.decode("utf-8"))


def test_text_search_allows_only_line_ends_more_than_the_model() -> None:
    # Every BMP character, and per astral plane the noncharacters and a few others.
    points = [*range(0x10000)]
    for plane in range(1, 17):
        base = plane << 16
        points += [base, base + 0xF600, base + 0xFFFD, base + 0xFFFE, base + 0xFFFF]
    for point in points:
        char = chr(point)
        expected = char not in "\n\r" and FORBIDDEN.match(char) is not None
        assert (_input._first_forbidden(char) is not None) == expected, hex(point)
        found = _input._first_forbidden(f"ab\n{char}\r\n")
        assert (None if found is None else found.start()) == (3 if expected else None), hex(point)
