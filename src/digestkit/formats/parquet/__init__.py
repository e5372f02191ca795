"""The Parquet format: digests as a table of articles, for data engines (``parquet`` extra).

A file holds one row per article in the columns of :func:`digestkit.arrow.arrow_schema`, and
may hold many digests: :func:`write_digests` writes them in row groups as they come and
:func:`iter_digests` reads them back one at a time, both in memory that does not grow with
the file. ``loads``/``dumps`` read and write a file holding one digest.

A digest with no article has no row, so the file's key-value metadata (key ``digestkit``)
holds a JSON object ``{"digests": N, "empty": [{"digest": i, "metadata": {...}}]}``: how many
digests the file holds, and the position and metadata (as the strings of
:mod:`digestkit.codec`) of each empty one. A file without that key (written by another tool
in the same columns) holds as many digests as its rows name, none of them empty.

pyarrow is imported when a file is read or written, not when this module is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING

from digestkit.registry import Format, lazy

if TYPE_CHECKING:
    from digestkit._resolve import PathLike
    from digestkit.model import Digest

__all__ = ["FORMAT", "iter_digests", "write_digests"]

FORMAT = Format(
    name="parquet",
    extensions=("parquet",),
    media_type="application/vnd.apache.parquet",
    description="Apache Parquet table, one row per article (Arrow schema: digestkit.arrow)",
    reader=lazy("digestkit.formats.parquet._io:read"),
    writer=lazy("digestkit.formats.parquet._io:write"),
    binary=True,
    stream_reader=lazy("digestkit.formats.parquet._io:stream_read"),
    stream_writer=lazy("digestkit.formats.parquet._io:stream_write"),
    collection_reader=lazy("digestkit.formats.parquet._io:iter_digests"),
    collection_writer=lazy("digestkit.formats.parquet._io:write_digests"),
)
"""The Parquet format, published under the ``digestkit.formats`` entry point ``parquet``."""


def iter_digests(file: PathLike | IO[bytes], *, source: str | None = None) -> Iterator[Digest]:
    """Yield each digest a Parquet file holds, in order, reading one row group at a time.

    Args:
        file: a path, or a seekable binary file object.
        source: the name to use in error messages (the path by default).

    Raises:
        ParseError: the file is not Parquet, lacks a column of the schema, or its rows do
            not describe digests (the message names the row).
    """
    from digestkit.formats.parquet._io import iter_digests as _iter

    return _iter(file, source=source)


def write_digests(
    digests: Iterable[Digest],
    file: PathLike | IO[bytes],
    *,
    source_files: Iterable[str | None] | None = None,
    row_group_size: int = 10_000,
) -> int:
    """Write digests into one Parquet file as they come; a path is written atomically.

    Args:
        digests: the digests, in the order :func:`iter_digests` gives them back.
        file: a path or a binary file object.
        source_files: the file each digest was read from, for the ``source_file`` column.
        row_group_size: the most rows held in memory and written as one row group.

    Returns:
        The number of digests written.
    """
    from digestkit.formats.parquet._io import write_digests as _write

    return _write(digests, file, source_files=source_files, row_group_size=row_group_size)
