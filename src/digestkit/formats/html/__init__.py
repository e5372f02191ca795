"""The HTML format: a digest as one self-contained HTML5 page, and that page read back.

The writer (:mod:`._write`) needs nothing beyond the standard library; the reader
(:mod:`._read`) reads only pages digestkit wrote, with lxml (the ``html`` extra).
"""

from __future__ import annotations

from digestkit.registry import Format, lazy

__all__ = ["FORMAT"]

FORMAT = Format(
    name="html",
    extensions=("html", "htm"),
    media_type="text/html",
    description="HTML5 page: contents, an <article> per article, JSON-LD NewsArticle items",
    # Lazy: this module is imported whenever an extension is looked up.
    reader=lazy("digestkit.formats.html._read:read"),
    writer=lazy("digestkit.formats.html._write:write"),
)
"""The HTML format, published under the ``digestkit.formats`` entry point ``html``."""
