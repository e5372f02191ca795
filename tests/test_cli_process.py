"""The command as a separate process: end to end, killed mid-write, and what it imports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import digestkit

HEAVY = (
    "lxml",
    "ebooklib",
    "hypothesis",
    "jsonschema",  # a test dependency only: the JSON format must not need it to run
    "concurrent.futures",
    "multiprocessing",
)
"""Modules the start-up and a text or JSON conversion have no use for."""


def _run(*argv: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "digestkit", *argv], capture_output=True, check=False, **kwargs
    )


def test_end_to_end_exit_codes(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    assert _run("convert", str(sample_path), "-o", str(out)).returncode == 0
    assert digestkit.load(out) == digestkit.load(sample_path)
    piped = _run("convert", "-", "-t", "text", input=sample_path.read_bytes())
    assert piped.stdout == out.read_bytes()
    assert _run("convert", str(sample_path), "--date", "soon", "-t", "text").returncode == 2
    assert _run("check", str(tmp_path / "missing.txt")).returncode == 1


def test_end_to_end_diagnostics(tmp_path: Path) -> None:
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"Headline\n\nsome text\x00\x01\x02\xff")
    checked = _run("check", str(binary))
    assert checked.returncode == 1
    assert f"{binary}:3:10: error:".encode() in checked.stdout
    glued = tmp_path / "glued.txt"
    glued.write_text("One\n\nLead.\n\nThe end. Continue reading\n\nTwo\n\nLead.\n\nKeep reading")
    converted = _run("convert", str(glued), "-t", "text")
    assert converted.returncode == 0
    assert converted.stdout.startswith(b"One\n\nLead.\n\nThe end.\n\nKeep reading\n\nTwo")
    assert b"glued" in converted.stderr


_SCRIPT = """
import sys
from digestkit.cli import main
code = main(sys.argv[1:])
print(*sorted(sys.modules), sep="\\n", file=sys.stderr)
sys.exit(code)
"""


def _imported(*argv: str) -> set[str]:
    """Run the command in a fresh interpreter and return the modules it had imported."""
    done = subprocess.run([sys.executable, "-c", _SCRIPT, *argv], capture_output=True, check=True)
    # (-X importtime would miss the formats: entry points are loaded with import_module.)
    return set(done.stderr.decode().splitlines())


@pytest.mark.parametrize("argv", [["--help"], ["formats"], ["convert", "--help"]])
def test_start_up_imports_nothing_heavy(argv: list[str]) -> None:
    modules = _imported(*argv)
    assert "digestkit.cli" in modules
    assert not {m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY}


@pytest.mark.parametrize(
    ("argv", "command_module"),
    [(["--help"], None), (["convert", "--help"], None), (["formats"], "digestkit.cli._report")],
)
def test_a_command_imports_only_its_own_module(argv: list[str], command_module: str | None) -> None:
    # Each command's module is imported when the command runs: `--help` imports none.
    commands = {"digestkit.cli._convert", "digestkit.cli._report", "digestkit.cli._batch"}
    assert _imported(*argv) & commands == ({command_module} if command_module else set())


@pytest.mark.parametrize("target", ["text", "json"])
def test_conversion_imports_only_what_it_needs(sample_path: Path, target: str) -> None:
    if target not in digestkit.default_registry().names():
        pytest.skip(f"the {target} format is not registered on this branch")
    modules = _imported("convert", str(sample_path), "-t", target)
    assert "digestkit.formats.text" in modules
    assert not {m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY}


def test_killed_writer_leaves_the_old_file_and_the_next_run_cleans_up(
    sample_bytes: bytes, tmp_path: Path
) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"the old content")
    command = [sys.executable, "-m", "digestkit", "convert", "-", "-o", str(target)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE)
    assert process.stdin is not None
    try:
        # Text is streamed: once the articles fed so far are written out, the process waits
        # for more input with its output half written, however fast it is. Kill it there.
        process.stdin.write((sample_bytes + b"\n\n") * 20)
        process.stdin.flush()
        deadline = time.monotonic() + 60
        while not any(p.stat().st_size for p in tmp_path.glob(".out.txt.*.part")):
            assert process.poll() is None
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
        process.stdin.close()
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"the old content"
    # A killed process cannot clean up: its temporary file is left...
    (left,) = tmp_path.glob(".out.txt.*.part")
    # ...kept by the next write while it is young (its writer might still be alive)...
    assert _run("convert", "-", "-o", str(target), input=sample_bytes).returncode == 0
    assert left.exists()
    # ...and removed by the first write into the folder once it is old.
    long_ago = time.time() - 24 * 3600
    os.utime(left, (long_ago, long_ago))
    other = tmp_path / "other.txt"
    assert _run("convert", "-", "-o", str(other), input=sample_bytes).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.txt", "out.txt"]
    assert target.read_bytes().rstrip(b"\n") == sample_bytes


def test_progress_bar_on_a_terminal(sample_path: Path, tmp_path: Path) -> None:
    import pty

    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(3):
        (folder / f"{index}.txt").write_bytes(sample_path.read_bytes())
    command = ["convert", str(folder), "-t", "text", "-d", str(tmp_path / "out")]
    main_fd, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "digestkit", *command], stderr=terminal, check=False
        )
        os.close(terminal)
        shown = b""
        while chunk := _read_fd(main_fd):
            shown += chunk
    finally:
        os.close(main_fd)
    assert done.returncode == 0
    assert b"\r[" + b"#" * 30 + b"] 3/3" in shown
    assert b"converted 3 of 3 file(s), 0 failed" in shown
    piped = _run(*command)
    assert b"[" not in piped.stderr
    assert b"converted 3 of 3" in piped.stderr


def _read_fd(fd: int) -> bytes:
    try:
        return os.read(fd, 4096)
    except OSError:  # the terminal's other end is closed: EIO on Linux
        return b""
