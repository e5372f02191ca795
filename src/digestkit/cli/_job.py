"""One conversion as plain values, and running it: what single and batch conversion share."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import warnings
from typing import IO, Any

import attrs

from digestkit._atomic import write_failed
from digestkit.cli._common import input_format, open_input, reader_options, writer_options
from digestkit.errors import (
    Diagnostic,
    DigestError,
    ParseError,
    Severity,
    WriteError,
    WriteWarning,
)
from digestkit.registry import Format, default_registry
from digestkit.streaming import write_articles

__all__ = ["SPOOL_BYTES", "Job", "Outcome", "job_for", "run_job"]

SPOOL_BYTES = 1 << 20
"""Output to standard output held in memory before it is spooled to a temporary file."""


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


def _write_stdout(stream: Any, target: Format, metadata: Any, options: dict[str, Any]) -> int:
    """Write to stdout through a spool; return the number of articles written.

    Spooled, so that a failing conversion writes nothing at all, as it does to a file; past
    SPOOL_BYTES the spool is a temporary file, so that memory does not grow with the output.
    """
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES) as spool:
        try:
            count = write_articles(stream, spool, target, metadata=metadata, **options)
        except WriteError as err:
            cause = err.__cause__
            if isinstance(cause, OSError) and not isinstance(cause, DigestError):
                raise _spool_failed(cause) from err
            raise  # the writer's own refusal, not the spool's
        spool.seek(0)
        _to_stdout(spool)
    return count


def run_job(job: Job) -> Outcome:
    """Convert one input; report a failure as an error diagnostic instead of raising.

    Output paths are written atomically: on failure the previous file is left as it was.
    """
    diagnostics: list[Diagnostic] = []
    registry = default_registry()
    output = "<stdout>" if job.output == "-" else job.output
    try:
        source, target = registry.get(job.source_format), registry.get(job.target_format)
        with open_input(
            job.input, source, job.options, strict=job.strict, diagnostics=diagnostics
        ) as stream:
            metadata = attrs.evolve(stream.metadata, **job.overrides)
            with warnings.catch_warnings(record=True) as caught:
                # A writer's warnings are the output's diagnostics; with --strict, errors
                # raised inside the writer, before anything is stored.
                warnings.simplefilter("error" if job.strict else "always", WriteWarning)
                if job.output == "-":
                    count = _write_stdout(stream, target, metadata, job.writer_options)
                else:
                    count = write_articles(
                        stream, job.output, target, metadata=metadata, **job.writer_options
                    )
        for warning in caught:
            if issubclass(warning.category, WriteWarning):
                diagnostics.append(Diagnostic(str(warning.message), source=output))
            else:  # not the writer's to report: passed on as it came
                warnings.warn_explicit(
                    warning.message, warning.category, warning.filename, warning.lineno
                )
    except WriteWarning as err:
        message = f"{err} (strict mode)"
        diagnostics.append(Diagnostic(message, source=output, severity=Severity.ERROR))
        return Outcome(job, 0, diagnostics, failed=True)
    except ParseError as err:
        diagnostics.append(Diagnostic.from_error(err))
        return Outcome(job, 0, diagnostics, failed=True)
    except DigestError as err:
        where = output if isinstance(err, OSError) else job.input
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


def _spool_failed(cause: OSError) -> WriteError:
    """Say that the spool of standard output failed, and where it was (not "<stream>")."""
    return WriteError(
        f"<stdout>: cannot hold the output in a temporary file in {tempfile.gettempdir()} "
        f"({cause.strerror or cause}): set TMPDIR, or write to a file with -o"
    )


def _to_stdout(data: IO[bytes]) -> None:
    """Copy the file ``data`` to standard output; a broken pipe stays a `BrokenPipeError`.

    Raises:
        WriteError: standard output cannot take it (``> /dev/full``).
    """
    try:
        shutil.copyfileobj(data, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        raise write_failed(err, "<stdout>") from err
