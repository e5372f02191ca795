"""digestkit.iter_articles and write_articles: the same results as load/dumps, lazily."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path
from typing import IO, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

import digestkit
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import Format, Registry
from digestkit.testing import digest_like_texts, digests


class Trickle(io.RawIOBase):
    """A binary stream that returns at most a few bytes per read, as a slow pipe does."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self._data = data
        self._sizes = sizes or [1]
        self._reads = 0
        self._at = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        step = self._sizes[self._reads % len(self._sizes)]
        self._reads += 1
        piece = self._data[self._at : self._at + min(step, size if size >= 0 else step)]
        self._at += len(piece)
        return piece


def _trickle(data: bytes, sizes: list[int]) -> IO[bytes]:
    # A raw stream is what a pipe gives; typing's IO[bytes] does not count it as one.
    return cast(IO[bytes], Trickle(data, sizes))


def _whole(data: bytes) -> tuple[object, ...]:
    diagnostics: list[digestkit.Diagnostic] = []
    try:
        digest = digestkit.loads(data, source="<stream>", diagnostics=diagnostics)
    except digestkit.ParseError as err:
        return ("error", err.message, err.line, err.column)
    lines = [a.lines for a in digest.articles]
    return (digest.metadata, digest.articles, lines, diagnostics)


def _streamed(stream: IO[bytes]) -> tuple[object, ...]:
    diagnostics: list[digestkit.Diagnostic] = []
    try:
        with digestkit.iter_articles(stream, "text", diagnostics=diagnostics) as articles:
            found = tuple(articles)
            metadata = articles.metadata
    except digestkit.ParseError as err:
        return ("error", err.message, err.line, err.column)
    return (metadata, found, [a.lines for a in found], diagnostics)


def _same_as_loads(data: bytes, sizes: list[int]) -> None:
    whole = _whole(data)
    streamed = _streamed(_trickle(data, sizes))
    if whole[0] != "error":
        assert streamed == whole
        return
    # Read in one chunk, the fault found is the one loads reports. In small chunks, the
    # first fault met is reported, which can be no later than that one (loads looks for
    # NUL bytes, then bad bytes, then bad characters, each over the whole input).
    assert _streamed(_trickle(data, [len(data) + 1])) == whole
    assert streamed[0] == "error"
    assert streamed[2:] <= whole[2:]


_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32"])


@given(
    text=digest_like_texts(),
    encoding=_ENCODINGS,
    sizes=st.lists(st.integers(1, 7), min_size=1, max_size=5),
)
def test_streaming_reads_what_loads_reads(text: str, encoding: str, sizes: list[int]) -> None:
    # utf-16-be has no BOM: both readers must refuse it the same way.
    try:
        data = text.encode(encoding, "surrogatepass")
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    if encoding == "utf-16-be" and data.startswith(b"\xfe\xff"):
        data = data[2:]
    _same_as_loads(data, sizes)


@given(data=st.binary(max_size=40), sizes=st.lists(st.integers(1, 5), min_size=1, max_size=3))
def test_streaming_refuses_bytes_as_loads_does(data: bytes, sizes: list[int]) -> None:
    _same_as_loads(data, sizes)


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"Head\r\n\r\nLead\xff\r\n", 3, 5),
        (b"A\r\rB\x1c", 3, 2),
        ("Head\n\nLé\u009b".encode(), 3, 3),
        # FORM FEED is a line end and a blank line, NEL a line end, wherever a chunk ends.
        (b"A\x0cB\xc2\x85\x1c", 4, 1),
        (b"\xef\xbb\xbfHead\n\x00", 2, 1),
    ],
)
def test_errors_are_located_across_chunks(data: bytes, line: int, column: int) -> None:
    for size in (1, 2, 3, 64):
        with pytest.raises(digestkit.ParseError) as info:
            list(digestkit.iter_articles(_trickle(data, [size]), "text"))
        assert (info.value.line, info.value.column) == (line, column)
        assert info.value.source == "<stream>"


def test_crlf_split_between_chunks_is_one_line_end() -> None:
    data = b"Head\r\n\r\nLead\r\n\r\nKeep reading\r\n"
    with digestkit.iter_articles(_trickle(data, [5, 1]), "text") as articles:
        (article,) = articles
    assert article == Article("Head", "Lead")
    assert article.lines == (1, 3)


def test_front_matter_is_read_before_the_first_article(sample_bytes: bytes) -> None:
    digest = digestkit.loads(sample_bytes)
    dated = Digest(digest.articles, Metadata(title="Daily", language="de"))
    stream = digestkit.iter_articles(io.BytesIO(digestkit.dumps(dated).encode()), "text")
    assert stream.metadata == dated.metadata
    assert tuple(stream) == digest.articles


@given(digest=digests(), sizes=st.lists(st.integers(1, 9), min_size=1, max_size=3))
def test_write_articles_writes_what_dumps_writes(digest: Digest, sizes: list[int]) -> None:
    out = io.BytesIO()
    count = digestkit.write_articles(iter(digest.articles), out, "text", metadata=digest.metadata)
    assert count == len(digest.articles)
    assert out.getvalue() == digestkit.dumps(digest, "text").encode()
    streamed = digestkit.iter_articles(_trickle(out.getvalue(), sizes), "text")
    assert (streamed.metadata, tuple(streamed)) == (digest.metadata, digest.articles)


def test_a_path_is_opened_and_closed(sample_path: Path, tmp_path: Path) -> None:
    stream = digestkit.iter_articles(sample_path)
    first = next(stream)
    assert first.lines is not None
    assert first.lines[0] == 1
    stream.close()
    assert list(stream) == []
    target = tmp_path / "copy.txt"
    assert digestkit.write_articles(digestkit.iter_articles(sample_path), target) == 10
    assert digestkit.load(target) == digestkit.load(sample_path)


def test_a_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(digestkit.ParseError, match="cannot read"):
        digestkit.iter_articles(tmp_path / "missing.txt")


def test_unknown_option_is_refused(sample_path: Path) -> None:
    with pytest.raises(digestkit.OptionError, match="marker"):
        digestkit.iter_articles(sample_path, mark="x")
    with pytest.raises(digestkit.OptionError):
        digestkit.write_articles([], io.BytesIO(), "text", colour=True)


def test_write_articles_refuses_what_is_not_an_article() -> None:
    with pytest.raises(TypeError, match=r"articles\[1\]"):
        digestkit.write_articles([Article("A"), "B"], io.BytesIO(), "text")  # type: ignore[list-item]


@pytest.fixture
def whole_only(monkeypatch: pytest.MonkeyPatch) -> Format:
    """A fresh default registry holding a format with neither streaming hook."""
    registry = Registry()
    monkeypatch.setattr("digestkit.registry._default", registry)
    text = registry.get("text")
    fmt = Format(
        name="whole",
        extensions=("whole",),
        media_type="text/x-whole",
        description="plain text without the streaming hooks",
        reader=text.reader,
        writer=text.writer,
    )
    registry.register(fmt, "tests")
    return fmt


def test_formats_without_hooks_are_read_and_written_whole(
    whole_only: Format, sample_bytes: bytes, tmp_path: Path
) -> None:
    digest = digestkit.loads(sample_bytes)
    stream = digestkit.iter_articles(io.BytesIO(sample_bytes), "whole")
    assert tuple(stream) == digest.articles
    target = tmp_path / "out.whole"
    assert digestkit.write_articles(digest.articles, target) == len(digest.articles)
    assert target.read_bytes() == digestkit.dumps(digest).encode()


def _generated(size: int) -> bytes:
    article = (
        "A headline about something\u00a0\n\nThe lead paragraph, with a few words in it.\n\n"
        "A body paragraph that goes on for a little while longer than the lead.\n\n"
        "Keep reading\n\n"
    ).encode()
    return article * (size // len(article) + 1)


def _peak(data: bytes) -> tuple[int, int]:
    # Counting the articles keeps none of them, as a pipeline would.
    tracemalloc.start()
    try:
        count = sum(1 for _ in digestkit.iter_articles(io.BytesIO(data), "text"))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_input() -> None:
    _peak(_generated(1000))  # first-time imports and compiled patterns are not the input's
    small, large = _generated(1 << 20), _generated(10 << 20)
    small_count, small_peak = _peak(small)
    large_count, large_peak = _peak(large)
    assert large_count >= 9 * small_count
    # Ten times the input, not ten times the memory: within one chunk's worth (64 KiB).
    assert large_peak < small_peak + (1 << 16), (small_peak, large_peak)
    assert large_peak < 1 << 20
