"""One conversion as plain values, and running it: what single and batch conversion share."""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import warnings
from typing import IO, Any, cast

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


class _Spool(io.RawIOBase):
    """Bytes bound for standard output: in memory up to ``size`` bytes, then a temporary file.

    The memory is one buffer of ``size`` bytes, taken at the first write and filled in
    place: not a buffer grown to ``size`` by reallocation (`tempfile.SpooledTemporaryFile`'s,
    which took two to four times ``size`` of resident memory when the heap had no freed
    room for its copies).
    """

    def __init__(self, size: int) -> None:
        super().__init__()
        self._size = size
        self._count = 0
        self._buffer = bytearray()
        self._file: IO[bytes] | None = None

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        with memoryview(data) as view:
            size = view.nbytes
            end = self._count + size
            if self._file is not None:
                self._file.write(view)
            elif end <= self._size:
                if not self._buffer:
                    self._buffer = bytearray(self._size)
                self._buffer[self._count : end] = view
            else:
                self._file = tempfile.TemporaryFile()  # noqa: SIM115  # close() closes it
                self._file.write(memoryview(self._buffer)[: self._count])
                self._buffer = bytearray()
                self._file.write(view)
        self._count = end
        return size

    def tell(self) -> int:
        return self._count

    def copy_to(self, out: IO[bytes]) -> None:
        """Write everything spooled to ``out``."""
        if self._file is None:
            out.write(memoryview(self._buffer)[: self._count])
        else:
            self._file.seek(0)
            shutil.copyfileobj(self._file, out)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._buffer = bytearray()
        super().close()


def _write_stdout(stream: Any, target: Format, metadata: Any, options: dict[str, Any]) -> int:
    """Write to stdout through a spool; return the number of articles written.

    Spooled, so that a failing conversion writes nothing at all, as it does to a file; past
    SPOOL_BYTES the spool is a temporary file, so that memory does not grow with the output.
    """
    with _Spool(SPOOL_BYTES) as spool:
        try:
            # A binary file object to the writers (write, tell), not typed as `IO[bytes]`.
            out = cast("IO[bytes]", spool)
            count = write_articles(stream, out, target, metadata=metadata, **options)
        except WriteError as err:
            cause = err.__cause__
            if isinstance(cause, OSError) and not isinstance(cause, DigestError):
                raise _spool_failed(cause) from err
            raise  # the writer's own refusal, not the spool's
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


def _to_stdout(data: _Spool) -> None:
    """Copy the spool ``data`` to standard output; a broken pipe stays a `BrokenPipeError`.

    Raises:
        WriteError: standard output cannot take it (``> /dev/full``).
    """
    try:
        data.copy_to(sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        raise write_failed(err, "<stdout>") from err
