"""``digestkit outline`` and ``check`` on the shapes of issue 10 (files, stdin, folders)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from digestkit.cli import main

_TEXT = (
    "One\n\nLead one.\n\nKeep reading → https://example.com/1\n\n* * *\n\n"
    "Two\n\nLead two.\n\nBody.\n\nLire la suite\n\n"
    "Three\n\nIts lead. Read More\n"
)


@pytest.fixture
def digest_file(tmp_path: Path) -> Path:
    path = tmp_path / "d.txt"
    path.write_text(_TEXT, encoding="utf-8")
    return path


def test_outline_of_a_file(digest_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outline", str(digest_file)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{digest_file}:1: One (1 paragraph) [Keep reading → https://example.com/1 (line 5)]",
        f"{digest_file}:9: Two (2 paragraphs) [Lire la suite (line 15)]",
        f"{digest_file}:17: Three (1 paragraph) [glued: Read More (line 19)]",
    ]


def test_outline_of_stdin_as_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_TEXT.encode("utf-8"))))
    assert main(["outline", "-", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report[0]["source"] == "<stdin>"
    assert [(a["line"], a["paragraphs"], a["end_line"]) for a in report[0]["articles"]] == [
        (1, 1, 5),
        (9, 2, 15),
        (17, 1, 19),
    ]
    messages = [d["message"] for d in report[0]["diagnostics"]]
    assert [m.split(":")[0] for m in messages] == [
        "separator line",
        "end marker 'Read More' glued to the end of the text",
    ]


def test_outline_of_a_folder_and_strict(
    digest_file: Path, sample_bytes: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    (digest_file.parent / "sample.txt").write_bytes(sample_bytes)
    (digest_file.parent / "notes.unknown").write_text("x")
    assert main(["outline", str(digest_file.parent)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert sum(line.startswith(str(digest_file)) for line in out) == 3
    assert sum("sample.txt:" in line for line in out) == 10
    assert main(["outline", "--strict", str(digest_file)]) == 1


def test_check_says_what_it_guessed_and_repeatable_marker(
    tmp_path: Path, sample_bytes: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = tmp_path / "sample.txt"
    sample.write_bytes(sample_bytes)
    assert main(["check", "--strict", str(sample)]) == 0
    path = tmp_path / "es.txt"
    path.write_text("Uno\n\nA.\n\nSeguir leyendo »\n\nDos\n\nB.\n\nFIN\n", encoding="utf-8")
    assert (
        main(["check", "--strict", "--marker", "Seguir leyendo", "--marker", "Fin", str(path)]) == 0
    )
    capsys.readouterr()
    # Only the named markers end an article: without "Seguir leyendo" it is text (one article).
    assert main(["check", "--format", "json", "--marker", "Fin", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["articles"] == 1


# --- check --outline: the outline of the inputs check reads ----------------------------------


def test_check_outline_of_a_file_prints_the_outline(
    digest_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--outline", str(digest_file)]) == 0
    checked = capsys.readouterr()
    assert checked.out.splitlines()[0] == (
        f"{digest_file}:1: One (1 paragraph) [Keep reading → https://example.com/1 (line 5)]"
    )
    assert main(["outline", str(digest_file)]) == 0
    assert capsys.readouterr() == checked
    # The warnings, as `outline` says them: on standard error, with their lines.
    assert [line.split(": ")[0] for line in checked.err.splitlines()] == [
        f"{digest_file}:7:1",
        f"{digest_file}:19:11",
    ]


def test_check_outline_reads_piped_stdin_when_no_input_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_TEXT.encode("utf-8"))))
    assert main(["check", "--outline", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [r["source"] for r in report] == ["<stdin>"]
    assert [(a["headline"], a["end"]) for a in report[0]["articles"]] == [
        ("One", "Keep reading → https://example.com/1"),
        ("Two", "Lire la suite"),
        ("Three", "glued: Read More"),
    ]
    assert [(d["line"], d["severity"]) for d in report[0]["diagnostics"]] == [
        (7, "warning"),
        (19, "warning"),
    ]


def test_check_outline_exit_codes_under_strict(
    digest_file: Path, sample_bytes: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = tmp_path / "sample.txt"
    sample.write_bytes(sample_bytes)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"One\n\nLead\x00one.\n")
    assert main(["check", "--outline", str(digest_file)]) == 0  # warnings only
    assert main(["check", "--outline", "--strict", str(digest_file)]) == 1
    assert main(["check", "--outline", "--strict", str(sample)]) == 0  # no warning
    assert main(["check", "--outline", str(binary)]) == 1  # an error, strict or not
    out = capsys.readouterr()
    assert f"{binary}:3:5: error:" in out.err
