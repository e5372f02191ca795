"""The EPUB 3 writer: a digest as a reproducible, EPUBCheck-clean, accessible e-book.

ebooklib builds the package document and the container; digestkit writes the XHTML content
documents, the navigation document (the contents page), the NCX, the cover and the
stylesheet itself (``_pages``), so that every character of the digest is kept exactly and
the work grows in proportion to the digest; then it re-packs ebooklib's archive so that the
same digest gives the same bytes on every run and machine (``docs/epub.md``).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import warnings
import zipfile
from collections.abc import Mapping
from contextlib import suppress
from typing import IO, Any

import attrs

from digestkit._language import direction
from digestkit.codec import format_date, metadata_to_strings, parse_date
from digestkit.errors import DigestError, MissingDependencyError, WriteError, WriteWarning
from digestkit.formats.epub._layout import (
    DC_ELEMENTS,
    FOLDER,
    LAYOUT_VERSION,
    NAV_NAME,
    SPLIT_LAYOUT_VERSION,
    VOCAB_PREFIX,
    VOCAB_URI,
    article_name,
    default_title,
    derive_identifier,
)
from digestkit.formats.epub._pages import (
    STYLESHEET,
    article_pages,
    contents_page,
    cover_page,
    cover_svg,
    ncx,
    title_page,
)
from digestkit.model import Digest

__all__ = [
    "ACCESSIBILITY_SUMMARY",
    "FALLBACK_MODIFIED",
    "ZIP_EPOCH",
    "Options",
    "modified_time",
    "write",
]

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_NCX_TYPE = "application/x-dtbncx+xml"

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""Every archive member's timestamp: the earliest a zip file can hold."""

FALLBACK_MODIFIED = "1980-01-01T00:00:00Z"
"""``dcterms:modified`` of a digest without a date when ``SOURCE_DATE_EPOCH`` is unset."""

ACCESSIBILITY_SUMMARY = (
    "A cover image of the title, with the title as its text alternative; then text only: a "
    "title page, a contents page listing every article, and one document per article, each "
    "with the headline as its heading and the lead paragraph in the article's header, then "
    "the body paragraphs. No audio or video."
)
"""``schema:accessibilitySummary``, in English (it is marked ``xml:lang="en"``)."""


def modified_time(
    date: dt.date | None, modified: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """Return the ``dcterms:modified`` value of a book.

    The rule, first that applies: ``modified`` (``now`` for the wall clock, a day
    ``YYYY-MM-DD`` for its midnight UTC, or a UTC time ``YYYY-MM-DDTHH:MM:SSZ``); else the
    time ``SOURCE_DATE_EPOCH`` names (whole seconds since 1970-01-01 UTC, the
    reproducible-builds convention); else midnight UTC of the digest's ``date``; else
    ``FALLBACK_MODIFIED``. The wall clock is read only when asked for with ``now``.

    Raises:
        WriteError: ``modified`` is none of these, or ``SOURCE_DATE_EPOCH`` is set but is not
            a whole number of seconds that falls in the years 1 to 9999.
    """
    if modified is not None:
        return _given_time(modified)
    raw = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "")
    if raw:
        try:
            if not raw.isascii() or not raw.isdigit():
                raise ValueError("not a non-negative whole number")
            stamp = dt.datetime.fromtimestamp(int(raw), dt.UTC)
        except (ValueError, OverflowError, OSError) as err:
            raise WriteError(
                f"SOURCE_DATE_EPOCH={raw!r} is not a time in whole seconds since 1970: {err}"
            ) from err
        return _utc(stamp)
    if date is not None:
        return f"{format_date(date)}T00:00:00Z"
    return FALLBACK_MODIFIED


def _utc(stamp: dt.datetime) -> str:
    return f"{stamp.year:04d}-{stamp:%m-%dT%H:%M:%S}Z"


def _given_time(modified: str) -> str:
    if modified == "now":
        return _utc(dt.datetime.now(dt.UTC))
    try:
        if _DAY.fullmatch(modified):
            return f"{format_date(parse_date(modified))}T00:00:00Z"
        if _TIME.fullmatch(modified):
            return _utc(dt.datetime.fromisoformat(modified.removesuffix("Z")))
    except ValueError as err:
        raise WriteError(f"modified={modified!r}: {err}") from err
    raise WriteError(
        f"modified={modified!r}: expected now, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)"
    )


def _cover_image(cover: bytes) -> tuple[str, str]:
    """Return the file name and media type of a given cover image.

    Raises:
        WriteError: ``cover`` is neither a PNG nor a JPEG image.
    """
    if cover.startswith(b"\x89PNG\r\n\x1a\n"):
        return "cover.png", "image/png"
    if cover.startswith(b"\xff\xd8\xff"):
        return "cover.jpg", "image/jpeg"
    raise WriteError("the cover must be a PNG or a JPEG image")


class _Stamp:
    """Stands in for the datetime ebooklib formats as ``dcterms:modified``.

    ebooklib calls ``strftime("%Y-%m-%dT%H:%M:%SZ")``, which C libraries render without
    leading zeros for years before 1000; the value is computed here instead.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def strftime(self, fmt: str) -> str:
        return self.text


def _accessibility(book: Any, options: Options) -> None:
    meta = [
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "visual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "displayTransformability"),
        ("schema:accessibilityHazard", "none"),
    ]
    # An evaluation is recorded only when the publisher says one was made.
    if options.conforms_to is not None:
        meta.append(("dcterms:conformsTo", options.conforms_to))
    if options.certified_by is not None:
        meta.append(("a11y:certifiedBy", options.certified_by))
    for prop, value in meta:
        book.add_metadata(None, "meta", value, {"property": prop})
    summary = {
        "property": "schema:accessibilitySummary",
        "{http://www.w3.org/XML/1998/namespace}lang": "en",
    }
    book.add_metadata(None, "meta", ACCESSIBILITY_SUMMARY, summary)


@attrs.frozen(kw_only=True)
class Options:
    """The writer's options (see ``digestkit.formats.epub.write``, the one home of their
    defaults)."""

    modified: str | None
    cover: bytes | None
    default_title: str | None
    conforms_to: str | None
    certified_by: str | None
    max_document_bytes: int
    max_book_bytes: int


def _book(digest: Digest, options: Options) -> Any:
    from ebooklib import epub

    meta = digest.metadata
    if meta.title is not None:
        title = meta.title
    elif options.default_title:
        title = options.default_title
    else:
        title = default_title(meta.date)
    book = epub.EpubBook()
    book.FOLDER_NAME = FOLDER
    # ebooklib stamps its own version into every package; the bytes must not depend on it.
    book.metadata[epub.NAMESPACES["OPF"]].pop("generator", None)
    # Each metadata field is a Dublin Core element (see _layout); the identifier and the
    # title always exist, and ebooklib sets them itself.
    strings = metadata_to_strings(meta)
    identifier = strings.pop("identifier", None) or derive_identifier(meta, title)
    book.set_identifier(identifier)
    book.set_title(title)
    strings.pop("title", None)
    book.set_language(strings.pop("language"))
    for name, value in strings.items():
        book.add_metadata("DC", DC_ELEMENTS.get(name, name), value)
    pages = [
        article_pages(article, meta.language, options.max_document_bytes)
        for article in digest.articles
    ]
    layout = SPLIT_LAYOUT_VERSION if any(len(parts) > 1 for parts in pages) else LAYOUT_VERSION
    book.add_prefix(VOCAB_PREFIX, VOCAB_URI)
    book.add_metadata(None, "meta", layout, {"property": f"{VOCAB_PREFIX}:layout"})
    if meta.title is None:
        book.add_metadata(None, "meta", "true", {"property": f"{VOCAB_PREFIX}:default-title"})
    _accessibility(book, options)
    book.set_direction(direction(meta.language))

    xhtml = "application/xhtml+xml"
    book.add_item(epub.EpubItem("style", "style.css", "text/css", STYLESHEET.encode("utf-8")))
    if options.cover is None:
        cover = epub.EpubItem("cover", "cover.svg", "image/svg+xml", cover_svg(meta, title))
    else:
        name, media_type = _cover_image(options.cover)
        cover = epub.EpubItem("cover", name, media_type, options.cover)
    cover.properties = ["cover-image"]
    book.add_item(cover)
    # EPUB 2 reading systems find the cover through this meta.
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover"})
    front = epub.EpubItem(
        "cover-page", "cover.xhtml", xhtml, cover_page(meta, title, cover.file_name)
    )
    book.add_item(front)
    first = epub.EpubItem("title-page", "title.xhtml", xhtml, title_page(meta, title))
    nav = epub.EpubItem("nav", NAV_NAME, xhtml, contents_page(digest, title))
    nav.properties = ["nav"]
    book.add_item(first)
    book.add_item(nav)
    book.add_item(epub.EpubItem("ncx", "toc.ncx", _NCX_TYPE, ncx(digest, title, identifier)))
    spine: list[Any] = [front, first, nav]
    for index, parts in enumerate(pages, start=1):
        for part, page in enumerate(parts, start=1):
            name = article_name(index, part)
            item = epub.EpubItem(name.removesuffix(".xhtml"), name, xhtml, page)
            book.add_item(item)
            spine.append(item)
    book.spine = spine
    return book


def _check_sizes(book: Any, data: bytes, options: Options) -> None:
    """Warn, once for the documents and once for the archive, about what Kindle would refuse.

    What is over a limit here could not be split without changing the digest: a paragraph
    (or a headline and lead) too big for a document of its own, the contents page of very
    many articles (EPUB has one navigation document), or the archive itself.
    """
    limit = options.max_document_bytes
    over = sorted(
        (len(item.content), f"{FOLDER}/{item.file_name}")
        for item in book.items
        if item.media_type == "application/xhtml+xml" and len(item.content) > limit
    )
    if over:
        named = ", ".join(f"{name} ({size:,} bytes)" for size, name in reversed(over[-3:]))
        more = f" and {len(over) - 3} more" if len(over) > 3 else ""
        warnings.warn(
            WriteWarning(
                f"{len(over)} document{'s' if len(over) > 1 else ''} over {limit:,} bytes, "
                "which Send-to-Kindle refuses (a paragraph, or the contents, too big to "
                f"split): {named}{more}"
            ),
            stacklevel=3,
        )
    if len(data) > options.max_book_bytes:
        warnings.warn(
            WriteWarning(
                f"the book is {len(data):,} bytes, over the {options.max_book_bytes:,} "
                "Send-to-Kindle takes"
            ),
            stacklevel=3,
        )


@functools.cache
def _writer_class() -> Any:
    from ebooklib import epub

    class Writer(epub.EpubWriter):  # type: ignore[misc]  # ebooklib has no type hints
        """ebooklib's writer, with the package element and the archive digestkit needs.

        The ``<package>`` carries the book's language and direction (DAISY Ace's
        ``epub-lang``) and declares only the prefixes used (no ``rendition:``); members go
        into a ``_FixedZip``.
        """

        def _write_opf(self) -> None:
            from lxml import etree

            root = etree.Element(
                "package",
                {
                    "xmlns": epub.NAMESPACES["OPF"],
                    "unique-identifier": self.book.IDENTIFIER_ID,
                    "version": "3.0",
                    "prefix": " ".join(self.book.prefixes),
                    "{http://www.w3.org/XML/1998/namespace}lang": self.book.language,
                    "dir": self.book.direction,
                },
            )
            self._write_opf_metadata(root)
            self._write_opf_spine(root, self._write_opf_manifest(root))
            self._write_opf_file(root)

        def write(self) -> None:
            self.out = _FixedZip(self.file_name)
            try:
                self.out.writestr("mimetype", "application/epub+zip")
                self._write_container()
                self._write_opf()
                self._write_items()
            except BaseException:
                self.out.abandon()
                raise
            self.out.close()

    return Writer


class _FixedZip:
    """A zip archive whose members all get the same timestamp, attributes and compression.

    Stands in for the ``zipfile.ZipFile`` ebooklib writes to, so that the same digest gives
    the same bytes on every run and machine, in one deflate pass.
    """

    def __init__(self, file: IO[bytes]) -> None:
        self._zip = zipfile.ZipFile(file, "w")

    def writestr(self, name: str, data: str | bytes, compress_type: int | None = None) -> None:
        fixed = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
        fixed.create_system = 3  # Unix, whatever the machine writing it
        fixed.external_attr = 0o100644 << 16
        stored = name == "mimetype"  # EPUB asks for it first and uncompressed
        fixed.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        self._zip.writestr(fixed, data, compresslevel=None if stored else 6)

    def close(self) -> None:
        self._zip.close()

    def abandon(self) -> None:
        """Let go of an archive whose writing failed, raising nothing, now or when collected.

        An exception (a signal's) can leave a member's handle open, and zipfile then refuses
        to close the archive: that error would replace the one being raised, and be printed
        again when the archive is collected. What was written is thrown away anyway.
        """
        with suppress(ValueError):  # "Can't close the ZIP file while there is an open ..."
            self._zip.close()
        self._zip.fp = None  # zipfile's mark of a closed archive


def write(digest: Digest, /, options: Options) -> bytes:
    """Write a digest as an EPUB 3 publication (the door, ``digestkit.formats.epub.write``)."""
    modified = modified_time(digest.metadata.date, options.modified)
    try:
        from ebooklib import epub  # noqa: F401  # the dependency check, before any work
    except ImportError as err:
        raise MissingDependencyError("epub", err.name or "ebooklib", "writing EPUB") from err
    try:
        book = _book(digest, options)
        raw = io.BytesIO()
        writer = _writer_class()(
            raw,
            book,
            {
                "raise_exceptions": True,
                "mtime": _Stamp(modified),
                "epub3_pages": False,
            },
        )
        writer.process()
        writer.write()
        data = raw.getvalue()
    except DigestError:
        raise
    except Exception as err:
        raise WriteError(f"cannot write EPUB: {type(err).__name__}: {err}") from err
    _check_sizes(book, data, options)
    return data
