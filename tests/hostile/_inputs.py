"""Hostile inputs, generated in the test: each the shape of an item of issue 12, at a size.

Every builder takes a target size in bytes (or a count) and returns bytes, so that a test can
run the case small where the bound is linear in the size.
"""

from __future__ import annotations

import io
import zipfile

_XML_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<digest xmlns="urn:digestkit:digest:1">'
_METADATA = b"<metadata><language>en</language></metadata>"


def xml_foreign_elements(size: int) -> bytes:
    """A digest followed by ``size`` bytes of ``<x/>`` elements (issue 12, item 8)."""
    return _XML_HEAD + _METADATA + b"<x/>" * (size // 4) + b"</digest>"


def xml_headline_comments(size: int) -> bytes:
    """One article whose headline holds ``size`` bytes of empty comments (item 8)."""
    comments = b"<!---->" * (size // 7)
    article = b"<article><headline>a" + comments + b"b</headline></article>"
    return _XML_HEAD + _METADATA + article + b"</digest>"


def xml_tiny_paragraphs(size: int) -> bytes:
    """One valid article of ``size`` bytes of one-letter paragraphs."""
    paragraphs = b"<p>a</p>" * (size // 8)
    article = b"<article><headline>h</headline><lead>a</lead>" + paragraphs + b"</article>"
    return _XML_HEAD + _METADATA + article + b"</digest>"


def text_tiny_paragraphs(size: int) -> bytes:
    """One article of ``size`` bytes of one-letter paragraphs (item 8)."""
    return b"Headline\n\n" + b"a\n\n" * (size // 3) + b"Keep reading\n"


def text_articles(size: int) -> bytes:
    """About ``size`` bytes of ordinary articles: a headline, three paragraphs, a marker."""
    article = (
        b"A headline of a few words\n\n"
        + b"A paragraph of a few words, as a digest's paragraphs are.\n\n" * 3
        + b"Keep reading\n\n"
    )
    return article * max(size // len(article), 1)


def text_fault_at_end(size: int) -> bytes:
    """``size`` line feeds and then a control character (item 5)."""
    return b"\n" * size + b"\x01"


def json_fault_at_end(size: int) -> bytes:
    """A JSON document of ``size`` bytes of empty arrays where articles belong (item 5)."""
    head = b'{"format_version": 1, "metadata": {"language": "en"}, "articles": ['
    return head + b"[]," * (size // 3) + b"[]]}"


def json_deep(depth: int) -> bytes:
    """A JSON document nesting ``depth`` arrays inside the articles (item 12)."""
    head = b'{"format_version": 1,\n"metadata": {"language": "en"},\n"articles": '
    return head + b"[" * depth + b"]" * depth + b"}"


def json_long_integer(digits: int) -> bytes:
    """A JSON document whose format version has ``digits`` digits (item 12)."""
    return b'{"metadata": {"language": "en"},\n  "format_version": ' + b"9" * digits + b"}"


def long_line(size: int) -> bytes:
    """A text digest whose one paragraph is a line of ``size`` bytes (item 7)."""
    return b"Headline\n\n" + b"a" * size + b"\n\nKeep reading\n"


# --- EPUB -------------------------------------------------------------------------------------

_CONTAINER = (
    b'<?xml version="1.0"?><container version="1.0" '
    b'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    b'<rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
    b"</rootfiles></container>"
)


def _package(spine: bytes, manifest: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        b'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b'<dc:identifier id="id">x</dc:identifier><dc:title>t</dc:title>'
        b"<dc:language>en</dc:language></metadata><manifest>"
        b'<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>'
        + manifest
        + b"</manifest><spine>"
        + spine
        + b"</spine></package>"
    )


def _xhtml(body: bytes) -> bytes:
    return (
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>t'
        b"</title></head><body><h1>Headline</h1>" + body + b"</body></html>"
    )


def epub(
    members: dict[str, bytes],
    *,
    spine: bytes = b'<itemref idref="c"/>',
    method: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """An EPUB archive holding ``members`` besides the container and the package."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", b"application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", _CONTAINER, zipfile.ZIP_DEFLATED)
        archive.writestr("content.opf", _package(spine), zipfile.ZIP_DEFLATED)
        for name, data in members.items():
            archive.writestr(name, data, method)
    return out.getvalue()


def epub_tiny_paragraphs(decompressed: int) -> bytes:
    """An EPUB with one document of ``decompressed`` bytes of ``<p>a</p>`` (item 4)."""
    return epub({"c.xhtml": _xhtml(b"<p>a</p>" * (decompressed // 8))})


def epub_comments(decompressed: int) -> bytes:
    """An EPUB with one document of ``decompressed`` bytes of comments (item 4)."""
    return epub({"c.xhtml": _xhtml(b"<p>a</p>" + b"<!---->" * (decompressed // 7))})


def epub_repeated_spine(count: int) -> bytes:
    """An EPUB whose spine names its one document ``count`` times (item 4)."""
    return epub({"c.xhtml": _xhtml(b"<p>a</p>")}, spine=b'<itemref idref="c"/>' * count)


def epub_method(method: int) -> bytes:
    """A small EPUB whose content document is compressed with ``method`` (item 4)."""
    return epub({"c.xhtml": _xhtml(b"<p>a</p>")}, method=method)


# --- Markdown ---------------------------------------------------------------------------------

_MARKDOWN_HEAD = b"## Headline\n\n"


def markdown_paragraph(size: int, unit: bytes, *, before: bytes = b"", after: bytes = b"") -> bytes:
    """An article whose lead is ``before``, ``unit`` repeated to about ``size`` bytes, ``after``."""
    count = (size - len(before) - len(after)) // len(unit)
    return _MARKDOWN_HEAD + before + unit * count + after
