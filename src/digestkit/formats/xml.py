"""The XML format: digestkit's own namespaced vocabulary, described by ``schemas/digest.xsd``.

::

    <?xml version="1.0" encoding="UTF-8"?>
    <digest xmlns="urn:digestkit:digest:1">
      <metadata>
        <title>...</title>
        <language>en</language>
      </metadata>
      <article>
        <headline>...</headline>
        <lead>...</lead>
        <p>...</p>
      </article>
    </digest>

The format version is the last part of the namespace name. The writer builds the document
itself, so text nodes are written exactly as they are (indentation goes only between
elements) and the same digest always gives the same bytes; lxml is needed only to read.

The reader refuses what could make a parser fetch or expand anything: a DOCTYPE (and with
it every entity declaration and external DTD), XInclude elements. Comments and processing
instructions are ignored wherever they are; elements outside the vocabulary, attributes, and
text between elements are refused, with the line number.
"""

from __future__ import annotations

import re
from typing import Any

from digestkit.codec import METADATA_FIELDS, metadata_from_strings, metadata_to_strings
from digestkit.errors import OptionError, ParseError, ValidationError
from digestkit.formats import _safexml
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import Format, ReadContext

__all__ = ["FORMAT", "FORMAT_VERSION", "NAMESPACE", "read", "write"]

FORMAT_VERSION = 1
"""The version of the document shape this module writes, the last part of :data:`NAMESPACE`."""
NAMESPACE = f"urn:digestkit:digest:{FORMAT_VERSION}"
"""The namespace name of every element of the vocabulary."""

_NAMESPACE_FAMILY = re.compile(r"urn:digestkit:digest:([0-9]+)\Z")
_XML_SPACE = " \t\r\n"


# --- writing --------------------------------------------------------------------------------


def _element(name: str, text: str) -> str:
    # The model refuses every character XML 1.0 cannot carry, so escaping the three markup
    # characters is all it takes; TABs and edge NO-BREAK SPACEs are written as they are.
    # str.replace is an order of magnitude faster than str.translate with a mapping.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<{name}>{escaped}</{name}>"


def write(digest: Digest, *, indent: int | None = 2) -> bytes:
    """Write a digest as XML, UTF-8 with an XML declaration, ending with a newline.

    Args:
        digest: the digest to write.
        indent: spaces per level between elements (default 2); ``None`` writes the elements
            on one line. Text content is never touched either way.

    Raises:
        OptionError: ``indent`` is not a non-negative integer or ``None``.
    """
    if indent is not None and (type(indent) is not int or indent < 0):
        raise OptionError(f"indent must be a non-negative integer or None, found {indent!r}")
    step = "" if indent is None else " " * indent
    newline = "" if indent is None else "\n"
    out: list[str] = []

    def emit(depth: int, markup: str) -> None:
        out.append(step * depth + markup + newline)

    emit(0, f'<digest xmlns="{NAMESPACE}">')
    emit(1, "<metadata>")
    for name, value in metadata_to_strings(digest.metadata).items():
        emit(2, _element(name, value))
    emit(1, "</metadata>")
    for article in digest.articles:
        emit(1, "<article>")
        emit(2, _element("headline", article.headline))
        if article.lead is not None:
            emit(2, _element("lead", article.lead))
        for paragraph in article.body:
            emit(2, _element("p", paragraph))
        emit(1, "</article>")
    emit(0, "</digest>")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(out)
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


# --- reading --------------------------------------------------------------------------------


def _split(tag: str) -> tuple[str | None, str]:
    """Return the namespace (``None`` if none) and the local name of an lxml tag."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return None, tag


class _Walker:
    """Checks the element tree against the vocabulary and builds the model from it."""

    def __init__(self, context: ReadContext) -> None:
        self._context = context

    def fail(self, message: str, node: Any) -> ParseError:
        line = getattr(node, "sourceline", None)
        return self._context.error(message, line if isinstance(line, int) else None)

    def name(self, element: Any) -> str:
        """Return the local name of an element of our namespace, or refuse it."""
        namespace, local = _split(element.tag)
        if namespace != NAMESPACE:
            where = "no namespace" if namespace is None else f"namespace {namespace}"
            raise self.fail(f"unknown element <{local}> in {where} (expected {NAMESPACE})", element)
        if element.attrib:
            attribute = next(iter(element.attrib))
            raise self.fail(f"<{local}> takes no attributes, found {attribute!r}", element)
        return local

    def children(self, element: Any, label: str) -> list[tuple[str, Any]]:
        """Return the (name, element) children of element-only content; refuse any text."""
        if element.text and element.text.strip(_XML_SPACE):
            raise self.fail(f"text is not allowed directly in <{label}>", element)
        result = []
        for child in element:
            if isinstance(child.tag, str):
                result.append((self.name(child), child))
            if child.tail and child.tail.strip(_XML_SPACE):
                # lxml has no line for a tail: the element it follows is the nearest one.
                after = f"<{_split(child.tag)[1]}>" if isinstance(child.tag, str) else "a comment"
                raise self.fail(
                    f"text is not allowed directly in <{label}> (found after {after})", child
                )
        return result

    def text(self, element: Any, label: str) -> str:
        """Return the text of a text-only element; comments and PIs within are skipped."""
        pieces = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str):
                name = self.name(child)  # refuses XInclude and foreign elements by name
                raise self.fail(f"<{label}> holds text only, found <{name}> inside", child)
            pieces.append(child.tail or "")
        return "".join(pieces)

    def metadata(self, element: Any) -> Metadata:
        strings: dict[str, str] = {}
        elements: dict[str, Any] = {}
        position = 0
        for name, child in self.children(element, "metadata"):
            if name not in METADATA_FIELDS:
                raise self.fail(f"unknown element <{name}> in <metadata>", child)
            index = METADATA_FIELDS.index(name)
            if index < position:
                raise self.fail(
                    f"<{name}> repeated or out of order in <metadata> (order: "
                    + ", ".join(METADATA_FIELDS)
                    + ")",
                    child,
                )
            position = index + 1
            text = self.text(child, name)
            # xs:date collapses whitespace; the strings of xs:string types are kept as given.
            strings[name] = text.strip(_XML_SPACE) if name == "date" else text
            elements[name] = child
        if "language" not in strings:
            raise self.fail("<metadata> has no <language>", element)
        try:
            return metadata_from_strings(strings)
        except ValidationError as err:
            raise self.fail(f"<{err.field}>: {err.reason}", elements[err.field]) from err

    def article(self, element: Any) -> Article:
        children = self.children(element, "article")
        names = [name for name, _ in children]
        if not names or names[0] != "headline":
            raise self.fail("<article> must begin with a <headline>", element)
        for index, (name, child) in enumerate(children[1:], 1):
            allowed = ("lead",) if index == 1 else ("p",)
            if name not in allowed:
                expected = "<lead> or </article>" if index == 1 else "<p> or </article>"
                raise self.fail(f"unexpected <{name}> in <article>: expected {expected}", child)
        texts = [self.text(child, name) for name, child in children]
        try:
            return Article(texts[0], texts[1] if len(texts) > 1 else None, texts[2:])
        except ValidationError as err:
            if err.field.startswith("body["):
                index, label = int(err.field[5:-1]) + 2, "p"
            else:
                index, label = (1 if err.field == "lead" else 0), err.field
            raise self.fail(f"<{label}>: {err.reason}", children[index][1]) from err

    def digest(self, root: Any) -> Digest:
        namespace, local = _split(root.tag)
        newer = _NAMESPACE_FAMILY.match(namespace or "")
        if newer and int(newer.group(1)) > FORMAT_VERSION:
            raise self.fail(
                f"XML format version {newer.group(1)} ({namespace}) is newer than this "
                f"digestkit reads (up to {FORMAT_VERSION}): upgrade digestkit",
                root,
            )
        if self.name(root) != "digest":
            raise self.fail(f"expected the root element <digest>, found <{local}>", root)
        children = self.children(root, "digest")
        if not children or children[0][0] != "metadata":
            where = children[0][1] if children else root
            raise self.fail("<digest> must begin with <metadata>", where)
        metadata = self.metadata(children[0][1])
        articles = []
        for name, child in children[1:]:
            if name != "article":
                raise self.fail(f"unexpected <{name}> in <digest>: expected <article>", child)
            articles.append(self.article(child))
        return Digest(articles, metadata)


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read an XML digest of format version 1, refusing DTDs, entities and XInclude.

    Raises:
        ParseError: the data is not well-formed XML (line and column from the parser), has
            a DOCTYPE, or does not follow the vocabulary (line of the offending element).
    """
    root = _safexml.parse(data, context)
    return _Walker(context).digest(root)


FORMAT = Format(
    name="xml",
    extensions=("xml",),
    media_type="application/xml",
    description="XML in digestkit's namespace urn:digestkit:digest:1 (XSD shipped)",
    reader=read,
    writer=write,
)
"""The XML format, published under the ``digestkit.formats`` entry point ``xml``."""
