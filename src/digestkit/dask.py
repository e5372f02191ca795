"""Folders of digests as Dask bags and dataframes (the ``dask`` extra).

>>> articles, errors = read_digests("inbox/")                    # doctest: +SKIP
>>> frame = to_dataframe(articles)                               # doctest: +SKIP
>>> rows, bad = dask.compute(frame.shape[0], errors.count())     # doctest: +SKIP

Each task reads a group of files (``files_per_partition``) into article records, the rows
of ``digestkit.arrow.arrow_schema`` as dicts; a file that cannot be read becomes one
error record (``digestkit.arrow.error_schema``: source, line, column, message) and never
an exception in the scheduler. Every collection here is made from the results of one
reading task per group of files, named by the files: compute what you need together
(``dask.compute(articles, errors)``, or `read_dataframe`'s frame and errors) and each
file is read once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from digestkit.arrow import arrow_schema, error_schema
from digestkit.folders import find_files, read_files

if TYPE_CHECKING:
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow as pa
    from dask.delayed import Delayed

__all__ = ["read_dataframe", "read_digests", "to_dataframe"]


_Part = tuple["pa.RecordBatch", "pa.RecordBatch"]


def _read_part(group: list[str]) -> _Part:
    """The one task that reads files: every collection of this module is made from its
    results, so computing several of them together reads each file once.

    The articles and the error records both as Arrow record batches: what a worker holds
    and sends is columns (pickled as buffers), never a Python object per row.
    """
    import pyarrow as pa

    rows, errors = read_files(group)
    return rows, pa.RecordBatch.from_pylist(errors, schema=error_schema())


def _rows(part: _Part) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = part[0].to_pylist()
    return rows


def _errors(part: _Part) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = part[1].to_pylist()
    return errors


def _errors_frame_of(part: _Part) -> pd.DataFrame:
    import pandas as pd

    return part[1].to_pandas(types_mapper=pd.ArrowDtype)


def _frame_of(part: _Part) -> pd.DataFrame:
    import pandas as pd

    # Arrow to pandas with no Python object per row.
    return part[0].to_pandas(types_mapper=pd.ArrowDtype)


def _parts(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], files_per_partition: int
) -> list[Delayed]:
    """One ``_read_part`` task per group of files (one empty group when there is no file).

    ``pure``: the key is derived from the files, so two collections made from the same
    paths name the same tasks, and Dask runs each once when they are computed together.
    """
    from dask.delayed import delayed

    groups = _groups(paths, files_per_partition) or [[]]
    read = delayed(_read_part, pure=True)
    return [read(group) for group in groups]


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
    from dask.delayed import delayed

    parts = _parts(paths, files_per_partition)
    # dask.bag is untyped: its calls are marked below.
    rows = [delayed(_rows, pure=True)(part) for part in parts]
    errors = [delayed(_errors, pure=True)(part) for part in parts]
    return db.from_delayed(rows), db.from_delayed(errors)  # type: ignore[no-untyped-call]


def _groups(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], files_per_partition: int
) -> list[list[str]]:
    if files_per_partition < 1:
        raise ValueError(f"files_per_partition must be at least 1, found {files_per_partition}")
    files = find_files(paths)
    return [files[i : i + files_per_partition] for i in range(0, len(files), files_per_partition)]


def _meta(schema: pa.Schema | None = None) -> pd.DataFrame:
    import pandas as pd

    chosen = arrow_schema() if schema is None else schema
    return chosen.empty_table().to_pandas(types_mapper=pd.ArrowDtype)


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    table = pa.Table.from_pylist(list(records), schema=arrow_schema())
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def read_dataframe(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    files_per_partition: int = 16,
) -> tuple[dd.DataFrame, dd.DataFrame]:
    """Return a Dask dataframe of articles and one of error records, from one reading.

    The articles are typed as `to_dataframe` describes, each partition going from Arrow to
    pandas with no Python object per row; the errors have the columns of
    ``digestkit.arrow.error_schema``. Both come from the same tasks: compute what you need
    of them together (``dask.compute(frame.to_parquet(out, compute=False), errors)``) and
    each file is read once. (Dataframes rather than a bag of errors: Dask warns when a
    bag and a dataframe are computed together.)

    Args:
        paths: as `read_digests` takes them.
        files_per_partition: how many files one task reads.

    Raises:
        FileNotFoundError: a path that is not a pattern names nothing.
    """
    import dask.dataframe as dd
    from dask.delayed import delayed

    parts = _parts(paths, files_per_partition)
    frames = [delayed(_frame_of, pure=True)(part) for part in parts]
    errors = [delayed(_errors_frame_of, pure=True)(part) for part in parts]
    frame: dd.DataFrame = dd.from_delayed(frames, meta=_meta(), verify_meta=False)
    bad: dd.DataFrame = dd.from_delayed(errors, meta=_meta(error_schema()), verify_meta=False)
    return frame, bad


def to_dataframe(
    articles: db.Bag | str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    files_per_partition: int = 16,
) -> dd.DataFrame:
    """Return a Dask dataframe of articles, typed by the Arrow schema.

    Each column has the ``pandas.ArrowDtype`` of its Arrow type (``body`` a list of
    strings, ``date`` a ``date32``), the ``meta`` Dask is given.

    Args:
        articles: the article bag of `read_digests`, or the paths themselves (as
            `read_digests` takes them): then the dataframe of `read_dataframe`, whose
            error records that function gives too.
        files_per_partition: with paths, how many files one task reads.
    """
    import dask.bag as db
    import dask.dataframe as dd
    from dask.delayed import delayed

    if not isinstance(articles, db.Bag):
        return read_dataframe(articles, files_per_partition=files_per_partition)[0]
    # dask.bag is untyped: its calls are marked below.
    parts = [delayed(_frame)(part) for part in articles.to_delayed()]  # type: ignore[no-untyped-call]
    frame: dd.DataFrame = dd.from_delayed(parts, meta=_meta(), verify_meta=False)
    return frame
