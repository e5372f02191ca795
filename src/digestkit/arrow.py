"""The Arrow schema of digests as a table (one row per article), and the conversions to it.

Data engines see a digest as rows: the Parquet format, ``digestkit.dask`` and
``digestkit.spark`` all use ``arrow_schema``, built here once. Its columns, in order:

``digest`` (``int64``, not null)
    The digest's position in the file that holds it, from 0: rows with the same ``digest``
    (and ``source_file``) are the articles of one digest. A text, JSON, XML or EPUB file
    holds one digest (0); a Parquet file may hold many.
``source_file`` (``string``, null)
    The file the digest was read from, when it was read from one.
``title``, ``language``, ``date``, ``source``, ``identifier``, ``author``, ``publisher``
    The digest's metadata, one column per field of ``digestkit.codec.METADATA_FIELDS``
    (in that order, so a new field becomes a new column): ``date`` is an Arrow ``date32``,
    the others are ``string``; a field is nullable unless it has a default value
    (``language``, ``"en"`` unless said). Repeated on every article of the digest.
``article`` (``int32``, not null)
    The article's position in its digest, from 0.
``headline`` (``string``, not null)
    The headline.
``lead`` (``string``, null)
    The lead paragraph; null only for a headline-only article.
``body`` (``list<string>``, not null)
    The paragraphs after the lead, possibly none.
``line`` (``int32``, null)
    The 1-based line of the headline in ``source_file``, when it was read from lines; null
    when ``source_file`` is (a digest written without its source keeps no positions, so
    equal digests give equal files).

A digest with no article has no row; the Parquet format keeps its metadata in the file's
key-value metadata instead. Errors met while reading many files have their own table,
``error_schema``. pyarrow (the ``parquet`` extra) is imported when a function here is
first called, not when the module is.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from digestkit.codec import METADATA_FIELDS, format_date, metadata_from_strings, metadata_to_strings
from digestkit.errors import DigestError, ParseError
from digestkit.model import (
    Article,
    Digest,
    Metadata,
    _cleared_input,
    _surely_articles,
    _surely_clean_utf8,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "ARTICLE_COLUMNS",
    "DIGEST_COLUMNS",
    "ERROR_COLUMNS",
    "RowBuilder",
    "arrow_schema",
    "article_rows",
    "digests_from_rows",
    "error_schema",
]

DIGEST_COLUMNS: tuple[str, ...] = ("digest", "source_file", *METADATA_FIELDS)
"""The columns that describe a digest, repeated on each of its rows."""
ARTICLE_COLUMNS: tuple[str, ...] = ("article", "headline", "lead", "body", "line")
"""The columns that describe one article."""
ERROR_COLUMNS: tuple[str, ...] = ("source", "line", "column", "message")
"""The columns of ``error_schema``."""

_DESCRIPTIONS = {
    "digest": "position of the digest in its file, from 0",
    "source_file": "the file the digest was read from",
    "article": "position of the article in its digest, from 0",
    "headline": "the headline",
    "lead": "the lead paragraph; null only for a headline-only article",
    "body": "the paragraphs after the lead",
    "line": "1-based line of the headline in source_file",
}


@functools.cache
def arrow_schema() -> pa.Schema:
    """Return the schema of article rows (the columns are listed in the module's docstring)."""
    import pyarrow as pa

    defaults = Metadata()

    def field(name: str, type_: pa.DataType, nullable: bool, doc: str) -> pa.Field:
        return pa.field(name, type_, nullable=nullable, metadata={"description": doc})

    metadata_fields = [
        field(
            name,
            pa.date32() if name == "date" else pa.string(),
            getattr(defaults, name) is None,
            f"the digest's {name} (metadata)",
        )
        for name in METADATA_FIELDS
    ]
    text = pa.string()
    return pa.schema(
        [
            field("digest", pa.int64(), False, _DESCRIPTIONS["digest"]),
            field("source_file", text, True, _DESCRIPTIONS["source_file"]),
            *metadata_fields,
            field("article", pa.int32(), False, _DESCRIPTIONS["article"]),
            field("headline", text, False, _DESCRIPTIONS["headline"]),
            field("lead", text, True, _DESCRIPTIONS["lead"]),
            field(
                "body",
                pa.list_(pa.field("item", text, nullable=False)),
                False,
                _DESCRIPTIONS["body"],
            ),
            field("line", pa.int32(), True, _DESCRIPTIONS["line"]),
        ]
    )


@functools.cache
def error_schema() -> pa.Schema:
    """Return the schema of error records: ``source``, ``line``, ``column``, ``message``.

    One row per file that could not be read: the file, the 1-based line and column of the
    fault when the reader knows them (null otherwise), and what was wrong.
    """
    import pyarrow as pa

    return pa.schema(
        [
            pa.field("source", pa.string(), nullable=False),
            pa.field("line", pa.int32()),
            pa.field("column", pa.int32()),
            pa.field("message", pa.string(), nullable=False),
        ]
    )


class RowBuilder:
    """Gathers article rows column by column and hands them out as record batches."""

    def __init__(self) -> None:
        self._columns: dict[str, list[Any]] = {name: [] for name in arrow_schema().names}

    def __len__(self) -> int:
        return len(self._columns["article"])

    def add(
        self,
        digest: int,
        metadata: Metadata,
        articles: Iterable[Article],
        source_file: str | None = None,
        first: int = 0,
    ) -> int:
        """Add a row per article; return how many were added.

        Args:
            digest: the digest's position in its file.
            metadata: the digest's metadata.
            articles: its articles (or some of them, numbered from ``first``).
            source_file: the file the digest was read from.
            first: the position in the digest of the first of ``articles``.
        """
        strings = metadata_to_strings(metadata)
        shared = (digest, source_file, *(strings.get(name) for name in METADATA_FIELDS))
        columns = self._columns
        digest_columns = [columns[name] for name in DIGEST_COLUMNS]
        article, headline, lead, body, line = (columns[name] for name in ARTICLE_COLUMNS)
        count = 0
        for count, item in enumerate(articles, 1):  # count is the result
            for column, value in zip(digest_columns, shared, strict=True):
                column.append(value)
            article.append(first + count - 1)
            headline.append(item.headline)
            lead.append(item.lead)
            body.append(item.body)
            # Positions only beside the file they point into: they take no part in a
            # digest's equality, so they must not make equal digests' files differ.
            line.append(item.lines[0] if item.lines and source_file is not None else None)
        return count

    def flush(self) -> pa.RecordBatch:
        """Return the rows gathered so far as one batch, and start afresh."""
        import pyarrow as pa

        schema = arrow_schema()
        arrays = []
        for field in schema:
            values = self._columns[field.name]
            if field.type == pa.date32():
                # The codec spelled each day YYYY-MM-DD; Arrow's cast reads that spelling.
                arrays.append(pa.array(values, pa.string()).cast(pa.date32()))
            else:
                arrays.append(pa.array(values, field.type))
            values.clear()
        return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _metadata_of(row: tuple[Any, ...]) -> Metadata:
    strings = {
        name: format_date(value) if isinstance(value, _dt.date) else value
        for name, value in zip(METADATA_FIELDS, row, strict=True)
    }
    return metadata_from_strings(strings)


def _text_is_clean(batch: pa.RecordBatch) -> bool:
    """Whether every string of ``batch`` passes the model's one predicate, searched at once.

    Then the model need not search each value again (as the text reader does for its
    input); any doubt (a forbidden character, bytes that are not UTF-8) says ``False`` and
    each value is checked, for the precise error.
    """
    import pyarrow as pa

    for column in batch.columns:
        array = column.values if pa.types.is_list(column.type) else column
        data = array.buffers()[2] if pa.types.is_string(array.type) else None
        try:
            if data is not None and not _surely_clean_utf8(data.to_pybytes()):
                return False
        except UnicodeDecodeError:
            return False
    return True


def _bodies(column: pa.ListArray) -> list[tuple[str, ...]]:
    """The ``body`` column as tuples: one conversion of all its items, then slices (half
    the cost of converting the lists one by one). A null body is no paragraph; a null item
    stays ``None``, for the model to refuse."""
    offsets = column.offsets.to_pylist()
    first = offsets[0]
    items = tuple(column.values.slice(first, offsets[-1] - first).to_pylist())
    bodies = [items[start - first : stop - first] for start, stop in pairwise(offsets)]
    if column.null_count:
        for index, valid in enumerate(column.is_valid().to_pylist()):
            if not valid:
                bodies[index] = ()
    return bodies


class _Order:
    """The digest and article that the next row may hold, checked row by row."""

    def __init__(self) -> None:
        self.digest: int | None = None  # the open digest
        self.metadata = Metadata()
        self.next_article = 0
        self.values: tuple[Any, ...] = ()  # the open digest's metadata, as the table has it

    def open(self, digest: Any, values: tuple[Any, ...]) -> None:
        """Open the digest of a row whose digest or metadata differ from the open one's;
        raise ``ValueError`` if out of order, ``DigestError`` if the model refuses."""
        if self.digest is not None and digest == self.digest:
            raise ValueError(f"the metadata differs from digest {digest}'s first row")
        if self.digest is not None and digest < self.digest:
            raise ValueError(f"digest {digest} out of order (after {self.digest})")
        if self.digest is None and digest < 0:
            raise ValueError(f"digest {digest} is negative")
        self.metadata = _metadata_of(values)
        self.digest, self.values, self.next_article = digest, values, 0

    def take(self, article: Any) -> None:
        """Count the next article of the open digest; raise ``ValueError`` if out of order."""
        if article != self.next_article:
            raise ValueError(f"article {article} out of order (expected {self.next_article})")
        self.next_article += 1


def _first_refused(
    headlines: list[Any], leads: list[Any], bodies: list[tuple[Any, ...]], stop: int
) -> tuple[int, Exception] | None:
    """The first of the rows before ``stop`` whose article the model refuses, with why."""
    for index in range(stop):
        try:
            Article(headlines[index], leads[index], bodies[index])
        except (DigestError, ValueError, TypeError) as err:
            return index, err
    return None


def article_rows(
    batches: Iterable[pa.RecordBatch], *, source: str = "<table>"
) -> Iterator[tuple[int, Metadata, Article]]:
    """Yield ``(digest, metadata, article)`` for each article row, checking the order.

    A batch's order and metadata are checked row by row on its plain columns, and its
    articles built at once when the model's predicates clear them all
    (``digestkit.model._surely_articles``); else one by one, to name the row at fault.

    Args:
        batches: record batches holding the ``digest``, metadata and article columns of
            ``arrow_schema``, in file order.
        source: the name to use in error messages.

    Raises:
        ParseError: a digest or article is out of order, the metadata differs between the
            rows of one digest, or a value is refused by the model (the message names the
            row, counted from 0).
    """
    order = _Order()
    row = 0  # the first row of the batch, counted in the file
    for batch in batches:
        count = batch.num_rows
        digests = batch.column("digest").to_pylist()
        numbers = batch.column("article").to_pylist()
        columns = [batch.column(name).to_pylist() for name in METADATA_FIELDS]
        metadata = list(zip(*columns, strict=True))
        headlines = batch.column("headline").to_pylist()
        leads = batch.column("lead").to_pylist()
        bodies = _bodies(batch.column("body"))
        carried = (order.digest, order.metadata)  # the digest open before this batch
        starts: list[tuple[int, int | None, Metadata]] = []  # each digest begun in the batch
        index, built = 0, None
        fault: tuple[int, Exception] | None = None
        try:
            for index in range(count):
                digest = digests[index]
                if digest != order.digest or metadata[index] != order.values:
                    order.open(digest, metadata[index])
                    starts.append((index, order.digest, order.metadata))
                order.take(numbers[index])
        except (DigestError, ValueError, TypeError) as err:
            fault = (index, err)
        if fault is None:
            with _cleared_input() if _text_is_clean(batch) else contextlib.nullcontext():
                built = _surely_articles(headlines, leads, bodies)
        if built is None:
            # Each article through its validators, up to the fault: an earlier refusal
            # comes first; with none, the unsure articles were valid after all.
            stop = count if fault is None else fault[0]
            fault = _first_refused(headlines, leads, bodies, stop) or fault
            if fault is not None:
                at, why = fault
                raise ParseError(f"row {row + at}: {why}", source=source, format="parquet") from why
            built = [Article(*values) for values in zip(headlines, leads, bodies, strict=True)]
        segments = [(0, *carried), *starts, (count, None, order.metadata)]
        for (begin, digest, owner), (end, _, _) in pairwise(segments):
            if begin < end and digest is not None:
                for article in built[begin:end]:
                    yield digest, owner, article
        row += count


def digests_from_rows(
    batches: Iterable[pa.RecordBatch],
    empty: dict[int, Metadata] | None = None,
    *,
    count: int | None = None,
    source: str = "<table>",
) -> Iterator[Digest]:
    """Yield the digests that article rows describe, in order, one at a time.

    Args:
        batches: record batches of ``arrow_schema`` rows, in file order.
        empty: the digests that have no article, by position, with their metadata.
        count: how many digests there are (the last ones may be empty); by default, one
            past the last position seen.
        source: the name to use in error messages.

    Raises:
        ParseError: as ``article_rows``, or a position has neither rows nor an entry in
            ``empty``, or rows go past ``count``.
    """
    empty = {} if empty is None else empty
    position = 0  # the next digest to yield

    def gap_until(stop: int) -> Iterator[Digest]:
        nonlocal position
        while position < stop:
            if position not in empty:
                raise ParseError(
                    f"digest {position} has no row and is not listed as empty",
                    source=source,
                    format="parquet",
                )
            yield Digest((), empty[position])
            position += 1

    open_digest: int | None = None
    metadata = Metadata()
    articles: list[Article] = []
    for digest, row_metadata, article in article_rows(batches, source=source):
        if digest != open_digest:
            if open_digest is not None:
                yield Digest(articles, metadata)
                position, articles = position + 1, []
            if count is not None and digest >= count:
                raise ParseError(
                    f"digest {digest} is past the {count} the file declares",
                    source=source,
                    format="parquet",
                )
            yield from gap_until(digest)
            open_digest, metadata = digest, row_metadata
        articles.append(article)
    if open_digest is not None:
        yield Digest(articles, metadata)
        position += 1
    yield from gap_until(max(empty, default=-1) + 1 if count is None else count)
