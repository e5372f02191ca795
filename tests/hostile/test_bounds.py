"""Every reader of the registry, on hostile inputs up to 1 MB, within 20× plus 64 MiB and 5 s.

The formats are those of :func:`digestkit.default_registry` when the suite runs, plugins
included: a digest of many one-letter paragraphs written by the format's own writer, the same
with a fault near its end, and markup nested deep; each read whole and, where the format
streams, streamed. The bound is linear in the size, so the inputs are about half a megabyte.
"""

from __future__ import annotations

import pytest

import digestkit
from digestkit.model import Article, Digest

from ._measure import MIB, measure

SIZE = MIB // 2
_FORMATS = [
    pytest.param(fmt, id=fmt.name)
    for fmt in digestkit.default_registry().all()
    if fmt.reader is not None
]


def _tiny_paragraphs(fmt: digestkit.Format) -> bytes | None:
    """The format's writing of one article of many one-letter paragraphs, about SIZE bytes."""
    if fmt.writer is None:
        return None
    sample = fmt.writer(Digest([Article("Headline", "a", ["a"] * 1000)]))
    # Compressed formats (EPUB) would need millions of paragraphs to reach SIZE: a count that
    # still passes max_nodes' default is enough to exercise the parse.
    count = min(SIZE * 1000 // len(sample), 90_000)
    return fmt.writer(Digest([Article("Headline", "a", ["a"] * count)]))


def _fault_near_end(data: bytes) -> bytes:
    at = len(data) - min(len(data) // 10, 200)
    return data[:at] + b"\x01" + data[at + 1 :]


def _cases(fmt: digestkit.Format) -> dict[str, bytes]:
    cases = {
        "nested brackets": b"[" * SIZE,
        "nested elements": b"<a>" * (SIZE // 3),
    }
    written = _tiny_paragraphs(fmt)
    if written is not None:
        cases["tiny paragraphs"] = written
        cases["fault near the end"] = _fault_near_end(written)
    return cases


@pytest.mark.parametrize("fmt", _FORMATS)
def test_every_reader_stays_within_the_bound(fmt, written):
    failures = []
    for case, data in _cases(fmt).items():
        path = written(data, f"input.{fmt.extensions[0]}")
        modes = [False, True] if fmt.stream_reader is not None else [False]
        for stream in modes:
            cost = measure(path, fmt.name, stream=stream)
            label = f"{fmt.name}, {case}{', streamed' if stream else ''}: {cost}"
            if cost.outcome.startswith(("ESCAPED", "MemoryError")) or not cost.within_bound():
                failures.append(label)
    assert not failures, "\n".join(failures)
