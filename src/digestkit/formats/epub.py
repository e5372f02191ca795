"""The EPUB 3 format: a digest as an e-book, and an e-book back as a digest.

The writer lives in :mod:`digestkit.formats.epub_write` (it uses ebooklib, AGPL-3.0-or-later,
installed only with the optional ``epub`` extra), the reader in
:mod:`digestkit.formats.epub_read` (zipfile and lxml, with limits for untrusted archives).
Neither ebooklib nor lxml is imported until a digest is read or written.
"""

from __future__ import annotations

from digestkit.formats.epub_read import read
from digestkit.formats.epub_write import write
from digestkit.registry import Format

__all__ = ["FORMAT", "read", "write"]

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
