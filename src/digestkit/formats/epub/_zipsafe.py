"""Read members of an untrusted zip archive in memory, within limits.

Nothing is ever extracted to disk. Before ``zipfile`` parses the central directory, its
declared size and member count are checked, so that an archive claiming millions of members
cannot make the parser allocate millions of records; member names that could escape a folder
(absolute names, ``..`` segments, backslashes, drive letters) or that appear twice are refused;
members are decompressed in chunks and the running total is checked against per-member and
per-archive caps, whatever sizes the archive declares. Only the stored and deflate methods
are read (the only ones the EPUB container allows; an LZMA header alone can ask for a
4 GiB dictionary). What the XML parse of the members builds is capped too: the elements of
all members together (``max_nodes``), and the entries of the spine (``max_spine``).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import attrs

from digestkit.errors import ParseError
from digestkit.registry import ReadContext

__all__ = ["Limits", "SafeArchive", "check_spine", "member_error"]

_CHUNK = 1 << 16
# Generous room per allowed member for its central-directory record (46 bytes + name + extras).
_DIRECTORY_BYTES_PER_MEMBER = 512
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_DRIVE = re.compile(r"[A-Za-z]:")
# The compression methods the EPUB Open Container Format allows.
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}


@attrs.frozen
class Limits:
    """How much of an archive a reader is willing to look at."""

    max_members: int
    """The most members (files and folders) the archive may hold."""
    max_member_bytes: int
    """The most bytes one member may decompress to."""
    max_total_bytes: int
    """The most bytes all members read may decompress to, together."""
    max_nodes: int
    """The most XML elements the members parsed may hold, together."""
    max_spine: int
    """The most entries (``itemref``) the spine may hold."""


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


def check_spine(refs: list[Any], archive: SafeArchive, member: str, context: ReadContext) -> None:
    """Refuse a spine longer than ``max_spine``; report the entries naming an item again.

    A repeated entry would have its document parsed again for each repeat (EPUB allows each
    item once in the spine): the reader skips the repeats, and says so once.
    """
    limit = archive.limits.max_spine
    if len(refs) > limit:
        raise member_error(
            context,
            member,
            f"the spine has {len(refs)} entries; the limit is {limit} "
            "(raise it with max_spine=...)",
        )
    names = [ref.get("idref", "") for ref in refs]
    repeats = len(names) - len(set(names))
    if repeats:
        context.warn(
            f"{context.source}!/{member}: the spine names an item more than once "
            f"({repeats} repeated entries): each item is read once"
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
        self._nodes = 0
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

    @property
    def limits(self) -> Limits:
        """The limits the archive is read within."""
        return self._limits

    def count_nodes(self, name: str, count: int) -> None:
        """Count ``count`` more XML elements parsed from member ``name``.

        Raises:
            ParseError: the members parsed so far hold more elements than ``max_nodes``.
        """
        self._nodes += count
        if self._nodes > self._limits.max_nodes:
            raise member_error(
                self._context,
                name,
                f"the archive's documents hold more than {self._limits.max_nodes} XML elements "
                "(raise the limit with max_nodes=...)",
            )

    def read(self, name: str) -> bytes:
        """Return the decompressed bytes of member ``name``.

        Raises:
            ParseError: as ``chunks``.
        """
        return b"".join(self.chunks(name))

    def chunks(self, name: str) -> Iterator[bytes]:
        """Yield the decompressed bytes of member ``name``, a chunk at a time.

        Raises:
            ParseError: there is no such member, it is encrypted, compressed with a method
                other than stored or deflate, damaged, or it decompresses past the
                per-member or the total limit.
        """
        info = self.members.get(name)
        if info is None:
            raise self._context.error(f"the archive has no member {name!r}")
        if info.flag_bits & 0x1:
            raise member_error(self._context, name, "the member is encrypted")
        if info.compress_type not in _METHODS:
            raise member_error(
                self._context,
                name,
                f"compression method {info.compress_type} is not allowed in an EPUB "
                "(only stored and deflate are)",
            )
        per_member = self._limits.max_member_bytes
        if info.file_size > per_member:
            raise self._too_big(name, info.file_size)
        size = 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > per_member or self._read + size > self._limits.max_total_bytes:
                        raise self._too_big(name, size)
                    yield chunk
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
        finally:
            self._read += size

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
