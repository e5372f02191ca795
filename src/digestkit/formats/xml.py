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
from digestkit.formats._xmlpos import syntax_error
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import Format, ReadContext

__all__ = ["FORMAT", "FORMAT_VERSION", "NAMESPACE", "read", "write"]

FORMAT_VERSION = 1
"""The version of the document shape this module writes, the last part of `NAMESPACE`."""
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


_CHUNK = 1 << 16
"""Bytes fed to the parser at a time: the vocabulary is checked after each feed."""
MAX_TEXT_BYTES = 10_000_000
"""libxml2's limit on one text node without ``huge_tree``; the reader lifts it (see below)."""


def _split(tag: str) -> tuple[str | None, str]:
    """Return the namespace (``None`` if none) and the local name of an lxml tag."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return None, tag


_CONTAINERS = frozenset({"digest", "metadata", "article"})


class _Open:
    """An element being parsed: its name, and the text of its children read so far."""

    __slots__ = ("children", "element", "lines", "name", "names", "texts")

    def __init__(self, name: str, element: Any) -> None:
        self.name = name
        self.element = element
        self.children = 0
        self.names: list[str] = []
        self.texts: list[str] = []
        self.lines: list[int | None] = []


class _Walker:
    """Checks the vocabulary as elements open and close, and builds the model as it goes.

    Comments and processing instructions never reach the tree (the parser drops them); each
    element's earlier siblings are deleted once read, so the tree never holds more than the
    open elements and their last children, whatever the input holds.
    """

    def __init__(self, context: ReadContext, data: bytes) -> None:
        self._context = context
        self._data = data
        self._stack: list[_Open] = []
        self._metadata: Metadata | None = None
        self._articles: list[Article] = []

    def fail(self, message: str, node: Any) -> ParseError:
        return self._context.error(message, _safexml.line_of(node))

    def name(self, element: Any) -> str:
        """Return the local name of an element of our namespace, or refuse it."""
        namespace, local = _split(element.tag)
        if namespace in _safexml.XINCLUDE:
            raise self.fail("XInclude is not allowed in a digest", element)
        if namespace != NAMESPACE:
            where = "no namespace" if namespace is None else f"namespace {namespace}"
            raise self.fail(f"unknown element <{local}> in {where} (expected {NAMESPACE})", element)
        if element.attrib:
            attribute = next(iter(element.attrib))
            raise self.fail(f"<{local}> takes no attributes, found {attribute!r}", element)
        return local

    def _text_between(self, parent: _Open, element: Any) -> None:
        """Refuse text in element-only content: before ``element``, or before the end."""
        if element is None:
            last = parent.element[-1] if len(parent.element) else None
        else:
            last = element.getprevious()
        if last is None:
            text = parent.element.text
            if text and text.strip(_XML_SPACE):
                raise self.fail(f"text is not allowed directly in <{parent.name}>", parent.element)
        elif last.tail and last.tail.strip(_XML_SPACE):
            # lxml has no line for a tail: the element it follows is the nearest one.
            raise self.fail(
                f"text is not allowed directly in <{parent.name}> "
                f"(found after <{_split(last.tag)[1]}>)",
                last,
            )

    def _root(self, element: Any) -> str:
        docinfo = element.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
            raise self._context.error(
                "a DOCTYPE is not allowed in a digest (DTDs and entities are refused for safety)",
                _safexml.doctype_line(self._data),
            )
        namespace, local = _split(element.tag)
        newer = _NAMESPACE_FAMILY.match(namespace or "")
        # Compared as digits: int() of thousands of digits would raise, not compare.
        version = newer.group(1).lstrip("0") if newer else ""
        if len(version) > len(str(FORMAT_VERSION)) or (version and int(version) > FORMAT_VERSION):
            shown = version if len(version) <= 20 else version[:20] + "..."
            raise self.fail(
                f"XML format version {shown} (urn:digestkit:digest:{shown}) is newer than this "
                f"digestkit reads (up to {FORMAT_VERSION}): upgrade digestkit",
                element,
            )
        if self.name(element) != "digest":
            raise self.fail(f"expected the root element <digest>, found <{local}>", element)
        return "digest"

    def _child(self, parent: _Open, name: str, element: Any) -> None:
        """Refuse ``element`` where the vocabulary does not allow it in ``parent``."""
        index = parent.children
        if parent.name not in _CONTAINERS:
            raise self.fail(f"<{parent.name}> holds text only, found <{name}> inside", element)
        if parent.name == "digest":
            if index == 0 and name != "metadata":
                raise self.fail("<digest> must begin with <metadata>", element)
            if index > 0 and name != "article":
                raise self.fail(f"unexpected <{name}> in <digest>: expected <article>", element)
        elif parent.name == "metadata":
            if name not in METADATA_FIELDS:
                raise self.fail(f"unknown element <{name}> in <metadata>", element)
            if parent.names and METADATA_FIELDS.index(name) <= METADATA_FIELDS.index(
                parent.names[-1]
            ):
                raise self.fail(
                    f"<{name}> repeated or out of order in <metadata> (order: "
                    + ", ".join(METADATA_FIELDS)
                    + ")",
                    element,
                )
        elif index == 0 and name != "headline":
            raise self.fail("<article> must begin with a <headline>", parent.element)
        elif index > 0 and name != ("lead" if index == 1 else "p"):
            expected = "<lead> or </article>" if index == 1 else "<p> or </article>"
            raise self.fail(f"unexpected <{name}> in <article>: expected {expected}", element)

    def start(self, element: Any) -> None:
        if not self._stack:
            self._stack.append(_Open(self._root(element), element))
            return
        parent = self._stack[-1]
        name = self.name(element)  # refuses XInclude and foreign elements by name
        self._child(parent, name, element)
        self._text_between(parent, element)
        # The earlier siblings are read: drop them, so the tree does not grow with the input.
        while element.getprevious() is not None:
            del parent.element[0]
        parent.children += 1
        parent.names.append(name)
        self._stack.append(_Open(name, element))

    def end(self, element: Any) -> None:
        done = self._stack.pop()
        if done.name in _CONTAINERS:
            self._text_between(done, None)
        if done.name == "article":
            self._articles.append(self._article(done))
            element.clear(keep_tail=True)
        elif done.name == "metadata":
            self._metadata = self._metadata_of(done)
        elif done.name == "digest":
            if not done.children:
                raise self.fail("<digest> must begin with <metadata>", element)
        else:
            parent = self._stack[-1]
            text = element.text or ""
            # xs:date collapses whitespace; the strings of xs:string types are kept as given.
            parent.texts.append(text.strip(_XML_SPACE) if done.name == "date" else text)
            parent.lines.append(element.sourceline)

    def _metadata_of(self, done: _Open) -> Metadata:
        strings = dict(zip(done.names, done.texts, strict=True))
        if "language" not in strings:
            raise self.fail("<metadata> has no <language>", done.element)
        try:
            return metadata_from_strings(strings)
        except ValidationError as err:
            line = done.lines[done.names.index(err.field)]
            raise self._context.error(f"<{err.field}>: {err.reason}", line) from err

    def _article(self, done: _Open) -> Article:
        texts = done.texts
        if not texts:
            raise self.fail("<article> must begin with a <headline>", done.element)
        try:
            return Article(texts[0], texts[1] if len(texts) > 1 else None, texts[2:])
        except ValidationError as err:
            if err.field.startswith("body["):
                index, label = int(err.field[5:-1]) + 2, "p"
            else:
                index, label = (1 if err.field == "lead" else 0), err.field
            raise self._context.error(f"<{label}>: {err.reason}", done.lines[index]) from err

    def digest(self) -> Digest:
        assert self._metadata is not None  # the end of <digest> checked it was read
        return Digest(self._articles, self._metadata)


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read an XML digest of format version 1, refusing DTDs, entities and XInclude.

    The document is parsed a chunk at a time and checked as its elements open, so input
    outside the vocabulary is refused as soon as it is met, and the tree never holds more than
    the element being read: memory follows the digest read, not the markup.

    Raises:
        ParseError: the data is not well-formed XML (line and column from the parser), has
            a DOCTYPE, or does not follow the vocabulary (line of the offending element).
    """
    etree = _safexml.etree_module()
    parser = _safexml.pull_parser()
    walker = _Walker(context, data)
    try:
        for start in range(0, max(len(data), 1), _CHUNK):
            parser.feed(data[start : start + _CHUNK])
            for event, element in parser.read_events():
                (walker.start if event == "start" else walker.end)(element)
        parser.close()
        for event, element in parser.read_events():
            (walker.start if event == "start" else walker.end)(element)
    except ParseError:
        raise
    except etree.XMLSyntaxError as err:
        line, column = syntax_error(etree, [data], err).position
        raise context.error(
            f"not well-formed XML: {syntax_error(etree, [data], err).msg}",
            line or None,
            column or None,
        ) from err
    except (etree.LxmlError, ValueError) as err:
        raise context.error(f"not readable XML: {err}") from err
    return walker.digest()


FORMAT = Format(
    name="xml",
    extensions=("xml",),
    media_type="application/xml",
    description="XML in digestkit's namespace urn:digestkit:digest:1 (XSD shipped)",
    reader=read,
    writer=write,
)
"""The XML format, published under the ``digestkit.formats`` entry point ``xml``."""
