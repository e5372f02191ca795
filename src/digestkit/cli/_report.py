"""``digestkit check``, ``formats`` and ``stats``: reports on inputs and on the registry."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from typing import Any

from digestkit.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    UsageError,
    input_format,
    input_paths,
    json_text,
    open_input,
    printable,
    reader_options,
)
from digestkit.errors import Diagnostic, ParseError, Severity
from digestkit.model import Article
from digestkit.registry import default_registry

__all__ = ["check", "formats", "histogram", "stats"]


def _diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "source": json_text(diagnostic.source),
        "line": diagnostic.line,
        "column": diagnostic.column,
        "severity": diagnostic.severity.value,
        "message": json_text(diagnostic.message),
    }


def _check_one(path: str, args: argparse.Namespace) -> tuple[int | None, list[Diagnostic]]:
    fmt = input_format(path, args.source_format)
    options = reader_options(fmt, args)
    diagnostics: list[Diagnostic] = []
    try:
        with open_input(path, fmt, options, strict=False, diagnostics=diagnostics) as stream:
            count = sum(1 for _ in stream)
    except ParseError as err:
        diagnostics.append(Diagnostic.from_error(err))
        return None, diagnostics
    return count, diagnostics


def check(args: argparse.Namespace) -> int:
    """Run ``digestkit check``: ``FILE:LINE:COL: severity: message`` lines, or JSON.

    With ``--outline``, what ``digestkit outline`` prints for the same inputs instead.
    """
    paths = input_paths(args.inputs, args.source_format)
    if args.outline:
        from digestkit.cli._outline import report as outline

        return outline(paths, args)
    results = [(path, *_check_one(path, args)) for path in paths]
    every = [d for _, _, diagnostics in results for d in diagnostics]
    if args.output_format == "json":
        report = [
            {
                "source": "<stdin>" if path == "-" else json_text(path),
                "articles": count,
                "diagnostics": [_diagnostic_json(d) for d in diagnostics],
            }
            for path, count, diagnostics in results
        ]
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for diagnostic in every:
            print(printable(diagnostic))
        for path, count, diagnostics in results:
            warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
            state = "unreadable" if count is None else _plural(count, "article")
            name = "<stdin>" if path == "-" else path
            print(printable(f"{name}: {state}, {_plural(warnings, 'warning')}"), file=sys.stderr)
    errors = any(d.severity is Severity.ERROR for d in every)
    return EXIT_BAD_INPUT if errors or (args.strict and every) else EXIT_OK


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def formats(args: argparse.Namespace) -> int:
    """Run ``digestkit formats``: every registered format, and the package it comes from."""
    registry = default_registry()
    rows: list[dict[str, Any]] = [
        {
            "name": fmt.name,
            "extensions": list(fmt.extensions),
            "media_type": fmt.media_type,
            "read": fmt.reader is not None,
            "write": fmt.writer is not None,
            "stream_read": fmt.stream_reader is not None,
            "stream_write": fmt.stream_writer is not None,
            "binary": fmt.binary,
            "package": registry.package(fmt.name),
            "description": fmt.description,
        }
        for fmt in registry.all()
    ]
    if args.output_format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{'NAME':<10} {'R/W':<4} {'EXTENSIONS':<16} {'MEDIA TYPE':<30} PACKAGE: DESCRIPTION")
    for row in rows:
        modes = ("r" if row["read"] else "-") + ("w" if row["write"] else "-")
        extensions = ",".join("." + ext for ext in row["extensions"])
        print(
            f"{row['name']:<10} {modes:<4} {extensions:<16} {row['media_type']:<30} "
            f"{row['package']}: {row['description']}"
        )
    return EXIT_OK


def _words(article: Article) -> int:
    return sum(len(paragraph.split()) for paragraph in article.paragraphs)


def histogram(values: list[int], bins: int) -> list[tuple[int, int, int]]:
    """Split ``values`` into ``bins`` equal ranges; return ``(low, high, count)`` for each.

    The ranges are whole numbers, ``low`` to ``high`` inclusive, and cover every value.
    """
    if not values:
        return []
    low, high = min(values), max(values)
    width = max(1, -(-(high - low + 1) // bins))
    counts = [0] * (-(-(high - low + 1) // width))
    for value in values:
        counts[(value - low) // width] += 1
    return [(low + i * width, low + (i + 1) * width - 1, n) for i, n in enumerate(counts)]


def stats(args: argparse.Namespace) -> int:
    """Run ``digestkit stats``: articles, paragraphs and words per article, with a histogram."""
    if args.bins < 1:
        raise UsageError(f"--bins: expected at least 1, got {args.bins}")
    words: list[int] = []
    paragraphs = 0
    for path in input_paths(args.inputs, args.source_format):
        fmt = input_format(path, args.source_format)
        options = reader_options(fmt, args)
        diagnostics: list[Diagnostic] = []
        try:
            # Streamed: only three numbers per article are kept, however long the input.
            with open_input(path, fmt, options, strict=False, diagnostics=diagnostics) as stream:
                for article in stream:
                    words.append(_words(article))
                    paragraphs += len(article.paragraphs)
        except ParseError as err:
            print(printable(Diagnostic.from_error(err)), file=sys.stderr)
            return EXIT_BAD_INPUT
        for diagnostic in diagnostics:
            print(printable(diagnostic), file=sys.stderr)
    bars = histogram(words, args.bins)
    summary: dict[str, Any] = {
        "articles": len(words),
        "paragraphs": paragraphs,
        "words": sum(words),
        "words_per_article": {
            "min": min(words, default=0),
            "median": statistics.median(words) if words else 0,
            "mean": round(statistics.fmean(words), 1) if words else 0,
            "max": max(words, default=0),
        },
        "histogram": [{"from": lo, "to": hi, "articles": n} for lo, hi, n in bars],
    }
    if args.output_format == "json":
        print(json.dumps(summary, indent=2))
        return EXIT_OK
    per = summary["words_per_article"]
    print(f"articles    {summary['articles']}")
    print(f"paragraphs  {summary['paragraphs']}")
    print(f"words       {summary['words']}")
    print(
        f"words per article: min {per['min']}, median {per['median']}, "
        f"mean {per['mean']}, max {per['max']}"
    )
    top = max((n for _, _, n in bars), default=0)
    span = len(str(bars[-1][1])) if bars else 1
    for lo, hi, n in bars:
        bar = "#" * round(40 * n / top) if top else ""
        print(f"{lo:>{span}}-{hi:<{span}} | {bar} {n}")
    return EXIT_OK
