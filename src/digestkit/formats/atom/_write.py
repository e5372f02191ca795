"""Writing a digest as an Atom 1.0 feed."""

from __future__ import annotations

from xml.sax.saxutils import escape

from digestkit.codec import metadata_to_strings
from digestkit.formats._feeds import UNDATED, feed_id, item_id, timestamp
from digestkit.formats.atom._vocab import NAMESPACE

# The title EPUB gives a digest without one: one rule for every format that needs a title.
from digestkit.formats.epub._layout import default_title
from digestkit.formats.xml import NAMESPACE as DIGEST_NAMESPACE
from digestkit.model import Digest

_XHTML = "http://www.w3.org/1999/xhtml"


def write_feed(digest: Digest) -> bytes:
    """Return the Atom feed of ``digest`` (see `digestkit.formats.atom`)."""
    meta = digest.metadata
    day = timestamp(meta.date)
    updated = day or UNDATED
    title = meta.title or default_title(meta.date)
    # The model refuses every character XML 1.0 cannot carry, so escaping &, < and > is all
    # text needs; the language tag (checked by the model) needs none in its attribute.
    author = meta.author or meta.source or title
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<feed xmlns="{NAMESPACE}" xml:lang="{meta.language}">\n',
        f"  <id>{feed_id(meta)}</id>\n",
        f"  <title>{escape(title)}</title>\n",
        f"  <updated>{updated}</updated>\n",
        f"  <author>\n    <name>{escape(author)}</name>\n  </author>\n",
        f'  <metadata xmlns="{DIGEST_NAMESPACE}">\n',
    ]
    out.extend(
        f"    <{name}>{escape(value)}</{name}>\n"
        for name, value in metadata_to_strings(meta).items()
    )
    out.append("  </metadata>\n")
    for position, article in enumerate(digest.articles, 1):
        out.append("  <entry>\n")
        out.append(f"    <id>{item_id(meta, position)}</id>\n")
        out.append(f"    <title>{escape(article.headline)}</title>\n")
        out.append(f"    <updated>{updated}</updated>\n")
        if day is not None:
            out.append(f"    <published>{day}</published>\n")
        if article.lead is not None:
            out.append(f"    <summary>{escape(article.lead)}</summary>\n")
        out.append(f'    <content type="xhtml">\n      <div xmlns="{_XHTML}">\n')
        out.extend(f"        <p>{escape(paragraph)}</p>\n" for paragraph in article.paragraphs)
        out.append("      </div>\n    </content>\n  </entry>\n")
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")
