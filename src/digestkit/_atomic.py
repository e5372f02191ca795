"""Writing a path so that it appears whole or not at all, and cleaning up after killed writers.

The rules, in one place:

- A regular file (or a name that does not exist yet) is written to a temporary file in the
  same folder, which replaces it only when the write succeeded.
- A symbolic link is followed: its target is replaced atomically and the link is kept.
- A character device (``/dev/null``, ``/dev/stdout`` on a terminal) or a FIFO (a named pipe,
  ``<(...)`` in a shell) is written straight through: no temporary file, no rename.
- Anything else (a folder, a socket, a block device) is refused with a `WriteError`.
- A folder of files (a dataset) is built in a temporary folder beside it, named as a
  temporary file is, which takes its place only when every file was written; a previous
  folder is replaced only if it holds nothing but what its ``owned`` test accepts (a previous
  dataset), and is removed only after the new one is in place.
- A temporary file is named ``.NAME.XXXXXXXXXXXXXXXX.part`` (16 hex digits; ``NAME`` shortened
  so that the whole name fits in 255 bytes) and its writer holds an ``flock`` on it while it
  writes. A writer killed mid-write leaves it behind; a later write into the same folder
  removes it once it is older than `STALE_AFTER` and nobody holds its lock. Locks work
  across PID namespaces (containers sharing a folder), where process ids do not.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import BinaryIO

from digestkit.errors import WriteError

if sys.platform != "win32":  # Windows has no flock, and so no sweeping either
    import fcntl

__all__ = [
    "STALE_AFTER",
    "atomic_folder",
    "atomic_writer",
    "sweep_stale",
    "temp_name",
    "write_failed",
]

STALE_AFTER = 15 * 60
"""Seconds after its last write before a temporary file nobody locks counts as abandoned."""

_NAME_MAX = 255  # bytes in one file name on Linux, macOS and most file systems
_SUFFIX = b".part"
_TOKEN_BYTES = 8  # 16 hex digits
_OVERHEAD = 1 + 1 + 2 * _TOKEN_BYTES + len(_SUFFIX)
_TEMP_NAME = re.compile(rb"\..+\.[0-9a-f]{16}\.part", re.DOTALL)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

_swept: dict[bytes, float] = {}
_swept_lock = threading.Lock()


def write_failed(err: OSError, target: str | os.PathLike[str]) -> WriteError:
    """Return the `WriteError` that reports ``err`` for the output ``target``."""
    if isinstance(err, WriteError):
        return err
    return WriteError(f"{os.fspath(target)}: cannot write: {err.strerror or err}")


def temp_name(name: bytes) -> bytes:
    """Return a fresh temporary name for the file called ``name`` (bytes, no folder)."""
    prefix = name[: _NAME_MAX - _OVERHEAD]
    return b"." + prefix + b"." + os.urandom(_TOKEN_BYTES).hex().encode() + _SUFFIX


def sweep_stale(folder: str | bytes | os.PathLike[str], *, now: float | None = None) -> int:
    """Remove the abandoned temporary files in ``folder``; return how many were removed.

    Only names of the exact temporary shape are considered, only regular files older than
    `STALE_AFTER`, and only when no writer holds their lock.
    """
    if sys.platform == "win32":
        return 0
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(os.scandir(os.fsencode(folder)))
    except OSError:
        return 0
    for entry in entries:
        if not _TEMP_NAME.fullmatch(entry.name):
            continue
        try:
            seen = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(seen.st_mode) or now - seen.st_mtime < STALE_AFTER:
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
        except OSError:  # gone, or another user's
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held = os.fstat(fd)
            # The name may have been reused since it was listed: remove only what was judged.
            if (held.st_dev, held.st_ino) == (seen.st_dev, seen.st_ino):
                os.unlink(entry.path)
                removed += 1
        except OSError:  # a live writer holds the lock, or the file is already gone
            pass
        finally:
            os.close(fd)
    return removed


def _sweep_once(folder: bytes) -> None:
    # A batch writes thousands of files into one folder: listing it for each write made the
    # batch quadratic. A folder is swept at most once per STALE_AFTER per process, which
    # loses nothing: no file can become stale faster than that.
    key = os.path.realpath(folder)
    now = time.monotonic()
    with _swept_lock:
        last = _swept.get(key)
        if last is not None and now - last < STALE_AFTER:
            return
        _swept[key] = now
    sweep_stale(key)


def _new_mode(existing: os.stat_result | None) -> int:
    if existing is not None:
        return existing.st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open ``path`` for writing so that it appears whole or not at all.

    Bytes go to a temporary file in the same folder, which replaces ``path`` only when the
    block ends without an exception; on any failure the temporary file is removed and a
    previous ``path`` is left untouched. A symbolic link is followed and its target replaced;
    a character device or a FIFO is written straight through (it cannot be replaced).

    Raises:
        WriteError: ``path`` is a folder, a socket or a block device, or opening, flushing
            or replacing it failed (the message names ``path``).
    """
    try:
        existing: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        existing = None
    except OSError as err:
        raise write_failed(err, path) from err
    if existing is not None and (stat.S_ISCHR(existing.st_mode) or stat.S_ISFIFO(existing.st_mode)):
        with _through(path) as handle:
            yield handle
        return
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        kind = "a folder" if stat.S_ISDIR(existing.st_mode) else "not a regular file"
        raise WriteError(f"{os.fspath(path)}: cannot write: it is {kind}")
    real = os.fsencode(os.path.realpath(path))
    folder, name = os.path.split(real)
    _sweep_once(folder)
    fd, temp = _open_temp(path, folder, name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            try:
                handle.flush()
                os.fsync(fd)
                os.fchmod(fd, _new_mode(existing))
                os.replace(temp, real)
            except OSError as err:
                raise write_failed(err, path) from err
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise


def _open_temp(path: str | os.PathLike[str], folder: bytes, name: bytes) -> tuple[int, bytes]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    while True:
        temp = os.path.join(folder, temp_name(name))
        fd = -1
        try:
            fd = os.open(temp, flags, 0o600)
            if sys.platform != "win32":
                # Without locks on this file system the age rule alone protects the file.
                with suppress(OSError):
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except FileExistsError:  # 64 random bits collided: draw again
            continue
        except OSError as err:
            raise write_failed(err, path) from err
        except BaseException:
            # A signal's exception before the caller holds the file, possibly raised as
            # os.open returned, before ``fd`` was set: the file may exist (O_EXCL: ours).
            if fd >= 0:
                os.close(fd)
            with suppress(OSError):
                os.unlink(temp)
            raise
        return fd, temp


@contextmanager
def _through(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    try:
        fd = os.open(path, os.O_WRONLY | _CLOEXEC)
    except OSError as err:
        raise write_failed(err, path) from err
    with os.fdopen(fd, "wb") as handle:
        yield handle
        try:
            handle.flush()
        except OSError as err:
            raise write_failed(err, path) from err


@contextmanager
def atomic_folder(path: str | os.PathLike[str], owned: Callable[[str], bool]) -> Iterator[str]:
    """Build the folder ``path`` so that it appears whole or not at all.

    Yields a fresh temporary folder beside ``path`` to fill. When the block ends without an
    exception it becomes ``path``: straight away if ``path`` does not exist or is an empty
    folder, else by moving the previous folder aside, moving the new one in and removing the
    previous one (so ``path`` is missing only between two renames). On any failure the
    temporary folder is removed and a previous ``path`` is left untouched.

    Args:
        path: the folder to build.
        owned: whether a file name found in a previous ``path`` is one this writer makes;
            a folder holding anything else (a user's files) is not replaced.

    Raises:
        WriteError: ``path`` is not a folder, holds files that ``owned`` does not accept,
            or creating, filling or moving the folder failed (the message names ``path``).
    """
    import shutil

    target = os.path.realpath(path)
    previous = _previous_folder(path, target, owned)
    parent, name = os.path.split(os.fsencode(target))
    _sweep_once(parent)
    while True:
        temp = os.path.join(parent, temp_name(name))
        try:
            os.mkdir(temp, 0o777)
            break
        except FileExistsError:  # 64 random bits collided: draw again
            continue
        except OSError as err:
            raise write_failed(err, path) from err
        except BaseException:  # a signal, maybe as mkdir returned: the folder is ours
            with suppress(OSError):
                os.rmdir(temp)
            raise
    try:
        yield os.fsdecode(temp)
        try:
            if previous:
                old = os.path.join(parent, temp_name(name))
                _swap(temp, target, old)
                shutil.rmtree(old, ignore_errors=True)
            else:
                # rename(2) replaces an empty folder, and fails on one that is not empty.
                os.replace(temp, target)
        except OSError as err:
            raise write_failed(err, path) from err
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _swap(temp: bytes, target: str, old: bytes) -> None:
    """Move the folder ``target`` aside to ``old`` and ``temp`` in its place.

    On any exception, a signal's too (which may be raised as a rename returns, before the
    next line runs), the folders are found as they are: a previous folder moved aside while
    the new one is still ``temp`` is put back; a new one already in place stays.
    """
    import shutil

    try:
        os.rename(target, old)
        os.rename(temp, target)
    except BaseException:
        if not os.path.lexists(temp):  # the new folder is in: only the old one is left
            shutil.rmtree(old, ignore_errors=True)
        elif os.path.lexists(old):
            os.rename(old, target)  # put the previous dataset back
        raise


def _previous_folder(
    path: str | os.PathLike[str], target: str, owned: Callable[[str], bool]
) -> bool:
    """Return whether ``target`` is a folder of owned files to replace (``False``: none)."""
    try:
        names = os.listdir(target)
    except FileNotFoundError:
        return False
    except NotADirectoryError as err:
        raise WriteError(f"{os.fspath(path)}: cannot write: it is not a folder") from err
    except OSError as err:
        raise write_failed(err, path) from err
    strangers = [name for name in names if not owned(name)]
    if strangers:
        raise WriteError(
            f"{os.fspath(path)}: cannot write: the folder holds {strangers[0]!r}, which is "
            "not part of a dataset this command writes (name an empty or new folder)"
        )
    return bool(names)
