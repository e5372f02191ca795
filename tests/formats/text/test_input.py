"""The plain-text reader's input (formats/text/_input.py): decoding, refusals, the fast path."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
        (b"Headline\n\nfile\x1csep\n", 3, 5, "U+001C"),
        ("H\n\nc1\u009bcontrol".encode(), 3, 3, "U+009B"),
        ("H\u0086\n".encode(), 1, 2, "U+0086"),
        # The other line breaks are line ends, FORM FEED and U+2029 a line end and a blank line.
        (b"H\x0cL\x1b", 3, 2, "U+001B"),
        ("H\u2029\u2028\x85\x0bL\x1b".encode(), 6, 2, "U+001B"),
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


_SPECIAL = "\n\r\t\x00\x0b\x85\u2028\ud800\ufdd0\ufffe\U0001fffe\U0010ffff\U0001f600"


@given(st.characters() | st.sampled_from(_SPECIAL))
def test_text_search_allows_only_line_ends_more_than_the_model(char: str) -> None:
    # The model's test of every code point is in tests/test_model.py; here, only that a text
    # of lines allows LF and CR besides, and finds a character where it stands.
    expected = char not in "\n\r" and FORBIDDEN.match(char) is not None
    assert (_input._first_forbidden(char) is not None) == expected
    found = _input._first_forbidden(f"ab\n{char}\r\n")
    assert (None if found is None else found.start()) == (3 if expected else None)
