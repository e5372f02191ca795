"""One conversion as plain values, and running it: what single and batch conversion share."""

from __future__ import annotations

import argparse
import io
import sys
from typing import Any

import attrs

from digestkit._atomic import write_failed
from digestkit.cli._common import input_format, open_input, reader_options, writer_options
from digestkit.errors import Diagnostic, DigestError, ParseError, Severity
from digestkit.registry import Format, default_registry
from digestkit.streaming import write_articles

__all__ = ["Job", "Outcome", "job_for", "run_job"]


@attrs.frozen
class Job:
    """One conversion, in plain values so that it can be sent to a worker process."""

    input: str
    """The input path, or ``-`` for standard input."""
    output: str
    """The output path, or ``-`` for standard output."""
    source_format: str
    target_format: str
    options: dict[str, Any]
    """Reader options, already checked against the input format."""
    overrides: dict[str, Any]
    """Metadata fields that replace the input's, already validated."""
    strict: bool
    writer_options: dict[str, Any] = attrs.field(factory=dict)
    """Writer options, already checked against the output format."""


def job_for(
    args: argparse.Namespace, path: str, output: str, target: Format, overrides: dict[str, Any]
) -> Job:
    """Return the job that converts ``path`` into ``output`` as the command line asks.

    Raises:
        FormatError: ``-f`` names no format, or the extension of ``path`` is unknown.
        UsageError: the input format cannot be read, or lacks a reader option given.
    """
    source = input_format(path, args.source_format)
    return Job(
        input=path,
        output=output,
        source_format=source.name,
        target_format=target.name,
        options=reader_options(source, args),
        overrides=overrides,
        strict=args.strict,
        writer_options=writer_options(target, args, path),
    )


@attrs.frozen
class Outcome:
    """What became of a `Job`: its diagnostics, and whether it failed."""

    job: Job
    articles: int
    diagnostics: list[Diagnostic]
    failed: bool
    unwritten: bool = False
    """The output could not be written (the input may have been good)."""


def run_job(job: Job) -> Outcome:
    """Convert one input; report a failure as an error diagnostic instead of raising.

    Output paths are written atomically: on failure the previous file is left as it was.
    """
    diagnostics: list[Diagnostic] = []
    registry = default_registry()
    try:
        source, target = registry.get(job.source_format), registry.get(job.target_format)
        with open_input(
            job.input, source, job.options, strict=job.strict, diagnostics=diagnostics
        ) as stream:
            metadata = attrs.evolve(stream.metadata, **job.overrides)
            if job.output == "-":
                # Buffered, so that a failing conversion writes nothing at all.
                buffer = io.BytesIO()
                count = write_articles(
                    stream, buffer, target, metadata=metadata, **job.writer_options
                )
                _to_stdout(buffer.getvalue())
            else:
                count = write_articles(
                    stream, job.output, target, metadata=metadata, **job.writer_options
                )
    except ParseError as err:
        diagnostics.append(Diagnostic.from_error(err))
        return Outcome(job, 0, diagnostics, failed=True)
    except DigestError as err:
        where = (
            ("<stdout>" if job.output == "-" else job.output)
            if isinstance(err, OSError)
            else job.input
        )
        message = str(err).removeprefix(f"{where}: ")  # the source already names it
        diagnostics.append(Diagnostic(message, source=where, severity=Severity.ERROR))
        return Outcome(job, 0, diagnostics, failed=True, unwritten=isinstance(err, OSError))
    except BrokenPipeError:  # the reader of stdout is gone: not this input's fault
        raise
    except Exception as err:  # one bug in one file must not stop a batch
        message = f"internal error: {type(err).__name__}: {err} (please report it)"
        diagnostics.append(Diagnostic(message, source=job.input, severity=Severity.ERROR))
        return Outcome(job, 0, diagnostics, failed=True)
    return Outcome(job, count, diagnostics, failed=False)


def _to_stdout(data: bytes) -> None:
    """Write ``data`` to standard output; a broken pipe stays a `BrokenPipeError`.

    Raises:
        WriteError: standard output cannot take it (``> /dev/full``).
    """
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        raise write_failed(err, "<stdout>") from err
