"""The ``digestkit`` command: convert, check, outline, list formats, count.

Exit codes: 0 success, 1 an input (or an output) was bad, 2 the command line was bad,
130 interrupted (SIGINT), 141 standard output closed early (a broken pipe), 143 terminated
(SIGTERM).

Start-up stays cheap: this package imports the registry, the API and the metadata codec but
no format and no command's module; a command imports its module when it runs, and loads only
the formats it uses (``formats`` loads them all, and their modules import nothing heavy until
they read or write).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from importlib import import_module

from digestkit.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    EXIT_USAGE,
    Terminated,
    UsageError,
    printable,
    raise_terminated,
)
from digestkit.codec import METADATA_FIELDS
from digestkit.errors import DigestError, FormatError, OptionError, PluginWarning

__all__ = ["main"]

_METADATA_HELP = {
    "title": "the digest's title",
    "language": "a BCP 47 tag such as en or pt-BR",
    "date": "the publication day, YYYY-MM-DD",
    "source": "the publication the digest comes from",
    "identifier": "a stable identifier, such as urn:uuid:...",
    "author": "who wrote or compiled the digest",
    "publisher": "who publishes the digest",
}
"""Help for the metadata options, by field; the options themselves are the codec's fields."""

Handler = Callable[[argparse.Namespace], int]


def _lazy(module: str, function: str) -> Handler:
    """Return a handler that runs ``function`` of ``digestkit.cli.<module>``, imported then.

    A command's module is imported only when it runs, so ``--help`` imports none of them.
    """

    def handler(args: argparse.Namespace) -> int:
        command: Handler = getattr(import_module(f"digestkit.cli.{module}"), function)
        return command(args)

    return handler


class _Version(argparse.Action):
    """``--version``, looked up only when asked: reading package metadata costs start-up time."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS)

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from importlib.metadata import version

        print(f"digestkit {version('digestkit')}")
        parser.exit()


def _reading_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--from", dest="source_format", metavar="FORMAT", help="input format")
    parser.add_argument(
        "--marker",
        action="append",
        help="an end marker the input uses; repeat for several (readers that take it: text)",
    )


def _output_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        dest="output_format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json for programs",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digestkit",
        description="Convert plain-text news digests to JSON, XML, EPUB and back.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    convert = commands.add_parser(
        "convert",
        help="convert digests from one format to another",
        description="Convert one file (to -o or stdout) or many (into -d OUTDIR).",
    )
    convert.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="files or folders, or - for standard input (the default when it is piped)",
    )
    where = convert.add_mutually_exclusive_group()
    where.add_argument(
        "-o", "--output", help="output file (default: stdout); for many inputs, one Parquet file"
    )
    where.add_argument("-d", "--output-dir", metavar="OUTDIR", help="folder for a batch's outputs")
    _reading_options(convert)
    convert.add_argument("-t", "--to", dest="target_format", metavar="FORMAT", help="output format")
    convert.add_argument(
        "--strict",
        action="store_true",
        help="treat reader and writer warnings as errors; a batch into one table with a bad "
        "input exits 1",
    )
    convert.add_argument(
        "-j", "--jobs", type=int, default=1, metavar="N", help="convert N files at once (batch)"
    )
    convert.add_argument(
        "--max-rows-per-file",
        type=int,
        default=1_000_000,
        metavar="N",
        help="a dataset (-d, Parquet) begins a new part file after N rows (default 1000000)",
    )
    convert.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar, no summary, no warnings"
    )
    meta = convert.add_argument_group("metadata (overrides what the input says)")
    for name in METADATA_FIELDS:
        meta.add_argument(f"--{name}", help=_METADATA_HELP.get(name, f"the digest's {name}"))
    meta.add_argument(
        "--metadata",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"set any metadata field ({', '.join(METADATA_FIELDS)}); repeatable",
    )
    book = convert.add_argument_group("EPUB options (for writers that take them)")
    book.add_argument("--modified", help="dcterms:modified: now, YYYY-MM-DD or a UTC time")
    book.add_argument("--cover", metavar="FILE", help="a PNG or JPEG cover image")
    book.add_argument("--conforms-to", help="the accessibility standard the book was evaluated to")
    book.add_argument("--certified-by", help="who made that evaluation")
    convert.set_defaults(handler=_lazy("_convert", "convert"))

    check = commands.add_parser("check", help="check digests and print diagnostics")
    check.add_argument(
        "inputs", nargs="*", metavar="INPUT", help="files or folders, or - for standard input"
    )
    _reading_options(check)
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    check.add_argument(
        "--outline",
        action="store_true",
        help="print the outline (as `digestkit outline`): one line per article",
    )
    _output_format(check)
    check.set_defaults(handler=_lazy("_report", "check"))

    outline = commands.add_parser(
        "outline", help="print one line per article: line, headline, paragraphs, end marker"
    )
    outline.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="files, folders, or - for standard input"
    )
    _reading_options(outline)
    outline.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    _output_format(outline)
    outline.set_defaults(handler=_lazy("_outline", "outline"))

    formats = commands.add_parser("formats", help="list the formats digestkit reads and writes")
    _output_format(formats)
    formats.set_defaults(handler=_lazy("_report", "formats"))

    stats = commands.add_parser("stats", help="count articles, paragraphs and words")
    stats.add_argument(
        "inputs", nargs="*", metavar="INPUT", help="files or folders, or - for standard input"
    )
    _reading_options(stats)
    stats.add_argument("--bins", type=int, default=8, help="histogram bars (default: 8)")
    _output_format(stats)
    stats.set_defaults(handler=_lazy("_report", "stats"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code instead of exiting."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help, --version and usage errors
        return int(exc.code or 0)
    handler: Handler = args.handler
    # SIGTERM becomes an exception while a command runs, so that temporary files are removed
    # and a batch's workers are ended (the default action would kill this process alone).
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, raise_terminated) if in_main_thread else None
    try:
        with warnings.catch_warnings():
            # A plugin that fails to load is said once, as a warning; -q hides warnings.
            warnings.simplefilter(
                "ignore" if getattr(args, "quiet", False) else "always", PluginWarning
            )
            warnings.showwarning = _show_warning
            code = handler(args)
        sys.stdout.flush()  # here, where a broken pipe can still be reported quietly
        return code
    except (UsageError, FormatError, OptionError) as err:
        print(printable(f"digestkit: error: {err}"), file=sys.stderr)
        return EXIT_USAGE
    except DigestError as err:
        print(printable(f"digestkit: error: {err}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `digestkit ... | head -1`: the reader has what it wanted
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:  # output files were left as they were by the atomic writer
        print("digestkit: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("digestkit: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _show_warning(message: Warning | str, *args: object, **kwargs: object) -> None:
    print(printable(f"digestkit: warning: {message}"), file=sys.stderr)


def _discard_stdout() -> None:
    # What is still buffered for the closed pipe would fail again when Python exits, with an
    # "Exception ignored" message: point standard output at /dev/null instead.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file descriptor (a test's captured output)
        pass
