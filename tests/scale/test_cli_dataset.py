"""``digestkit convert inbox/ -t parquet -o digests.parquet``: a folder into one file."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

import digestkit
from digestkit.cli import main
from digestkit.formats.parquet import iter_digests

from .conftest import Corpus


def _good_in_folder(root: Path) -> tuple[list[str], list[digestkit.Digest]]:
    """The folder's own good files (not those of subfolders), in name order, and their digests."""
    sources, digests = [], []
    for name in ["copy-0.txt", "copy-2.txt", "copy-4.txt", "many.parquet", "wire.json"]:
        path = root / name
        read = list(iter_digests(path)) if path.suffix == ".parquet" else [digestkit.load(path)]
        sources += [str(path)] * len(read)
        digests += read
    return sources, digests


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_folder_into_one_parquet_file(
    corpus: Corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    target = tmp_path / "digests.parquet"
    code = main(["convert", str(corpus.root), "-t", "parquet", "-o", str(target), "-j", jobs])
    err = capsys.readouterr().err
    assert code == 1  # two bad files in the folder itself: reported, the rest written
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
