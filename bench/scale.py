"""The scale-out benchmark: a folder of digests to Parquet by the CLI, Dask and Spark.

Run by ``make bench-scale``; writes ``bench/RESULTS-scale.md``. On one generated folder (each
digest from ``bench/generate.py`` with its own seed), in one run, it times:

* ``digestkit convert DIR -t parquet -o FILE -j 1`` (the baseline) and ``-j 2``;
* ``digestkit.dask`` on a LocalCluster of two worker processes, to a Parquet dataset;
* ``digestkit.spark`` on ``local[2]``, to a Parquet dataset;
* reading the digests back: from the Parquet file (``iter_digests``) and from the text files.

Environment (all optional):
    BENCH_SCALE_DIGESTS  how many digests (default 2000)
    BENCH_SCALE_KB       the size of each, in kB (default 100: 2,000 make ~200 MB)
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # the bench folder is not a package: its modules import by name
import measure
from measure import MB, human_bytes, run_command

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS-scale.md"
JOBS = BENCH / "scale_jobs.py"


def make_folder(count: int, kb: int) -> Path:
    """Generate (once) ``count`` digests of ``kb`` kB each, each from its own seed."""
    folder = generate.DATA / f"scale-{count}x{kb}KB"
    if folder.is_dir() and len(list(folder.glob("*.txt"))) == count:
        return folder
    partial = folder.with_name(folder.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for number in range(count):
        generate.generate(kb * 1000, partial / f"digest-{number:05}.txt", seed=number)
    shutil.rmtree(folder, ignore_errors=True)
    partial.replace(folder)
    return folder


def engine(name: str, inbox: Path, out: Path) -> dict[str, Any]:
    """Run one engine's job in its own process; return its figures and its whole wall time."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(JOBS), name, str(inbox), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1][:200] if done.stderr else "failed"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def read_back(parquet: Path, inbox: Path) -> tuple[float, float, float, float, int]:
    """Seconds (wall, then CPU) to read every digest from the Parquet file and from the text
    files: the best of three runs each, interleaved, so that both see the same load."""
    import pyarrow.parquet  # noqa: F401  # imported before the clock starts

    import digestkit
    from digestkit.formats.parquet import iter_digests

    def timed(read: Callable[[], int]) -> tuple[float, float, int]:
        wall, cpu = time.perf_counter(), time.process_time()
        count = read()
        return time.perf_counter() - wall, time.process_time() - cpu, count

    paths = sorted(inbox.glob("*.txt"))
    best = dict.fromkeys(("parquet", "text", "strings"), (math.inf, math.inf, 0))
    for _ in range(3):
        for name, read in (
            ("parquet", lambda: sum(len(d.articles) for d in iter_digests(parquet))),
            ("text", lambda: sum(len(digestkit.load(path).articles) for path in paths)),
            ("strings", lambda: strings_only(parquet)),
        ):
            best[name] = min(best[name], timed(read))
    (parquet_s, parquet_cpu, from_parquet), (text_s, text_cpu, from_text), strings = best.values()
    assert from_parquet == from_text == strings[2], (from_parquet, from_text, strings[2])
    return parquet_s, text_s, parquet_cpu, text_cpu, from_text, strings[0], strings[1]


def strings_only(parquet: Path) -> int:
    """The floor of any reader of the Parquet file into digests: its batches decoded and its
    headlines, leads and paragraphs made Python strings, with no check and no model object."""
    import pyarrow.parquet as pq

    rows = 0
    columns = ["headline", "lead", "body"]
    batches = pq.ParquetFile(parquet).iter_batches(1024, columns=columns, use_threads=False)
    for batch in batches:
        batch.column("headline").to_pylist()
        batch.column("lead").to_pylist()
        batch.column("body").flatten().to_pylist()
        rows += batch.num_rows
    return rows


def _rate(rows: int, size: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f} | {size / MB / seconds:.1f}"


def main() -> int:
    """Run the rows, print the table and write ``bench/RESULTS-scale.md``."""
    count = int(os.environ.get("BENCH_SCALE_DIGESTS", "2000"))
    kb = int(os.environ.get("BENCH_SCALE_KB", "100"))
    began = time.perf_counter()
    load_before = measure.load_average()
    inbox = make_folder(count, kb)
    size = sum(path.stat().st_size for path in inbox.glob("*.txt"))
    cli = Path(sys.executable).parent / "digestkit"
    rows_out: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        baseline = run_command(
            [cli, "convert", inbox, "-t", "parquet", "-o", work / "j1.parquet", "-j", "1", "-q"],
            timeout=3600,
        )
        two = run_command(
            [cli, "convert", inbox, "-t", "parquet", "-o", work / "j2.parquet", "-j", "2", "-q"],
            timeout=3600,
        )
        dask = engine("dask", inbox, work / "dask")
        spark = engine("spark", inbox, work / "spark")
        # The baseline again, after the engines: the load may have changed meanwhile.
        again = run_command(
            [cli, "convert", inbox, "-t", "parquet", "-o", work / "j1b.parquet", "-j", "1", "-q"],
            timeout=3600,
        )
        parquet_s, text_s, parquet_cpu, text_cpu, articles, floor_s, floor_cpu = read_back(
            work / "j1.parquet", inbox
        )

    runs = [run for run in (baseline, again) if run.seconds is not None]
    base = min((run.seconds for run in runs), default=float("nan"))  # type: ignore[type-var]

    def row(
        label: str, seconds: float | None, extra: str, memory: str, cpu: float | None = None
    ) -> None:
        if seconds is None:
            rows_out.append(f"| {label} | failed: {extra} | | | | | |")
            return
        cpu_text = "" if cpu is None else f"{cpu:.1f} s"
        rows_out.append(
            f"| {label} | {seconds:.1f} s | {cpu_text} | {_rate(articles, size, seconds)} | "
            f"{base / seconds:.2f}× | {memory} |"
        )

    for label, run in (("CLI `-j 1` (baseline)", baseline), ("CLI `-j 1` again", again)):
        row(label, run.seconds, run.error or "", human_bytes(run.peak_rss), run.cpu_seconds)
    row("CLI `-j 2`", two.seconds, two.error or "", human_bytes(two.peak_rss), two.cpu_seconds)
    for label, result in (("Dask, LocalCluster 2 workers", dask), ("Spark local[2]", spark)):
        if "error" in result:
            row(label, None, str(result["error"]), "")
            continue
        peaks = ", ".join(human_bytes(int(p)) for p in result["worker_peaks"])
        job = float(result["job"])
        cpu = float(result["tree_cpu"]) if "tree_cpu" in result else None
        row(f"{label}: job", job, "", f"workers {peaks}", cpu)
        row(
            f"{label}: with start-up ({float(result['start']):.1f} s)",
            float(result["wall"]),
            "",
            "",
        )

    notes = []
    if "error" not in dask:
        notes.append(
            f"Dask: the job's graph has {dask['tasks']} tasks; the workers' share of its CPU "
            f"is {float(dask['cpu']):.1f} s, the rest is the client's process (which runs the "
            "scheduler) and the nannies."
        )
    if "error" not in spark:
        jvm = spark["jvm_only"]
        notes.append(
            f"Spark: the JVM alone, reading back the dataset it wrote and writing it again (no "
            f"Python worker), takes {float(jvm['seconds']):.1f} s and {float(jvm['cpu']):.1f} s "
            "of CPU: a floor under Spark's share of the job."
        )
    speed = text_s / parquet_s
    lines = [
        "# Scale-out benchmark results",
        "",
        "Written by `make bench-scale` (`bench/scale.py`). One run; the CPU may be shared, so",
        "compare ratios within this run, not across runs.",
        "",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; whole run: "
        f"{time.perf_counter() - began:.0f} s; load average before: {load_before}, after: "
        f"{measure.load_average()}.",
        f"- Machine: {os.cpu_count()} CPUs, {measure.cpu_model()}, "
        f"{human_bytes(measure.total_ram())} RAM.",
        f"- Input: {count} generated digests of ~{kb} kB ({human_bytes(size)}, {articles:,} "
        "articles), each from `bench/generate.py` with its own seed"
        + ("" if (count, kb) == (2000, 100) else " (scaled down with BENCH_SCALE_DIGESTS/KB)")
        + ".",
        "",
        "## A folder of text digests to Parquet",
        "",
        "The CLI writes one file; Dask and Spark write a dataset (a file per partition of 25",
        "files), Dask counting the bad files in the same pass. `job` excludes bringing the engine",
        "up (starting the workers and warming them: their imports, and a small job of two",
        "partitions for Spark, whose JVM compiles its paths on the first);",
        "`with start-up` is the whole process. The baseline runs before and after the engines;",
        "ratios are to the faster of the two. CPU: the CLI's processes; for the engines, every",
        "process of the job (client and scheduler, workers; Spark's JVM and Python workers)",
        "during the job. Memory: the CLI's peak RSS; the peak RSS of each worker process for",
        "the engines (Spark's JVM aside). Spark counts the bad files in a second read, after",
        "the job.",
        "",
        "| job | time | CPU | rows/s | MB/s | vs `-j 1` | peak memory |",
        "|---|---|---|---|---|---|---|",
        *rows_out,
        "",
        *(f"- {note}" for note in notes),
        "",
        "## Reading the digests back",
        "",
        "Best of three runs each, interleaved.",
        "",
        "| read | time | CPU | rows/s | MB/s of text |",
        "|---|---|---|---|---|",
        f"| `iter_digests` of the `-j 1` Parquet file | {parquet_s:.2f} s | {parquet_cpu:.2f} s | "
        f"{_rate(articles, size, parquet_s)} |",
        f"| `digestkit.load` of each text file | {text_s:.2f} s | {text_cpu:.2f} s | "
        f"{_rate(articles, size, text_s)} |",
        f"| floor: the Parquet file's strings only (no check, no model object) | {floor_s:.2f} s "
        f"| {floor_cpu:.2f} s | {_rate(articles, size, floor_s)} |",
        "",
        f"Parquet read is {speed:.2f}× the speed of the text read "
        f"({text_cpu / parquet_cpu:.2f}× in CPU time). Making the strings alone is "
        f"{text_s / floor_s:.2f}× the text read: no reader into digests can do better.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
