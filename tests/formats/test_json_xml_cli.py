"""``digestkit convert`` between every pair of readable and writable formats."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

import digestkit
from digestkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "seeds" / "000_e763484b695398bd.txt"
FORMATS = [fmt for fmt in digestkit.default_registry().all() if fmt.reader and fmt.writer]
PAIRS = [(a, b) for a, b in itertools.product(FORMATS, repeat=2)]


def test_the_formats_of_this_issue_are_registered():
    assert {"text", "json", "jsonl", "xml"} <= {fmt.name for fmt in FORMATS}


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=lambda f: f.name)
def test_convert_infers_formats_from_extensions(tmp_path, source, target):
    expected = digestkit.load(SAMPLE)
    given = tmp_path / f"in.{source.extensions[0]}"
    digestkit.dump(expected, given)
    out = tmp_path / f"out.{target.extensions[0]}"
    assert main(["convert", str(given), "-o", str(out)]) == 0
    assert digestkit.load(out) == expected
    # The CLI titles an untitled book with the input file's name (EPUB's default_title).
    takes_title = "default_title" in (target.writer_options() or ())
    options = {"default_title": given.stem} if takes_title else {}
    assert out.read_bytes() == digestkit.api._write(expected, target, options)


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=lambda f: f.name)
def test_convert_with_named_formats(tmp_path, source, target):
    expected = digestkit.load(SAMPLE)
    given = tmp_path / "in.data"
    digestkit.dump(expected, given, source)
    out = tmp_path / "out.data"
    args = ["convert", str(given), "-f", source.name, "-t", target.name, "-o", str(out)]
    assert main(args) == 0
    assert digestkit.load(out, target) == expected


@pytest.mark.parametrize(
    ("name", "data", "where"),
    [
        ("bad.json", b'{"format_version": 1,\n "metadata": {}}', "bad.json:"),
        (
            "bad.jsonl",
            b'{"format_version":1,"metadata":{"language":"en"}}\n{"x":1}\n',
            "bad.jsonl:2",
        ),
        ("bad.xml", b"<digest>\n<oops></digest>", "bad.xml:2:"),
    ],
)
def test_bad_input_exits_1_with_a_located_message(tmp_path, capsys, name, data, where):
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "out.txt"
    assert main(["convert", str(path), "-o", str(out)]) == 1
    assert where in capsys.readouterr().err
    assert not out.exists()


def _digestkit(*args: str, data: bytes | None = None) -> bytes:
    script = Path(sys.executable).with_name("digestkit")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "digestkit"]
    result = subprocess.run(
        [*command, *args],
        input=data,
        capture_output=True,
        check=False,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


@pytest.mark.parametrize("fmt", ["json", "jsonl", "xml"])
def test_sample_survives_a_pipe_through_each_format_byte_for_byte(fmt):
    # digestkit convert SAMPLE -t FMT | digestkit convert - -f FMT -t text
    middle = _digestkit("convert", str(SAMPLE.relative_to(ROOT)), "-t", fmt)
    text = _digestkit("convert", "-", "-f", fmt, "-t", "text", data=middle)
    # The text writer ends with a newline; the sample has none.
    assert text == SAMPLE.read_bytes() + b"\n"
