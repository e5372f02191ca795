"""The EPUB 3 format: a digest as an e-book, and an e-book back as a digest.

This module is the door: the ``FORMAT`` and thin ``read`` and ``write`` with
their real signatures. The work lives in private modules imported only when a digest is
read or written: the writer in ``_write`` (it uses ebooklib, AGPL-3.0-or-later, installed
only with the optional ``epub`` extra), the reader in ``_read`` and ``_content`` (zipfile and
lxml, with the limits of ``_zipsafe`` for untrusted archives), and what both agree on in
``_layout``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from digestkit.registry import Format

if TYPE_CHECKING:
    from digestkit.model import Digest
    from digestkit.registry import ReadContext

__all__ = [
    "DEFAULT_MAX_BOOK_BYTES",
    "DEFAULT_MAX_DOCUMENT_BYTES",
    "DEFAULT_MAX_MEMBERS",
    "DEFAULT_MAX_MEMBER_BYTES",
    "DEFAULT_MAX_NODES",
    "DEFAULT_MAX_SPINE",
    "DEFAULT_MAX_TOTAL_BYTES",
    "FORMAT",
    "read",
    "write",
]

DEFAULT_MAX_MEMBERS = 10_000
"""Archives with more members are refused (a digest of 9,990 articles still fits)."""
DEFAULT_MAX_MEMBER_BYTES = 64 << 20
"""No member may decompress to more than 64 MiB."""
DEFAULT_MAX_TOTAL_BYTES = 512 << 20
"""The members read may decompress to 512 MiB together."""
DEFAULT_MAX_NODES = 100_000
"""The XML documents read may hold 100,000 elements together (with what is built from them,
under 64 MB: about 9,000 articles of digestkit's layout with a paragraph or two each)."""
DEFAULT_MAX_SPINE = 10_000
"""The spine may hold 10,000 entries, as many as the archive may hold members."""
DEFAULT_MAX_DOCUMENT_BYTES = 300_000
"""Send-to-Kindle refuses a book with a document of 300 KB or more: an article's document
that would pass this many bytes is split between paragraphs (decimal, so that the limit
holds whether 300 KB is read as 300,000 or as 307,200 bytes)."""
DEFAULT_MAX_BOOK_BYTES = 50_000_000
"""Send-to-Kindle refuses a book of 50 MB or more: a larger archive is still written, with a
[`WriteWarning`][digestkit.errors.WriteWarning]."""


def read(
    data: bytes,
    context: ReadContext,
    /,
    *,
    max_members: int = DEFAULT_MAX_MEMBERS,
    max_member_bytes: int = DEFAULT_MAX_MEMBER_BYTES,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_spine: int = DEFAULT_MAX_SPINE,
) -> Digest:
    """Read an EPUB publication as a digest.

    Args:
        max_members: refuse archives with more members than this.
        max_member_bytes: refuse a member that decompresses to more bytes than this.
        max_total_bytes: refuse when the members read decompress to more than this in all.
        max_nodes: refuse when the XML documents read hold more elements than this in all.
        max_spine: refuse a spine with more entries than this.

    Raises:
        MissingDependencyError: lxml is not installed.
        ParseError: the input is not a readable EPUB, breaks a limit, holds unsafe names,
            DTDs or entities, or names content it does not hold.
    """
    from digestkit.formats.epub import _read

    return _read.read(
        data,
        context,
        max_members=max_members,
        max_member_bytes=max_member_bytes,
        max_total_bytes=max_total_bytes,
        max_nodes=max_nodes,
        max_spine=max_spine,
    )


def write(
    digest: Digest,
    /,
    *,
    modified: str | None = None,
    cover: bytes | None = None,
    default_title: str | None = None,
    conforms_to: str | None = None,
    certified_by: str | None = None,
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    max_book_bytes: int = DEFAULT_MAX_BOOK_BYTES,
) -> bytes:
    """Write a digest as an EPUB 3 publication.

    Args:
        modified: ``dcterms:modified``: ``now`` (the wall clock), a day ``YYYY-MM-DD`` or a
            UTC time ``YYYY-MM-DDTHH:MM:SSZ``; by default ``SOURCE_DATE_EPOCH``, else the
            digest's date, else 1980-01-01 (``docs/epub.md``).
        cover: a PNG or JPEG image for the cover, instead of the SVG drawn from the title,
            date and source.
        default_title: the title of a digest that has none (the command line gives the
            input file's name); else "News digest" and the date.
        conforms_to: ``dcterms:conformsTo``, the accessibility standard the publisher
            evaluated the book against; never claimed unless given.
        certified_by: ``a11y:certifiedBy``, who made that evaluation.
        max_document_bytes: split an article whose document would be larger between
            paragraphs; warn about a document still larger (a paragraph too big for a
            document of its own, or the contents page of very many articles).
        max_book_bytes: warn when the archive is larger.

    Returns:
        The archive's bytes: the same digest gives the same bytes (see ``docs/epub.md``).

    Raises:
        MissingDependencyError: ebooklib (or its lxml) is not installed.
        WriteError: ``SOURCE_DATE_EPOCH`` or ``modified`` is malformed, the cover is not a
            PNG or JPEG image, or the archive could not be built.

    Warns:
        WriteWarning: a document or the book is over its limit (Send-to-Kindle's sizes by
            default, ``docs/epub.md``).
    """
    from digestkit.formats.epub import _write

    options = _write.Options(
        modified=modified,
        cover=cover,
        default_title=default_title,
        conforms_to=conforms_to,
        certified_by=certified_by,
        max_document_bytes=max_document_bytes,
        max_book_bytes=max_book_bytes,
    )
    return _write.write(digest, options)


FORMAT = Format(
    name="epub",
    extensions=("epub",),
    media_type="application/epub+zip",
    description="EPUB 3 e-book: title page, one document per article, navigation and NCX",
    reader=read,
    writer=write,
    binary=True,
)
"""The EPUB format, published under the ``digestkit.formats`` entry point ``epub``."""
