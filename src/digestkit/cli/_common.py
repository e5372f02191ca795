"""What the commands share: exit codes, usage errors, and reading an input as asked."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

import attrs

from digestkit.errors import Diagnostic, ValidationError
from digestkit.model import Metadata
from digestkit.registry import Format, default_registry
from digestkit.streaming import ArticleStream, iter_articles

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_OK",
    "EXIT_USAGE",
    "METADATA_FIELDS",
    "READER_FLAGS",
    "UsageError",
    "input_format",
    "metadata_overrides",
    "open_input",
    "reader_options",
]

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2

READER_FLAGS = {"marker": "--marker"}
"""Reader options the command line offers, by option name: each goes only to readers that
take it."""

METADATA_FIELDS = ("title", "language", "date", "source", "identifier")


class UsageError(Exception):
    """The command line asks for something that cannot be done."""


def input_format(path: str, name: str | None) -> Format:
    """Return the format named by ``-f``, else the one the extension says (text for stdin)."""
    registry = default_registry()
    if name:
        fmt = registry.get(name)
    elif path == "-":
        fmt = registry.get("text")
    else:
        fmt = registry.for_path(path)
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


def metadata_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """Return the metadata given on the command line, validated by the model.

    Raises:
        UsageError: a value the model refuses, with the option named.
    """
    values: dict[str, Any] = {}
    for name in METADATA_FIELDS:
        value = getattr(args, name, None)
        if value is None:
            continue
        if name == "date":
            try:
                value = dt.date.fromisoformat(value)
            except ValueError as err:
                raise UsageError(f"--date: expected a day as YYYY-MM-DD, got {value!r}") from err
        values[name] = value
    try:
        attrs.evolve(Metadata(), **values)
    except ValidationError as err:
        raise UsageError(f"--{err.field}: {err.reason} (got {err.value!r})") from err
    return values


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
