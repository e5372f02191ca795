"""Any input to the json, jsonl and xml readers gives a digest or a ParseError, nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import digestkit
from digestkit.errors import ParseError
from digestkit.model import Digest, Metadata

FORMATS = ["json", "jsonl", "xml"]


def reads_or_refuses(data: bytes | str, fmt: str) -> None:
    """Assert ``data`` reads as a digest that round-trips, or raises a located ParseError."""
    try:
        digest = digestkit.loads(data, fmt, source="fuzz")
    except ParseError as err:
        error = err
    else:
        assert isinstance(digest, Digest)
        assert digestkit.loads(digestkit.dumps(digest, fmt), fmt) == digest
        return
    assert (error.source, error.format) == ("fuzz", fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@given(data=st.binary())
def test_arbitrary_bytes_parse_or_raise_parse_error(fmt, data):
    reads_or_refuses(data, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@given(text=st.text())
def test_arbitrary_text_parses_or_raises_parse_error(fmt, text):
    reads_or_refuses(text, fmt)


_LINES = st.sampled_from(
    [
        '{"format_version":1,"metadata":{"language":"en"}}',
        '{"headline":"H","body":[]}',
        '{"headline":"H","lead":"L","body":["p"]}',
        '{"headline":"H","lead":"L","body":["p", " q"]}',
        "",
        " ",
        "{",
        "[]",
        "null",
        "\ufeff",
    ]
)


@given(st.lists(_LINES, max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_json_lines_soups_parse_or_raise_parse_error(lines, end):
    reads_or_refuses(end.join(lines), "jsonl")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("spelling", "day"),
    [
        ("2025-10-20", "2025-10-20"),
        ("20251020", None),
        ("2025-W43-1", None),
        ("2025-293", None),
        ("2025-10-20T00:00", None),
        ("2025-02-30", None),
        ("٢٠٢٥-١٠-٢٠", None),  # Arabic-Indic digits: decimal to Python, not to a schema
    ],
)
def test_every_format_accepts_the_same_date_spellings(fmt, spelling, day):
    written = digestkit.dumps(Digest(metadata=Metadata(date=dt.date(2025, 10, 20))), fmt)
    assert written.count("2025-10-20") == 1
    data = written.replace("2025-10-20", spelling)
    if day is None:
        with pytest.raises(ParseError, match="date"):
            digestkit.loads(data, fmt)
    else:
        assert digestkit.loads(data, fmt).metadata.date == dt.date.fromisoformat(day)
