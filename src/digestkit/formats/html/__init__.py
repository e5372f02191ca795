"""The HTML format: a digest as one self-contained HTML5 page, and that page read back.

The writer (`_write`) needs nothing beyond the standard library; the reader
(`_read`) reads only pages digestkit wrote, with lxml (the ``html`` extra).
"""

from __future__ import annotations

from digestkit.model import Digest
from digestkit.registry import Format, ReadContext

__all__ = ["FORMAT", "read", "write"]


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read a page digestkit wrote (see `_read`); other HTML is refused.

    Raises:
        ParseError: the page is not one digestkit wrote, or was edited out of shape.
        MissingDependencyError: lxml is not installed.
    """
    from digestkit.formats.html import _read  # lxml, only when a page is read

    return _read.read(data, context)


def write(digest: Digest, /) -> bytes:
    """Write a digest as one self-contained HTML5 page (see `_write`)."""
    from digestkit.formats.html import _write

    return _write.write(digest)


FORMAT = Format(
    name="html",
    extensions=("html", "htm"),
    media_type="text/html",
    description="HTML5 page: contents, an <article> per article, JSON-LD NewsArticle items",
    reader=read,
    writer=write,
)
"""The HTML format, published under the ``digestkit.formats`` entry point ``html``."""
