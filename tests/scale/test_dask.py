"""digestkit.dask on a real cluster: a scheduler and two worker processes over TCP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

import dask.bag
import pyarrow.parquet as pq
from dask.base import compute
from distributed import Client, LocalCluster, get_task_stream

from digestkit.arrow import arrow_schema
from digestkit.dask import read_dataframe, read_digests, to_dataframe

from .conftest import Corpus, error_lines, example, languages


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A LocalCluster of two worker processes on 127.0.0.1, closed whatever happens."""
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        protocol="tcp",
        # The scheduler serves HTTP even without a dashboard, on 8787 unless told: a free
        # port, so that a cluster already running elsewhere cannot fail this one.
        dashboard_address="127.0.0.1:0",
    )
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def test_the_cluster_is_two_processes_over_tcp(client: Client) -> None:
    workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    assert all(address.startswith("tcp://127.0.0.1:") for address in workers)
    pids = client.run(__import__("os").getpid)
    assert len(set(pids.values())) == 2


def test_every_good_article_arrives_and_each_bad_file_is_one_record(
    client: Client, corpus: Corpus
) -> None:
    articles, errors = read_digests(corpus.root, files_per_partition=3)
    assert articles.npartitions == 4  # 11 files, 3 per task
    rows, bad = dask.bag.compute(articles, errors)
    assert sorted((r["source_file"], r["digest"], r["article"], r["headline"]) for r in rows) == (
        corpus.articles
    )
    assert error_lines(bad, corpus.root) == corpus.errors


def test_dataframe_has_the_arrow_types(client: Client, corpus: Corpus) -> None:
    articles, _ = read_digests(str(corpus.root / "**" / "*.txt"), files_per_partition=2)
    frame = to_dataframe(articles)
    assert list(frame.columns) == arrow_schema().names
    assert str(frame.dtypes["body"]) == "list<item: string not null>[pyarrow]"
    computed = frame.compute()
    expected = [a for a in corpus.articles if a[0].endswith(".txt")]
    assert len(computed) == len(expected)
    assert sorted(computed["headline"].tolist()) == sorted(a[3] for a in expected)
    assert computed.dtypes.equals(frame.dtypes)


def test_a_missing_path_fails_on_the_client(corpus: Corpus) -> None:
    with pytest.raises(FileNotFoundError, match="nowhere"):
        read_digests(corpus.root / "nowhere")


def test_docs_example(client: Client, corpus: Corpus, tmp_path: Path) -> None:
    docs = example("scale_dask")
    assert docs.articles_per_language(str(corpus.root)) == languages(corpus)
    assert error_lines(docs.bad_files(str(corpus.root)), corpus.root) == corpus.errors
    assert docs.to_parquet(str(corpus.root), str(tmp_path / "out")) == len(corpus.errors)
    written = pq.read_table(
        tmp_path / "out", columns=["source_file", "digest", "article", "headline"]
    )
    assert sorted(tuple(row.values()) for row in written.to_pylist()) == corpus.articles


def test_dataframe_straight_from_paths(client: Client, corpus: Corpus) -> None:
    frame = to_dataframe(corpus.root, files_per_partition=4)
    assert frame.npartitions == 3  # 11 files, 4 per task
    assert frame.dtypes.equals(to_dataframe(read_digests(corpus.root)[0]).dtypes)
    computed = frame.compute()
    assert computed.dtypes.equals(frame.dtypes)
    columns = ["source_file", "digest", "article", "headline"]
    rows = zip(*(computed[name] for name in columns), strict=True)
    assert sorted(rows) == corpus.articles


def test_one_reading_gives_the_dataframe_and_the_errors(client: Client, corpus: Corpus) -> None:
    frame, errors = read_dataframe(corpus.root, files_per_partition=3)
    assert frame.npartitions == 4  # 11 files, 3 per task
    with get_task_stream(client) as stream:
        rows, bad = compute(frame[["source_file", "digest", "article", "headline"]], errors)
    keys = [task["key"] for task in stream.data]
    names = [key if isinstance(key, str) else key[0] for key in keys]
    reads = [name for name in names if name.startswith("_read_part-")]
    assert len(reads) == 4  # each group of files read once, for both results
    assert sorted(rows.itertuples(index=False, name=None)) == corpus.articles
    records = bad.astype(object).where(bad.notna(), None).to_dict("records")
    assert error_lines(records, corpus.root) == corpus.errors
