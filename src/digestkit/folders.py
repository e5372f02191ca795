"""Many digest files as article rows: finding them, reading them, setting bad ones aside.

The engines' readers (``digestkit.dask``, ``digestkit.spark``) and the CLI's batches list
their inputs with `find_files` and read a group of them with `read_files`: the rows of
``digestkit.arrow.arrow_schema`` for the good files, one error record
(``digestkit.arrow.error_schema``) for each bad one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from digestkit.errors import DigestError, ParseError

if TYPE_CHECKING:
    import pyarrow as pa

    from digestkit.model import Digest

__all__ = ["error_record", "find_files", "read_files"]


def error_record(error: BaseException, source: str) -> dict[str, Any]:
    """Return the error record (``error_schema``) of a file that could not be read."""
    if isinstance(error, ParseError):
        return {
            "source": error.source if error.source not in ("<string>", "<stream>") else source,
            "line": error.line,
            "column": error.column,
            "message": error.message,
        }
    if isinstance(error, DigestError):
        message = str(error)
    else:
        # Not an error digestkit raises on purpose: still one file's fault, so a record
        # rather than a failed job, but named for what it is.
        message = f"unexpected {type(error).__name__}: {error}"
    return {"source": source, "line": None, "column": None, "message": message}


def _digests_in(path: str) -> Iterator[Digest]:
    from digestkit.api import load
    from digestkit.registry import default_registry

    fmt = default_registry().for_path(path)
    if fmt.collection_reader is not None:
        yield from fmt.collection_reader(path)
    else:
        yield load(path, fmt)


def find_files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    """Return the files that a path, a folder, a glob pattern or a list of them names.

    A folder stands for every file under it, but for names that begin with ``.`` or ``_``
    (an atomic writer's temporary files; ``_SUCCESS`` and ``_metadata`` files, which Spark
    and Hadoop leave in their output folders); a pattern is expanded (``**`` included).
    Sorted, so a job sees the files in the same order on every run.

    Raises:
        FileNotFoundError: a path that is not a pattern names nothing.
    """
    import glob
    from pathlib import Path

    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    found: list[str] = []
    for item in (os.fspath(entry) for entry in items):
        if any(char in item for char in "*?["):
            found.extend(p for p in glob.glob(item, recursive=True) if Path(p).is_file())
        elif Path(item).is_dir():
            found.extend(
                str(p)
                for p in Path(item).rglob("*")
                if p.is_file() and not any(part[0] in "._" for part in p.relative_to(item).parts)
            )
        elif Path(item).is_file():
            found.append(item)
        else:
            raise FileNotFoundError(f"{item}: no such file or folder")
    return sorted(found)


def read_files(paths: Iterable[str]) -> tuple[pa.RecordBatch, list[dict[str, Any]]]:
    """Read digest files into one batch of article rows, setting bad files aside.

    Each file's format is inferred from its extension; a Parquet file yields each digest
    it holds. A file that cannot be read (unknown extension, binary or undecodable text, a
    hostile archive, any reader error) adds no row and one error record instead, and the
    rows of the good files are kept.

    Returns:
        The rows (``arrow_schema``) and the error records (``error_schema`` dicts).
    """
    from digestkit.arrow import RowBuilder

    rows = RowBuilder()
    errors: list[dict[str, Any]] = []
    for path in paths:
        try:
            digests = list(_digests_in(path))
        except Exception as err:  # one bad file must not fail the job: it is recorded
            errors.append(error_record(err, path))
            continue
        for index, digest in enumerate(digests):
            rows.add(index, digest.metadata, digest.articles, source_file=path)
    return rows.flush(), errors
