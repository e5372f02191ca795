"""Reading and writing Parquet files of digests with pyarrow (see the package's docstring)."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from typing import IO, TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from digestkit._resolve import PathLike
from digestkit.api import atomic_writer
from digestkit.arrow import (
    ARTICLE_COLUMNS,
    RowBuilder,
    arrow_schema,
    article_rows,
    digests_from_rows,
)
from digestkit.codec import METADATA_FIELDS, metadata_from_strings, metadata_to_strings
from digestkit.errors import DigestError, OptionError, ParseError
from digestkit.model import Article, Digest, Metadata

if TYPE_CHECKING:
    from digestkit.registry import ReadContext

KEY = b"digestkit"
"""The key-value metadata key that lists the digests and the empty ones."""
_FORMAT = "parquet"
_BATCH_ROWS = 1024
# The columns a reader needs; others (source_file, line, a team's own) are not read.
_READ = ("digest", *METADATA_FIELDS, *ARTICLE_COLUMNS[:4])


class DigestWriter:
    """Writes digests into one Parquet stream, a row group at a time.

    Use as a context manager, or call ``close``: the file's footer, with the list of
    digests, is written then.
    """

    def __init__(self, sink: IO[bytes], *, row_group_size: int) -> None:
        if row_group_size < 1:
            raise OptionError(f"row_group_size must be at least 1, found {row_group_size}")
        self._writer = pq.ParquetWriter(sink, arrow_schema(), compression="zstd")
        self._rows = RowBuilder()
        self._size = row_group_size
        self._count = 0
        self._empty: list[dict[str, Any]] = []

    @property
    def count(self) -> int:
        """How many digests were written so far."""
        return self._count

    def write(
        self,
        articles: Iterable[Article],
        metadata: Metadata,
        *,
        source_file: str | None = None,
    ) -> int:
        """Write the next digest from its articles (drawn as they come); return how many."""
        written = 0
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(self._rows) + len(batch) >= self._size:
                written += self._rows.add(self._count, metadata, batch, source_file, written)
                batch = []
                self._flush()
        written += self._rows.add(self._count, metadata, batch, source_file, written)
        if not written:
            self._empty.append({"digest": self._count, "metadata": metadata_to_strings(metadata)})
        self._count += 1
        return written

    def _flush(self) -> None:
        if len(self._rows):
            self._writer.write_batch(self._rows.flush(), row_group_size=self._size)

    def close(self) -> None:
        """Write the remaining rows and the footer."""
        self._flush()
        footer = {"digests": self._count, "empty": self._empty}
        self._writer.add_key_value_metadata({KEY: json.dumps(footer, ensure_ascii=False)})
        self._writer.close()

    def __enter__(self) -> DigestWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()


def write_digests(
    digests: Iterable[Digest],
    file: PathLike | IO[bytes],
    *,
    source_files: Iterable[str | None] | None = None,
    row_group_size: int,
) -> int:
    """Write digests into one file (see ``digestkit.formats.parquet.write_digests``)."""
    with ExitStack() as stack:
        out = (
            stack.enter_context(atomic_writer(file))
            if isinstance(file, (str, os.PathLike))
            else file
        )
        sources: Iterator[str | None] = iter(source_files or ())
        with DigestWriter(out, row_group_size=row_group_size) as writer:
            for digest in digests:
                writer.write(digest.articles, digest.metadata, source_file=next(sources, None))
        return writer.count


def write(digest: Digest, /, *, row_group_size: int) -> bytes:
    """Write one digest as a Parquet file."""
    out = io.BytesIO()
    write_digests([digest], out, row_group_size=row_group_size)
    return out.getvalue()


def stream_write(
    articles: Iterable[Article],
    stream: IO[bytes],
    /,
    *,
    metadata: Metadata,
    row_group_size: int,
) -> int:
    """Write one digest's articles as they come, a row group at a time; return how many."""
    with DigestWriter(stream, row_group_size=row_group_size) as writer:
        return writer.write(articles, metadata)


class _File:
    """An open Parquet file of digests: its footer checked, its rows read lazily."""

    def __init__(self, file: PathLike | IO[bytes], source: str) -> None:
        self.source = source
        try:
            self.parquet = pq.ParquetFile(file)
            schema = self.parquet.schema_arrow
            # The key is added as the file is closed: it is in the footer's key-value
            # metadata, not in the Arrow schema stored when the file was opened.
            footer = (self.parquet.metadata.metadata or {}).get(KEY)
        except (pa.ArrowException, OSError, ValueError) as err:
            raise self.error(f"not a Parquet file: {err}") from err
        expected = arrow_schema()
        for name in _READ:
            want = expected.field(name).type
            index = schema.get_field_index(name)
            if index < 0:
                raise self.error(f"the column {name!r} ({want}) is missing")
            found = schema.field(index).type
            if not found.equals(want, check_metadata=False) and not _same_list(found, want):
                raise self.error(f"the column {name!r} is {found}, expected {want}")
        self.count: int | None = None
        self.empty: dict[int, Metadata] = {}
        if footer is not None:
            self._read_footer(footer)

    def _read_footer(self, footer: bytes) -> None:
        try:
            value = json.loads(footer)
            count = value["digests"]
            if type(count) is not int or count < 0:
                raise ValueError(f"expected a count of digests, found {count!r}")
            for entry in value["empty"]:
                position = entry["digest"]
                if type(position) is not int or not 0 <= position < count:
                    raise ValueError(f"empty digest {position!r} is not in 0..{count - 1}")
                self.empty[position] = metadata_from_strings(entry["metadata"])
        except (ValueError, KeyError, TypeError, DigestError) as err:
            raise self.error(f"the {KEY.decode()} key-value metadata is invalid: {err}") from err
        self.count = count

    def error(self, message: str) -> ParseError:
        return ParseError(message, source=self.source, format=_FORMAT)

    def batches(self) -> Iterator[pa.RecordBatch]:
        """The rows, a row group at a time, in the columns a reader needs."""
        # Small batches: each becomes Python objects, whatever the file's row groups.
        batches = self.parquet.iter_batches(
            batch_size=_BATCH_ROWS, columns=list(_READ), use_threads=False
        )
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except (pa.ArrowException, OSError, ValueError) as err:
                raise self.error(f"cannot read the rows: {err}") from err
            yield batch

    def digests(self) -> Iterator[Digest]:
        return digests_from_rows(self.batches(), self.empty, count=self.count, source=self.source)


def _same_list(found: pa.DataType, want: pa.DataType) -> bool:
    # A list's item field may be named "element" (Parquet's spelling) rather than "item".
    return bool(
        pa.types.is_list(found)
        and pa.types.is_list(want)
        and found.value_type.equals(want.value_type)
    )


def _source_of(file: PathLike | IO[bytes], source: str | None) -> str:
    if source is not None:
        return source
    if isinstance(file, (str, os.PathLike)):
        return os.fspath(file)
    name = getattr(file, "name", None)
    return name if isinstance(name, str) else "<stream>"


def iter_digests(file: PathLike | IO[bytes], *, source: str | None = None) -> Iterator[Digest]:
    """Yield each digest of a file (see ``digestkit.formats.parquet.iter_digests``)."""
    return _File(file, _source_of(file, source)).digests()


def _one(file: _File) -> None:
    if file.count is not None and file.count != 1:
        raise file.error(
            f"the file holds {file.count} digests, not one: read it with "
            "digestkit.formats.parquet.iter_digests"
        )


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read a Parquet file that holds one digest."""
    file = _File(io.BytesIO(data), context.source)
    _one(file)
    digests = list(file.digests())
    if len(digests) != 1:
        raise file.error(
            f"the file holds {len(digests)} digests, not one: read it with "
            "digestkit.formats.parquet.iter_digests"
        )
    return digests[0]


def stream_read(stream: IO[bytes], context: ReadContext, /) -> tuple[Metadata, Iterator[Article]]:
    """Read a Parquet file that holds one digest, a row group at a time."""
    file = _File(stream, context.source)
    _one(file)
    if 0 in file.empty:
        return file.empty[0], iter(())
    rows = article_rows(file.batches(), source=file.source)
    first = next(rows, None)
    if first is None:
        raise file.error("the file holds no digest")
    digest, metadata, article = first

    def articles() -> Iterator[Article]:
        yield article
        for other, _, item in rows:
            if other != digest:
                raise file.error(f"the file holds more than one digest (row of digest {other})")
            yield item

    return metadata, articles()
