"""`digestkit check` on the cases a user meets first: glued and missing markers, binary input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from digestkit.cli import main


@pytest.fixture
def glued(tmp_path: Path) -> Path:
    path = tmp_path / "glued.txt"
    path.write_text("One\n\nLead.\n\nThe end. Continue reading\n\nTwo\n\nLead.\n\nKeep reading")
    return path


@pytest.fixture
def missing(tmp_path: Path) -> Path:
    path = tmp_path / "missing.txt"
    path.write_text("One\n\nLead.\n\nKeep reading\n\nTwo\n\nLead two.\n")
    return path


@pytest.fixture
def binary(tmp_path: Path) -> Path:
    path = tmp_path / "binary.txt"
    path.write_bytes(b"Headline\n\nsome text\x00\x01\x02\xff")
    return path


def test_glued_marker(glued: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(glued)]) == 0
    out = capsys.readouterr()
    assert out.out == (
        f"{glued}:5:10: warning: end marker 'Continue reading' glued to the end of the text: "
        "taken as the end of the article\n"
    )
    assert "2 articles, 1 warning" in out.err
    assert main(["check", "--strict", str(glued)]) == 1


def test_missing_marker(missing: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(missing)]) == 0
    assert capsys.readouterr().out == (
        f"{missing}:7:1: warning: the article whose headline is on line 7 has no end marker: "
        "taken to end with the input\n"
    )


def test_binary_file(binary: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(binary)]) == 1
    assert capsys.readouterr().out == (
        f"{binary}:3:10: error: expected text, found binary data: a NUL byte\n"
    )


def test_clean_sample(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(sample_path)]) == 0
    out = capsys.readouterr()
    assert out.out == ""
    assert "10 articles, 0 warnings" in out.err


def test_end_to_end_as_a_subprocess(binary: Path, glued: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "digestkit", "check", str(binary)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"{binary}:3:10: error:" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "digestkit", "convert", str(glued), "-t", "text"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("One\n\nLead.\n\nThe end.\n\nKeep reading\n\nTwo")
    assert "glued" in result.stderr
