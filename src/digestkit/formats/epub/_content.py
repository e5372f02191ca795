"""Reading EPUB XML safely, and reading articles out of XHTML content documents.

Documents digestkit wrote are read exactly (``own_document``); other documents on a
best-effort basis (``_foreign``), reporting each guess through the read context.
lxml is imported by the caller and handed in, so importing this module stays cheap.
"""

from __future__ import annotations

import html.entities
import re
from typing import Any

from digestkit.errors import ValidationError
from digestkit.formats._xmlpos import syntax_error
from digestkit.formats.epub._layout import CONTINUED, qname
from digestkit.formats.epub._zipsafe import SafeArchive, member_error
from digestkit.model import Article
from digestkit.registry import ReadContext

__all__ = [
    "HEADINGS",
    "PARAGRAPH",
    "XHTML",
    "body_of",
    "collapse_space",
    "element_text",
    "is_title_page",
    "make_article",
    "own_document",
    "parse_xml",
]

XHTML = qname("xhtml", "")
HEADINGS = frozenset(f"{XHTML}h{level}" for level in range(1, 7))
PARAGRAPH = f"{XHTML}p"
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
            allowed, and HTML's named entities with it; never in the container or the
            package document.

    Returns:
        The root element.

    Raises:
        ParseError: the member is missing, too big, not well-formed XML, or declares a DTD.
    """
    # Fed a chunk at a time, so a member is never held whole, and its elements are counted
    # as they are parsed against the archive's max_nodes. Comments and processing
    # instructions never reach the tree; huge_tree lifts libxml2's 10 MB limit on one text
    # node, which the writer's paragraphs may pass (the member's size is capped instead).
    parser = etree.XMLPullParser(
        events=("start",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
    )
    checked = False
    head = b""  # the first chunk: where a DOCTYPE's line is counted
    try:
        for chunk in archive.chunks(member):
            head = head or chunk
            parser.feed(chunk)
            events = parser.read_events()
            if not checked:
                for _, element in events:
                    # The DOCTYPE is known when the root opens: refused before the body.
                    _check_doctype(element, member, context, doctype, head)
                    archive.count_nodes(member, 1)
                    checked = True
                    break
            archive.count_nodes(member, sum(1 for _ in events))
        root = parser.close()
    except etree.XMLSyntaxError as err:
        found = syntax_error(etree, archive.chunks(member), err)
        line, column = found.position
        raise member_error(
            context, member, f"not well-formed XML: {found.msg}", line or None, column or None
        ) from err
    _check_doctype(root, member, context, doctype, head)
    entities = [node for node in root.iter() if isinstance(node, etree._Entity)]
    if entities and not doctype:
        raise member_error(context, member, "holds entity references: refused")
    for entity in entities:
        _replace_entity(entity, member, context)
    return root


def _check_doctype(
    element: Any, member: str, context: ReadContext, doctype: bool, head: bytes
) -> None:
    info = element.getroottree().docinfo
    subset = info.internalDTD
    if subset is not None and (any(subset.iterentities()) or any(subset.iterelements())):
        # lxml keeps no position for the DTD: count the lines before its declaration.
        at = head.find(b"<!DOCTYPE")
        line = head.count(b"\n", 0, at) + 1 if at >= 0 else None
        raise member_error(context, member, "declares entities or elements in a DTD: refused", line)
    if info.doctype and not doctype:
        raise member_error(context, member, f"has a DOCTYPE ({info.doctype}): refused")


def _replace_entity(entity: Any, member: str, context: ReadContext) -> None:
    """Put the character an HTML named entity stands for in place of its reference.

    An XHTML 1.1 document (EPUB 2) may use HTML's named entities (``&nbsp;``) through its
    DTD; the DTD is never loaded, so lxml keeps them as references, resolved here from the
    standard library's table of HTML's entities.

    Raises:
        ParseError: the name is not one of HTML's entities.
    """
    character = html.entities.html5.get(f"{entity.name};")
    if character is None:
        raise member_error(
            context, member, f"unknown entity &{entity.name};: refused", entity.sourceline
        )
    text = character + (entity.tail or "")
    parent, previous = entity.getparent(), entity.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(entity)


def body_of(root: Any, member: str, context: ReadContext) -> Any:
    body = root.find(f"{XHTML}body")
    if root.tag != f"{XHTML}html" or body is None:
        raise member_error(context, member, "not an XHTML document (no html/body)")
    return body


def is_title_page(root: Any) -> bool:
    """Return whether an XHTML document is a title or cover page (by its ``epub:type``)."""
    attribute = qname("epub", "type")
    return any(
        not _FRONT.isdisjoint(element.get(attribute, "").split())
        for element in root.iter(f"{XHTML}*")
    )


def make_article(member: str, context: ReadContext, *fields: Any) -> Article:
    try:
        return Article(*fields)
    except ValidationError as err:
        raise member_error(context, member, f"not a valid article: {err}") from err


def own_document(
    root: Any, member: str, context: ReadContext
) -> tuple[str | None, str | None, list[str]]:
    """Read a document of an article in digestkit's layout, exactly.

    Returns:
        The headline, the lead and the body paragraphs; for a continuation document
        (``CONTINUED``), no headline and no lead: its paragraphs follow those of the
        document before it, in the same article.

    Raises:
        ParseError: the document departs from the layout.
    """
    articles = body_of(root, member, context).findall(f"{XHTML}article")
    if len(articles) != 1:
        raise member_error(context, member, f"expected one <article>, found {len(articles)}")
    children = list(articles[0])
    continued = articles[0].get("class") == CONTINUED
    if children and children[0].tag == f"{XHTML}header" and not continued:
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
    headline = lead = None
    if continued:
        if not children:
            raise member_error(context, member, "a continued article with no paragraph")
    elif not children or children[0].tag != f"{XHTML}h1":
        raise member_error(context, member, "an article must open with its <h1> headline")
    else:
        headline = children.pop(0).text or ""
        if children and children[0].get("class") == "lead":
            lead = children.pop(0).text or ""
    for child in children:
        if child.tag != PARAGRAPH or child.get("class") is not None:
            raise member_error(
                context, member, f"unexpected <{child.tag}> in an article", child.sourceline
            )
    return headline, lead, [child.text or "" for child in children]


def collapse_space(text: str) -> str:
    """Return ``text`` as HTML renders it: ASCII whitespace runs as one space, none at the ends."""
    return _HTML_SPACE.sub(" ", text).strip(" ")


def element_text(element: Any) -> str:
    """Return an element's text as HTML renders it (``collapse_space`` of all its text)."""
    return collapse_space("".join(element.itertext()))
