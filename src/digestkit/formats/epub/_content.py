"""Reading EPUB XML safely, and reading articles out of XHTML content documents.

Documents digestkit wrote are read exactly (``own_article``); other documents on a
best-effort basis (``foreign_article``), reporting each guess through the read context.
lxml is imported by the caller and handed in, so importing this module stays cheap.
"""

from __future__ import annotations

import re
from typing import Any

from digestkit.errors import ValidationError
from digestkit.formats.epub._layout import qname
from digestkit.formats.epub._zipsafe import SafeArchive, member_error
from digestkit.model import Article
from digestkit.registry import ReadContext

__all__ = ["collapse_space", "foreign_article", "is_title_page", "own_article", "parse_xml"]

_XHTML = qname("xhtml", "")
_HEADINGS = frozenset(f"{_XHTML}h{level}" for level in range(1, 7))
_PARAGRAPH = f"{_XHTML}p"
_FRONT = frozenset({"titlepage", "cover"})
# HTML collapses runs of ASCII whitespace; no-break spaces are content and stay.
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def parse_xml(
    etree: Any, archive: SafeArchive, member: str, context: ReadContext, *, doctype: bool
) -> Any:
    """Parse one member as XML, refusing entity declarations and any DTD subset.

    Args:
        etree: the ``lxml.etree`` module.
        doctype: whether a DOCTYPE without an internal subset (``<!DOCTYPE html>``) is
            allowed; it never is in the container or the package document.

    Returns:
        The root element.

    Raises:
        ParseError: the member is missing, too big, not well-formed XML, or declares a DTD.
    """
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_pis=True,
    )
    raw = archive.read(member)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as err:
        line, column = err.position
        raise member_error(
            context, member, f"not well-formed XML: {err.msg}", line, column
        ) from err
    info = root.getroottree().docinfo
    subset = info.internalDTD
    if subset is not None and (any(subset.iterentities()) or any(subset.iterelements())):
        raise member_error(context, member, "declares entities or elements in a DTD: refused")
    if info.doctype and not doctype:
        raise member_error(context, member, f"has a DOCTYPE ({info.doctype}): refused")
    if any(isinstance(node, etree._Entity) for node in root.iter()):
        raise member_error(context, member, "holds entity references: refused")
    return root


def _body(root: Any, member: str, context: ReadContext) -> Any:
    body = root.find(f"{_XHTML}body")
    if root.tag != f"{_XHTML}html" or body is None:
        raise member_error(context, member, "not an XHTML document (no html/body)")
    return body


def is_title_page(root: Any) -> bool:
    """Return whether an XHTML document is a title or cover page (by its ``epub:type``)."""
    attribute = qname("epub", "type")
    return any(
        not _FRONT.isdisjoint(element.get(attribute, "").split())
        for element in root.iter(f"{_XHTML}*")
    )


def _make(member: str, context: ReadContext, *fields: Any) -> Article:
    try:
        return Article(*fields)
    except ValidationError as err:
        raise member_error(context, member, f"not a valid article: {err}") from err


def own_article(root: Any, member: str, context: ReadContext) -> Article:
    """Read an article document in digestkit's layout, exactly.

    Raises:
        ParseError: the document departs from the layout.
    """
    articles = _body(root, member, context).findall(f"{_XHTML}article")
    if len(articles) != 1:
        raise member_error(context, member, f"expected one <article>, found {len(articles)}")
    children = list(articles[0])
    if children and children[0].tag == f"{_XHTML}header":
        # Layout 2: the headline and the lead in the article's <header>.
        header = children.pop(0)
        if (header.text or "").strip() or (header.tail or "").strip():
            raise member_error(context, member, "text outside the headline and lead")
        children[:0] = list(header)
    for child in children:
        if len(child) or not isinstance(child.tag, str):
            raise member_error(
                context, member, "unexpected markup inside an article", child.sourceline
            )
    if not children or children[0].tag != f"{_XHTML}h1":
        raise member_error(context, member, "an article must open with its <h1> headline")
    headline = children[0].text or ""
    rest = children[1:]
    lead = None
    if rest and rest[0].get("class") == "lead":
        lead = rest.pop(0).text or ""
    for child in rest:
        if child.tag != _PARAGRAPH or child.get("class") is not None:
            raise member_error(
                context, member, f"unexpected <{child.tag}> in an article", child.sourceline
            )
    return _make(member, context, headline, lead, [child.text or "" for child in rest])


def collapse_space(text: str) -> str:
    """Return ``text`` as HTML renders it: ASCII whitespace runs as one space, none at the ends."""
    return _HTML_SPACE.sub(" ", text).strip(" ")


def _text(element: Any) -> str:
    return collapse_space("".join(element.itertext()))


def foreign_article(root: Any, member: str, context: ReadContext) -> Article | None:
    """Read a document digestkit did not write: first heading, then its paragraphs.

    Returns:
        The article, or ``None`` for a document without a heading or any paragraph.
    """
    body = _body(root, member, context)
    where = f"{context.source}!/{member}"
    headings = [e for e in body.iter(*_HEADINGS) if _text(e)]
    paragraphs = [text for e in body.iter(_PARAGRAPH) if (text := _text(e))]
    if not headings:
        title = root.find(f"{_XHTML}head/{_XHTML}title")
        headline = "" if title is None else _text(title)
        if not headline or not paragraphs:
            context.warn(f"{where}: no heading and no title with paragraphs: skipped")
            return None
        context.warn(f"{where}: no heading; its <title> is taken as the headline")
    else:
        headline = _text(headings[0])
        if len(headings) > 1:
            context.warn(
                f"{where}: {len(headings)} headings; read as one article headed by the first",
                headings[1].sourceline,
            )
    if not paragraphs:
        context.warn(f"{where}: no <p> paragraphs: read as a headline-only article")
    lead = paragraphs[0] if paragraphs else None
    return _make(member, context, headline, lead, paragraphs[1:])
