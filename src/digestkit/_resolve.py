"""What a file argument means: its format, its name in messages, and why it cannot be read.

The whole-document API ([`digestkit.api`][digestkit.api]) and the streaming one
([`digestkit.streaming`][digestkit.streaming]) take the same ``file`` and ``format`` arguments; this
module decides them once for both.
"""

from __future__ import annotations

import os

from digestkit.errors import FormatError, InputNotFoundError, ParseError
from digestkit.registry import Format, default_registry

__all__ = ["PathLike", "cannot_read", "format_named", "infer_format", "resolve"]

PathLike = str | os.PathLike[str]


def format_named(name: str | Format) -> Format:
    """Return ``name`` if it is a [`Format`][digestkit.registry.Format], else the registered format
    of that name.

    Raises:
        FormatError: no format has that name.
    """
    return name if isinstance(name, Format) else default_registry().get(name)


def _name_of(file: object) -> str | None:
    if isinstance(file, (str, os.PathLike)):
        return os.fspath(file)
    name = getattr(file, "name", None)
    return name if isinstance(name, str) else None


def infer_format(format: str | Format | None, name: str | None) -> Format:
    """Return the format ``format`` names, else the one the extension of ``name`` says.

    Raises:
        FormatError: the format is unknown, or neither argument says what it is.
    """
    if format is not None:
        return format_named(format)
    if name is None:
        raise FormatError("cannot infer the format of a file object without a name: name it")
    return default_registry().for_path(name)


def resolve(file: object, format: str | Format | None) -> tuple[Format, str]:
    """Return the format of ``file`` and its name for messages (``<stream>`` if it has none).

    The format is the one ``format`` names, else the one the extension of the file's name
    (a path, or a file object's ``name``) says.

    Raises:
        FormatError: the format is unknown, or neither argument says what it is.
    """
    name = _name_of(file)
    return infer_format(format, name), name or "<stream>"


def cannot_read(err: OSError, source: str, fmt: Format) -> ParseError:
    """Return the error that reports ``source`` unreadable, for ``raise ... from err``.

    A missing file gives an [`InputNotFoundError`][digestkit.errors.InputNotFoundError], which
    ``except FileNotFoundError`` catches too.
    """
    cls = InputNotFoundError if isinstance(err, FileNotFoundError) else ParseError
    return cls(f"cannot read: {err.strerror or err}", source=source, format=fmt.name)
