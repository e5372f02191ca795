"""DAISY Ace finds no accessibility violation, of any impact, in the books digestkit writes.

Ace (npm ``@daisy/ace``, in ``tests/web`` with vnu-jar and axe-core, installed by
``make deps-web``) runs in Debian's chromium through ``ace-puppeteer``, one book per
process, a few at a time. A missing tool skips on a developer's machine and fails in CI.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from digestkit import api

from .conftest import CHROMIUM, missing_tool
from .epub_books import books, long_article

ACE = Path(__file__).resolve().parents[1] / "web" / "node_modules" / ".bin" / "ace-puppeteer"
NAMES = ["sample", "arabic", "hebrew", "japanese", "every-field", "200-articles", "long-article"]

pytestmark = pytest.mark.slow


def _without_package_language(data: bytes) -> bytes:
    """Return the book with the ``xml:lang`` of its ``<package>`` removed (Ace's epub-lang)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith(".opf"):
                content = content.replace(b' xml:lang="en"', b"", 1)
            target.writestr(info, content)
    return out.getvalue()


def _ace(path: Path) -> dict:
    report = path.with_suffix(".ace")
    environ = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM)}
    subprocess.run(
        [str(ACE), "-s", "-o", str(report), "-f", str(path)],
        check=True,
        capture_output=True,
        env=environ,
        timeout=600,
    )
    return json.loads((report / "report.json").read_text("utf-8"))


def _violations(report: dict) -> list[str]:
    return [
        f"{test['earl:test']['dct:title']} ({test['earl:test']['earl:impact']}) in "
        f"{document['earl:testSubject']['url']}"
        for document in report["assertions"]
        for test in document["assertions"]
        if test["earl:result"]["earl:outcome"] != "pass"
    ]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    if not ACE.is_file():
        missing_tool(f"DAISY Ace ({ACE})")
    if not CHROMIUM.is_file():
        missing_tool(f"chromium ({CHROMIUM})")
    folder = tmp_path_factory.mktemp("ace")
    written = books()
    # An article split over Kindle's page size: its continuation pages have no heading.
    written["long-article"] = api.dumps(long_article(), "epub")
    # The harness must see a violation where there is one.
    written["broken"] = _without_package_language(written["sample"])
    paths = {}
    for name, data in written.items():
        paths[name] = folder / f"{name}.epub"
        paths[name].write_bytes(data)
    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(zip(paths, pool.map(_ace, paths.values()), strict=True))


@pytest.mark.parametrize("name", NAMES)
def test_ace_finds_no_violation(reports: dict[str, dict], name: str) -> None:
    assert _violations(reports[name]) == []
    assert reports[name]["earl:result"]["earl:outcome"] == "pass"


def test_ace_sees_a_package_without_a_language(reports: dict[str, dict]) -> None:
    assert any("epub-lang" in v or "language" in v.lower() for v in _violations(reports["broken"]))
