"""The JSON Lines format: round trips, the line schema, streaming, and errors with lines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from referencing import Registry, Resource

import digestkit
from digestkit import schemas
from digestkit.errors import Diagnostic, OptionError, ParseError
from digestkit.model import Article, Digest, Metadata
from digestkit.testing import articles, digests

_REGISTRY = Registry().with_resource(
    schemas.JSON_SCHEMA, Resource.from_contents(schemas.json_schema())
)
LINE = jsonschema.Draft202012Validator(
    schemas.json_line_schema(),
    registry=_REGISTRY,
    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
)
HEADER = jsonschema.Draft202012Validator(
    {**schemas.json_line_schema(), "oneOf": [{"$ref": "#/$defs/header"}]}, registry=_REGISTRY
)

DIGEST = Digest(
    [Article("One\u00a0", "Lead", ["a\tb"]), Article("Two"), Article("Three", "L")],
    Metadata(title="T", language="uk"),
)


def check_lines(data: bytes) -> None:
    """Assert every line validates, the first as the header, and each ends with LF."""
    assert data.endswith(b"\n")
    lines = data.split(b"\n")[:-1]
    HEADER.validate(json.loads(lines[0]))
    for line in lines:
        assert b"\r" not in line
        LINE.validate(json.loads(line))


def dumps(digest: Digest, **options: object) -> str:
    """Write a digest as JSON Lines, asserting every line matches the line schema."""
    text = digestkit.dumps(digest, "jsonl", **options)
    check_lines(text.encode())
    return text


@given(digests())
def test_round_trip_and_every_line_matches_the_line_schema(digest):
    text = dumps(digest)
    assert digestkit.loads(text, "jsonl") == digest


def test_shape_one_compact_object_per_line():
    text = dumps(DIGEST)
    assert text.splitlines() == [
        '{"format_version":1,"metadata":{"title":"T","language":"uk"}}',
        '{"headline":"One\u00a0","lead":"Lead","body":["a\\tb"]}',
        '{"headline":"Two","body":[]}',
        '{"headline":"Three","lead":"L","body":[]}',
    ]


def test_ensure_ascii():
    text = dumps(DIGEST, ensure_ascii=True)
    assert text.isascii()
    assert digestkit.loads(text, "jsonl") == DIGEST


def test_crlf_and_bom_are_read():
    data = b"\xef\xbb\xbf" + dumps(DIGEST).replace("\n", "\r\n").encode()
    assert digestkit.loads(data, "jsonl") == DIGEST


def test_missing_final_newline_is_read():
    assert digestkit.loads(dumps(DIGEST).rstrip("\n"), "jsonl") == DIGEST


def test_blank_lines_warn_with_their_number_and_fail_when_strict():
    text = dumps(DIGEST).replace("\n", "\n\n", 2)
    found: list[Diagnostic] = []
    assert digestkit.loads(text, "jsonl", diagnostics=found) == DIGEST
    assert [d.line for d in found] == [2, 4]
    with pytest.raises(ParseError) as info:
        digestkit.loads(text, "jsonl", strict=True)
    assert info.value.line == 2


_HEAD = '{"format_version":1,"metadata":{"language":"en"}}'


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ("", 1, 1, "empty input"),
        ('{"headline":"H","body":[]}', 1, 1, "found an article"),
        ('{"format_version":1}', 1, 1, "header line: missing key 'metadata'"),
        ('{"format_version":3,"metadata":{}}', 1, 19, "upgrade digestkit"),
        ("[1]", 1, 1, "header line: expected an object, found an array"),
        (
            _HEAD + '\n{"headline":"H","body":[]}\n{"headline":"H","body":[1]}',
            3,
            25,
            "body[0]: expected a string",
        ),
        (_HEAD + '\n{"headline":"H","body":[],"x":1}', 2, 1, "unknown key 'x'"),
        (_HEAD + '\n{"headline":"H","body":[]}\n{"headline":', 3, 13, "not valid JSON"),
        (_HEAD + '\n{"headline":"H","body":[]} {}', 2, 28, "Extra data"),
        (
            _HEAD + '\n{"headline":"H","headline":"I","body":[]}',
            2,
            1,
            "'headline' is given twice",
        ),
        (_HEAD + '\n{"headline":" H","body":[]}', 2, 13, "headline: must not begin"),
        (_HEAD + '\n{"headline":"H","body":[]}\n' + _HEAD, 3, 1, "unknown key 'format_version'"),
    ],
)
def test_errors_name_the_line(text, line, column, fragment):
    with pytest.raises(ParseError) as info:
        digestkit.loads(text, "jsonl", source="in.jsonl")
    assert (info.value.line, info.value.column) == (line, column)
    assert fragment in info.value.message
    assert info.value.source == "in.jsonl"


def test_bad_utf8_names_line_and_column():
    data = _HEAD.encode() + b'\n{"headline":"\xff"}\n'
    with pytest.raises(ParseError) as info:
        digestkit.loads(data, "jsonl")
    assert (info.value.line, info.value.column) == (2, 14)


class _CountingReader(io.BytesIO):
    """A binary stream that records how many lines were asked of it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.lines_read = 0

    def readline(self, size: int | None = -1) -> bytes:
        self.lines_read += 1
        return super().readline(size)

    def read(self, size: int | None = -1) -> bytes:
        raise AssertionError("the stream must be read line by line, never whole")


def test_iter_articles_reads_one_line_per_article():
    stream = _CountingReader(dumps(DIGEST).encode())
    articles = digestkit.iter_articles(stream, "jsonl")
    assert stream.lines_read == 1  # the header line, for the metadata
    assert next(articles) == DIGEST.articles[0]
    assert stream.lines_read == 2
    assert next(articles) == DIGEST.articles[1]
    assert stream.lines_read == 3
    assert list(articles) == list(DIGEST.articles[2:])


def test_iter_articles_gives_metadata_first():
    with digestkit.iter_articles(io.BytesIO(dumps(DIGEST).encode()), "jsonl") as stream:
        assert stream.metadata == DIGEST.metadata
        assert tuple(stream) == DIGEST.articles


def test_stream_errors_come_lazily_with_line_and_source(tmp_path: Path):
    path = tmp_path / "big.jsonl"
    path.write_text(_HEAD + '\n{"headline":"H","body":[]}\n{"headline":2}\n', encoding="utf-8")
    articles = digestkit.iter_articles(path)
    assert next(articles).headline == "H"
    with pytest.raises(ParseError) as info:
        next(articles)
    assert (info.value.source, info.value.line) == (str(path), 3)


def test_stream_refuses_overlong_lines():
    data = (_HEAD + '\n{"headline":"' + "x" * 100 + '","body":[]}\n').encode()
    with pytest.raises(ParseError, match="longer than 64 bytes") as info:
        list(digestkit.iter_articles(io.BytesIO(data), "jsonl", max_line_bytes=64))
    assert info.value.line == 2
    assert len(list(digestkit.iter_articles(io.BytesIO(data), "jsonl", max_line_bytes=None))) == 1


@pytest.mark.parametrize("limit", [0, -5, 1.5, "10"])
def test_stream_refuses_bad_limits(limit):
    with pytest.raises(OptionError):
        digestkit.iter_articles(io.BytesIO(b""), "jsonl", max_line_bytes=limit)


def test_stream_refuses_a_text_stream():
    with pytest.raises(TypeError, match="binary"):
        list(digestkit.iter_articles(io.StringIO(_HEAD), "jsonl"))  # type: ignore[arg-type]


@given(st.lists(articles(), max_size=5), st.none() | st.just(Metadata(title="T")))
def test_write_articles_writes_from_any_iterable(items, metadata):
    out = io.BytesIO()
    count = digestkit.write_articles(iter(items), out, "jsonl", metadata=metadata)
    assert count == len(items)
    check_lines(out.getvalue())
    expected = Digest(items, metadata or Metadata())
    assert out.getvalue() == dumps(expected).encode()


def test_write_articles_writes_incrementally():
    out = io.BytesIO()
    sizes = []

    def produce():
        for article in DIGEST.articles:
            sizes.append(out.tell())
            yield article

    digestkit.write_articles(produce(), out, "jsonl")
    assert sizes[0] > 0
    assert sizes[0] < sizes[1] < sizes[2]


def test_write_articles_refuses_non_articles():
    with pytest.raises(TypeError, match="expected Article"):
        digestkit.write_articles([{"headline": "H"}], io.BytesIO(), "jsonl")  # type: ignore[list-item]


@pytest.mark.parametrize(("size", "refused"), [(63, False), (64, False), (65, True)])
def test_line_limit_counts_bytes_before_the_lf(size, refused):
    line = b'{"headline":"' + b"x" * (size - 25) + b'","body":[]}'
    assert len(line) == size
    data = _HEAD.encode() + b"\n" + line + b"\n"
    articles = digestkit.iter_articles(io.BytesIO(data), "jsonl", max_line_bytes=64)
    if refused:
        with pytest.raises(ParseError, match="longer than 64 bytes"):
            list(articles)
    else:
        assert len(list(articles)) == 1
