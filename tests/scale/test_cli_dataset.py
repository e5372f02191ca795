"""``digestkit convert inbox/ -t parquet -o digests.parquet``: a folder into one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import digestkit
from digestkit.cli import main
from digestkit.formats.parquet import _io, iter_digests

from .conftest import Corpus

duckdb = pytest.importorskip("duckdb")


def _good_in_folder(root: Path) -> tuple[list[str], list[digestkit.Digest]]:
    """The folder's own good files (not those of subfolders), in name order, and their digests."""
    sources, digests = [], []
    for name in ["copy-0.txt", "copy-2.txt", "copy-4.txt", "many.parquet", "wire.json"]:
        path = root / name
        read = list(iter_digests(path)) if path.suffix == ".parquet" else [digestkit.load(path)]
        sources += [str(path)] * len(read)
        digests += read
    return sources, digests


@pytest.mark.parametrize(("jobs", "strict"), [("1", []), ("2", []), ("1", ["--strict"])])
def test_a_folder_into_one_parquet_file(
    corpus: Corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str, strict: list[str]
) -> None:
    target = tmp_path / "digests.parquet"
    command = ["convert", str(corpus.root), "-t", "parquet", "-o", str(target), "-j", jobs]
    code = main([*command, *strict])
    err = capsys.readouterr().err
    # Two bad files in the folder itself: reported and counted, the rest written; they fail
    # the job only with --strict.
    assert code == (1 if strict else 0)
    assert f"{corpus.root / 'binary.txt'}:1:1: error:" in err
    assert f"{corpus.root / 'hostile.epub'}!/EPUB/a00001.xhtml:2:1: error:" in err
    assert "wrote 7 digest(s) from 5 of 7 file(s)" in err
    sources, digests = _good_in_folder(corpus.root)
    assert list(iter_digests(target)) == digests
    written = pq.read_table(target, columns=["digest", "source_file"]).to_pylist()
    assert [row["source_file"] for row in written] == [
        source for source, digest in zip(sources, digests, strict=True) for _ in digest.articles
    ]


def test_overrides_and_a_clean_batch_exit_0(
    corpus: Corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.parquet"
    inputs = [str(corpus.root / "copy-0.txt"), str(corpus.root / "wire.json")]
    assert main(["convert", *inputs, "-o", str(target), "--title", "All", "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert [d.metadata.title for d in iter_digests(target)] == ["All", "All"]


def test_a_format_of_one_digest_per_file_needs_a_folder(
    corpus: Corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    assert main(["convert", str(corpus.root), "-t", "json", "-o", str(target)]) == 2
    assert "use -d OUTDIR" in capsys.readouterr().err
    assert not target.exists()


def _parts(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.mark.parametrize(("jobs", "strict"), [("1", []), ("2", []), ("1", ["--strict"])])
def test_a_folder_into_a_dataset(
    corpus: Corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str, strict: list[str]
) -> None:
    out = tmp_path / "dataset"
    command = ["convert", str(corpus.root), "-t", "parquet", "-d", str(out), "-j", jobs]
    code = main([*command, "--max-rows-per-file", "12", *strict])
    err = capsys.readouterr().err
    assert code == (1 if strict else 0)
    assert f"{corpus.root / 'binary.txt'}:1:1: error:" in err
    assert "wrote 7 digest(s) from 5 of 7 file(s)" in err
    sources, digests = _good_in_folder(corpus.root)
    # A part ends at the first digest boundary past 12 rows: 10+8, 6+2, 3+0+5 articles.
    assert _parts(out) == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    assert [d for part in _parts(out) for d in iter_digests(out / part)] == digests
    # DuckDB, knowing nothing of digestkit, reads the folder as one table.
    rows = duckdb.sql(
        f"SELECT source_file, headline FROM read_parquet('{out}/*.parquet') "
        "ORDER BY filename, digest, article"
    ).fetchall()
    assert rows == [
        (source, article.headline)
        for source, digest in zip(sources, digests, strict=True)
        for article in digest.articles
    ]
    assert ds.dataset(out, format="parquet").count_rows() == len(rows)


def test_a_dataset_replaces_a_previous_one_whole(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    first = ["convert", str(corpus.root / "copy-0.txt"), "-d", str(out), "-t", "parquet", "-q"]
    assert main(first) == 0
    assert main(["convert", str(corpus.root), "-d", str(out), "-t", "parquet", "-q"]) == 0
    assert _parts(out) == ["part-00000.parquet"]
    assert list(iter_digests(out / "part-00000.parquet")) == _good_in_folder(corpus.root)[1]
    assert _parts(tmp_path) == ["dataset"]  # nothing left beside it


def test_a_failing_dataset_leaves_the_previous_one(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dataset"
    command = ["convert", str(corpus.root), "-d", str(out), "-t", "parquet", "-q"]
    assert main([*command, "--max-rows-per-file", "1"]) == 0
    before = {name: (out / name).read_bytes() for name in _parts(out)}
    assert len(before) == 6  # a part per digest, the empty one sharing the next one's
    real = _io.write_digests
    calls = []

    def failing(*args: Any, **kwargs: Any) -> int:
        calls.append(args[1])
        if len(calls) == 3:  # two parts written, then Ctrl-C
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(_io, "write_digests", failing)
    assert main([*command, "--max-rows-per-file", "2", "--title", "New"]) == 130
    assert len(calls) == 3
    assert {name: (out / name).read_bytes() for name in _parts(out)} == before
    assert _parts(tmp_path) == ["dataset"]  # the half-built dataset is gone


def test_a_dataset_never_replaces_other_files(
    corpus: Corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    code = main(["convert", str(corpus.root / "copy-0.txt"), "-d", str(out), "-t", "parquet"])
    assert code == 1
    assert "the folder holds 'notes.txt'" in capsys.readouterr().err
    assert _parts(out) == ["notes.txt"]
    assert _parts(tmp_path) == ["mine"]
