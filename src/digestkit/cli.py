"""The ``digestkit`` command: convert, check and list formats.

Exit codes: 0 success, 1 the input was bad, 2 the command line was bad.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from digestkit import api
from digestkit.errors import Diagnostic, DigestError, FormatError, OptionError, ParseError
from digestkit.registry import Format, default_registry

__all__ = ["main"]

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    """The command line asks for something that cannot be done."""


def _version() -> str:
    from importlib.metadata import version

    return version("digestkit")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digestkit",
        description="Convert plain-text news digests to JSON, XML, EPUB and back.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    convert = commands.add_parser("convert", help="convert a digest from one format to another")
    convert.add_argument("input", help="input file, or - for standard input")
    convert.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    convert.add_argument("-f", "--from", dest="source_format", help="input format name")
    convert.add_argument("-t", "--to", dest="target_format", help="output format name")
    convert.add_argument("--marker", help="the end marker the input uses (text input)")
    convert.add_argument("--strict", action="store_true", help="treat reader warnings as errors")

    check = commands.add_parser("check", help="check a digest and print diagnostics")
    check.add_argument("input", help="input file, or - for standard input")
    check.add_argument("-f", "--from", dest="source_format", help="input format name")
    check.add_argument("--marker", help="the end marker the input uses (text input)")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")

    commands.add_parser("formats", help="list the formats digestkit can read and write")
    return parser


def _input_format(args: argparse.Namespace) -> Format:
    registry = default_registry()
    if args.source_format:
        return registry.get(args.source_format)
    if args.input == "-":
        return registry.get("text")
    return registry.for_path(args.input)


def _reader_options(fmt: Format, args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if args.marker is not None:
        options["marker"] = args.marker
    fmt.check_options("reader", options)
    return options


def _read(
    args: argparse.Namespace, fmt: Format, diagnostics: list[Diagnostic], strict: bool
) -> Any:
    options = _reader_options(fmt, args)
    if args.input == "-":
        data = sys.stdin.buffer.read()
        return api.loads(
            data, fmt, source="<stdin>", strict=strict, diagnostics=diagnostics, **options
        )
    return api.load(args.input, fmt, strict=strict, diagnostics=diagnostics, **options)


def _convert(args: argparse.Namespace) -> int:
    source_format = _input_format(args)
    registry = default_registry()
    if args.target_format:
        target = registry.get(args.target_format)
    elif args.output != "-":
        target = registry.for_path(args.output)
    else:
        raise _UsageError("name the output format with -t when writing to stdout")
    diagnostics: list[Diagnostic] = []
    digest = _read(args, source_format, diagnostics, args.strict)
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    if args.output == "-":
        data = api._write(digest, target, {})
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        api.dump(digest, args.output, target)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    fmt = _input_format(args)
    diagnostics: list[Diagnostic] = []
    try:
        digest = _read(args, fmt, diagnostics, strict=False)
    except ParseError as err:
        for diagnostic in diagnostics:
            print(diagnostic)
        print(Diagnostic.from_error(err))
        return EXIT_BAD_INPUT
    for diagnostic in diagnostics:
        print(diagnostic)
    count = len(digest.articles)
    print(
        f"{args.input}: {count} article{'s' if count != 1 else ''}, "
        f"{len(diagnostics)} warning{'s' if len(diagnostics) != 1 else ''}",
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT if args.strict and diagnostics else EXIT_OK


def _formats(args: argparse.Namespace) -> int:
    registry = default_registry()
    for fmt in registry.all():
        modes = ("r" if fmt.reader else "-") + ("w" if fmt.writer else "-")
        extensions = ",".join("." + ext for ext in fmt.extensions)
        print(
            f"{fmt.name:<8} {modes}  {extensions:<14} {fmt.media_type:<28} "
            f"{registry.package(fmt.name)}: {fmt.description}"
        )
    return EXIT_OK


_COMMANDS = {"convert": _convert, "check": _check, "formats": _formats}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code instead of exiting."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help, --version and usage errors
        return int(exc.code or 0)
    try:
        return _COMMANDS[args.command](args)
    except (_UsageError, FormatError, OptionError) as err:
        print(f"digestkit: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except DigestError as err:
        print(f"digestkit: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_BAD_INPUT
