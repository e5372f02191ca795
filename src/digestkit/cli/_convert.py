"""``digestkit convert``: one input to a file or stdout, or a batch into a folder."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

import attrs

from digestkit.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    UsageError,
    input_format,
    metadata_overrides,
    open_input,
    reader_options,
)
from digestkit.errors import Diagnostic, DigestError, ParseError, Severity
from digestkit.registry import Format, default_registry
from digestkit.streaming import write_articles

__all__ = ["Job", "Outcome", "convert", "run_job"]


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


@attrs.frozen
class Outcome:
    """What became of a :class:`Job`: its diagnostics, and whether it failed."""

    job: Job
    articles: int
    diagnostics: list[Diagnostic]
    failed: bool


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
                count = write_articles(stream, buffer, target, metadata=metadata)
                sys.stdout.buffer.write(buffer.getvalue())
                sys.stdout.buffer.flush()
            else:
                count = write_articles(stream, job.output, target, metadata=metadata)
    except ParseError as err:
        diagnostics.append(Diagnostic.from_error(err))
        return Outcome(job, 0, diagnostics, failed=True)
    except DigestError as err:
        where = job.output if isinstance(err, OSError) else job.input
        diagnostics.append(Diagnostic(str(err), source=where, severity=Severity.ERROR))
        return Outcome(job, 0, diagnostics, failed=True)
    except Exception as err:  # one bug in one file must not stop a batch
        message = f"internal error: {type(err).__name__}: {err} (please report it)"
        diagnostics.append(Diagnostic(message, source=job.input, severity=Severity.ERROR))
        return Outcome(job, 0, diagnostics, failed=True)
    return Outcome(job, count, diagnostics, failed=False)


def _target(args: argparse.Namespace) -> Format:
    registry = default_registry()
    if args.target_format:
        fmt = registry.get(args.target_format)
    elif args.output and args.output != "-":
        fmt = registry.for_path(args.output)
    else:
        raise UsageError("name the output format with -t (or give -o with an extension)")
    if fmt.writer is None and fmt.stream_writer is None:
        raise UsageError(f"the {fmt.name} format cannot be written")
    return fmt


def _batch_mode(args: argparse.Namespace) -> bool:
    return (
        args.output_dir is not None
        or len(args.inputs) > 1
        or any(path != "-" and Path(path).is_dir() for path in args.inputs)
    )


def convert(args: argparse.Namespace) -> int:
    """Run ``digestkit convert``."""
    overrides = metadata_overrides(args)
    target = _target(args)
    if args.jobs < 1:
        raise UsageError(f"-j/--jobs: expected a number of at least 1, got {args.jobs}")
    if _batch_mode(args):
        from digestkit.cli._batch import plan, run

        if args.output is not None:
            # Into one file, for a format whose files hold many digests (Parquet).
            from digestkit.cli._dataset import into_one

            return into_one(args, target, overrides)
        if args.output_dir is None:
            raise UsageError("several inputs go into a folder: name it with -d OUTDIR")
        jobs = plan(args, target, overrides)
        return run(jobs, workers=args.jobs, quiet=args.quiet)
    (path,) = args.inputs
    source = input_format(path, args.source_format)
    job = Job(
        input=path,
        output=args.output or "-",
        source_format=source.name,
        target_format=target.name,
        options=reader_options(source, args),
        overrides=overrides,
        strict=args.strict,
    )
    outcome = run_job(job)
    for diagnostic in outcome.diagnostics:
        print(diagnostic, file=sys.stderr)
    return EXIT_BAD_INPUT if outcome.failed else EXIT_OK
