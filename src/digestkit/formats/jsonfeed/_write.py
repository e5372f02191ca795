"""Writing a digest as a JSON Feed 1.1 document."""

from __future__ import annotations

import json
from typing import Any

from digestkit.codec import metadata_to_strings
from digestkit.formats._feeds import item_id, timestamp

# The title EPUB gives a digest without one: one rule for every format that needs a title.
from digestkit.formats.epub._layout import default_title
from digestkit.formats.jsonfeed._vocab import EXTENSION_KEY, VERSION
from digestkit.model import Digest

FORMAT_VERSION = 1
"""The version of the ``_digestkit`` extension object."""


def write_feed(digest: Digest) -> bytes:
    """Return the JSON Feed document of ``digest`` (see `digestkit.formats.jsonfeed`)."""
    meta = digest.metadata
    published = timestamp(meta.date)
    items: list[dict[str, Any]] = []
    for position, article in enumerate(digest.articles, 1):
        item: dict[str, Any] = {"id": item_id(meta, position), "title": article.headline}
        if article.lead is not None:
            item["summary"] = article.lead
        item["content_text"] = "\n\n".join(article.paragraphs)
        if published is not None:
            item["date_published"] = published
        items.append(item)
    feed = {
        "version": VERSION,
        "title": meta.title or default_title(meta.date),
        "language": meta.language,
        EXTENSION_KEY: {
            "format_version": FORMAT_VERSION,
            "metadata": metadata_to_strings(meta),
        },
        "items": items,
    }
    text = json.dumps(feed, ensure_ascii=False, indent=2, allow_nan=False)
    return text.encode("utf-8") + b"\n"
