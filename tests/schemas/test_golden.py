"""Golden files of the sample, written by the code, checked by tools independent of it.

The files under tests/fixtures/ (seed.json, seed.jsonl, seed.xml) were written with
``digestkit convert seeds/000_e763484b695398bd.txt -o tests/fixtures/seed.<ext>``. A change
of output shape makes :func:`test_golden_file_is_what_the_code_writes` fail: look at the
diff, bump the format version if the shape changed, and regenerate them the same way.

JSON is checked with the ``check-jsonschema`` command (its own regex engine, regress) and
XML with ``xmllint --schema`` (libxml2's command-line tool), not with the libraries the
other tests use.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import digestkit
from digestkit import schemas

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "seeds" / "000_e763484b695398bd.txt"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def _tool(name: str, path: str | None) -> str:
    """Return the tool's path; skip without it, but fail on CI, where it must be there."""
    if path is None or not Path(path).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing on CI (make deps installs it)")
        pytest.skip(f"{name} is not installed (make deps installs it)")
    return path


def _check_jsonschema() -> str:
    found = str(CHECK_JSONSCHEMA) if CHECK_JSONSCHEMA.exists() else shutil.which("check-jsonschema")
    return _tool("check-jsonschema", found)


def _xmllint() -> str:
    return _tool("xmllint", shutil.which("xmllint"))


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args], capture_output=True, text=True, timeout=120, check=False
    )


def _check_json(path: Path) -> subprocess.CompletedProcess[str]:
    return _run(_check_jsonschema(), "--schemafile", schemas.path(schemas.JSON_SCHEMA), path)


def _check_xml(path: Path) -> subprocess.CompletedProcess[str]:
    return _run(_xmllint(), "--noout", "--nonet", "--schema", schemas.xml_schema_path(), path)


_CHECKERS = {"json": _check_json, "xml": _check_xml}


@pytest.mark.parametrize("fmt", ["json", "jsonl", "xml"])
def test_golden_file_is_what_the_code_writes(fmt):
    golden = (FIXTURES / f"seed.{fmt}").read_bytes()
    assert digestkit.dumps(digestkit.load(SAMPLE), fmt).encode() == golden


@pytest.mark.parametrize("fmt", ["json", "jsonl", "xml"])
def test_golden_file_reads_back_as_the_sample(fmt):
    assert digestkit.load(FIXTURES / f"seed.{fmt}") == digestkit.load(SAMPLE)


def test_golden_json_passes_check_jsonschema():
    result = _run(
        _check_jsonschema(),
        "--schemafile",
        schemas.path(schemas.JSON_SCHEMA),
        FIXTURES / "seed.json",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _line_files(data: bytes, folder: Path) -> list[Path]:
    paths = []
    for number, line in enumerate(data.split(b"\n")[:-1], 1):
        path = folder / f"line{number:03}.json"
        path.write_bytes(line)
        paths.append(path)
    return paths


def test_golden_json_lines_pass_check_jsonschema_line_by_line(tmp_path):
    data = (FIXTURES / "seed.jsonl").read_bytes()
    lines = _line_files(data, tmp_path)
    assert len(lines) == 11  # the header and the sample's 10 articles
    result = _run(
        _check_jsonschema(), "--schemafile", schemas.path(schemas.JSON_LINE_SCHEMA), *lines
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_refuses_an_article_line_as_header(tmp_path):
    article = (FIXTURES / "seed.jsonl").read_bytes().split(b"\n")[1]
    path = tmp_path / "line.json"
    path.write_bytes(article.replace(b'"headline"', b'"format_version":1,"headline"', 1))
    result = _run(_check_jsonschema(), "--schemafile", schemas.path(schemas.JSON_LINE_SCHEMA), path)
    assert result.returncode == 1, result.stdout + result.stderr


def test_golden_xml_passes_xmllint_schema():
    result = _check_xml(FIXTURES / "seed.xml")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("fmt", "old", "new"),
    [
        ("json", b'"language": "en"', b'"language": "e n"'),
        ("json", b'"format_version": 1', b'"format_version": 2'),
        ("json", b'"lead": "The cauldron is boiling."', b'"lead": "The cauldron is boiling. "'),
        ("json", b'"lead": "The cauldron is boiling."', b'"lead": "The cauldron\\nis boiling."'),
        ("json", b'"lead": "The cauldron is boiling."', b'"lead": "The\\u0085cauldron"'),
        ("json", b'"lead": "The cauldron is boiling."', b'"lede": "The cauldron is boiling."'),
        ("json", b'"language": "en"', b'"language": "en", "date": "2025-02-30"'),
        ("json", b'"lead": "The cauldron is boiling."', b'"lead": "The\\udbff\\udfffcauldron"'),
        ("json", b'"lead": "The cauldron is boiling."', b'"lead": "The cauldron\\t"'),
        (
            "xml",
            b"<lead>The cauldron is boiling.</lead>",
            b"<lead>The cauldron is boiling. </lead>",
        ),
        ("xml", b"<lead>The cauldron is boiling.</lead>", b"<p>The cauldron is boiling.</p>"),
        ("xml", b"<language>en</language>", b"<language>en</language><language>en</language>"),
        ("xml", b"<language>en</language>", b"<language>en</language><date>2025-02-30</date>"),
        ("xml", b"urn:digestkit:digest:1", b"urn:digestkit:digest:2"),
        ("xml", b"<lead>The cauldron is boiling.</lead>", b"<lead>The&#x10FFFE;cauldron</lead>"),
        ("xml", b"<lead>The cauldron is boiling.</lead>", b"<lead>The&#x85;cauldron</lead>"),
        ("xml", b"<lead>The cauldron is boiling.</lead>", b"<lead>The cauldron&#9;</lead>"),
    ],
)
def test_the_independent_checker_refuses_what_the_reader_refuses(tmp_path, fmt, old, new):
    data = (FIXTURES / f"seed.{fmt}").read_bytes()
    assert old in data
    bad = tmp_path / f"bad.{fmt}"
    bad.write_bytes(data.replace(old, new, 1))
    with pytest.raises(digestkit.ParseError):
        digestkit.load(bad)
    result = _CHECKERS[fmt](bad)
    assert result.returncode != 0, result.stdout + result.stderr
