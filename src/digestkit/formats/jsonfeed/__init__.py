"""The JSON Feed 1.1 format (``.feed.json``): one item per article, for feed readers.

::

    {
      "version": "https://jsonfeed.org/version/1.1",
      "title": "Morning digest",
      "language": "en",
      "_digestkit": {"format_version": 1, "metadata": {"title": "Morning digest", ...}},
      "items": [
        {
          "id": "urn:uuid:...",
          "title": "The headline",
          "summary": "The lead.",
          "content_text": "The lead.\\n\\nA body paragraph.",
          "date_published": "2025-10-20T00:00:00Z"
        }
      ]
    }

Each item's ``title`` is the headline, ``summary`` the lead, and ``content_text`` the lead
and the body paragraphs separated by blank lines. Ids and dates follow the rules of
`digestkit.formats._feeds`. The feed's ``title`` is required by JSON Feed: a digest
without one gets the title EPUB gives it (``"News digest"`` and its date, if any). The whole
metadata, in the spelling of the one metadata codec, travels in the ``_digestkit`` extension
object, which the reader trusts over the feed's own ``title`` and ``language``.

Feeds written by other tools read too: ``title`` becomes the headline, ``summary`` the lead,
``content_text`` (or, failing it, the blocks of ``content_html``) the body; the feed's
``title`` and ``language`` the metadata, ``home_page_url`` the source and ``feed_url`` the
identifier. What the model has no place for (authors, tags, attachments, item dates and
links, ...) is dropped with one warning that names it.
"""

from __future__ import annotations

from digestkit.formats.jsonfeed._vocab import EXTENSION_KEY, VERSION
from digestkit.model import Digest
from digestkit.registry import Format, ReadContext

__all__ = ["EXTENSION_KEY", "FORMAT", "VERSION", "read", "write"]


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read a JSON Feed (version 1 or 1.1), digestkit's own or another tool's.

    Raises:
        ParseError: the data is not JSON, not a JSON Feed, or holds text the model refuses;
            the error names the JSON path (``items[3].title``) and its line and column.
    """
    from digestkit.formats.jsonfeed._read import read_feed

    return read_feed(data, context)


def write(digest: Digest, /) -> bytes:
    """Write a digest as a JSON Feed 1.1 document, UTF-8, pretty-printed, ending with a newline."""
    from digestkit.formats.jsonfeed._write import write_feed

    return write_feed(digest)


FORMAT = Format(
    name="jsonfeed",
    extensions=("feed.json",),
    media_type="application/feed+json",
    description="JSON Feed 1.1: one item per article (metadata in a _digestkit extension)",
    reader=read,
    writer=write,
)
"""The JSON Feed format, published under the ``digestkit.formats`` entry point ``jsonfeed``."""
