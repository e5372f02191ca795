"""text→EPUB at scale: digestkit against pandoc in one run, and the checks of issue 11.

Run by ``BENCH_ONLY=epub make bench`` (``bench/run.py``); writes ``bench/RESULTS-epub.md``.
digestkit runs ``BENCH_EPUB_ROUNDS`` times at each of ``BENCH_SIZES`` (default "10MB
100MB"), the sizes taking turns so that each meets the same spells of load on a shared
machine; pandoc runs once per size. Wall and CPU seconds per MB, peak RSS and the machine's
load are reported side by side.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

import generate  # the bench folder is not a package: its modules import by name
import measure
from measure import MB, Run, run_command

BENCH = Path(__file__).resolve().parent
DIGESTKIT = Path(sys.executable).parent / "digestkit"


def _pandoc_seconds(run: Run) -> tuple[float | None, bool]:
    """pandoc's time, and whether it is exact: a run that timed out took at least its limit."""
    if run.ok:
        return run.seconds, True
    return run.timeout, False


def _best(runs: list[Run]) -> Run:
    """The best of interleaved runs: least wall time, least CPU time, largest peak RSS."""
    failed = [run for run in runs if not run.ok]
    if failed:
        return failed[0]
    cpus = [run.cpu_seconds for run in runs if run.cpu_seconds is not None]
    return Run(
        min(run.seconds for run in runs if run.seconds is not None),
        max((run.peak_rss or 0) for run in runs) or None,
        cpu_seconds=min(cpus) if cpus else None,
    )


def _epub_runs(
    sizes: list[str], rounds: int, timeout: float
) -> list[tuple[str, int, list[Run], Run]]:
    """digestkit at each size, the sizes interleaved round by round, then pandoc once each."""
    paths = {label: generate.ensure(label) for label in sizes}
    ours: dict[str, list[Run]] = {label: [] for label in sizes}
    rows = []
    with tempfile.TemporaryDirectory(prefix="digestkit-bench-") as scratch:
        out = Path(scratch)
        # Interleaved, so that every size meets the same spells of load on a shared machine.
        for turn in range(rounds):
            for label in sizes:
                run = run_command(
                    [DIGESTKIT, "convert", paths[label], "-t", "epub", "-o", out / "o.epub", "-q"],
                    timeout=timeout,
                )
                print(f"digestkit {label}, round {turn + 1}: {run}", flush=True)
                ours[label].append(run)
        for label in sizes:
            pandoc = run_command(
                ["pandoc", "-f", "markdown", "-t", "epub3", "-o", out / "p.epub", paths[label]],
                timeout=timeout,
            )
            print(f"pandoc {label}: {pandoc}", flush=True)
            rows.append((label, paths[label].stat().st_size, ours[label], pandoc))
    return rows


def _per_mb(seconds: float | None, size: int) -> str:
    return "" if seconds is None else f"{seconds / (size / MB):.3f}"


def main() -> int:
    """Time text→EPUB, digestkit against pandoc in the same run; check the scaling bounds.

    digestkit runs ``BENCH_EPUB_ROUNDS`` times at each size (default 3), the sizes taking
    turns; the best wall time and the least CPU time count. pandoc runs once per size.

    Returns:
        0 if, at the largest size, digestkit is at least 10 times faster than pandoc, its
        seconds per MB (wall, and CPU) are within 1.25 times those of the smallest size, and
        its peak RSS stays below 1 GB; else 1.
    """
    sizes = os.environ.get("BENCH_SIZES", "10MB 100MB").split()
    timeout = float(os.environ.get("BENCH_TIMEOUT", "1200"))
    rounds = int(os.environ.get("BENCH_EPUB_ROUNDS", "3"))
    load_before = measure.load_average()
    measured = _epub_runs(sizes, rounds, timeout)
    rows = [(label, size, _best(runs), runs, pandoc) for label, size, runs, pandoc in measured]
    lines = [
        "# text→EPUB: digestkit against pandoc, one run",
        "",
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M UTC}; load average before "
        f"{load_before}, after {measure.load_average()} (1, 5, 15 min; "
        f"{os.cpu_count()} CPUs); digestkit best of {rounds} interleaved runs, pandoc one run",
        "",
        "| size | digestkit s | s/MB | CPU s/MB | peak RSS MB | pandoc s | pandoc CPU s "
        "| pandoc peak RSS MB | × faster |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, size, ours, _, pandoc in rows:
        cells = [label]
        if ours.ok:
            cells += [f"{ours.seconds:.2f}", _per_mb(ours.seconds, size)]
            cells += [_per_mb(ours.cpu_seconds, size), f"{(ours.peak_rss or 0) / MB:.0f}"]
        else:
            cells += [ours.error or "failed", "", "", ""]
        if pandoc.ok and pandoc.seconds is not None:
            cpu = "" if pandoc.cpu_seconds is None else f"{pandoc.cpu_seconds:.2f}"
            cells += [f"{pandoc.seconds:.2f}", cpu, f"{(pandoc.peak_rss or 0) / MB:.0f}"]
        else:
            cells += [pandoc.error or "failed", "", ""]
        floor, exact = _pandoc_seconds(pandoc)
        ratio = floor / ours.seconds if floor is not None and ours.seconds else None
        cells.append("" if ratio is None else f"{'' if exact else '≥ '}{ratio:.1f}")
        lines.append("| " + " | ".join(cells) + " |")
    (small_label, small, first, _, _), (large_label, large, last, _, last_pandoc) = (
        rows[0],
        rows[-1],
    )
    checks = []
    floor, exact = _pandoc_seconds(last_pandoc)
    if first.seconds and last.seconds and floor is not None:
        per_mb = (last.seconds / large) / (first.seconds / small)
        speedup = floor / last.seconds
        checks = [
            (
                f"{'' if exact else 'at least '}{speedup:.1f}× faster than pandoc at "
                f"{large_label} (≥ 10){'' if exact else ': pandoc timed out'}",
                speedup >= 10,
            ),
            (f"wall s/MB {per_mb:.2f}× that at {small_label} (≤ 1.25)", per_mb <= 1.25),
            (
                f"peak RSS {(last.peak_rss or 0) / MB:.0f} MB (< 1024)",
                (last.peak_rss or 0) < 1024 * MB,
            ),
        ]
    if first.cpu_seconds and last.cpu_seconds:
        # CPU time leaves out the time the machine gave other processes.
        cpu_ratio = (last.cpu_seconds / large) / (first.cpu_seconds / small)
        checks.append(
            (f"CPU s/MB {cpu_ratio:.2f}× that at {small_label} (≤ 1.25)", cpu_ratio <= 1.25)
        )
    lines += ["", *(f"- {'PASS' if ok else 'FAIL'}: {text}" for text, ok in checks)]
    for label, _, _, runs, _ in rows:
        walls = ", ".join(f"{run.seconds:.2f}" for run in runs if run.seconds is not None)
        cpus = ", ".join(f"{run.cpu_seconds:.2f}" for run in runs if run.cpu_seconds is not None)
        lines.append(f"- digestkit {label}, each round: wall {walls} s; CPU {cpus} s")
    text = "\n".join(lines) + "\n"
    (BENCH / "RESULTS-epub.md").write_text(text, encoding="utf-8")
    print(text)
    return 0 if checks and all(ok for _, ok in checks) else 1
