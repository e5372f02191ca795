"""``digestkit convert``: one input to a file or stdout, or a batch into a folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from digestkit.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    UsageError,
    guess_format,
    input_paths,
    metadata_overrides,
    printable,
    shown,
)
from digestkit.cli._job import job_for, run_job
from digestkit.registry import Format, default_registry

__all__ = ["convert"]


def _target(args: argparse.Namespace) -> Format:
    if args.output and args.output != "-" and Path(args.output).is_dir():
        raise UsageError(f"{args.output} is a folder: use -d for a folder (-o names a file)")
    if args.target_format:
        fmt = default_registry().get(args.target_format)
    elif args.output and args.output != "-":
        fmt = guess_format(args.output, "-t")
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
    if not args.inputs:
        args.inputs = input_paths([], args.source_format)
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
        if target.collection_writer is not None:
            # A format whose files hold many digests makes a dataset: a folder of parts.
            from digestkit.cli._dataset import into_dataset

            return into_dataset(args, target, overrides)
        jobs = plan(args, target, overrides)
        return run(jobs, workers=args.jobs, quiet=args.quiet, strict=args.strict)
    (path,) = args.inputs
    if args.output in (None, "-") and target.binary and sys.stdout.isatty():
        raise UsageError(
            f"the {target.name} format is binary and standard output is a terminal: "
            "name the output file with -o"
        )
    outcome = run_job(job_for(args, path, args.output or "-", target, overrides))
    for diagnostic in shown(outcome.diagnostics, quiet=args.quiet):
        print(printable(diagnostic), file=sys.stderr)
    return EXIT_BAD_INPUT if outcome.failed else EXIT_OK
