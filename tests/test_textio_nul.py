"""The column of a NUL byte counts characters, not bytes (a fix found by the streaming tests)."""

from __future__ import annotations

import pytest

import digestkit


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [("abc\x00", 1, 4), ("ééé\x00", 1, 4), ("a\n€€\x00x", 2, 3), ("\ufeffx\x00", 1, 2)],
)
def test_nul_byte_is_located_in_characters(text: str, line: int, column: int) -> None:
    with pytest.raises(digestkit.ParseError) as info:
        digestkit.loads(text.encode("utf-8"))
    assert (info.value.line, info.value.column) == (line, column)
