"""Start-up and parse time against an earlier revision, measured side by side in one run.

``BENCH_BASELINE`` names a git revision (default ``c2642d2``, the commit before the "one home
per rule" wave; ``none`` skips the comparison). That revision is checked out in a git
worktree under ``bench/data/`` with a venv of its own (digestkit and the example plugin,
installed as ``make venv`` installs them, and byte-compiled as ``make bench`` does), reused by
later runs. Both trees then run the same two measurements, interleaved so that both see the
same machine load:

- cold start: ``digestkit convert SAMPLE -t json -o OUT`` through each venv's console script;
- parse: ``digestkit.loads`` of the 10 MB digest, in a fresh process of each venv.

``python bench/baseline.py`` (``make bench-startup``) runs only these rows and prints them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # the bench folder is not a package: its modules import by name
from measure import Run, run_command

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEFAULT = "c2642d2"
ROUNDS = 10  # cold starts per tree; the parse runs ROUNDS // 2 times per tree
PARSE_INPUT = "10MB"

# Run by each tree's interpreter; prints the best of N parse times of FILE, in seconds, and
# the number of articles (both trees must find the same).
_PARSE = """
import sys, time, digestkit
data = open(sys.argv[1], "rb").read()
best = float("inf")
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    digest = digestkit.loads(data, max_bytes=None)
    best = min(best, time.perf_counter() - start)
print(best, len(digest.articles))
"""


def _git(*args: str, cwd: Path = ROOT) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def prepare(revision: str) -> tuple[str, Path]:
    """Check ``revision`` out under bench/data/ with its own venv; return (commit, venv bin).

    Raises:
        subprocess.CalledProcessError: git or pip failed.
    """
    commit = _git("rev-parse", "--verify", f"{revision}^{{commit}}")
    tree = generate.DATA / f"baseline-{commit[:12]}"
    stamp = tree / ".venv" / ".bench-installed"
    if not tree.exists():
        tree.parent.mkdir(parents=True, exist_ok=True)
        _git("worktree", "add", "--detach", str(tree), commit)
    if not stamp.exists():
        python = os.environ.get("PYTHON") or sys.executable
        subprocess.run([python, "-m", "venv", str(tree / ".venv")], check=True)
        pip = [str(tree / ".venv" / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        plugin = tree / "tests" / "plugins" / "digestkit-markdown"
        extra = ["-e", str(plugin)] if plugin.exists() else []
        subprocess.run([*pip, "-e", str(tree), *extra], check=True)
        bin_python = str(tree / ".venv" / "bin" / "python")
        subprocess.run([bin_python, "-m", "compileall", "-q", str(tree / "src")], check=True)
        stamp.touch()
    return commit, tree / ".venv" / "bin"


_ARTICLES: dict[Path, int] = {}


def _parse_time(python: Path, path: Path, repeat: int) -> Run:
    done = subprocess.run(
        [str(python), "-c", _PARSE, str(path), str(repeat)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["(no output)"]
        return Run(None, None, f"exit {done.returncode}: {lines[-1][:120]}")
    seconds, articles = done.stdout.split()
    if int(articles) != _ARTICLES.setdefault(path, int(articles)):
        return Run(None, None, f"read {articles} articles, not {_ARTICLES[path]}")
    return Run(float(seconds), None)


def _best(runs: list[Run]) -> Run:
    timed = [run for run in runs if run.ok]
    if len(timed) < len(runs):
        return next(run for run in runs if not run.ok)
    return min(timed, key=lambda run: run.seconds or 0.0)


def compare(revision: str | None = None) -> dict[str, object]:
    """Measure cold start and the 10 MB parse for the baseline and for this tree."""
    revision = revision or os.environ.get("BENCH_BASELINE") or DEFAULT
    if revision.lower() == "none":
        return {"error": "skipped (BENCH_BASELINE=none)"}
    try:
        commit, baseline_bin = prepare(revision)
    except subprocess.CalledProcessError as error:
        return {"error": f"baseline {revision} could not be prepared: {error}"}
    trees = {"baseline": baseline_bin, "current": Path(sys.executable).parent}
    sample = generate.SAMPLE
    large = generate.ensure(PARSE_INPUT)
    cold: dict[str, list[Run]] = {name: [] for name in trees}
    parse: dict[str, list[Run]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory(prefix="digestkit-baseline-") as scratch:
        for round_ in range(ROUNDS):  # interleaved: both trees see the same machine load
            for name, bin_dir in trees.items():
                out = Path(scratch) / f"{name}.json"
                argv = [bin_dir / "digestkit", "convert", sample, "-t", "json", "-o", out]
                cold[name].append(run_command(argv))
                if round_ % 2 == 0:
                    parse[name].append(_parse_time(bin_dir / "python", large, 1))
    return {
        "revision": revision,
        "commit": commit,
        "head": _git("rev-parse", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "input": PARSE_INPUT,
        "cold": {name: _best(runs) for name, runs in cold.items()},
        "parse": {name: _best(runs) for name, runs in parse.items()},
    }


def _cell(run: Run) -> str:
    return f"{run.seconds:.3f} s" if run.ok and run.seconds is not None else str(run.error)


def _change(before: Run, after: Run) -> str:
    if not (before.ok and after.ok and before.seconds and after.seconds):
        return "—"
    return f"{(after.seconds / before.seconds - 1) * 100:+.0f} %"


def render(result: dict[str, object]) -> list[str]:
    """The comparison as a Markdown table, with a line saying what was compared."""
    if "error" in result:
        return [f"Baseline comparison: {result['error']}.", ""]
    cold = result["cold"]
    parse = result["parse"]
    assert isinstance(cold, dict)
    assert isinstance(parse, dict)
    head = f"{str(result['head'])[:7]}{' + uncommitted changes' if result['dirty'] else ''}"
    rows = [
        ("`digestkit convert sample -t json -o …` (cold start)", cold),
        (f"`digestkit.loads` of the {result['input']} digest (fresh process)", parse),
    ]
    lines = [
        f"Baseline `{result['revision']}` ({str(result['commit'])[:7]}, `BENCH_BASELINE`) "
        f"against this tree ({head}), interleaved in one run; best of {ROUNDS} cold starts "
        f"and {ROUNDS // 2} parses each.",
        "",
        "| measure | baseline | this tree | change |",
        "|---|---|---|---|",
    ]
    for label, runs in rows:
        before, after = runs["baseline"], runs["current"]
        lines.append(f"| {label} | {_cell(before)} | {_cell(after)} | {_change(before, after)} |")
    return [*lines, ""]


def main() -> int:
    """Run only the baseline comparison and print it (``make bench-startup``)."""
    result = compare()
    print("\n".join(render(result)))
    return 1 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main())
