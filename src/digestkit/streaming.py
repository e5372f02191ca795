"""Article-by-article reading and writing, for pipelines and inputs larger than memory.

[`iter_articles`][digestkit.streaming.iter_articles] yields the articles of a document one at a
time, and [`write_articles`][digestkit.streaming.write_articles] writes articles as they come. A
format streams when it offers the [`stream_reader`][digestkit.registry.Format.stream_reader] /
[`stream_writer`][digestkit.registry.Format.stream_writer] hooks (plain text does); for any other
format both functions still work, by reading or writing the whole digest at once.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from digestkit._atomic import write_failed
from digestkit._resolve import PathLike, cannot_read, resolve
from digestkit.api import DEFAULT_MAX_BYTES, atomic_writer
from digestkit.api import load as _load
from digestkit.errors import Diagnostic, WriteError
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import Format, ReadContext

__all__ = ["ArticleStream", "iter_articles", "write_articles"]


class ArticleStream(Iterator[Article]):
    """The articles of one document, read lazily; also a context manager that closes it.

    Iterate it for the articles; [`metadata`][digestkit.streaming.ArticleStream.metadata] holds the
    digest's metadata, which every format that streams reads before the first article.
    """

    def __init__(self, metadata: Metadata, articles: Iterator[Article], stack: ExitStack) -> None:
        self.metadata = metadata
        """The digest's metadata (title, language, date ...)."""
        self._articles = articles
        self._stack = stack

    def __next__(self) -> Article:
        try:
            return next(self._articles)
        except BaseException:
            # Exhausted or failed: a file opened for this stream is closed either way.
            self.close()
            raise

    def close(self) -> None:
        """Close the file opened for this stream, if any; iteration then stops."""
        self._articles = iter(())
        self._stack.close()

    def __enter__(self) -> ArticleStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def iter_articles(
    file: PathLike | IO[bytes],
    format: str | Format | None = None,
    *,
    strict: bool = False,
    diagnostics: list[Diagnostic] | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    **options: Any,
) -> ArticleStream:
    """Read the articles of a document one by one.

    A format with a [`stream_reader`][digestkit.registry.Format.stream_reader] (plain text) holds
    one chunk of input and one article in memory, however long the input; another format is read
    whole first (and ``max_bytes`` applies to it).

    Args:
        file: a path, or a binary file object (read from its current position).
        format: a format name or [`Format`][digestkit.registry.Format]; inferred from the file name
            if ``None``.
        strict: raise a [`ParseError`][digestkit.errors.ParseError] for what would otherwise be a
            warning.
        diagnostics: a list to append the reader's warnings to, as they are met.
        max_bytes: the size limit for formats that are read whole; streaming has none.
        **options: the reader's own options, such as ``marker=`` for text.

    Returns:
        An [`ArticleStream`][digestkit.streaming.ArticleStream]: an iterator of articles with the
        digest's ``metadata``. The metadata is read at once; a bad article raises when iteration
        reaches it.

    Raises:
        ParseError: the input cannot be read (as iteration reaches the fault).
        FormatError: the format is unknown or cannot be inferred.
        OptionError: the reader has no such option, or one of the wrong type.
    """
    fmt, source = resolve(file, format)
    if fmt.stream_reader is None:
        digest = _load(
            file, fmt, strict=strict, diagnostics=diagnostics, max_bytes=max_bytes, **options
        )
        return ArticleStream(digest.metadata, iter(digest.articles), ExitStack())
    fmt.check_options("stream_reader", options)
    context = ReadContext(source=source, format=fmt.name, strict=strict, diagnostics=diagnostics)
    stack = ExitStack()
    stream: IO[bytes]
    if isinstance(file, (str, os.PathLike)):
        try:
            stream = stack.enter_context(Path(file).open("rb"))  # noqa: SIM115  # closed by the stream
        except OSError as err:
            raise cannot_read(err, source, fmt) from err
    else:
        stream = file
    try:
        metadata, articles = fmt.stream_reader(stream, context, **options)
    except BaseException:
        stack.close()
        raise
    return ArticleStream(metadata, articles, stack)


def write_articles(
    articles: Iterable[Article],
    file: PathLike | IO[bytes],
    format: str | Format | None = None,
    *,
    metadata: Metadata | None = None,
    **options: Any,
) -> int:
    """Write articles as they come, to a path (atomically) or a binary file object.

    A format with a [`stream_writer`][digestkit.registry.Format.stream_writer] (plain text) writes
    each article as it is drawn from ``articles``, in memory that does not grow; another format
    gathers them into a [`Digest`][digestkit.model.Digest] and writes that. Either way the bytes are
    those [`digestkit.dumps`][digestkit.api.dumps] gives for the same digest.

    Args:
        articles: any iterable of [`Article`][digestkit.model.Article], such as an
            [`iter_articles`][digestkit.streaming.iter_articles] stream.
        file: a path or a binary file object.
        format: a format name or [`Format`][digestkit.registry.Format]; inferred from the file name
            if ``None``.
        metadata: the digest's metadata; the defaults if ``None``.
        **options: the writer's own options.

    Returns:
        The number of articles written.

    Raises:
        FormatError: the format is unknown or cannot be inferred.
        OptionError: the writer has no such option, or one of the wrong type.
        WriteError: the format cannot be written, or the path cannot be.
    """
    fmt, name = resolve(file, format)
    metadata = Metadata() if metadata is None else metadata
    if fmt.writer is None and fmt.stream_writer is None:
        raise WriteError(f"the {fmt.name} format cannot be written")
    fmt.check_options("stream_writer", options)
    try:
        if isinstance(file, (str, os.PathLike)):
            with atomic_writer(file) as out:
                return _write(fmt, articles, out, metadata, options)
        return _write(fmt, articles, file, metadata, options)
    except _InputFailed as failed:
        raise failed.error from failed.error.__cause__
    except OSError as err:
        raise write_failed(err, name) from err


class _InputFailed(Exception):
    """Carries an ``OSError`` raised while reading the articles, so that it is not taken for
    a failure of the output."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def _write(
    fmt: Format,
    articles: Iterable[Article],
    out: IO[bytes],
    metadata: Metadata,
    options: dict[str, Any],
) -> int:
    if fmt.stream_writer is not None:
        return fmt.stream_writer(_checked(articles), out, metadata=metadata, **options)
    assert fmt.writer is not None  # write_articles checked
    try:
        gathered = tuple(articles)
    except OSError as err:
        raise _InputFailed(err) from err
    digest = Digest(gathered, metadata)
    out.write(fmt.writer(digest, **options))
    return len(digest.articles)


def _checked(articles: Iterable[Article]) -> Iterator[Article]:
    # A Digest would refuse a non-article; a stream writer never builds one, so check here.
    iterator = iter(articles)
    for index in itertools.count():
        try:
            article = next(iterator)
        except StopIteration:
            return
        except OSError as err:
            raise _InputFailed(err) from err
        if not isinstance(article, Article):
            raise TypeError(f"articles[{index}]: expected Article, found {type(article).__name__}")
        yield article
