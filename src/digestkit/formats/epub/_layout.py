"""What digestkit's EPUB writer and reader agree on: file names, classes, vocabulary, identifier.

The writer (``_write``) lays a digest out as described here and the
reader (``_read``) recognises that layout to read it back exactly.
Standard library only, so that importing it costs nothing.

Each metadata field is carried as the Dublin Core element of the same name (``dc:title``,
``dc:language``, ``dc:date``, ``dc:source``, ``dc:identifier``), spelled by
``digestkit.codec``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from digestkit.codec import format_date, metadata_to_strings
from digestkit.model import Digest

__all__ = [
    "DEFAULT_TITLE",
    "FOLDER",
    "LAYOUT_VERSION",
    "NS",
    "VOCAB_PREFIX",
    "VOCAB_URI",
    "article_name",
    "default_title",
    "derive_identifier",
    "qname",
]

FOLDER = "EPUB"
"""The folder inside the archive that holds the package document and the content."""

LAYOUT_VERSION = "1"
"""Written as ``digestkit:layout``; the reader reads exactly only the layouts it knows."""

VOCAB_PREFIX = "digestkit"
VOCAB_URI = "https://digestkit.readthedocs.io/en/latest/epub/#"
"""digestkit's own package metadata vocabulary (see ``docs/epub.md``)."""

DEFAULT_TITLE = "News digest"
"""The title of a digest that has none (EPUB requires one), followed by its date if it has one."""

NS = {
    "xhtml": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
    "xml": "http://www.w3.org/XML/1998/namespace",
}

# A fixed namespace for name-based identifiers: never change it, or every derived
# identifier changes with it.
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://digestkit.readthedocs.io/epub/identifier")


def qname(prefix: str, local: str) -> str:
    """Return lxml's ``{namespace}local`` name for ``prefix:local``, with ``NS``."""
    return f"{{{NS[prefix]}}}{local}"


def article_name(index: int) -> str:
    """Return the file name (relative to ``FOLDER``) of the ``index``-th article, from 1."""
    return f"a{index:05d}.xhtml"


def default_title(date: dt.date | None) -> str:
    """Return the title written for a digest without one."""
    return DEFAULT_TITLE if date is None else f"{DEFAULT_TITLE} {format_date(date)}"


def derive_identifier(digest: Digest) -> str:
    """Return the ``urn:uuid:`` identifier derived from a digest's content.

    A name-based (version 5) UUID of a canonical JSON rendering of the title, language,
    date, source and articles; the digest's own identifier takes no part. The same content
    gives the same identifier on every machine and in every digestkit version.
    """
    strings = metadata_to_strings(digest.metadata)
    # A fixed list, not METADATA_FIELDS: a field added later must not change the identifier
    # of every digest written before.
    canonical: dict[str, object] = {
        name: strings.get(name) for name in ("title", "language", "date", "source")
    }
    canonical["articles"] = [[a.headline, a.lead, list(a.body)] for a in digest.articles]
    name = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, name)}"
