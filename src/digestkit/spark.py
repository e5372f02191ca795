"""Digest files as a Spark DataFrame: a PySpark (4.0 or later) Python Data Source.

>>> from digestkit.spark import DigestDataSource                    # doctest: +SKIP
>>> spark.dataSource.register(DigestDataSource)                     # doctest: +SKIP
>>> articles = spark.read.format("digest").load("inbox/")           # doctest: +SKIP
>>> errors = spark.read.format("digest").option("errors", "only").load("inbox/")  # doctest: +SKIP

``load`` takes a file, a folder (every file under it) or a glob pattern. The articles have
the columns of ``digestkit.arrow.arrow_schema``; with ``.option("errors", "only")`` the
DataFrame holds one error record per file that could not be read instead (the columns of
``digestkit.arrow.error_schema``). A partition is a group of files
(``.option("filesPerPartition", 16)``); each is read on an executor into one Arrow record
batch. The executors' Python needs digestkit with the ``spark`` extra installed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from pyspark.sql.datasource import DataSource, DataSourceReader, InputPartition

from digestkit.arrow import arrow_schema, error_schema
from digestkit.folders import find_files, read_files

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql.types import StructType

__all__ = ["DigestDataSource", "DigestReader"]

_MODES = ("skip", "only")


def _mode(options: Mapping[str, str]) -> str:
    mode = options.get("errors", "skip")
    if mode not in _MODES:
        raise ValueError(f"option errors: expected one of {', '.join(_MODES)}, found {mode!r}")
    return mode


class DigestDataSource(DataSource):
    """The ``digest`` data source: one row per article of the digest files under a path."""

    @classmethod
    def name(cls) -> str:
        """The format name for ``spark.read.format(...)``."""
        return "digest"

    def schema(self) -> StructType:
        """The Spark form of ``arrow_schema`` (or of the error schema)."""
        from pyspark.sql.pandas.types import from_arrow_schema

        chosen = error_schema() if _mode(self.options) == "only" else arrow_schema()
        return from_arrow_schema(chosen)

    def reader(self, schema: StructType) -> DigestReader:
        """A reader of the files that the ``path`` option names."""
        return DigestReader(dict(self.options))


class DigestReader(DataSourceReader):
    """Lists the files on the driver; reads a group of them per partition on an executor."""

    def __init__(self, options: dict[str, Any]) -> None:
        path = options.get("path")
        if not path:
            raise ValueError(
                "the digest source needs a path: spark.read.format('digest').load(path)"
            )
        self.mode = _mode(options)
        size = int(options.get("filesPerPartition", options.get("filesperpartition", 16)))
        if size < 1:
            raise ValueError(f"option filesPerPartition must be at least 1, found {size}")
        files = find_files(path)
        self.groups = [files[i : i + size] for i in range(0, len(files), size)]

    def partitions(self) -> list[InputPartition]:
        """One partition per group of files."""
        return [InputPartition(group) for group in self.groups]

    def read(self, partition: InputPartition) -> Iterator[pa.RecordBatch]:
        """Yield the partition's articles (or error records) as one Arrow record batch."""
        import pyarrow as pa

        batch, errors = read_files(partition.value)
        if self.mode == "only":
            yield pa.RecordBatch.from_pylist(errors, schema=error_schema())
        else:
            yield batch
