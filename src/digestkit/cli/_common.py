"""What the commands share: exit codes, usage errors, and reading an input as asked."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path, PurePath
from typing import Any

from digestkit._resolve import infer_format
from digestkit.codec import METADATA_FIELDS, metadata_from_strings
from digestkit.errors import Diagnostic, FormatError, Severity, ValidationError
from digestkit.registry import Format, default_registry
from digestkit.streaming import ArticleStream, iter_articles

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "READER_FLAGS",
    "Terminated",
    "UsageError",
    "folder_files",
    "guess_format",
    "input_format",
    "input_paths",
    "json_text",
    "metadata_overrides",
    "open_input",
    "printable",
    "raise_terminated",
    "reader_options",
    "shown",
    "writer_options",
]

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C (128 + SIGINT)
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what `cmd | head -1` gives for other Unix tools
EXIT_TERMINATED = 143  # 128 + SIGTERM

READER_FLAGS = {"marker": "--marker"}
"""Reader options the command line offers, by option name: each goes only to readers that
take it."""


class UsageError(Exception):
    """The command line asks for something that cannot be done."""


class Terminated(SystemExit):
    """SIGTERM arrived: raised by the signal handler so that every ``finally`` runs.

    A `SystemExit`, so that a batch worker waiting for work exits quietly.
    """

    def __init__(self) -> None:
        super().__init__(EXIT_TERMINATED)


def raise_terminated(signum: int, frame: object) -> None:
    """The SIGTERM handler of the command and its workers."""
    raise Terminated


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
"""Control characters (C0, DEL, C1, line separators) and lone surrogates: a file name or an
input's text may hold them, and on a terminal they would forge lines or run escapes."""
_SURROGATES = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # a byte of a name that is not UTF-8 (surrogateescape)
        return f"\\x{ord(char) - 0xDC00:02x}"
    return char.encode("unicode_escape").decode("ascii")


def printable(text: object) -> str:
    """Return ``str(text)`` for a terminal: control characters and bytes that are not UTF-8
    shown as visible escapes (``\\n``, ``\\x1b``, ``\\xff``), so that nothing forges a line."""
    return _UNSAFE.sub(_escape, str(text))


def json_text(text: str) -> str:
    """Return ``text`` as valid Unicode for JSON: bytes that are not UTF-8 become ``\\xNN``."""
    return _SURROGATES.sub(_escape, text)


def folder_files(folder: Path, source_format: str | None) -> list[Path]:
    """Return a folder's input files, sorted: those (not hidden) whose extension a readable
    format claims, or all of them when ``-f`` names the format."""
    readable = {ext for fmt in default_registry().all() if fmt.reader for ext in fmt.extensions}
    return [
        child
        for child in sorted(folder.iterdir())
        if child.is_file()
        and not child.name.startswith(".")
        and (source_format or child.suffix.lower().lstrip(".") in readable)
    ]


def input_paths(inputs: list[str], source_format: str | None) -> list[str]:
    """Return the inputs to read: folders replaced by their files, and standard input when
    none is named and it is not a terminal.

    Raises:
        UsageError: no input is named and standard input is a terminal.
    """
    if not inputs:
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("no input: name a file or a folder, or pipe a digest in")
        return ["-"]
    paths: list[str] = []
    for name in inputs:
        if name != "-" and Path(name).is_dir():
            paths.extend(str(path) for path in folder_files(Path(name), source_format))
        else:
            paths.append(name)
    return paths


def shown(diagnostics: list[Diagnostic], *, quiet: bool) -> list[Diagnostic]:
    """Return the diagnostics to print: all of them, or only the errors with ``-q``."""
    return [d for d in diagnostics if not quiet or d.severity is Severity.ERROR]


_FOREIGN = {
    "doc": "a Word document",
    "docx": "a Word document",
    "odt": "an OpenDocument text",
    "pdf": "a PDF document",
    "rtf": "an RTF document",
}
"""Extensions of documents people try first, which no digestkit format reads."""


def guess_format(path: str, option: str) -> Format:
    """Return the format the extension of ``path`` says; the error says what to do instead.

    Raises:
        UsageError: the name has no extension, or one no format claims; the message asks
            for ``option`` (``-f`` or ``-t``).
    """
    try:
        return default_registry().for_path(path)
    except FormatError as err:
        if "claimed by" in str(err):  # ambiguous: the registry's message says what to do
            raise
        suffix = PurePath(path).suffix.lower().lstrip(".")
        listed = "digestkit formats lists them"
        if option == "-f":
            listed = "-f text for a plain-text digest; " + listed
        hint = f"name the format with {option} ({listed})"
        if suffix in _FOREIGN:
            raise UsageError(
                f"{path}: {_FOREIGN[suffix]}, which digestkit does not read or write: "
                f"convert it to plain text first, or {hint}"
            ) from err
        if suffix:
            raise UsageError(f"{path}: no format claims the extension .{suffix}: {hint}") from err
        raise UsageError(f"{path}: no extension to tell the format by: {hint}") from err


def input_format(path: str, name: str | None) -> Format:
    """Return the format named by ``-f``, else the one the extension says (text for stdin)."""
    if name is None and path != "-":
        fmt = guess_format(path, "-f")
    else:
        fmt = infer_format(name or "text", path)
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
        The fields given, by name, as the model holds them (``date`` a `datetime.date`).

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
