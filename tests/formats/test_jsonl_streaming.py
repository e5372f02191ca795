"""JSON Lines through the streaming API: the format's stream hooks are wired."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

from hypothesis import given

import digestkit
from digestkit import Article, Digest
from digestkit.testing import digests


def test_jsonl_declares_stream_hooks() -> None:
    fmt = digestkit.default_registry().get("jsonl")
    assert fmt.stream_reader is not None
    assert fmt.stream_writer is not None


@given(digests())
def test_stream_round_trip_matches_whole_reads(digest: Digest) -> None:
    out = io.BytesIO()
    digestkit.write_articles(iter(digest.articles), out, "jsonl", metadata=digest.metadata)
    assert out.getvalue() == digestkit.dumps(digest, "jsonl").encode("utf-8")
    out.seek(0)
    with digestkit.iter_articles(out, "jsonl") as stream:
        articles = tuple(stream)
        assert stream.metadata == digest.metadata
    assert articles == digest.articles


def _peak_while_streaming(path: Path) -> int:
    tracemalloc.start()
    try:
        with digestkit.iter_articles(path) as stream:
            for _ in stream:
                pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_streaming_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    article = Article("A headline", "A lead paragraph.", [("Body text. " * 40).strip()] * 5)
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    digestkit.write_articles([article] * 200, small)
    digestkit.write_articles([article] * 2000, large)
    assert large.stat().st_size > 9 * small.stat().st_size
    _peak_while_streaming(small)  # warm caches and lazy imports
    assert _peak_while_streaming(large) < _peak_while_streaming(small) + 64 * 1024
