"""The digestkit benchmark: digestkit against pandoc, calibre and a raw-Python floor.

Run by ``make bench``. On the same generated digests, in one run, it measures digestkit's
parse throughput against a ``str.split`` floor, each registered writer, text->EPUB and
text->JSON through the CLI against pandoc (and calibre's ``ebook-convert`` when installed),
the CLI's cold start, the memory a parse takes, and streaming; prints the tables and writes
them to ``bench/RESULTS.md``. A format that is not registered gets a "format not available"
row, so the same script gives the full table once every format is merged.

Environment (all optional):
    BENCH_SIZES        digest sizes for digestkit and the floor (default "1MB 10MB 100MB")
    BENCH_PANDOC_MAX   largest size, in MB, given to pandoc (default 10; 100 takes ~11 GB)
    BENCH_CALIBRE_MAX  largest size, in MB, given to calibre (default 10; 0 skips calibre)
    BENCH_HEADINGS_MAX largest size, in MB, of pandoc's headlines-as-headings run (default 1)
    BENCH_STREAM_SIZE  size of the streaming digest (default 1GB; "0" skips the row)
    BENCH_TIMEOUT      seconds before one command is given up (default 300)
    BENCH_PARSE_ROUNDS interleaved rounds of the parse against the floor, up to 20 MB
                       (default 9; the best of them counts, each is listed)
    BENCH_BASELINE     git revision to compare cold start and 10 MB parse with (default
                       c2642d2; "none" skips it): see baseline.py
    BENCH_ONLY         "startup" runs only that comparison (as `make bench-startup`); "epub"
                       only text→EPUB against pandoc at each of BENCH_SIZES (default here
                       "10MB 100MB"; pandoc at every size, BENCH_TIMEOUT default 1200), with
                       the checks of docs/performance.md, written to bench/RESULTS-epub.md
    BENCH_EPUB_ROUNDS  with BENCH_ONLY=epub, digestkit's runs per size, the sizes taking
                       turns (default 3)
"""

from __future__ import annotations

import cProfile
import datetime as dt
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import baseline
import epub_scale
import generate  # the bench folder is not a package: its modules import by name
import measure
import report
from measure import MB, Run, best_of, run_command

import digestkit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = Path(sys.executable).parent
DIGESTKIT = VENV_BIN / "digestkit"
SIZES = os.environ.get("BENCH_SIZES", "1MB 10MB 100MB").split()
PANDOC_MAX = float(os.environ.get("BENCH_PANDOC_MAX", "10")) * MB
CALIBRE_MAX = float(os.environ.get("BENCH_CALIBRE_MAX", "10")) * MB
HEADINGS_MAX = float(os.environ.get("BENCH_HEADINGS_MAX", "1")) * MB
STREAM_SIZE = os.environ.get("BENCH_STREAM_SIZE", "1GB")
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "300"))
PROFILE_SIZE = "10MB"
PARSE_ROUNDS = int(os.environ.get("BENCH_PARSE_ROUNDS", "9"))


def floor(data: bytes) -> list[list[str]]:
    """The floor: decode, cut into articles at the marker and into paragraphs at blank lines."""
    text = data.decode("utf-8")
    return [article.split("\n\n") for article in text.split("Keep reading")]


def repeats(size: int, small: int = 5) -> int:
    """How many runs to take the best of: more for small inputs, two for the largest."""
    if size <= 2 * MB:
        return small
    return 3 if size <= 20 * MB else 2


def available(name: str) -> digestkit.Format | None:
    """The registered format of that name, or ``None``."""
    try:
        return digestkit.default_registry().get(name)
    except digestkit.FormatError:
        return None


class Bench:
    """Collects the measurements of one run."""

    def __init__(self, inputs: dict[str, Path], scratch: Path) -> None:
        self.inputs = inputs
        self.scratch = scratch
        self.parse: list[dict[str, object]] = []
        self.writers: list[dict[str, object]] = []
        self.e2e: list[dict[str, object]] = []
        self.cold: dict[str, object] = {}
        self.memory: dict[str, object] = {}
        self.stream: dict[str, object] = {}
        self.profile: list[str] = []
        self.baseline: dict[str, object] = {}

    # --- in-process: parse and writers ---------------------------------------------------

    def measure_parse(self) -> None:
        for label, path in self.inputs.items():
            data = path.read_bytes()
            n = repeats(len(data), small=20 if label == "sample" else 5)
            if len(data) <= 20 * MB:
                # The machine's speed changes for seconds at a time (a shared host): more
                # rounds give both sides the same chance of a quiet one.
                n = max(n, PARSE_ROUNDS)
            ours = theirs = ours_cpu = theirs_cpu = float("inf")
            shares = []
            for _ in range(n):  # interleaved, so that both see the same machine load
                wall, cpu = measure.timed(lambda d=data: digestkit.loads(d, max_bytes=None))
                ours, ours_cpu = min(ours, wall), min(ours_cpu, cpu)
                mine = wall
                wall, cpu = measure.timed(lambda d=data: floor(d))
                theirs, theirs_cpu = min(theirs, wall), min(theirs_cpu, cpu)
                shares.append(wall / mine)
            self.parse.append(
                {
                    "input": label,
                    "bytes": len(data),
                    "ours": ours,
                    "floor": theirs,
                    "ours_cpu": ours_cpu,
                    "floor_cpu": theirs_cpu,
                    "shares": sorted(shares),
                }
            )
            print(
                f"parse {label}: {ours:.4f} s ({ours_cpu:.4f} s CPU), floor {theirs:.4f} s "
                f"({theirs_cpu:.4f} s CPU)",
                flush=True,
            )

    def measure_writers(self, largest: int = 10 * MB) -> None:
        formats = [f for f in digestkit.default_registry().all() if f.writer is not None]
        for label, path in self.inputs.items():
            data = path.read_bytes()
            if len(data) > largest * 1.01:
                continue
            digest = digestkit.loads(data, max_bytes=None)
            for fmt in formats:
                write = fmt.writer
                assert write is not None
                seconds = best_of(lambda w=write, d=digest: w(d), repeats(len(data), 3))
                size = len(write(digest))
                self.writers.append(
                    {
                        "format": fmt.name,
                        "input": label,
                        "bytes": len(data),
                        "seconds": seconds,
                        "output": size,
                    }
                )
                print(f"write {fmt.name} {label}: {seconds:.4f} s", flush=True)

    def measure_profile(self) -> None:
        data = self.inputs.get(PROFILE_SIZE, self.inputs["sample"]).read_bytes()
        profiler = cProfile.Profile()
        profiler.runcall(digestkit.loads, data, max_bytes=None)
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("tottime").print_stats(8)
        lines = stream.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        self.profile = [line.rstrip() for line in lines[start : start + 9] if line.strip()]

    # --- subprocesses: end to end, cold start, memory, streaming -------------------------

    def _jobs(self, label: str, path: Path, size: int) -> list[tuple[str, str, list[object]]]:
        """(job, tool, argv) for each end-to-end command on one input."""
        out = self.scratch
        jobs: list[tuple[str, str, list[object]]] = []
        for target, ext in (("epub", "epub"), ("json", "json")):
            argv: list[object] = [DIGESTKIT, "convert", path, "-t", target, "-o", out / f"o.{ext}"]
            jobs.append((f"text→{target.upper()}", "digestkit", argv))
        if size <= PANDOC_MAX * 1.01 and shutil.which("pandoc"):
            for target, ext in (("epub3", "epub"), ("json", "json")):
                argv = ["pandoc", "-f", "markdown", "-t", target, "-o", out / f"p.{ext}", path]
                job = "text→EPUB" if ext == "epub" else "text→JSON"
                jobs.append((job, "pandoc", argv))
            headings = generate.data_path(label, ".md")
            if size <= HEADINGS_MAX * 1.01 and headings.exists():
                argv = ["pandoc", "-f", "markdown", "-t", "epub3", "-o", out / "h.epub", headings]
                jobs.append(("text→EPUB", "pandoc (headings)", argv))
        if size <= CALIBRE_MAX * 1.01 and shutil.which("ebook-convert"):
            argv = ["ebook-convert", path, out / "c.epub"]
            jobs.append(("text→EPUB", "calibre", argv))
        return jobs

    def measure_e2e(self) -> None:
        for label, path in self.inputs.items():
            size = path.stat().st_size
            for job, tool, argv in self._jobs(label, path, size):
                target = job.split("→")[1].lower()
                if tool == "digestkit" and available(target) is None:
                    run = Run(None, None, "format not available")
                else:
                    small = 3 if tool.startswith("calibre") else 5
                    run = run_command(argv, repeat=repeats(size, small), timeout=TIMEOUT)
                self.e2e.append(
                    {"job": job, "tool": tool, "input": label, "bytes": size, "run": run}
                )
                shown = f"{run.seconds:.3f} s" if run.ok else run.error
                print(f"{job} {tool} {label}: {shown}", flush=True)

    def measure_cold(self) -> None:
        sample = self.inputs["sample"]
        target = "json" if available("json") else "text"
        ours = run_command(
            [DIGESTKIT, "convert", sample, "-t", target, "-o", self.scratch / f"cold.{target}"],
            repeat=10,
        )
        pandoc = (
            run_command(
                [
                    "pandoc",
                    "-f",
                    "markdown",
                    "-t",
                    "json",
                    "-o",
                    self.scratch / "cold.json",
                    sample,
                ],
                repeat=10,
            )
            if shutil.which("pandoc")
            else Run(None, None, "pandoc not installed")
        )
        python = run_command([sys.executable, "-c", "pass"], repeat=10)
        probe = self._probe("imports", sample, target, self.scratch / f"probe.{target}")
        probe["importtime"] = self._import_times(sample, target)
        self.cold = {
            "target": target,
            "ours": ours,
            "pandoc": pandoc,
            "python": python,
            "imports": probe,
        }

    def _import_times(self, sample: Path, target: str) -> list[tuple[str, int]]:
        """Microseconds the CLI's conversion spends importing, per top-level package."""
        out = self.scratch / f"importtime.{target}"
        code = f"from digestkit.cli import main; main(['convert', {str(sample)!r}, '-t', "
        code += f"{target!r}, '-o', {str(out)!r}])"
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=False,
        )
        totals: dict[str, int] = {}
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, _, name = line.removeprefix("import time:").split("|")
            root = name.strip().split(".")[0]
            totals[root] = totals.get(root, 0) + int(own)
        return sorted(totals.items(), key=lambda item: -item[1])[:8]

    def _probe(self, *args: object) -> dict[str, object]:
        # Through the launcher, so that the probe's peak RSS is its own (see launch.py); the
        # launcher sends the probe's stdout to /dev/null, so the probe reports on stderr.
        argv = [sys.executable, "-S", measure.LAUNCHER, str(TIMEOUT * 4), sys.executable]
        argv += [BENCH / "probes.py", *map(str, args)]
        done = subprocess.run(
            [os.fspath(a) for a in argv], capture_output=True, text=True, check=False
        )
        lines = done.stderr.strip().splitlines() or ["(no output)"]
        try:
            launched = json.loads(done.stdout)
            if launched["exit"] != 0 or launched["timed_out"]:
                return {"error": f"probe {args[0]} failed: {lines[-1][:160]}"}
            result: dict[str, object] = json.loads(lines[-1])
        except (json.JSONDecodeError, KeyError):
            return {"error": f"probe {args[0]} failed: {lines[-1][:160]}"}
        return result

    def measure_memory(self) -> None:
        label = max(self.inputs, key=lambda name: self.inputs[name].stat().st_size)
        path = self.inputs[label]
        self.memory = {
            "input": label,
            "rss": self._probe("memory", path),
            "traced": self._probe("tracemalloc", path),
        }

    def measure_stream(self) -> None:
        if STREAM_SIZE == "0":
            self.stream = {"error": "skipped (BENCH_STREAM_SIZE=0)"}
            return
        if not hasattr(digestkit, "iter_articles"):
            self.stream = {"error": "not available (no digestkit.iter_articles on this branch)"}
            return
        path = generate.ensure(STREAM_SIZE)
        self.stream = {**self._probe("stream", path), "input": STREAM_SIZE}


def prepare_inputs() -> dict[str, Path]:
    """The sample and the generated digests, generating those that are missing."""
    inputs = {"sample": generate.SAMPLE}
    headings = generate.data_path("sample", ".md")
    if not headings.exists():
        headings.parent.mkdir(parents=True, exist_ok=True)
        text = generate.SAMPLE.read_text(encoding="utf-8")
        headings.write_text(generate.with_headings(text), encoding="utf-8")
    for label in SIZES:
        size = generate.parse_size(label)
        inputs[label] = generate.ensure(label, headings=size <= HEADINGS_MAX * 1.01)
    return inputs


def main() -> int:
    """Run every measurement, print the report and write bench/RESULTS.md."""
    if os.environ.get("BENCH_ONLY") == "startup":
        return baseline.main()
    if os.environ.get("BENCH_ONLY") == "epub":
        return epub_scale.main()
    started = time.perf_counter()
    load_before = measure.load_average()
    inputs = prepare_inputs()
    with tempfile.TemporaryDirectory(prefix="digestkit-bench-") as scratch:
        bench = Bench(inputs, Path(scratch))
        bench.measure_parse()
        bench.measure_writers()
        bench.measure_profile()
        bench.measure_cold()
        bench.baseline = baseline.compare()
        bench.measure_e2e()
        bench.measure_memory()
        bench.measure_stream()
    elapsed = time.perf_counter() - started
    context = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "elapsed": elapsed,
        "load_before": load_before,
        "load_after": measure.load_average(),
        "pandoc_max": PANDOC_MAX,
        "calibre_max": CALIBRE_MAX,
        "headings_max": HEADINGS_MAX,
        "profile_input": PROFILE_SIZE if PROFILE_SIZE in inputs else "sample",
    }
    text = report.render(bench, context)
    (BENCH / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
