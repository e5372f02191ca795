"""Batch conversion: plan the jobs, run them (in processes with ``-j``), show progress."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Generator, Iterable
from contextlib import closing
from pathlib import Path
from typing import IO, Any

from digestkit.cli._common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_TERMINATED,
    Terminated,
    UsageError,
    folder_files,
    printable,
    raise_terminated,
    shown,
)
from digestkit.cli._job import Job, Outcome, job_for, run_job
from digestkit.errors import WriteError
from digestkit.registry import Format

__all__ = ["Progress", "exit_code", "expand", "plan", "run"]


def exit_code(
    failed: int, total: int, *, strict: bool, unwritten: int = 0, sets_aside: bool = False
) -> int:
    """Return a batch's exit code: the one rule for every batch (into a folder, a file or a
    dataset).

    A batch goes on past a bad input and reports it. A batch of one output per input exits 1
    when any input failed, as a single conversion of that input would. A batch into one table
    (a file or a dataset holding every digest) sets bad inputs aside as a data job does: it
    exits 0 with the count of failed files in its summary, and 1 only under ``--strict`` or
    when every input failed. Either exits 1 when an output could not be written.

    Args:
        failed: how many inputs failed (those in ``unwritten`` included).
        total: how many inputs the batch has.
        strict: ``--strict`` was given.
        unwritten: how many of them failed because their output could not be written.
        sets_aside: the batch writes one table, not one output per input.
    """
    set_aside = sets_aside and not strict and failed < total
    return EXIT_BAD_INPUT if unwritten or (failed and not set_aside) else EXIT_OK


def expand(inputs: Iterable[str], source_format: str | None) -> list[Path]:
    """Return the input files: files as given, and each folder's readable files, sorted.

    A folder's files are those (not hidden) whose extension a readable format claims, or
    all of them when ``-f`` names the format.
    """
    files: list[Path] = []
    for name in inputs:
        if name == "-":
            raise UsageError("standard input cannot be part of a batch")
        path = Path(name)
        files.extend(folder_files(path, source_format) if path.is_dir() else [path])
    if not files:
        raise UsageError("no input files (a folder's files need an extension a format reads)")
    return files


def plan(args: argparse.Namespace, target: Format, overrides: dict[str, Any]) -> list[Job]:
    """Turn the command line into one job per input, refusing clashing outputs up front."""
    folder = Path(args.output_dir)
    extension = target.extensions[0] if target.extensions else target.name
    jobs: list[Job] = []
    claimed: dict[Path, Path] = {}
    for path in expand(args.inputs, args.source_format):
        output = folder / f"{path.stem}.{extension}"
        job = job_for(args, str(path), str(output), target, overrides)
        key = output.resolve()
        if key in claimed:
            raise UsageError(f"{claimed[key]} and {path} would both be written to {output}")
        if key == path.resolve():
            raise UsageError(f"{path} would be overwritten by its own conversion")
        claimed[key] = path
        jobs.append(job)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise WriteError(f"{folder}: cannot create the folder: {err.strerror or err}") from err
    return jobs


class Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    WIDTH = 30

    def __init__(self, total: int, stream: IO[str], enabled: bool) -> None:
        self.total = total
        self.stream = stream
        self.enabled = enabled
        self._shown = False

    def show(self, done: int, failed: int) -> None:
        """Redraw the bar for ``done`` of `total` files."""
        if not self.enabled:
            return
        filled = self.WIDTH * done // max(self.total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        failures = f", {failed} failed" if failed else ""
        self.stream.write(f"\r[{bar}] {done}/{self.total}{failures}")
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        """Erase the bar, so that a message can be printed on a clean line."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def _outcomes(jobs: list[Job], workers: int) -> Generator[Outcome, None, None]:
    if workers == 1 or len(jobs) == 1:
        yield from map(run_job, jobs)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_start_worker)
    futures = [pool.submit(_work, job) for job in jobs]
    try:
        for future in as_completed(futures):
            yield future.result()
    except BaseException:
        # Interrupted, terminated, or closed early: drop the queued jobs and end the running
        # ones now (each removes its temporary file), rather than finishing the batch.
        # (The pool cancels the queued futures itself: cancelling them here races with its
        # own bookkeeping when the workers end, an InvalidStateError on Python 3.11.)
        manager = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=False, cancel_futures=True)
        _end_workers()
        if manager is not None:
            # shutdown(wait=False) lets go of the pool's manager thread, so the shutdown below
            # cannot join it; left running, it races the interpreter's exit hook on its
            # wake-up pipe ("Exception ignored ... Bad file descriptor" on Python 3.11).
            manager.join(10)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker() -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent alone decides, and
    # ends the workers with SIGTERM, which each turns into an exception that cleans up.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminate_once)
    if sys.platform == "linux":  # a parent killed outright (SIGKILL) takes its workers along
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _terminate_once(signum: int, frame: object) -> None:
    """A worker's SIGTERM handler: the first signal ends the job, later ones are ignored.

    When one worker leaves, the pool sends SIGTERM to every other worker, and so may the
    parent: a second exception, raised while the first one removes the job's temporary file,
    would leave that file behind. A worker that hangs is still killed by the parent.
    """
    global _terminating
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _terminating = True
    raise_terminated(signum, frame)


_terminating = False
"""A worker's SIGTERM has come: it takes no more work, whatever its job ended with."""


def _work(job: Job) -> Outcome:
    try:
        outcome = run_job(job)
    except Terminated:
        # The job's temporary file is gone already; leave at once, without taking more work.
        os._exit(EXIT_TERMINATED)
    if _terminating:  # an error raised while the job was being undone replaced Terminated
        os._exit(EXIT_TERMINATED)
    return outcome


def _end_workers(grace: float = 5.0) -> None:
    """Send SIGTERM to this process's worker processes; kill those still alive after ``grace``."""
    import multiprocessing

    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    deadline = time.monotonic() + grace
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
        if child.is_alive():
            child.kill()
            child.join()


def run(jobs: list[Job], *, workers: int, quiet: bool, strict: bool) -> int:
    """Run the jobs; print diagnostics, a progress bar on a terminal and a summary.

    Returns:
        The batch's `exit_code`: 0 unless an output could not be written, or an input
        failed and ``strict``.
    """
    started = time.perf_counter()
    err = sys.stderr
    progress = Progress(len(jobs), err, enabled=not quiet and err.isatty())
    done = failed = unwritten = 0
    progress.show(done, failed)
    with closing(_outcomes(jobs, workers)) as outcomes:
        for outcome in outcomes:
            done += 1
            failed += outcome.failed
            unwritten += outcome.unwritten
            diagnostics = shown(outcome.diagnostics, quiet=quiet)
            if diagnostics:
                progress.clear()
                for diagnostic in diagnostics:
                    print(printable(diagnostic), file=err)
            progress.show(done, failed)
    progress.clear()
    if not quiet:
        elapsed = time.perf_counter() - started
        print(
            f"digestkit: converted {done - failed} of {len(jobs)} file(s), {failed} failed, "
            f"in {elapsed:.2f} s",
            file=err,
        )
    return exit_code(failed, len(jobs), strict=strict, unwritten=unwritten)
