"""``digestkit outline``: one line per article, so a user sees at a glance what was parsed."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from digestkit.cli._common import EXIT_BAD_INPUT, EXIT_OK, input_format, reader_options
from digestkit.errors import Diagnostic, FormatError, ParseError, Severity
from digestkit.registry import ReadContext

__all__ = ["outline", "report"]


def _inputs(paths: list[str]) -> list[str]:
    """Expand folders into the files under them that a registered format claims."""
    from digestkit.registry import default_registry

    registry = default_registry()
    found: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    try:
                        registry.for_path(name)
                    except FormatError:
                        continue
                    found.append(os.path.join(folder, name))
        else:
            found.append(path)
    return found


def _read(
    path: str, args: argparse.Namespace
) -> tuple[list[dict[str, Any]] | None, list[Diagnostic]]:
    fmt = input_format(path, args.source_format)
    options = reader_options(fmt, args)
    diagnostics: list[Diagnostic] = []
    source = "<stdin>" if path == "-" else path
    context = ReadContext(source=source, format=fmt.name, strict=False, diagnostics=diagnostics)
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as file:
                data = file.read()
        if fmt.name == "text":
            from digestkit.formats.text import outline

            pairs = outline(data, context, **options)
            rows = [_row(article, end_line or None, end) for article, (end_line, end) in pairs]
        else:
            digest = fmt.reader(data, context, **options)  # type: ignore[misc]
            rows = [_row(article, None, None) for article in digest.articles]
    except ParseError as err:
        diagnostics.append(Diagnostic.from_error(err))
        return None, diagnostics
    return rows, diagnostics


def _row(article: Any, end_line: int | None, end: str | None) -> dict[str, Any]:
    return {
        "line": article.lines[0] if article.lines else None,
        "headline": article.headline,
        "paragraphs": len(article.paragraphs),
        "end": end,
        "end_line": end_line,
    }


def outline(args: argparse.Namespace) -> int:
    """Run ``digestkit outline``: ``FILE:LINE: headline (N paragraphs) [end]`` per article."""
    return report(_inputs(args.inputs), args)


def report(paths: list[str], args: argparse.Namespace) -> int:
    """Print the outline of each of ``paths`` (``-``: standard input) and return the exit
    code: ``outline``'s output, and ``check --outline``'s on the inputs ``check`` reads."""
    results = [(path, *_read(path, args)) for path in paths]
    if args.output_format == "json":
        report = [
            {
                "source": "<stdin>" if path == "-" else path,
                "articles": rows,
                "diagnostics": [
                    {
                        "line": d.line,
                        "column": d.column,
                        "severity": d.severity.value,
                        "message": d.message,
                    }
                    for d in diagnostics
                ],
            }
            for path, rows, diagnostics in results
        ]
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for path, rows, diagnostics in results:
            name = "<stdin>" if path == "-" else path
            for row in rows or []:
                count = row["paragraphs"]
                end = row["end"] or "-"
                where = f" (line {row['end_line']})" if row["end_line"] else ""
                print(
                    f"{name}:{row['line']}: {row['headline']} "
                    f"({count} paragraph{'' if count == 1 else 's'}) [{end}{where}]"
                )
            for diagnostic in diagnostics:
                print(diagnostic, file=sys.stderr)
    every = [d for _, _, diagnostics in results for d in diagnostics]
    errors = any(d.severity is Severity.ERROR for d in every)
    return EXIT_BAD_INPUT if errors or (args.strict and every) else EXIT_OK
