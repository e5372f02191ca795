"""Batch conversion: many inputs into a folder, in processes, with a summary."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import digestkit
from digestkit.cli import main
from digestkit.cli._batch import Progress


@pytest.fixture
def inputs(tmp_path: Path, sample_bytes: bytes) -> Path:
    """A folder of three good digests, one bad one and a file no format reads."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_bytes(sample_bytes)
    (folder / "bad.txt").write_bytes(b"Headline\n\nfine\n\nthen \x07 a bell\n")
    (folder / "notes.unknown").write_bytes(b"ignored")
    (folder / ".hidden.txt").write_bytes(b"ignored")
    return folder


@pytest.mark.parametrize(("jobs", "strict"), [("1", []), ("2", []), ("1", ["--strict"])])
def test_one_bad_file_does_not_stop_the_batch(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str, strict: list[str]
) -> None:
    out = tmp_path / "out"
    command = ["convert", str(inputs), "-t", "text", "-d", str(out), "-j", jobs, *strict]
    # The bad file is reported and counted, and fails the batch as it fails its conversion.
    assert main(command) == 1
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt", "c.txt"]
    assert digestkit.load(out / "a.txt") == digestkit.load(inputs / "a.txt")
    err = capsys.readouterr().err
    assert f"{inputs / 'bad.txt'}:5:6: error: U+0007" in err
    assert "converted 3 of 4 file(s), 1 failed, in " in err


def test_an_output_that_cannot_be_written_fails_the_batch(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    (out / "b.txt").mkdir(parents=True)  # b's output is a folder: it cannot be written
    files = [str(inputs / "a.txt"), str(inputs / "b.txt")]
    assert main(["convert", *files, "-t", "text", "-d", str(out)]) == 1
    assert f"{out / 'b.txt'}: error: cannot write: it is a folder" in capsys.readouterr().err
    assert (out / "a.txt").is_file()


def test_quiet_batch_prints_only_failures(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(inputs / "a.txt"), str(inputs / "b.txt")]
    assert main(["convert", *files, "-t", "text", "-d", str(tmp_path / "o"), "-q"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["a.txt", "sub/a.txt"], "would both be written to"),
        (["-"], "standard input cannot be part of a batch"),
        (["notes.unknown"], "no format claims the extension .unknown: name the format with -f"),
    ],
)
def test_batch_usage_errors(
    inputs: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    names: list[str],
    message: str,
) -> None:
    (inputs / "sub").mkdir()
    (inputs / "sub" / "a.txt").write_bytes((inputs / "a.txt").read_bytes())
    paths = [n if n == "-" else str(inputs / n) for n in names]
    out = tmp_path / "out"
    assert main(["convert", *paths, "-t", "text", "-d", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_batch_refuses_to_overwrite_an_input(
    inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", str(inputs / "a.txt"), "-t", "text", "-d", str(inputs)]) == 2
    assert "overwritten by its own conversion" in capsys.readouterr().err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_and_clears() -> None:
    screen = Terminal()
    progress = Progress(4, screen, enabled=True)
    progress.show(2, 1)
    assert screen.getvalue().endswith("] 2/4, 1 failed")
    assert "#" * 15 + "." * 15 in screen.getvalue()
    progress.clear()
    assert screen.getvalue().endswith("\r\x1b[K")


def test_progress_bar_is_silent_when_disabled() -> None:
    screen = Terminal()
    Progress(4, screen, enabled=False).show(1, 0)
    assert screen.getvalue() == ""
