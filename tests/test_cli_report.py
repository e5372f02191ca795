"""The reports through main(argv): `check` on the cases a user meets first, `formats`, `stats`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import digestkit
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


def test_check_prints_located_diagnostics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warned = tmp_path / "warned.txt"
    warned.write_text("Headline\nLead right after.\n")
    assert main(["check", str(warned)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{warned}:2:1: warning: no blank line between the headline (line 1) and this text: "
        "taken as the start of the lead"
    )
    assert main(["check", "--strict", str(warned)]) == 1


def test_check_json(sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff")
    assert main(["check", "--format", "json", str(sample_path), str(bad)]) == 1
    good, broken = json.loads(capsys.readouterr().out)
    assert (good["articles"], good["diagnostics"]) == (10, [])
    assert broken["articles"] is None
    (error,) = broken["diagnostics"]
    assert (error["line"], error["column"], error["severity"]) == (1, 1, "error")


def test_formats_lists_every_registered_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["name"] for row in rows] == digestkit.default_registry().names()
    text = next(row for row in rows if row["name"] == "text")
    assert text["package"] == "digestkit"
    assert (text["read"], text["write"], text["stream_read"]) == (True, True, True)
    assert main(["formats"]) == 0
    assert "text/plain" in capsys.readouterr().out


def test_stats(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(sample_path), "--format", "json", "--bins", "4"]) == 0
    stats = json.loads(capsys.readouterr().out)
    digest = digestkit.load(sample_path)
    words = [sum(len(p.split()) for p in a.paragraphs) for a in digest.articles]
    assert (stats["articles"], stats["words"]) == (10, sum(words))
    assert stats["paragraphs"] == sum(len(a.paragraphs) for a in digest.articles)
    assert sum(bar["articles"] for bar in stats["histogram"]) == 10
    assert stats["histogram"][0]["from"] == min(words)
    assert stats["histogram"][-1]["to"] >= max(words)
    assert main(["stats", str(sample_path)]) == 0
    assert "articles    10" in capsys.readouterr().out
