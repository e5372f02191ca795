"""The EPUB 3 format: a digest as an e-book, and an e-book back as a digest.

The writer lives in :mod:`digestkit.formats.epub_write` (it uses ebooklib, AGPL-3.0-or-later,
installed only with the optional ``epub`` extra), the reader in
:mod:`digestkit.formats.epub_read` (zipfile and lxml, with limits for untrusted archives).
Neither ebooklib nor lxml is imported until a digest is read or written.
"""

from __future__ import annotations

from digestkit.registry import Format, lazy

__all__ = ["FORMAT"]

FORMAT = Format(
    name="epub",
    extensions=("epub",),
    media_type="application/epub+zip",
    description="EPUB 3 e-book: title page, one document per article, navigation and NCX",
    # Lazy: this module is imported whenever an extension is looked up, and the reader and
    # writer modules pull in zipfile, uuid and hashlib.
    reader=lazy("digestkit.formats.epub_read:read"),
    writer=lazy("digestkit.formats.epub_write:write"),
    binary=True,
)
"""The EPUB format, published under the ``digestkit.formats`` entry point ``epub``."""
