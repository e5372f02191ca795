"""Parsing untrusted XML safely: the one set of parser settings every XML-based reader uses.

The parser fetches nothing and expands nothing: no entity resolution, no network, no DTD
loading, no huge trees (libxml2's limits on depth and text size stay on). A DOCTYPE — and
with it every entity declaration and external DTD — is refused, and so is any XInclude
element, wherever it is.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from digestkit.errors import MissingDependencyError

if TYPE_CHECKING:
    from lxml import etree

    from digestkit.registry import ReadContext

__all__ = ["XINCLUDE", "doctype_line", "etree_module", "line_of", "parse", "pull_parser"]

XINCLUDE = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
"""The XInclude namespaces (the recommendation's and the 2003 draft's)."""


def line_of(node: Any) -> int | None:
    """Return the 1-based line lxml recorded for an element, or ``None`` if it has none."""
    line = getattr(node, "sourceline", None)
    return line if isinstance(line, int) else None


def etree_module() -> ModuleType:
    """Return `lxml.etree`, or raise a
    [`MissingDependencyError`][digestkit.errors.MissingDependencyError] naming the extra."""
    try:
        from lxml import etree
    except ImportError as err:
        raise MissingDependencyError("xml", err.name or "lxml", "reading XML") from err
    return etree


def _parser() -> etree.XMLParser:
    parser: etree.XMLParser = etree_module().XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        attribute_defaults=False,
        collect_ids=False,
        remove_blank_text=False,
        strip_cdata=True,
    )
    return parser


def pull_parser() -> etree.XMLPullParser:
    """Return a pull parser with the same safety settings, for readers that check as they go.

    It reports ``start`` and ``end`` events and drops comments and processing instructions,
    so a reader can check its vocabulary as elements open and delete what it has read: the
    tree never holds the whole input. ``huge_tree`` lifts libxml2's 10 MB limit on one text
    node, so every paragraph a writer writes reads back; the input's size is bounded by the
    caller's ``max_bytes``, and the caller checks nesting as elements open.
    """
    parser: etree.XMLPullParser = etree_module().XMLPullParser(
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        attribute_defaults=False,
        collect_ids=False,
        remove_blank_text=False,
        remove_comments=True,
        remove_pis=True,
        strip_cdata=True,
    )
    return parser


def doctype_line(data: bytes) -> int | None:
    # lxml does not report where the DOCTYPE was; in an ASCII-compatible encoding the bytes
    # tell, and in another (UTF-16) the error simply has no line.
    index = data.find(b"<!DOCTYPE")
    return None if index < 0 else data.count(b"\n", 0, index) + 1


def parse(data: bytes, context: ReadContext) -> Any:
    """Parse ``data`` and return its root element, refusing DTDs, entities and XInclude.

    Raises:
        ParseError: the data is not well-formed XML (line and column from the parser), has
            a DOCTYPE, or holds an XInclude element (its line).
    """
    etree = etree_module()
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        line, column = err.position
        raise context.error(
            f"not well-formed XML: {err.msg}", line or None, column or None
        ) from err
    except (etree.LxmlError, ValueError) as err:
        raise context.error(f"not readable XML: {err}") from err
    if root is None:
        raise context.error("not well-formed XML: no root element")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise context.error(
            "a DOCTYPE is not allowed in a digest (DTDs and entities are refused for safety)",
            doctype_line(data),
        )
    for namespace in XINCLUDE:
        for element in root.iter(f"{{{namespace}}}*"):
            raise context.error("XInclude is not allowed in a digest", element.sourceline)
    return root
