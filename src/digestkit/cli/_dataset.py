"""Batch conversion into one file: every digest of a folder into one Parquet dataset.

``digestkit convert inbox/ -t parquet -o digests.parquet`` reads the inputs (in processes
with ``-j``), in order, and hands the digests to the target format's
``collection_writer`` as they come. A file that cannot be
read is reported and left out; the others are written.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from digestkit.api import load
from digestkit.cli._batch import Progress, expand
from digestkit.cli._common import EXIT_BAD_INPUT, EXIT_OK, UsageError
from digestkit.cli._job import Job, job_for
from digestkit.errors import Diagnostic, DigestError, ParseError, Severity
from digestkit.model import Digest
from digestkit.registry import Format, default_registry

__all__ = ["into_one"]


def _read(job: Job) -> tuple[list[Digest], list[Diagnostic]]:
    """Read one input's digests; a failure is an error diagnostic and no digest."""
    diagnostics: list[Diagnostic] = []
    fmt = default_registry().get(job.source_format)
    try:
        if fmt.collection_reader is not None and not job.options:
            digests = list(fmt.collection_reader(job.input))
        else:
            digests = [
                load(job.input, fmt, strict=job.strict, diagnostics=diagnostics, **job.options)
            ]
        digests = [
            attrs.evolve(d, metadata=attrs.evolve(d.metadata, **job.overrides)) for d in digests
        ]
    except ParseError as err:
        return [], [*diagnostics, Diagnostic.from_error(err)]
    except DigestError as err:
        return [], [*diagnostics, Diagnostic(str(err), source=job.input, severity=Severity.ERROR)]
    except Exception as err:  # one bug in one file must not stop a batch
        message = f"internal error: {type(err).__name__}: {err} (please report it)"
        return [], [*diagnostics, Diagnostic(message, source=job.input, severity=Severity.ERROR)]
    return digests, diagnostics


def _results(jobs: list[Job], workers: int) -> Iterator[tuple[list[Digest], list[Diagnostic]]]:
    if workers == 1 or len(jobs) == 1:
        yield from map(_read, jobs)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        # In input order, so that the file lists the digests as the folder does.
        yield from pool.map(_read, jobs, chunksize=4)


def into_one(args: argparse.Namespace, target: Format, overrides: dict[str, Any]) -> int:
    """Convert every input into the one file ``-o`` names.

    Returns:
        1 if any input failed (the others are still written), else 0.
    """
    if target.collection_writer is None:
        raise UsageError(
            f"the {target.name} format holds one digest per file: several inputs go into a "
            "folder, use -d OUTDIR"
        )
    if args.output == "-":
        raise UsageError("several inputs go into a file or a folder, not standard output")
    jobs = [
        job_for(args, str(path), args.output, target, overrides)
        for path in expand(args.inputs, args.source_format)
    ]
    if any(Path(job.input).resolve() == Path(args.output).resolve() for job in jobs):
        raise UsageError(f"{args.output} would be overwritten by its own conversion")
    started = time.perf_counter()
    err = sys.stderr
    progress = Progress(len(jobs), err, enabled=not args.quiet and err.isatty())
    done = failed = 0
    sources: list[str] = []

    def digests() -> Iterator[Digest]:
        nonlocal done, failed
        progress.show(done, failed)
        for job, (read, diagnostics) in zip(jobs, _results(jobs, args.jobs), strict=True):
            done += 1
            failed += any(d.severity is Severity.ERROR for d in diagnostics)
            if diagnostics:
                progress.clear()
                for diagnostic in diagnostics:
                    print(diagnostic, file=err)
            progress.show(done, failed)
            for digest in read:
                sources.append(job.input)
                yield digest

    # A list's iterator sees what is appended: the writer asks for a digest's source just
    # after drawing the digest, which appends it.
    count = target.collection_writer(digests(), args.output, source_files=iter(sources))
    progress.clear()
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(
            f"digestkit: wrote {count} digest(s) from {done - failed} of {len(jobs)} file(s) "
            f"into {args.output}, {failed} failed, in {elapsed:.2f} s",
            file=err,
        )
    return EXIT_BAD_INPUT if failed else EXIT_OK
