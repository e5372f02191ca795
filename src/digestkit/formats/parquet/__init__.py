"""The Parquet format: digests as a table of articles, for data engines (``parquet`` extra).

A file holds one row per article in the columns of ``digestkit.arrow.arrow_schema``, and
may hold many digests: ``write_digests`` writes them in row groups as they come and
``iter_digests`` reads them back one at a time, both in memory that does not grow with
the file. ``loads``/``dumps`` read and write a file holding one digest.

A digest with no article has no row, so the file's key-value metadata (key ``digestkit``)
holds a JSON object ``{"digests": N, "empty": [{"digest": i, "metadata": {...}}]}``: how many
digests the file holds, and the position and metadata (as the strings of
``digestkit.codec``) of each empty one. A file without that key (written by another tool
in the same columns) holds as many digests as its rows name, none of them empty.

pyarrow is imported when a file is read or written, not when this module is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING

from digestkit.registry import Format

if TYPE_CHECKING:
    from digestkit._resolve import PathLike
    from digestkit.model import Article, Digest, Metadata
    from digestkit.registry import ReadContext

__all__ = [
    "DEFAULT_ROW_GROUP_SIZE",
    "FORMAT",
    "iter_digests",
    "read",
    "stream_read",
    "stream_write",
    "write",
    "write_digests",
]

DEFAULT_ROW_GROUP_SIZE = 10_000
"""The most rows held in memory and written as one row group."""


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read a Parquet file that holds one digest.

    Raises:
        ParseError: the data is not Parquet, lacks a column of the schema, holds other than
            one digest, or its rows do not describe one (the message names the row).
    """
    from digestkit.formats.parquet import _io

    return _io.read(data, context)


def write(digest: Digest, /, *, row_group_size: int = DEFAULT_ROW_GROUP_SIZE) -> bytes:
    """Write one digest as a Parquet file: the same digest gives the same bytes."""
    from digestkit.formats.parquet import _io

    return _io.write(digest, row_group_size=row_group_size)


def stream_read(stream: IO[bytes], context: ReadContext, /) -> tuple[Metadata, Iterator[Article]]:
    """Read a Parquet file that holds one digest, a batch of rows at a time."""
    from digestkit.formats.parquet import _io

    return _io.stream_read(stream, context)


def stream_write(
    articles: Iterable[Article],
    stream: IO[bytes],
    /,
    *,
    metadata: Metadata,
    row_group_size: int = DEFAULT_ROW_GROUP_SIZE,
) -> int:
    """Write one digest's articles as they come, a row group at a time; return how many."""
    from digestkit.formats.parquet import _io

    return _io.stream_write(articles, stream, metadata=metadata, row_group_size=row_group_size)


def iter_digests(file: PathLike | IO[bytes], *, source: str | None = None) -> Iterator[Digest]:
    """Yield each digest a Parquet file holds, in order, reading a batch of rows at a time.

    Args:
        file: a path, or a seekable binary file object.
        source: the name to use in error messages (the path by default).

    Raises:
        ParseError: the file is not Parquet, lacks a column of the schema, or its rows do
            not describe digests (the message names the row).
    """
    from digestkit.formats.parquet import _io

    return _io.iter_digests(file, source=source)


def write_digests(
    digests: Iterable[Digest],
    file: PathLike | IO[bytes],
    /,
    *,
    source_files: Iterable[str | None] | None = None,
    row_group_size: int = DEFAULT_ROW_GROUP_SIZE,
) -> int:
    """Write digests into one Parquet file as they come; a path is written atomically.

    Args:
        digests: the digests, in the order ``iter_digests`` gives them back.
        file: a path or a binary file object.
        source_files: the file each digest was read from, for the ``source_file`` column
            (and, beside it, each headline's ``line``).
        row_group_size: the most rows held in memory and written as one row group.

    Returns:
        The number of digests written.
    """
    from digestkit.formats.parquet import _io

    return _io.write_digests(
        digests, file, source_files=source_files, row_group_size=row_group_size
    )


FORMAT = Format(
    name="parquet",
    extensions=("parquet",),
    media_type="application/vnd.apache.parquet",
    description="Apache Parquet table, one row per article (Arrow schema: digestkit.arrow)",
    reader=read,
    writer=write,
    binary=True,
    stream_reader=stream_read,
    stream_writer=stream_write,
    collection_reader=iter_digests,
    collection_writer=write_digests,
)
"""The Parquet format, published under the ``digestkit.formats`` entry point ``parquet``."""
