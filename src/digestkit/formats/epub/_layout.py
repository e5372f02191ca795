"""What digestkit's EPUB writer and reader agree on: file names, classes, vocabulary, identifier.

The writer (``_write``) lays a digest out as described here and the
reader (``_read``) recognises that layout to read it back exactly.
Standard library only, so that importing it costs nothing.

Each metadata field is carried as a Dublin Core element (``DC_ELEMENTS``: ``dc:title``,
``dc:language``, ``dc:date``, ``dc:source``, ``dc:identifier``, ``dc:creator`` for the author,
``dc:publisher``), spelled by ``digestkit.codec``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from digestkit.codec import format_date, metadata_to_strings
from digestkit.model import Metadata

__all__ = [
    "CONTINUED",
    "DC_ELEMENTS",
    "DEFAULT_TITLE",
    "FOLDER",
    "LAYOUTS",
    "LAYOUT_VERSION",
    "NAV_NAME",
    "NS",
    "SPLIT_LAYOUT_VERSION",
    "VOCAB_PREFIX",
    "VOCAB_URI",
    "article_name",
    "contents_heading",
    "default_title",
    "derive_identifier",
    "qname",
]

FOLDER = "EPUB"
"""The folder inside the archive that holds the package document and the content."""

LAYOUT_VERSION = "2"
"""Written as ``digestkit:layout``; the reader reads exactly only the layouts it knows."""

SPLIT_LAYOUT_VERSION = "3"
"""Written instead of ``LAYOUT_VERSION`` when an article is split over several documents
(``CONTINUED``), so that a digestkit that predates splitting reads such a book on a
best-effort basis, with a warning, rather than refusing it."""

LAYOUTS = frozenset({"1", LAYOUT_VERSION, SPLIT_LAYOUT_VERSION})
"""The layouts the reader reads exactly: 1 had no ``<header>`` around headline and lead;
3 is 2 with continuation documents."""

CONTINUED = "continued"
"""The class of the ``<article>`` of a continuation document: the paragraphs that follow
those of the document before it in the spine, in the same article. An article whose document
would pass the writer's ``max_document_bytes`` is split so, between paragraphs."""

NAV_NAME = "nav.xhtml"
"""The navigation document, also the book's contents page (in the spine after the title)."""

VOCAB_PREFIX = "digestkit"
VOCAB_URI = "urn:uuid:f7fccd8e-7c6d-4e8c-be8c-11a7955af7e1#"
"""digestkit's own package metadata vocabulary (see ``docs/epub.md``): a URN digestkit owns,
not an address, so that no book depends on a web site staying up."""

DC_ELEMENTS = {"author": "creator"}
"""The Dublin Core element of each metadata field not carried under its own name."""

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

# A fixed namespace for name-based identifiers, a random UUID drawn once for digestkit:
# never change it, or every derived identifier changes with it.
_ID_NAMESPACE = uuid.UUID("ef1356ed-b693-49a6-9b4c-f903fc8c2f39")

# "Contents" in the languages of the text format's markers and the scripts tested; others
# get the English word, marked as English.
_CONTENTS = {
    "en": "Contents",
    "ar": "المحتويات",
    "de": "Inhalt",
    "es": "Índice",
    "fa": "فهرست",
    "fr": "Sommaire",
    "he": "תוכן העניינים",
    "hi": "विषय सूची",
    "it": "Indice",
    "ja": "目次",
    "nl": "Inhoud",
    "pl": "Spis treści",
    "pt": "Sumário",
    "ru": "Содержание",
    "sv": "Innehåll",
    "tr": "İçindekiler",
    "zh": "目录",
}
# Chinese in traditional characters: the script subtag, or a region that writes it.
_TRADITIONAL = frozenset(("hant", "tw", "hk", "mo"))


def qname(prefix: str, local: str) -> str:
    """Return lxml's ``{namespace}local`` name for ``prefix:local``, with ``NS``."""
    return f"{{{NS[prefix]}}}{local}"


def article_name(index: int, part: int = 1) -> str:
    """Return the file name (relative to ``FOLDER``) of the ``index``-th article, from 1.

    ``part`` counts the article's documents from 1: the first keeps the plain name, the
    navigation's target; continuation documents are ``a00001-2.xhtml`` and on.
    """
    return f"a{index:05d}.xhtml" if part == 1 else f"a{index:05d}-{part}.xhtml"


def contents_heading(language: str) -> tuple[str, str]:
    """Return the contents page's heading for ``language``, and the language it is in."""
    primary, *subtags = language.lower().split("-")
    if primary == "zh" and "hans" not in subtags and _TRADITIONAL.intersection(subtags):
        return "目錄", language
    if primary in _CONTENTS:
        return _CONTENTS[primary], language
    return _CONTENTS["en"], "en"


def default_title(date: dt.date | None) -> str:
    """Return the title written for a digest without one."""
    return DEFAULT_TITLE if date is None else f"{DEFAULT_TITLE} {format_date(date)}"


def derive_identifier(metadata: Metadata, title: str) -> str:
    """Return the ``urn:uuid:`` identifier derived from what names an issue.

    A name-based (version 5) UUID of a canonical JSON rendering of the title as written
    (``title``), the language, the date and the source: not of the articles, so that a
    corrected issue keeps its identity (and readers their highlights and positions), and
    not of the metadata's own identifier. The same names give the same identifier on every
    machine and in every digestkit version.
    """
    strings = metadata_to_strings(metadata)
    # A fixed list, not METADATA_FIELDS: a field added later must not change the identifier
    # of every digest written before.
    canonical = {name: strings.get(name) for name in ("language", "date", "source")}
    canonical["title"] = title
    name = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, name)}"
