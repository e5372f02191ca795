"""The EPUB 3 writer: a digest as a reproducible, EPUBCheck-clean, accessible e-book.

ebooklib builds the package document, the navigation document, the NCX and the container;
digestkit writes the XHTML content documents and the stylesheet itself, so that every
character of the digest is kept exactly, and then re-packs ebooklib's archive so that the
same digest gives the same bytes on every run and machine (``docs/epub.md``).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Mapping
from typing import Any

from digestkit.codec import format_date, metadata_to_strings
from digestkit.errors import DigestError, MissingDependencyError, WriteError
from digestkit.formats.epub._layout import (
    FOLDER,
    LAYOUT_VERSION,
    VOCAB_PREFIX,
    VOCAB_URI,
    article_name,
    default_title,
    derive_identifier,
)
from digestkit.model import Article, Digest, Metadata

__all__ = [
    "ACCESSIBILITY_SUMMARY",
    "FALLBACK_MODIFIED",
    "STYLESHEET",
    "ZIP_EPOCH",
    "article_page",
    "modified_time",
    "title_page",
    "write",
]

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""Every archive member's timestamp: the earliest a zip file can hold."""

FALLBACK_MODIFIED = "1980-01-01T00:00:00Z"
"""``dcterms:modified`` of a digest without a date when ``SOURCE_DATE_EPOCH`` is unset."""

STYLESHEET = """\
/* digestkit: plain type that reflows on phones and stays crisp on e-ink. */
body { margin: 0 4%; line-height: 1.45; }
h1 { font-size: 1.35em; line-height: 1.2; margin: 1.2em 0 0.7em; font-weight: bold;
     page-break-after: avoid; break-after: avoid; }
p { margin: 0 0 0.75em; text-indent: 0; orphans: 2; widows: 2; }
p.lead { font-weight: bold; }
section.titlepage { margin-top: 25%; text-align: center; }
section.titlepage h1 { font-size: 1.8em; margin-bottom: 1em; }
nav ol { list-style: none; padding: 0; }
nav li { margin: 0 0 0.7em; }
"""
"""The stylesheet of every content document: relative sizes only, black on the reader's
background, no fixed fonts, so the reading system's settings win."""

ACCESSIBILITY_SUMMARY = (
    "Text only: a title page and one document per article, each with the headline as its "
    "heading, the lead paragraph marked as the lead, and the body paragraphs; a table of "
    "contents lists every article. No images, audio or video."
)
"""``schema:accessibilitySummary``, in English (it is marked ``xml:lang="en"``)."""

_STYLE_LINK = '<link rel="stylesheet" type="text/css" href="style.css"/>'
_XHTML_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
    'lang="{lang}" xml:lang="{lang}">\n<head>\n<title>{title}</title>\n' + _STYLE_LINK + "\n"
    "</head>\n<body>\n"
)
_XHTML_CLOSE = "</body>\n</html>\n"


def _escape(text: str) -> str:
    # Chained replace is an order of magnitude faster than str.translate with a dict here.
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _document(language: str, title: str, body: list[str]) -> bytes:
    head = _XHTML_OPEN.format(lang=_escape(language), title=_escape(title))
    return (head + "".join(body) + _XHTML_CLOSE).encode("utf-8")


def title_page(meta: Metadata, title: str) -> bytes:
    """Return the title page: the title, then the date and the source when known."""
    body = ['<section class="titlepage" epub:type="titlepage">\n']
    body.append(f'<h1 class="title">{_escape(title)}</h1>\n')
    if meta.date is not None:
        day = format_date(meta.date)
        body.append(f'<p class="date"><time datetime="{day}">{day}</time></p>\n')
    if meta.source is not None:
        body.append(f'<p class="source">{_escape(meta.source)}</p>\n')
    body.append("</section>\n")
    return _document(meta.language, title, body)


def article_page(article: Article, language: str) -> bytes:
    """Return one article's document: headline as the heading, the lead, the body."""
    body = ["<article>\n", f'<h1 class="headline">{_escape(article.headline)}</h1>\n']
    if article.lead is not None:
        body.append(f'<p class="lead">{_escape(article.lead)}</p>\n')
    body.extend(f"<p>{_escape(paragraph)}</p>\n" for paragraph in article.body)
    body.append("</article>\n")
    return _document(language, article.headline, body)


def modified_time(date: dt.date | None, environ: Mapping[str, str] | None = None) -> str:
    """Return the ``dcterms:modified`` value for a digest dated ``date``.

    The rule: midnight UTC of the digest's date; else the time ``SOURCE_DATE_EPOCH`` (whole
    seconds since 1970-01-01 UTC, the reproducible-builds convention) names; else
    ``FALLBACK_MODIFIED``. The wall clock is never read.

    Raises:
        WriteError: ``SOURCE_DATE_EPOCH`` is set but is not a whole number of seconds that
            falls in the years 1 to 9999.
    """
    if date is not None:
        return f"{format_date(date)}T00:00:00Z"
    raw = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "")
    if not raw:
        return FALLBACK_MODIFIED
    try:
        if not raw.isascii() or not raw.isdigit():
            raise ValueError("not a non-negative whole number")
        stamp = dt.datetime.fromtimestamp(int(raw), dt.UTC)
    except (ValueError, OverflowError, OSError) as err:
        raise WriteError(
            f"SOURCE_DATE_EPOCH={raw!r} is not a time in whole seconds since 1970: {err}"
        ) from err
    return stamp.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


class _Stamp:
    """Stands in for the datetime ebooklib formats as ``dcterms:modified``.

    ebooklib calls ``strftime("%Y-%m-%dT%H:%M:%SZ")``, which C libraries render without
    leading zeros for years before 1000; the value is computed here instead.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def strftime(self, fmt: str) -> str:
        return self.text


def _accessibility(book: Any) -> None:
    meta = [
        ("schema:accessMode", "textual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "displayTransformability"),
        ("schema:accessibilityHazard", "none"),
    ]
    for prop, value in meta:
        book.add_metadata(None, "meta", value, {"property": prop})
    summary = {
        "property": "schema:accessibilitySummary",
        "{http://www.w3.org/XML/1998/namespace}lang": "en",
    }
    book.add_metadata(None, "meta", ACCESSIBILITY_SUMMARY, summary)


def _book(digest: Digest) -> Any:
    from ebooklib import epub

    meta = digest.metadata
    title = meta.title if meta.title is not None else default_title(meta.date)
    book = epub.EpubBook()
    book.FOLDER_NAME = FOLDER
    # ebooklib stamps its own version into every package; the bytes must not depend on it.
    book.metadata[epub.NAMESPACES["OPF"]].pop("generator", None)
    # Each metadata field is the Dublin Core element of the same name (see _layout); the
    # identifier and the title always exist, and ebooklib sets them itself.
    strings = metadata_to_strings(meta)
    book.set_identifier(strings.pop("identifier", None) or derive_identifier(digest))
    book.set_title(title)
    strings.pop("title", None)
    book.set_language(strings.pop("language"))
    for name, value in strings.items():
        book.add_metadata("DC", name, value)
    book.add_prefix(VOCAB_PREFIX, VOCAB_URI)
    book.add_metadata(None, "meta", LAYOUT_VERSION, {"property": f"{VOCAB_PREFIX}:layout"})
    if meta.title is None:
        book.add_metadata(None, "meta", "true", {"property": f"{VOCAB_PREFIX}:default-title"})
    _accessibility(book)

    xhtml = "application/xhtml+xml"
    book.add_item(epub.EpubItem("style", "style.css", "text/css", STYLESHEET.encode("utf-8")))
    cover = epub.EpubItem("title-page", "title.xhtml", xhtml, title_page(meta, title))
    book.add_item(cover)
    spine = [cover]
    toc = [epub.Link("title.xhtml", title, "toc-title")]
    for index, article in enumerate(digest.articles, start=1):
        name = article_name(index)
        uid = name.removesuffix(".xhtml")
        item = epub.EpubItem(uid, name, xhtml, article_page(article, meta.language))
        book.add_item(item)
        spine.append(item)
        toc.append(epub.Link(name, article.headline, f"toc-{uid}"))
    nav = epub.EpubNav()
    nav.add_link(href="style.css", rel="stylesheet", type="text/css")
    book.add_item(nav)
    book.add_item(epub.EpubNcx())
    book.spine = spine
    book.toc = toc
    return book


def _repack(archive: bytes) -> bytes:
    """Return ``archive`` re-packed with fixed timestamps, attributes and compression."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            fixed.create_system = 3  # Unix, whatever the machine writing it
            fixed.external_attr = 0o100644 << 16
            stored = info.filename == "mimetype"
            fixed.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info), compresslevel=None if stored else 6)
    return out.getvalue()


def write(digest: Digest, /) -> bytes:
    """Write a digest as an EPUB 3 publication (the door, ``digestkit.formats.epub.write``)."""
    modified = modified_time(digest.metadata.date)
    try:
        from ebooklib import epub
    except ImportError as err:
        raise MissingDependencyError("epub", err.name or "ebooklib", "writing EPUB") from err
    try:
        book = _book(digest)
        raw = io.BytesIO()
        options = {
            "raise_exceptions": True,
            "mtime": _Stamp(modified),
            # Deflate once, in _repack: ebooklib's own pass only needs to be fast.
            "compresslevel": 0,
            "epub3_pages": False,
        }
        epub.write_epub(raw, book, options)
        return _repack(raw.getvalue())
    except DigestError:
        raise
    except Exception as err:
        raise WriteError(f"cannot write EPUB: {type(err).__name__}: {err}") from err
