"""The Atom 1.0 format (RFC 4287, ``.atom``): one entry per article, for feed readers.

::

    <?xml version="1.0" encoding="UTF-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
      <id>urn:uuid:...</id>
      <title>Morning digest</title>
      <updated>2025-10-20T00:00:00Z</updated>
      <author>
        <name>The Daily</name>
      </author>
      <metadata xmlns="urn:digestkit:digest:1">
        <title>Morning digest</title>
        <language>en</language>
        ...
      </metadata>
      <entry>
        <id>urn:uuid:...</id>
        <title>The headline</title>
        <updated>2025-10-20T00:00:00Z</updated>
        <published>2025-10-20T00:00:00Z</published>
        <summary>The lead.</summary>
        <content type="xhtml">
          <div xmlns="http://www.w3.org/1999/xhtml">
            <p>The lead.</p>
            <p>A body paragraph.</p>
          </div>
        </content>
      </entry>
    </feed>

Each entry's ``title`` is the headline, ``summary`` the lead, and its XHTML ``content`` one
``<p>`` per paragraph, the lead first. Ids and times follow the rules of
`digestkit.formats._feeds`: a digest without a date is ``updated`` at the Unix epoch
(``1970-01-01T00:00:00Z``) and has no ``published``. Atom requires a feed title and an
author: a digest without a title gets the title EPUB gives it, and the author is the
digest's author, else its source, else that title. The whole metadata travels in a
``metadata`` element of digestkit's XML vocabulary (namespace ``urn:digestkit:digest:1``, an
Atom extension element), which the reader trusts over the feed's own elements.

The reader parses with the XML format's safe settings (no DTD, no entities, no XInclude,
nothing fetched). Feeds written by other tools read too: an entry's title becomes the
headline, its summary the lead, its content (text, HTML or XHTML) the paragraphs; the
feed's title, ``xml:lang``, alternate link and id the title, language, source and
identifier. What the model has no place for (authors, categories, links, entry dates, ...) is
dropped with one warning that names it. Writing needs nothing beyond the standard library;
reading needs lxml (the ``xml`` extra).
"""

from __future__ import annotations

from digestkit.formats.atom._vocab import NAMESPACE
from digestkit.model import Digest
from digestkit.registry import Format, ReadContext

__all__ = ["FORMAT", "NAMESPACE", "read", "write"]


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read an Atom feed, digestkit's own or another tool's, refusing DTDs and XInclude.

    Raises:
        ParseError: the data is not well-formed XML or not an Atom feed, has a DOCTYPE or an
            XInclude element, or holds text the model refuses (line of the element).
    """
    from digestkit.formats.atom._read import read_feed

    return read_feed(data, context)


def write(digest: Digest, /) -> bytes:
    """Write a digest as an Atom 1.0 feed, UTF-8 with an XML declaration, ending with a newline."""
    from digestkit.formats.atom._write import write_feed

    return write_feed(digest)


FORMAT = Format(
    name="atom",
    extensions=("atom",),
    media_type="application/atom+xml",
    description="Atom 1.0 feed: one entry per article, XHTML content (metadata as an extension)",
    reader=read,
    writer=write,
)
"""The Atom format, published under the ``digestkit.formats`` entry point ``atom``."""
