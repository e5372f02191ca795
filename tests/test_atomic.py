"""Where writes go: devices, FIFOs, symbolic links, long names, and abandoned temporary files."""

from __future__ import annotations

import importlib
import io
import os
import re
import stat
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import digestkit
from digestkit._atomic import atomic_folder
from digestkit.errors import WriteError

DIGEST = digestkit.loads("Headline\n\nLead.\n\nKeep reading\n")
TEXT = digestkit.dumps(DIGEST)
DAY = 24 * 3600
OLD = time.time() - DAY


def _atomic() -> Any:
    return importlib.import_module("digestkit._atomic")


def test_the_safe_age_is_minutes() -> None:
    assert 60 <= _atomic().STALE_AFTER < DAY


def _device(folder: Path, name: str, minor: int) -> Path:
    # A private copy of /dev/null (1, 3) or /dev/full (1, 7): a test must never risk the real
    # ones, which the old writer replaced with a regular file when run as root.
    path = folder / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("creating a device needs root (CAP_MKNOD)")
    return path


def test_a_character_device_is_written_through(tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    digestkit.dump(DIGEST, null, "json")
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_a_full_device_is_a_write_error_naming_it(tmp_path: Path) -> None:
    full = _device(tmp_path, "full", 7)
    with pytest.raises(digestkit.WriteError, match=f"^{full}: cannot write: No space left"):
        digestkit.dump(DIGEST, full, "json")
    assert stat.S_ISCHR(full.lstat().st_mode)


def test_a_fifo_reader_gets_the_bytes(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        digestkit.dump(DIGEST, fifo)
    finally:
        reader.join(timeout=10)
        if reader.is_alive() and stat.S_ISFIFO(fifo.lstat().st_mode):
            # Nothing was written to the FIFO: let its waiting reader go.
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=10)
    assert received == [TEXT.encode()]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_symlink_is_kept_and_its_target_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    digestkit.dump(DIGEST, link)
    assert link.is_symlink()
    assert real.read_text() == TEXT
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to("made.txt")
    digestkit.dump(DIGEST, link)
    assert link.is_symlink()
    assert (tmp_path / "made.txt").read_text() == TEXT


def test_a_folder_is_a_write_error_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "out.json"
    folder.mkdir()
    with pytest.raises(digestkit.WriteError, match=f"^{folder}: cannot write: it is a folder"):
        digestkit.dump(DIGEST, folder)


def test_a_245_byte_name_can_be_written(tmp_path: Path) -> None:
    path = tmp_path / ("a" * 241 + ".txt")
    digestkit.dump(DIGEST, path)
    assert path.read_text() == TEXT


def test_temporary_names_fit_and_differ() -> None:
    name = "é".encode() * 127 + b".txt"  # 258 bytes: longer than any file name may be
    names = {_atomic().temp_name(name) for _ in range(100)}
    assert len(names) == 100
    assert all(len(n) <= 255 and n.endswith(b".part") and n.startswith(b".\xc3") for n in names)


class _NoSpace(io.RawIOBase):
    name = "out.json"

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize(
    ("function", "fmt"), [("dump", "json"), ("write_articles", "json"), ("write_articles", "text")]
)
def test_a_failing_stream_is_a_write_error_naming_the_output(function: str, fmt: str) -> None:
    what = DIGEST if function == "dump" else DIGEST.articles
    with pytest.raises(digestkit.WriteError, match=r"^out\.json: cannot write: No space left"):
        getattr(digestkit, function)(what, _NoSpace(), fmt)


def test_an_input_failure_is_not_taken_for_an_output_failure(tmp_path: Path) -> None:
    def articles() -> object:
        yield DIGEST.articles[0]
        raise ConnectionResetError(104, "Connection reset by peer")

    with pytest.raises(ConnectionResetError):
        digestkit.write_articles(articles(), tmp_path / "out.txt")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def _temp(folder: Path, target: str, *, age: float = OLD) -> Path:
    path = folder / _atomic().temp_name(target.encode()).decode()
    path.write_bytes(b"half written")
    os.utime(path, (age, age))
    return path


def test_the_sweep_removes_only_old_unlocked_files_of_the_exact_shape(tmp_path: Path) -> None:
    stale = _temp(tmp_path, "out.txt")
    young = _temp(tmp_path, "out.txt", age=time.time() - 5)
    other = _temp(tmp_path, "d.99999999.json")
    lookalikes = [tmp_path / n for n in (".out.txt.1234.part", ".out.txt.0123456789ABCDEF.part")]
    for path in lookalikes:
        path.write_bytes(b"not ours")
        os.utime(path, (OLD, OLD))
    assert _atomic().sweep_stale(tmp_path) == 2
    assert not stale.exists()
    assert not other.exists()
    assert young.exists()
    assert all(path.exists() for path in lookalikes)


def test_a_locked_temporary_file_is_kept_however_old(tmp_path: Path) -> None:
    import fcntl

    live = _temp(tmp_path, "out.txt")
    with live.open("rb") as held:
        # flock is held per open file: another open of the same file, as a sweep does, is
        # refused, whatever process (and PID namespace) holds it.
        fcntl.flock(held, fcntl.LOCK_EX)
        assert _atomic().sweep_stale(tmp_path) == 0
    assert live.exists()
    assert _atomic().sweep_stale(tmp_path) == 1


def test_writing_a_name_keeps_another_names_temporary_file(tmp_path: Path) -> None:
    # The writer of "d.99999999.json" is alive in another PID namespace (a container): the
    # process id in its old-style name means nothing here. Writing "d" must not touch it.
    theirs = tmp_path / ".d.99999999.json.4194303.k3j2h1g0.part"
    theirs.write_bytes(b"being written")
    digestkit.dump(DIGEST, tmp_path / "d", "text")
    assert theirs.exists()


def test_a_batch_lists_its_folder_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listed: list[object] = []
    scandir, iterdir = os.scandir, Path.iterdir

    def counting_scandir(path: object = ".") -> object:
        listed.append(path)
        return scandir(path)  # type: ignore[call-overload]

    def counting_iterdir(self: Path) -> object:
        listed.append(self)
        return iterdir(self)

    monkeypatch.setattr(os, "scandir", counting_scandir)
    monkeypatch.setattr(Path, "iterdir", counting_iterdir)
    for index in range(50):
        digestkit.dump(DIGEST, tmp_path / f"{index}.txt")
    assert len(listed) <= 1


def _fill(folder: str, names: list[str]) -> None:
    for name in names:
        Path(folder, name).write_text(name)


def _parts_only(name: str) -> bool:
    return re.fullmatch(r"part-\d+", name) is not None


def _fail_while_filling(target: Path) -> None:
    with atomic_folder(target, owned=_parts_only) as staging:
        _fill(staging, ["part-9"])
        raise RuntimeError("a failed write")


def _open_folder(target: Path) -> None:
    with atomic_folder(target, owned=_parts_only):
        pass


def test_atomic_folder_appears_whole_and_replaces_only_its_own(tmp_path: Path) -> None:
    target = tmp_path / "dataset"
    with atomic_folder(target, owned=_parts_only) as staging:
        _fill(staging, ["part-0", "part-1"])
        assert not target.exists()  # nothing there until the block ends
    assert sorted(p.name for p in target.iterdir()) == ["part-0", "part-1"]
    with pytest.raises(RuntimeError):
        _fail_while_filling(target)
    assert sorted(p.name for p in target.iterdir()) == ["part-0", "part-1"]
    with atomic_folder(target, owned=_parts_only) as staging:
        _fill(staging, ["part-2"])
    assert sorted(p.name for p in target.iterdir()) == ["part-2"]
    (target / "notes.txt").write_text("a user's file")
    with pytest.raises(WriteError, match=r"holds 'notes\.txt'"):
        _open_folder(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]
    with pytest.raises(WriteError, match="not a folder"):
        _open_folder(target / "notes.txt")


class _Signal(BaseException):
    """Stands for KeyboardInterrupt or Terminated, raised by a signal handler."""


def _interrupted_after(monkeypatch: pytest.MonkeyPatch, name: str, *, call: int = 1) -> None:
    """Make the ``call``-th ``os.<name>`` do its work, then raise as a signal's handler
    would when the call returns: before its result is stored anywhere."""
    real = getattr(os, name)
    calls = []

    def done_then_interrupted(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        calls.append(name)
        if len(calls) == call:
            raise _Signal
        return result

    monkeypatch.setattr(os, name, done_then_interrupted)


def test_a_signal_as_the_temporary_file_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("previous")
    _interrupted_after(monkeypatch, "open")
    with pytest.raises(_Signal):
        digestkit.dump(DIGEST, target)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    assert target.read_text() == "previous"


def test_a_signal_as_the_temporary_folder_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _interrupted_after(monkeypatch, "mkdir")
    with pytest.raises(_Signal):
        _open_folder(tmp_path / "dataset")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def _replace_interrupted(target: Path, monkeypatch: pytest.MonkeyPatch, rename: int) -> None:
    with atomic_folder(target, owned=_parts_only) as staging:
        _fill(staging, ["part-1"])
        _interrupted_after(monkeypatch, "rename", call=rename)


@pytest.mark.parametrize("rename", [1, 2])  # the previous folder moved aside; the new one in
def test_a_signal_as_a_folder_is_moved_keeps_one_whole_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rename: int
) -> None:
    target = tmp_path / "dataset"
    with atomic_folder(target, owned=_parts_only) as staging:
        _fill(staging, ["part-0"])
    with pytest.raises(_Signal):
        _replace_interrupted(target, monkeypatch, rename)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["dataset"]  # no folder left aside
    expected = ["part-0"] if rename == 1 else ["part-1"]
    assert sorted(p.name for p in target.iterdir()) == expected
