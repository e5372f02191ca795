"""Decoding and positions (digestkit/_textio.py), shared by the text-based formats."""

from __future__ import annotations

import tracemalloc

import pytest

import digestkit
from digestkit._textio import position


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [("abc\x00", 1, 4), ("ééé\x00", 1, 4), ("a\n€€\x00x", 2, 3), ("\ufeffx\x00", 1, 2)],
)
def test_nul_byte_is_located_in_characters(text: str, line: int, column: int) -> None:
    # The column counts characters, not bytes (a fix found by the streaming tests).
    with pytest.raises(digestkit.ParseError) as info:
        digestkit.loads(text.encode("utf-8"))
    assert (info.value.line, info.value.column) == (line, column)


def _reference_position(text: str, offset: int) -> tuple[int, int]:
    lines = text[:offset].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return len(lines), len(lines[-1]) + 1


@pytest.mark.parametrize(
    "text", ["", "abc", "a\nb", "a\r\nb", "a\rb", "\r\n\r\n", "x\r", "\n\r", "ab\r\ncd\ref\ngh"]
)
def test_position_counts_every_line_end(text: str) -> None:
    for offset in range(len(text) + 1):
        assert position(text, offset) == _reference_position(text, offset), (text, offset)


def test_an_error_after_four_million_line_breaks_costs_no_memory() -> None:
    text = "H\n\nL\n\n" * 1_000_000 + "x"  # 4,000,000 line breaks
    tracemalloc.start()
    try:
        assert position(text, len(text)) == (4_000_001, 2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Collecting the line breaks took hundreds of megabytes; counting takes nothing.
    assert peak < 64_000


def test_a_nul_after_four_million_line_breaks_costs_no_more_than_the_input() -> None:
    # Front matter sends the input to the general path, which decodes it whole.
    data = b"---\n---" + b"\n" * 4_000_000 + b"\x00"
    tracemalloc.start()
    try:
        with pytest.raises(digestkit.ParseError) as info:
            digestkit.loads(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (info.value.line, info.value.column) == (4_000_002, 1)
    # The error path decodes the text before the NUL once (the size of the input).
    assert peak < 3 * len(data)
