"""What the commands share: exit codes, usage errors, and reading an input as asked."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from digestkit._resolve import infer_format
from digestkit.codec import METADATA_FIELDS, metadata_from_strings
from digestkit.errors import Diagnostic, ValidationError
from digestkit.registry import Format
from digestkit.streaming import ArticleStream, iter_articles

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_OK",
    "EXIT_USAGE",
    "READER_FLAGS",
    "UsageError",
    "input_format",
    "metadata_overrides",
    "open_input",
    "reader_options",
    "writer_options",
]

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2

READER_FLAGS = {"marker": "--marker"}
"""Reader options the command line offers, by option name: each goes only to readers that
take it."""


class UsageError(Exception):
    """The command line asks for something that cannot be done."""


def input_format(path: str, name: str | None) -> Format:
    """Return the format named by ``-f``, else the one the extension says (text for stdin)."""
    fmt = infer_format(name or ("text" if path == "-" else None), path)
    if fmt.reader is None:
        raise UsageError(f"the {fmt.name} format cannot be read ({path})")
    return fmt


def reader_options(fmt: Format, args: argparse.Namespace) -> dict[str, Any]:
    """Collect the reader options given on the command line, refusing those ``fmt`` lacks."""
    options = {
        name: getattr(args, name) for name in READER_FLAGS if getattr(args, name) is not None
    }
    allowed = fmt.reader_options()
    for name in options:
        if allowed is not None and name not in allowed:
            takes = ", ".join(READER_FLAGS.get(o, o) for o in sorted(allowed)) or "none"
            raise UsageError(
                f"{READER_FLAGS[name]} is not an option of the {fmt.name} reader "
                f"(its options: {takes})"
            )
    return options


WRITER_FLAGS = {
    "modified": "--modified",
    "cover": "--cover",
    "conforms_to": "--conforms-to",
    "certified_by": "--certified-by",
}
"""Writer options the command line offers, by option name."""


def writer_options(fmt: Format, args: argparse.Namespace, path: str) -> dict[str, Any]:
    """Collect the writer options given on the command line, refusing those ``fmt`` lacks.

    A writer that takes ``default_title`` gets the input file's name (without its
    extension), as pandoc titles a book: it names a digest that has no title.
    """
    options: dict[str, Any] = {
        name: getattr(args, name) for name in WRITER_FLAGS if getattr(args, name, None) is not None
    }
    allowed = fmt.writer_options()
    for name in options:
        if allowed is not None and name not in allowed:
            raise UsageError(f"{WRITER_FLAGS[name]} is not an option of the {fmt.name} writer")
    if "cover" in options:
        try:
            with open(options["cover"], "rb") as image:
                options["cover"] = image.read()
        except OSError as err:
            raise UsageError(f"--cover: cannot read {options['cover']}: {err.strerror}") from err
    if path != "-" and allowed is not None and "default_title" in allowed:
        options["default_title"] = Path(path).stem
    return options


def metadata_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """Return the metadata given on the command line (``--title`` ...), read by the codec.

    Returns:
        The fields given, by name, as the model holds them (``date`` a :class:`datetime.date`).

    Raises:
        UsageError: a value the codec or the model refuses, with the option named.
    """
    given = {}
    for pair in getattr(args, "metadata", None) or ():
        name, equals, value = pair.partition("=")
        if not equals or name not in METADATA_FIELDS:
            raise UsageError(
                f"--metadata {pair!r}: expected KEY=VALUE with KEY one of "
                f"{', '.join(METADATA_FIELDS)}"
            )
        given[name] = value
    # A field's own option (--title) wins over --metadata title=...
    for name in METADATA_FIELDS:
        if getattr(args, name, None) is not None:
            given[name] = getattr(args, name)
    try:
        metadata = metadata_from_strings(given)
    except ValidationError as err:
        raise UsageError(f"--{err}") from err
    return {name: getattr(metadata, name) for name in given}


def open_input(
    path: str,
    fmt: Format,
    options: dict[str, Any],
    *,
    strict: bool,
    diagnostics: list[Diagnostic],
) -> ArticleStream:
    """Open ``path`` (``-`` for standard input) as a stream of articles."""
    # sys.stdin.buffer is named "<stdin>", which messages then say.
    file = sys.stdin.buffer if path == "-" else path
    return iter_articles(file, fmt, strict=strict, diagnostics=diagnostics, **options)
