"""Folders of digests as Dask bags and dataframes (the ``dask`` extra).

>>> articles, errors = read_digests("inbox/")                    # doctest: +SKIP
>>> frame = to_dataframe(articles)                               # doctest: +SKIP
>>> rows, bad = dask.compute(frame.shape[0], errors.count())     # doctest: +SKIP

Each task reads a group of files (``files_per_partition``) into article records, the rows
of ``digestkit.arrow.arrow_schema`` as dicts; a file that cannot be read becomes one
error record (``digestkit.arrow.error_schema``: source, line, column, message) and never
an exception in the scheduler. Both bags come from the same tasks: compute them together
(``dask.compute(articles, errors)``) or ``persist()`` first, or the files are read twice.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from digestkit.arrow import arrow_schema, find_files, read_files

if TYPE_CHECKING:
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

__all__ = ["read_digests", "to_dataframe"]

_ARTICLE, _ERROR = "article", "error"


def _read_group(groups: list[list[str]]) -> list[tuple[str, dict[str, Any]]]:
    tagged: list[tuple[str, dict[str, Any]]] = []
    for group in groups:
        batch, errors = read_files(group)
        tagged.extend((_ARTICLE, row) for row in batch.to_pylist())
        tagged.extend((_ERROR, error) for error in errors)
    return tagged


def _is_article(item: tuple[str, dict[str, Any]]) -> bool:
    return item[0] == _ARTICLE


def _is_error(item: tuple[str, dict[str, Any]]) -> bool:
    return item[0] == _ERROR


def _record(item: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return item[1]


def read_digests(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    files_per_partition: int = 16,
) -> tuple[db.Bag, db.Bag]:
    """Return a bag of article records and a bag of error records for many digest files.

    Args:
        paths: a file, a folder (every file under it), a glob pattern, or a list of them.
            Each file's format is inferred from its extension; a Parquet file gives every
            digest it holds.
        files_per_partition: how many files one task reads.

    Returns:
        ``(articles, errors)``: dicts with the columns of ``digestkit.arrow.arrow_schema``
        and of ``digestkit.arrow.error_schema``.

    Raises:
        FileNotFoundError: a path that is not a pattern names nothing (raised here, on the
            client, before any task runs).
    """
    import dask.bag as db

    groups = _groups(paths, files_per_partition)
    bag = db.from_sequence(groups, npartitions=max(len(groups), 1))  # type: ignore[no-untyped-call]
    tagged = bag.map_partitions(_read_group)
    return tagged.filter(_is_article).map(_record), tagged.filter(_is_error).map(_record)


def _groups(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], files_per_partition: int
) -> list[list[str]]:
    if files_per_partition < 1:
        raise ValueError(f"files_per_partition must be at least 1, found {files_per_partition}")
    files = find_files(paths)
    return [files[i : i + files_per_partition] for i in range(0, len(files), files_per_partition)]


def _meta() -> pd.DataFrame:
    import pandas as pd

    return arrow_schema().empty_table().to_pandas(types_mapper=pd.ArrowDtype)


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    table = pa.Table.from_pylist(list(records), schema=arrow_schema())
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _frame_of_files(group: list[str]) -> pd.DataFrame:
    import pandas as pd

    batch, _ = read_files(group)  # the error records are read_digests' to give
    return batch.to_pandas(types_mapper=pd.ArrowDtype)


def to_dataframe(
    articles: db.Bag | str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    files_per_partition: int = 16,
) -> dd.DataFrame:
    """Return a Dask dataframe of articles, typed by the Arrow schema.

    Each column has the ``pandas.ArrowDtype`` of its Arrow type (``body`` a list of
    strings, ``date`` a ``date32``), the ``meta`` Dask is given.

    Args:
        articles: the article bag of ``read_digests``, or the paths themselves (as
            ``read_digests`` takes them). From paths, each partition goes from Arrow to
            pandas with no Python object per row, which is faster; the files that cannot
            be read are left out (``read_digests`` gives their error records).
        files_per_partition: with paths, how many files one task reads.
    """
    import dask.bag as db
    import dask.dataframe as dd
    from dask.delayed import delayed

    frame: dd.DataFrame
    if isinstance(articles, db.Bag):
        # dask.bag is untyped: its calls are marked below.
        parts = [delayed(_frame)(part) for part in articles.to_delayed()]  # type: ignore[no-untyped-call]
        frame = dd.from_delayed(parts, meta=_meta(), verify_meta=False)
    else:
        groups = _groups(articles, files_per_partition)
        frame = dd.from_map(_frame_of_files, groups, meta=_meta(), enforce_metadata=False)  # type: ignore[no-untyped-call]
    return frame
