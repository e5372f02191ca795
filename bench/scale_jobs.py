"""One scale-out job, run in its own process by ``bench/scale.py``; prints its figures as JSON.

    python bench/scale_jobs.py dask  INBOX OUTDIR
    python bench/scale_jobs.py spark INBOX OUTDIR

Each prints ``{"start": s, "job": s, "rows": n, "errors": n, "worker_peaks": [bytes, ...],
"tree_cpu": s}``: the seconds to bring the engine up (workers started and warmed: their
imports done), the seconds of the job (folder of text digests to a Parquet dataset, and the
count of bad files), the peak resident memory of each worker process, and the CPU seconds
the job cost all the processes (the engine's and this one). Dask's also has ``cpu``, its
workers' share, and ``tasks``, the tasks of the job's graph; Spark's ``jvm_only``, the
seconds and CPU of the JVM rewriting the dataset it wrote (no Python worker).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from pathlib import Path


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def _children_of(root: int) -> set[int]:
    """The process ids descending from ``root``, read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


class PeakSampler(threading.Thread):
    """Records the high-water RSS (VmHWM) of each Python process below this one."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for pid in _children_of(os.getpid()):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                    command = Path(f"/proc/{pid}/cmdline").read_bytes()
                except OSError:
                    continue
                if b"python" not in command.split(b"\0")[0]:
                    continue  # the JVMs are reported by Spark, not here
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        peak = int(line.split()[1]) * 1024
                        self.peaks[pid] = max(self.peaks.get(pid, 0), peak)
            self.stop.wait(0.2)


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _tree_cpu() -> float:
    """CPU seconds of this process and every live process below it (Spark's JVM and its
    Python workers, Dask's nannies and workers), read from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = _cpu_seconds()
    for pid in _children_of(os.getpid()):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def _warm_up(first: str) -> None:
    """Import what reading digests into a dataframe needs, and read one file (the text
    reader's modules and patterns load then), as a worker that has served jobs has done."""
    import dask.dataframe  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    from digestkit.folders import read_files

    read_files([first])


def dask_job(inbox: str, out: str) -> dict[str, object]:
    """The folder to a Parquet dataset on a LocalCluster of two worker processes."""
    import dask
    import pyarrow.parquet as pq
    from dask.base import collections_to_expr
    from distributed import Client, LocalCluster

    from digestkit.dask import read_dataframe

    started = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        # Bringing the engine up includes the workers' imports (pandas, pyarrow, Dask's
        # dataframe, digestkit's formats): a cluster that serves jobs has them done.
        first = str(sorted(Path(inbox).glob("*.txt"))[0])
        client.run(_warm_up, first)
        _warm_up(first)  # and the client's
        ready = time.perf_counter()
        cpu_before = client.run(_cpu_seconds)
        tree_before = _tree_cpu()
        # From the paths: Arrow to pandas per partition (no Python dict per row); the
        # dataset and the count of bad files from one reading of each file.
        frame, errors = read_dataframe(inbox, files_per_partition=25)
        written = frame.to_parquet(out, write_index=False, compute=False)
        count = errors.shape[0]
        tasks = len(collections_to_expr([written, count]).optimize().__dask_graph__())
        _, bad = dask.compute(written, count)
        done = time.perf_counter()
        tree_after = _tree_cpu()
        cpu_after = client.run(_cpu_seconds)
        # pyarrow counts: Dask's read_parquet does not understand nested Arrow dtypes.
        rows = pq.read_table(out, columns=["article"]).num_rows
        peaks = list(client.run(_peak_rss).values())
    return {
        "start": ready - started,
        "job": done - ready,
        "rows": rows,
        "errors": int(bad),
        "worker_peaks": peaks,
        "cpu": sum(cpu_after[w] - cpu_before[w] for w in cpu_after),
        # The client's process runs the scheduler too: on 2 cores it competes with the
        # workers, so the whole tree's CPU is what bounds the job.
        "tree_cpu": tree_after - tree_before,
        "tasks": tasks,
    }


def spark_job(inbox: str, out: str) -> dict[str, object]:
    """The folder to a Parquet dataset on Spark local[2]."""
    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    from digestkit.spark import DigestDataSource

    sampler = PeakSampler()
    sampler.start()
    started = time.perf_counter()
    builder = SparkSession.builder
    spark = (
        builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    try:
        spark.dataSource.register(DigestDataSource)
        # Bringing the engine up includes starting its Python workers and their imports,
        # and the JVM compiling its reading and writing paths: a small job of the same
        # kind (two partitions, so both workers), as a session that serves jobs has done.
        # (Left out, it adds about 6 s to the job's first partitions.)
        first = str(Path(inbox) / "digest-0000[01].txt")  # bench/scale.py names them so
        warm = spark.read.format("digest").option("filesPerPartition", 1).load(first)
        warm.write.mode("overwrite").parquet(out + "-warm")
        ready = time.perf_counter()
        tree_before = _tree_cpu()
        frame = spark.read.format("digest").option("filesPerPartition", 25).load(inbox)
        frame.write.mode("overwrite").parquet(out)
        done = time.perf_counter()
        tree_cpu = _tree_cpu() - tree_before
        # What the JVM alone costs for the same rows: the dataset read back and written
        # again, no Python worker involved (a lower bound of Spark's share of the job).
        again = time.perf_counter()
        jvm_before = _tree_cpu()
        spark.read.parquet(out).write.mode("overwrite").parquet(out + "-again")
        jvm_only = {"seconds": time.perf_counter() - again, "cpu": _tree_cpu() - jvm_before}
        rows = spark.read.parquet(out).count()
        bad = spark.read.format("digest").option("errors", "only").load(inbox).count()
    finally:
        spark.stop()
        sampler.stop.set()
        sampler.join()
    return {
        "start": ready - started,
        "job": done - ready,
        "rows": rows,
        "errors": bad,
        "tree_cpu": tree_cpu,
        "jvm_only": jvm_only,
        # The python daemon and the workers it forks; the largest are the readers.
        "worker_peaks": sorted(sampler.peaks.values(), reverse=True)[:2],
    }


if __name__ == "__main__":
    engine, inbox, out = sys.argv[1:4]
    job = {"dask": dask_job, "spark": spark_job}[engine]
    print(json.dumps(job(inbox, out)))
