"""Batch conversion into one file, or one dataset: every digest of a folder, for data engines.

``digestkit convert inbox/ -t parquet -o digests.parquet`` reads the inputs (in processes
with ``-j``), in order, and hands the digests to the target format's ``collection_writer``
as they come. With ``-d OUTDIR`` instead, the digests go into a dataset: a folder of part
files ``part-00000.parquet``, ``part-00001.parquet``, … each a whole file of the format
holding the next digests, a new one begun once ``--max-rows-per-file`` rows are written (a
digest is never split). The folder is built beside ``OUTDIR`` and takes its place only when
every part is written. A file that cannot be read is reported and left out; the others are
written.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from digestkit._atomic import atomic_folder
from digestkit.api import load
from digestkit.cli._batch import Progress, exit_code, expand
from digestkit.cli._common import UsageError, printable
from digestkit.cli._job import Job, job_for
from digestkit.errors import Diagnostic, DigestError, ParseError, Severity
from digestkit.model import Digest
from digestkit.registry import Format, default_registry

__all__ = ["into_dataset", "into_one", "part_name"]


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


def _extension(target: Format) -> str:
    return target.extensions[0] if target.extensions else target.name


def part_name(target: Format) -> re.Pattern[str]:
    """The names of a dataset's part files in ``target``'s format (``part-00000.parquet``)."""
    return re.compile(rf"part-[0-9]{{5,}}\.{re.escape(_extension(target))}")


class _Reading:
    """The inputs of a batch, read in order, with a progress bar and the errors reported."""

    def __init__(self, args: argparse.Namespace, target: Format, overrides: dict[str, Any]):
        if target.collection_writer is None:
            raise UsageError(
                f"the {target.name} format holds one digest per file: several inputs go into "
                "a folder, use -d OUTDIR"
            )
        output = args.output if args.output is not None else args.output_dir
        if output == "-":
            raise UsageError("several inputs go into a file or a folder, not standard output")
        self.jobs = [
            job_for(args, str(path), output, target, overrides)
            for path in expand(args.inputs, args.source_format)
        ]
        out = Path(output).resolve()
        for job in self.jobs:
            path = Path(job.input).resolve()
            if path == out or out in path.parents:
                raise UsageError(f"{job.input} would be overwritten by its own conversion")
        self.args = args
        self.started = time.perf_counter()
        self.progress = Progress(
            len(self.jobs), sys.stderr, enabled=not args.quiet and sys.stderr.isatty()
        )
        self.done = self.failed = 0
        self.sources: list[str] = []
        """The input of each digest drawn so far: a writer asks for a digest's source just
        after drawing it, and a list's iterator sees what is appended."""

    def digests(self) -> Iterator[Digest]:
        """Each good input's digests, in order; each bad input reported as it comes."""
        self.progress.show(self.done, self.failed)
        for job, (read, diagnostics) in zip(
            self.jobs, _results(self.jobs, self.args.jobs), strict=True
        ):
            self.done += 1
            self.failed += any(d.severity is Severity.ERROR for d in diagnostics)
            if diagnostics:
                self.progress.clear()
                for diagnostic in diagnostics:
                    print(printable(diagnostic), file=sys.stderr)
            self.progress.show(self.done, self.failed)
            for digest in read:
                self.sources.append(job.input)
                yield digest

    def finish(self, count: int, where: str) -> int:
        """Print the summary; return the exit code."""
        self.progress.clear()
        if not self.args.quiet:
            elapsed = time.perf_counter() - self.started
            print(
                printable(
                    f"digestkit: wrote {count} digest(s) from {self.done - self.failed} of "
                    f"{len(self.jobs)} file(s) into {where}, {self.failed} failed, "
                    f"in {elapsed:.2f} s"
                ),
                file=sys.stderr,
            )
        return exit_code(self.failed, len(self.jobs), strict=self.args.strict, sets_aside=True)


def into_one(args: argparse.Namespace, target: Format, overrides: dict[str, Any]) -> int:
    """Convert every input into the one file ``-o`` names.

    Returns:
        The batch's exit code (``digestkit.cli._batch.exit_code``): 0 when the file is
        written with the good inputs (bad ones reported and left out), 1 if every input
        failed, or any did under ``--strict``.
    """
    reading = _Reading(args, target, overrides)
    writer: Callable[..., int] = target.collection_writer  # type: ignore[assignment]
    count = writer(reading.digests(), args.output, source_files=iter(reading.sources))
    return reading.finish(count, args.output)


def into_dataset(args: argparse.Namespace, target: Format, overrides: dict[str, Any]) -> int:
    """Convert every input into the dataset (a folder of part files) ``-d`` names.

    Returns:
        As `into_one`.

    Raises:
        WriteError: ``-d`` names a file, or a folder holding other files than part files.
    """
    if args.max_rows_per_file < 1:
        raise UsageError(
            f"--max-rows-per-file: expected a number of at least 1, got {args.max_rows_per_file}"
        )
    reading = _Reading(args, target, overrides)
    writer: Callable[..., int] = target.collection_writer  # type: ignore[assignment]
    extension = _extension(target)
    stream = reading.digests()
    sources = iter(reading.sources)  # one iterator: the parts draw the digests in turn
    ahead: list[Digest] = []  # a digest drawn to see whether another part is needed

    def part() -> Iterator[Digest]:
        rows = 0
        while rows < args.max_rows_per_file:
            digest = ahead.pop() if ahead else next(stream, None)
            if digest is None:
                return
            yield digest
            rows += len(digest.articles)

    pattern = part_name(target)

    def owned(name: str) -> bool:
        return pattern.fullmatch(name) is not None

    count = parts = 0
    with atomic_folder(args.output_dir, owned=owned) as staging:
        while True:
            path = Path(staging) / f"part-{parts:05}.{extension}"
            count += writer(part(), path, source_files=sources)
            parts += 1
            following = next(stream, None)
            if following is None:
                break
            ahead.append(following)
    return reading.finish(count, f"{args.output_dir} ({parts} part file(s))")
