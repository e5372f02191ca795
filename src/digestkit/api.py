"""The public functions, in the style of `json`: ``loads``/``dumps`` and ``load``/``dump``."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO, Any, Literal, overload

from digestkit._atomic import atomic_writer, write_failed
from digestkit._resolve import PathLike, cannot_read, format_named, resolve
from digestkit.errors import Diagnostic, ParseError, WriteError
from digestkit.model import Digest
from digestkit.registry import Format, ReadContext

__all__ = ["DEFAULT_MAX_BYTES", "atomic_writer", "dump", "dumps", "load", "loads"]

DEFAULT_MAX_BYTES = 1 << 30
"""Inputs larger than this (1 GiB) are refused unless ``max_bytes`` says otherwise."""


def _read(
    data: bytes,
    fmt: Format,
    *,
    source: str,
    strict: bool,
    diagnostics: list[Diagnostic] | None,
    options: dict[str, Any],
) -> Digest:
    if fmt.reader is None:
        raise ParseError(f"the {fmt.name} format cannot be read", source=source, format=fmt.name)
    fmt.check_options("reader", options)
    context = ReadContext(source=source, format=fmt.name, strict=strict, diagnostics=diagnostics)
    return fmt.reader(data, context, **options)


def _too_big(size: int, max_bytes: int | None, source: str, fmt: str) -> None:
    if max_bytes is not None and size > max_bytes:
        # One byte past the limit is all a reader reads: the input may be longer.
        what = "input" if size == max_bytes + 1 else f"input of {size} bytes"
        raise ParseError(
            f"{what} is larger than the limit of {max_bytes} bytes (raise it with max_bytes=...)",
            source=source,
            format=fmt,
        )


def _read_at_most(file: IO[bytes], max_bytes: int | None) -> bytes:
    """Read a file to its end, but never more than ``max_bytes + 1`` bytes of it.

    A file object's ``read(n)`` may return fewer bytes than it has (a pipe, a socket), so
    reads go on until the end or one byte past the limit, which is enough to refuse it.
    """
    limit = None if max_bytes is None else max_bytes + 1
    chunks: list[bytes] = []
    size = 0
    while limit is None or size < limit:
        raw: object = file.read(-1 if limit is None else limit - size)
        if not isinstance(raw, bytes):
            raise TypeError("load() needs a binary file object (open it with 'rb')")
        if not raw:
            break
        chunks.append(raw)
        size += len(raw)
        if limit is None:
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def loads(
    data: bytes | str,
    format: str | Format = "text",
    *,
    source: str = "<string>",
    strict: bool = False,
    diagnostics: list[Diagnostic] | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    **options: Any,
) -> Digest:
    """Read a digest from bytes or a string.

    Args:
        data: the document. A ``str`` is taken as its UTF-8 encoding.
        format: a format name (``"text"``, ``"json"`` ...) or a
            [`Format`][digestkit.registry.Format].
        source: the name to use in error messages.
        strict: raise a [`ParseError`][digestkit.errors.ParseError] for what would otherwise be a
            warning.
        diagnostics: a list to append the reader's warnings to.
        max_bytes: refuse larger inputs; ``None`` for no limit.
        **options: the reader's own options, such as ``marker=`` for text.

    Raises:
        ParseError: the input is not a valid digest in that format.
        FormatError: the format is unknown.
        OptionError: the reader has no such option, or one of the wrong type.
    """
    fmt = format_named(format)
    if isinstance(data, str):
        text = data
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as err:
            from digestkit._textio import position

            line, column = position(text, err.start)
            raise ParseError(
                f"lone surrogate U+{ord(text[err.start]):04X} cannot be text",
                source=source,
                line=line,
                column=column,
                format=fmt.name,
            ) from err
    _too_big(len(data), max_bytes, source, fmt.name)
    return _read(data, fmt, source=source, strict=strict, diagnostics=diagnostics, options=options)


@overload
def dumps(
    digest: Digest,
    format: Literal["text", "json", "jsonl", "xml", "markdown", "html", "jsonfeed", "atom"] = ...,
    **options: Any,
) -> str: ...
@overload
def dumps(digest: Digest, format: Literal["epub"], **options: Any) -> bytes: ...
@overload
def dumps(digest: Digest, format: str | Format, **options: Any) -> str | bytes: ...
def dumps(digest: Digest, format: str | Format = "text", **options: Any) -> str | bytes:
    """Write a digest: ``str`` for text formats, ``bytes`` for binary ones (EPUB).

    Raises:
        FormatError: the format is unknown.
        OptionError: the writer has no such option, or one of the wrong type.
        WriteError: the format cannot be written.
    """
    fmt = format_named(format)
    data = _write(digest, fmt, options)
    return data if fmt.binary else data.decode("utf-8")


def _write(digest: Digest, fmt: Format, options: dict[str, Any]) -> bytes:
    if fmt.writer is None:
        raise WriteError(f"the {fmt.name} format cannot be written")
    if not isinstance(digest, Digest):
        raise TypeError(f"expected a Digest, found {type(digest).__name__}")
    fmt.check_options("writer", options)
    return fmt.writer(digest, **options)


def load(
    file: PathLike | IO[bytes],
    format: str | Format | None = None,
    *,
    strict: bool = False,
    diagnostics: list[Diagnostic] | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    **options: Any,
) -> Digest:
    """Read a digest from a path or a binary file object.

    The format is inferred from the file name's extension unless ``format`` names it. Other
    arguments are as for [`loads`][digestkit.api.loads].
    """
    fmt, source = resolve(file, format)
    if isinstance(file, (str, os.PathLike)):
        # The size a file claims is trusted only to refuse it early (/dev/zero, a FIFO,
        # <(cmd) claim none): at most max_bytes + 1 bytes are read, whatever the file is.
        try:
            with Path(file).open("rb") as opened:
                _too_big(os.fstat(opened.fileno()).st_size, max_bytes, source, fmt.name)
                data = _read_at_most(opened, max_bytes)
        except OSError as err:
            raise cannot_read(err, source, fmt) from err
        _too_big(len(data), max_bytes, source, fmt.name)
    else:
        data = _read_at_most(file, max_bytes)
        _too_big(len(data), max_bytes, source, fmt.name)
    return _read(data, fmt, source=source, strict=strict, diagnostics=diagnostics, options=options)


def dump(
    digest: Digest,
    file: PathLike | IO[bytes] | IO[str],
    format: str | Format | None = None,
    **options: Any,
) -> None:
    """Write a digest to a path (atomically) or to a file object.

    The format is inferred from the file name's extension unless ``format`` names it. A path
    is written whole or not at all: a failing write leaves any previous file untouched (see
    [`atomic_writer`][digestkit.api.atomic_writer] for devices, FIFOs and symbolic links).

    Raises:
        WriteError: the output cannot be written (no space, a folder ...); it names the output.
    """
    fmt, name = resolve(file, format)
    data = _write(digest, fmt, options)
    try:
        if isinstance(file, (str, os.PathLike)):
            with atomic_writer(file) as out:
                out.write(data)
        elif isinstance(file, io.TextIOBase):
            if fmt.binary:
                raise TypeError(f"the {fmt.name} format is binary: pass a file opened with 'wb'")
            file.write(data.decode("utf-8"))
        else:
            file.write(data)  # type: ignore[arg-type]  # a binary stream, as the docs ask
    except OSError as err:
        raise write_failed(err, name) from err
