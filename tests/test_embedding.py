"""Embedding digestkit: models cross process boundaries, and every public function is
safe to call from many threads at once."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from importlib import metadata

from hypothesis import given

import digestkit
from digestkit.model import Digest
from digestkit.testing import digests


@given(digest=digests())
def test_models_pickle(digest: Digest) -> None:
    copy = pickle.loads(pickle.dumps(digest))
    assert copy == digest
    assert [a.lines for a in copy.articles] == [a.lines for a in digest.articles]


def _parse_in_worker(data: bytes) -> Digest:
    return digestkit.loads(data)


def _fail_in_worker(data: bytes) -> Digest:
    return digestkit.loads(data, source="worker.txt")


def test_models_and_errors_cross_processes(sample_bytes: bytes) -> None:
    here = digestkit.loads(sample_bytes)
    with ProcessPoolExecutor(max_workers=2) as pool:
        there = list(pool.map(_parse_in_worker, [sample_bytes] * 4))
        failed = pool.submit(_fail_in_worker, b"Head\n\nbad \x01\n").exception()
    assert all(digest == here for digest in there)
    assert [a.lines for a in there[0].articles] == [a.lines for a in here.articles]
    assert isinstance(failed, digestkit.ParseError)
    assert (failed.source, failed.line, failed.column) == ("worker.txt", 3, 5)


def test_public_functions_are_thread_safe(sample_bytes: bytes) -> None:
    # A fresh registry, so that the threads race on its first discovery and loading too.
    from digestkit import registry as registry_module

    fresh = registry_module.Registry()
    # Every name published in the group, read without digestkit's registry.
    group = metadata.entry_points(group=registry_module.ENTRY_POINT_GROUP)
    names = sorted({entry_point.name for entry_point in group})
    expected = digestkit.loads(sample_bytes)
    text = digestkit.dumps(expected)

    def work(index: int) -> bool:
        fmt = fresh.get("text") if index % 2 else fresh.for_path("x.txt")
        digest = digestkit.loads(sample_bytes, fmt)
        streamed = tuple(digestkit.iter_articles(__import__("io").BytesIO(sample_bytes), fmt))
        return (
            digest == expected
            and streamed == expected.articles
            and digestkit.dumps(digest, fmt) == text
            and fresh.names() == names
        )

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(work, range(200)))
    assert all(results)
    assert fresh.get("text") is fresh.get("text")
