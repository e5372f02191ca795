"""The documentation's examples, run: each says what the code does."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import digestkit

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _blocks(page: str, language: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def test_format_md_round_trips_the_sample_byte_for_byte(sample_bytes: bytes) -> None:
    text = (DOCS / "format.md").read_text(encoding="utf-8")
    (claim,) = re.findall(r"`(dumps\(loads\(sample\), final_newline=False\)[^`]*== sample)`", text)
    namespace = {"dumps": digestkit.dumps, "loads": digestkit.loads, "sample": sample_bytes}
    assert eval(claim, namespace) is True  # the page's own expression


def test_plugins_md_shows_what_formats_prints() -> None:
    shown = next(b for b in _blocks("plugins.md", "console") if "digestkit formats" in b)
    (line,) = [row for row in shown.splitlines() if row.startswith("mdexample ")]
    if "mdexample" not in digestkit.default_registry().names():
        pytest.skip("the example plugin is not installed")
    printed = subprocess.run(
        [sys.executable, "-m", "digestkit", "formats"], capture_output=True, text=True, check=True
    ).stdout
    assert line in printed.splitlines()


def test_pipelines_md_pool_example_runs_where_processes_are_spawned(
    sample_bytes: bytes, tmp_path: Path
) -> None:
    (block,) = [b for b in _blocks("pipelines.md", "python") if "ProcessPoolExecutor" in b]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("a", "b"):
        (inbox / f"{name}.txt").write_bytes(sample_bytes)
    script = tmp_path / "example.py"
    # Spawned workers (macOS, Windows) import the script: without a __main__ guard they would
    # start a pool of their own and fail.
    script.write_text(
        "import multiprocessing\nmultiprocessing.set_start_method('spawn', force=True)\n" + block
    )
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in inbox.glob("*.json")) == ["a.json", "b.json"]


def test_readme_says_when_ebooklib_is_imported(sample_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("ebooklib")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "imported only when an EPUB is written" in " ".join(readme.split())
    book = tmp_path / "sample.epub"
    digestkit.dump(digestkit.load(sample_path), book)
    code = (
        "import sys, digestkit\n"
        f"digestkit.load({str(book)!r})\n"
        "assert 'ebooklib' not in sys.modules\n"
        f"digestkit.dump(digestkit.load({str(sample_path)!r}), {str(tmp_path / 'again.epub')!r})\n"
        "assert 'ebooklib' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)
