"""Timing and memory primitives for the benchmark, and what it runs on.

Wall-clock times are the best of a few runs (the least disturbed by other processes on a
shared machine); peak memory of a child process comes from ``os.wait4``'s resource usage.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

MB = 10**6


@dataclass(frozen=True)
class Run:
    """One measured command: its best wall time, its peak RSS, and how it ended."""

    seconds: float | None
    peak_rss: int | None  # bytes
    error: str | None = None
    timeout: float | None = None  # the limit a command that timed out outlived
    cpu_seconds: float | None = None  # user + system time of the fastest run

    @property
    def ok(self) -> bool:
        """Whether every run of the command succeeded."""
        return self.error is None and self.seconds is not None


def best_of(function: Callable[[], object], repeat: int) -> float:
    """Return the least wall time of ``repeat`` calls of ``function``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def timed(function: Callable[[], object]) -> tuple[float, float]:
    """Return the wall time and the CPU time (this process's) of one call, in seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


LAUNCHER = Path(__file__).resolve().parent / "launch.py"


def run_command(
    argv: Sequence[str | os.PathLike[str]],
    repeat: int = 1,
    timeout: float = 600.0,
    budget: float = 4.0,
) -> Run:
    """Run a command up to ``repeat`` times; return its best time and largest peak RSS.

    Each run goes through ``launch.py``, which times it and reads its own peak RSS. Runs stop
    early once they have taken ``budget`` seconds in all, so a slow command runs once. A
    command that fails, or outlives ``timeout`` seconds, ends with an error.
    """
    best: float | None = None
    cpu: float | None = None
    peak = 0
    spent = 0.0
    for _ in range(repeat):
        if spent > budget:
            break
        launch = [sys.executable, "-S", LAUNCHER, str(timeout), *argv]
        done = subprocess.run(
            [os.fspath(arg) for arg in launch], capture_output=True, text=True, check=False
        )
        try:
            result = json.loads(done.stdout)
        except json.JSONDecodeError:
            return Run(None, None, f"launcher failed: {done.stderr.strip()[-120:]}")
        if result["timed_out"]:
            return Run(None, None, f"timed out after {timeout:.0f} s", timeout)
        if result["exit"] != 0:
            lines = done.stderr.strip().splitlines()
            last = lines[-1][:120] if lines else ""
            return Run(None, None, f"exit {result['exit']}: {last}")
        spent += result["seconds"]
        if best is None or result["seconds"] < best:
            best, cpu = result["seconds"], result.get("cpu")
        peak = max(peak, result["maxrss"])
    return Run(best, peak or None, cpu_seconds=cpu)


def human_bytes(count: int | float | None) -> str:
    """Format a byte count as ``12.3 MB`` (decimal units)."""
    if count is None:
        return "–"
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count:.0f} B"


def cpu_model() -> str:
    """Return the CPU's model name, from /proc/cpuinfo where there is one."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def total_ram() -> int | None:
    """Return the machine's RAM in bytes, if the OS says."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return None


def load_average() -> str:
    """Return the 1, 5 and 15 minute load averages."""
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def tool_version(argv: Sequence[str]) -> str | None:
    """Return the first line a ``--version`` style command prints, or ``None`` if absent."""
    if shutil.which(argv[0]) is None:
        return None
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else None


def package_version(name: str) -> str:
    """Return an installed distribution's version, or ``not installed``."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def python_version() -> str:
    """Return this interpreter's version."""
    return sys.version.split()[0]
