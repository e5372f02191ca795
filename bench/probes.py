"""Measurements that need a process of their own; each prints one JSON object.

    python bench/probes.py memory FILE        peak RSS growth of parsing FILE
    python bench/probes.py tracemalloc FILE   traced peak and retained memory of parsing FILE
    python bench/probes.py imports SAMPLE FORMAT OUT   modules a CLI conversion imports
    python bench/probes.py stream FILE        digestkit.iter_articles over FILE, if it exists

A fresh process per measurement keeps one measurement's memory out of the next.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path


def _rss() -> int:
    """This process's resident set size now, in bytes (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def memory(path: str) -> dict[str, object]:
    """Parse a file once; report RSS before, at peak and after, against the input size."""
    import digestkit

    data = Path(path).read_bytes()
    before = _rss()
    start = time.perf_counter()
    digest = digestkit.loads(data, max_bytes=None)
    seconds = time.perf_counter() - start
    return {
        "input": len(data),
        "articles": len(digest.articles),
        "seconds": seconds,
        "rss_before": before,
        "peak_growth": _peak_rss() - before,
        "retained_growth": _rss() - before,
    }


def traced(path: str) -> dict[str, object]:
    """Parse a file under tracemalloc; report the peak and what the digest retains."""
    import digestkit

    data = Path(path).read_bytes()
    tracemalloc.start()
    digest = digestkit.loads(data, max_bytes=None)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"input": len(data), "articles": len(digest.articles), "peak": peak, "retained": current}


def imports(sample: str, target: str, out: str) -> dict[str, object]:
    """Run one CLI conversion in this process; report which heavy modules it imported."""
    from digestkit.cli import main

    code = main(["convert", sample, "-t", target, "-o", out])
    heavy = sorted(
        name for name in ("lxml", "ebooklib", "hypothesis", "jsonschema") if name in sys.modules
    )
    return {"exit": code, "heavy_modules": heavy, "modules": len(sys.modules)}


def stream(path: str) -> dict[str, object]:
    """Count the articles of a file with digestkit.iter_articles, if the package has it."""
    import digestkit

    iter_articles = getattr(digestkit, "iter_articles", None)
    if iter_articles is None:
        return {"error": "not available (no digestkit.iter_articles on this branch)"}
    before = _rss()
    start = time.perf_counter()
    count = 0
    articles = iter_articles(path)
    try:
        for _ in articles:
            count += 1
    finally:
        close = getattr(articles, "close", None)
        if close is not None:
            close()
    return {
        "bytes": Path(path).stat().st_size,
        "articles": count,
        "seconds": time.perf_counter() - start,
        "peak_rss": _peak_rss(),
        "peak_growth": _peak_rss() - before,
    }


PROBES = {"memory": memory, "tracemalloc": traced, "imports": imports, "stream": stream}


def main(argv: list[str]) -> int:
    """Run the probe named by the first argument and print its JSON result."""
    probe = PROBES[argv[0]]
    # On stderr: the launcher sends a command's stdout to /dev/null.
    print(json.dumps(probe(*argv[1:])), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
