"""Read members of an untrusted zip archive in memory, within limits.

Nothing is ever extracted to disk. Before ``zipfile`` parses the central directory, its
declared size and member count are checked, so that an archive claiming millions of members
cannot make the parser allocate millions of records; member names that could escape a folder
(absolute names, ``..`` segments, backslashes, drive letters) or that appear twice are refused;
members are decompressed in chunks and the running total is checked against per-member and
per-archive caps, whatever sizes the archive declares.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

import attrs

from digestkit.errors import ParseError
from digestkit.registry import ReadContext

__all__ = ["Limits", "SafeArchive", "member_error"]

_CHUNK = 1 << 16
# Generous room per allowed member for its central-directory record (46 bytes + name + extras).
_DIRECTORY_BYTES_PER_MEMBER = 512
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_DRIVE = re.compile(r"[A-Za-z]:")


@attrs.frozen
class Limits:
    """How much of an archive a reader is willing to look at."""

    max_members: int
    """The most members (files and folders) the archive may hold."""
    max_member_bytes: int
    """The most bytes one member may decompress to."""
    max_total_bytes: int
    """The most bytes all members read may decompress to, together."""


def member_error(
    context: ReadContext,
    member: str,
    message: str,
    line: int | None = None,
    column: int | None = None,
) -> ParseError:
    """Return a ``ParseError`` located in one member: ``book.epub!/EPUB/a.xhtml:3:5``."""
    return ParseError(
        message,
        source=f"{context.source}!/{member}",
        line=line,
        column=column,
        format=context.format,
    )


def _directory(data: bytes, context: ReadContext) -> tuple[int, int]:
    """Return the member count and central-directory size the archive declares."""
    start = max(0, len(data) - _EOCD.size - 0xFFFF)
    at = data.rfind(b"PK\x05\x06", start)
    if at < 0 or len(data) - at < _EOCD.size:
        raise context.error("not a zip archive (no end of central directory record)")
    _, _, _, _, count, size, offset, _ = _EOCD.unpack_from(data, at)
    if count == 0xFFFF or size == 0xFFFFFFFF or offset == 0xFFFFFFFF:
        locator = at - _ZIP64_LOCATOR.size
        if locator < 0 or data[locator : locator + 4] != b"PK\x06\x07":
            raise context.error("damaged zip64 archive: no zip64 end of directory locator")
        _, _, record, _ = _ZIP64_LOCATOR.unpack_from(data, locator)
        if record + _ZIP64_EOCD.size > len(data) or data[record : record + 4] != b"PK\x06\x06":
            raise context.error("damaged zip64 archive: no zip64 end of directory record")
        fields = _ZIP64_EOCD.unpack_from(data, record)
        count, size = fields[7], fields[8]
    return count, size


def _check_name(name: str, context: ReadContext) -> None:
    parts = name.split("/")
    if (
        name.startswith("/")
        or "\\" in name
        or _DRIVE.match(name)
        or ".." in parts
        or "\x00" in name
    ):
        raise context.error(f"unsafe member name {name!r}: absolute, or escaping its folder")


class SafeArchive:
    """The members of a zip archive, read within ``Limits``.

    Raises:
        ParseError: from the constructor, when the input is not a zip archive, declares more
            members or a larger directory than the limits allow, or holds an unsafe or
            duplicate name.
    """

    def __init__(self, data: bytes, context: ReadContext, limits: Limits) -> None:
        self._context = context
        self._limits = limits
        self._read = 0
        count, size = _directory(data, context)
        allowed = limits.max_members
        if count > allowed or size > allowed * _DIRECTORY_BYTES_PER_MEMBER:
            raise context.error(
                f"the archive declares {count} members in a {size}-byte directory; the limit "
                f"is {allowed} members (raise it with max_members=...)"
            )
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as err:
            raise context.error(f"not a readable zip archive: {err}") from err
        infos = self._zip.infolist()
        if len(infos) > allowed:
            raise context.error(
                f"the archive holds {len(infos)} members; the limit is {allowed} "
                "(raise it with max_members=...)"
            )
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            _check_name(info.filename, context)
            if info.filename in self.members:
                raise context.error(f"the archive holds two members named {info.filename!r}")
            self.members[info.filename] = info

    @property
    def first(self) -> zipfile.ZipInfo | None:
        """The first member in the central directory, if any."""
        return next(iter(self.members.values()), None)

    def read(self, name: str) -> bytes:
        """Return the decompressed bytes of member ``name``.

        Raises:
            ParseError: there is no such member, it is encrypted or damaged, or it
                decompresses past the per-member or the total limit.
        """
        info = self.members.get(name)
        if info is None:
            raise self._context.error(f"the archive has no member {name!r}")
        if info.flag_bits & 0x1:
            raise member_error(self._context, name, "the member is encrypted")
        per_member = self._limits.max_member_bytes
        if info.file_size > per_member:
            raise self._too_big(name, info.file_size)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > per_member or self._read + size > self._limits.max_total_bytes:
                        raise self._too_big(name, size)
                    chunks.append(chunk)
        except ParseError:
            raise
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            RuntimeError,
            NotImplementedError,
            ValueError,
        ) as err:
            raise member_error(self._context, name, f"cannot decompress: {err}") from err
        self._read += size
        return b"".join(chunks)

    def _too_big(self, name: str, size: int) -> ParseError:
        limits = self._limits
        return member_error(
            self._context,
            name,
            f"decompresses to at least {size} bytes, past the limits of "
            f"{limits.max_member_bytes} bytes per member and {limits.max_total_bytes} bytes "
            f"in all (already read: {self._read}); raise them with max_member_bytes=... "
            "or max_total_bytes=...",
        )
