"""Run one read in a child process under a memory limit, and measure what it cost.

The child reads its input from a file (so that building the input costs the parent, not the
measurement), imports and warms the format, resets the peak of its resident size
(``/proc/self/clear_refs``; ``ru_maxrss`` would carry the parent's peak over ``exec``), runs
the read, and reports the growth of that peak and the CPU time the read took. ``RLIMIT_AS``
is set in the child, so a regression fails with ``MemoryError`` instead of swapping.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import attrs

MIB = 1 << 20
FIXED = 64 * MIB
"""The fixed allowance of the bound: no input may cost more than 20× its size plus this."""
FACTOR = 20
SECONDS = 5.0
"""The most CPU time one read of an input up to 1 MB may take."""
ADDRESS_SPACE = 3 << 30
"""The child's ``RLIMIT_AS``: far above every bound, far below what would make it swap."""

_CHILD = r"""
import gc, json, resource, sys, time, traceback
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import digestkit
from digestkit.streaming import iter_articles

fmt = digestkit.default_registry().get(sys.argv[1])
mode = sys.argv[4]
options = json.loads(sys.argv[5])
# Import the format's modules before the baseline: their cost is not the input's.
try:
    digestkit.loads(b"x", fmt)
except Exception:
    pass
data = open(sys.argv[2], "rb").read()
gc.collect()


def status(field):
    with open("/proc/self/status") as file:
        for line in file:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


# The peak resident size survives exec (ru_maxrss would be the parent's): start it afresh.
with open("/proc/self/clear_refs", "w") as file:
    file.write("5")
before = status("VmRSS")
start = time.process_time()
outcome = "read"
try:
    if mode == "stream":
        with open(sys.argv[2], "rb") as file:
            with iter_articles(file, fmt, **options) as stream:
                for _ in stream:
                    pass
    else:
        digestkit.loads(data, fmt, **options)
except digestkit.DigestError as err:
    outcome = type(err).__name__ + ": " + str(err)[:300]
except MemoryError:
    outcome = "MemoryError"
except BaseException as err:
    outcome = "ESCAPED " + type(err).__name__ + ": " + str(err)[:300]
    traceback.print_exc()
seconds = time.process_time() - start
after = status("VmHWM")
print(json.dumps({"outcome": outcome, "grown": (after - before) * 1024, "seconds": seconds}))
"""


@attrs.frozen
class Cost:
    """What one read cost, as the child measured it."""

    size: int
    outcome: str
    """``read``, the error's class and message, ``MemoryError`` or ``ESCAPED ...``."""
    grown: int
    """Growth of the peak resident size during the read, in bytes."""
    seconds: float
    """CPU time of the read."""

    @property
    def allowed(self) -> int:
        return FACTOR * self.size + FIXED

    def within_bound(self) -> bool:
        """Whether the read kept to 20× its size plus 64 MiB and to 5 s of CPU time."""
        return self.grown <= self.allowed and self.seconds <= SECONDS

    def __str__(self) -> str:
        return (
            f"{self.size / MIB:.2f} MiB input: {self.grown / MIB:.1f} MiB grown "
            f"(allowed {self.allowed / MIB:.1f}), {self.seconds:.2f} s; {self.outcome[:160]}"
        )


def measure(
    path: Path,
    format: str,
    *,
    stream: bool = False,
    limit: int = ADDRESS_SPACE,
    **options: object,
) -> Cost:
    """Read the file at ``path`` as ``format`` in a child process and return what it cost."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _CHILD,
            format,
            str(path),
            str(limit),
            "stream" if stream else "whole",
            json.dumps(options),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise AssertionError(f"the child failed ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return Cost(path.stat().st_size, report["outcome"], report["grown"], report["seconds"])
