"""The command as a process under signals, closed pipes and full devices: exit codes, no
orphans, no temporary files, no tracebacks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

COMMAND = [sys.executable, "-m", "digestkit"]


def _group(leader: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == leader:
                    found.append(int(entry.name))
            except OSError:  # gone since listed
                continue
    return found


@pytest.fixture
def batch(sample_bytes: bytes, tmp_path: Path) -> tuple[list[str], Path]:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for index in range(60):
        (inputs / f"{index}.txt").write_bytes(sample_bytes * 40)
    out = tmp_path / "out"
    return [*COMMAND, "convert", str(inputs), "-t", "epub", "-d", str(out), "-j", "2", "-q"], out


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="lists processes through /proc")
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_a_parallel_batch_with_its_workers(
    batch: tuple[list[str], Path], signum: int, code: int
) -> None:
    pytest.importorskip("ebooklib")
    command, out = batch
    # A file, not a pipe, for stderr: orphaned workers would hold a pipe open, and reading it
    # would wait for them. A session of its own, so that the test can find (and always kill)
    # every process it made.
    log = out.parent / "stderr.log"
    with log.open("wb") as stderr_file:
        process = subprocess.Popen(command, stderr=stderr_file, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (out.exists() and any(out.glob("*.epub"))):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        process.send_signal(signum)
        returncode = process.wait(timeout=30)
        survivors = []
        for _ in range(100):  # the workers may take a moment to be reaped
            survivors = _group(process.pid)
            if not survivors:
                break
            time.sleep(0.05)
    finally:
        for pid in _group(process.pid):
            os.kill(pid, signal.SIGKILL)
        process.kill()
        process.wait()
    assert returncode == code
    assert survivors == []
    assert len(list(out.glob("*.epub"))) < 60  # queued work was cancelled, not finished
    assert list(out.glob(".*")) == []  # no temporary file left
    assert "Traceback" not in log.read_text()


def _shell(script: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["bash", "-c", script], capture_output=True, cwd=cwd, check=False, timeout=120
    )


def _digestkit() -> str:
    return " ".join(COMMAND)


@pytest.mark.parametrize(
    "script",
    [
        "{dk} convert {sample} -t json | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}",
        "{dk} formats | true; exit ${{PIPESTATUS[0]}}",
        "{dk} check {sample} {sample} {sample} | true; exit ${{PIPESTATUS[0]}}",
    ],
)
def test_a_closed_pipe_ends_quietly(sample_path: Path, tmp_path: Path, script: str) -> None:
    # `| true` may exit before the command writes, or after: the big input makes the first
    # write fail for `head -c 1` at least; either way no error is reported.
    big = tmp_path / "big.txt"
    big.write_bytes(sample_path.read_bytes() * 200)
    done = _shell(script.format(dk=_digestkit(), sample=big), tmp_path)
    assert done.returncode in (0, 141), done.stderr
    for unwanted in (b"Traceback", b"Exception", b"error"):  # `check` reports its counts
        assert unwanted not in done.stderr


def test_a_full_stdout_is_a_write_error(sample_path: Path, tmp_path: Path) -> None:
    done = _shell(f"{_digestkit()} convert {sample_path} -t json > /dev/full", tmp_path)
    assert done.returncode == 1
    assert done.stderr == b"<stdout>: error: cannot write: No space left on device\n"


def test_an_output_folder_that_cannot_be_made(sample_path: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    done = _shell(f"{_digestkit()} convert {sample_path} -t json -d {blocker}/out", tmp_path)
    assert done.returncode == 1
    assert done.stderr.decode() == (
        f"digestkit: error: {blocker}/out: cannot create the folder: Not a directory\n"
    )


def test_an_output_that_is_a_folder_names_it_once(sample_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out.json"
    folder.mkdir()
    for extra in ("", "-t json"):
        done = _shell(f"{_digestkit()} convert {sample_path} -o {folder} {extra}", tmp_path)
        assert done.returncode == 2
        assert done.stderr.decode().count(str(folder)) == 1
        assert "use -d for a folder" in done.stderr.decode()


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (b"a\n1:1: error: forged.txt", b"a\\n1:1: error: forged.txt"),
        (b"\x1b[31mred.txt", b"\\x1b[31mred.txt"),
        (b"caf\xe9.txt", b"caf\\xe9.txt"),
    ],
)
def test_file_names_reach_the_terminal_escaped(
    sample_bytes: bytes, tmp_path: Path, name: bytes, shown: bytes
) -> None:
    path = os.path.join(os.fsencode(tmp_path), name)
    with open(path, "wb") as file:
        file.write(sample_bytes + b"\n\nA headline with no end\n")  # a warning names the file
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    run = [os.fsencode(sys.executable), b"-m", b"digestkit", b"check", path]
    done = subprocess.run(run, capture_output=True, env=env, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = (done.stdout + done.stderr).splitlines()
    assert lines
    assert all(os.fsencode(tmp_path) + b"/" + shown in line for line in lines)
    assert b"\x1b" not in done.stdout + done.stderr
    report = subprocess.run(
        [*run, b"--format", b"json"], capture_output=True, env=env, check=False, timeout=120
    )
    (entry,) = json.loads(report.stdout.decode("utf-8"))  # strict UTF-8: no lone surrogates
    assert entry["source"].encode() == os.fsencode(tmp_path) + b"/" + shown.replace(
        b"\\x1b", b"\x1b"
    ).replace(b"\\n", b"\n")


def _in_a_worker(body: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``body`` in a process set up as a batch worker is, where ``TERM`` sends SIGTERM to
    the process itself and waits for it."""
    script = (
        "import os, signal, time\n"
        "from digestkit.cli import _batch\n"
        "from digestkit.cli._common import Terminated\n"
        "def TERM():\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(5)\n"
        "_batch._start_worker()\n"
    ) + body
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=False, timeout=60
    )


def test_a_batch_worker_takes_only_the_first_sigterm() -> None:
    # When one worker leaves, the pool sends SIGTERM to the others, which may be removing
    # their temporary files after the parent's SIGTERM: the second must not interrupt that.
    done = _in_a_worker(
        "try:\n"
        "    TERM()\n"
        "except Terminated:\n"
        "    print('ended by the first', flush=True)\n"
        "os.kill(os.getpid(), signal.SIGTERM)\n"
        "time.sleep(0.1)\n"
        "print('the second ignored', flush=True)\n"
    )
    assert done.stdout.decode().splitlines() == ["ended by the first", "the second ignored"]
    assert done.returncode == 0, done.stderr


def test_a_batch_worker_leaves_when_an_error_replaced_its_sigterm() -> None:
    # Undoing a job can raise another error over Terminated (the job then ends as an
    # ordinary failure): the worker must leave all the same, not take more work.
    done = _in_a_worker(
        "def undone_with_an_error(job):\n"
        "    try:\n"
        "        TERM()\n"
        "    except Terminated:\n"
        "        return 'the outcome of an error raised while undoing the job'\n"
        "_batch.run_job = undone_with_an_error\n"
        "_batch._work(None)\n"
        "print('took more work', flush=True)\n"
    )
    assert done.stdout == b""
    assert done.returncode == 143, done.stderr
