"""The HTML reader: digestkit's own pages back into digests, and nothing else.

A page is digestkit's when its head says ``<meta name="generator" content="digestkit">``; the
reader then takes the language from ``<html lang>``, the other metadata from the ``data-*``
attributes of ``<main>``, and each ``<article>`` of ``<main>``: the ``<h2>`` and the
paragraph of its ``<header>`` (headline and lead), then its paragraphs. Anything else in
``<main>`` is refused, with its line: the page was edited, and the reader does not guess.
Other HTML is refused with an error that says which format reads it.

lxml parses with the network off and no entity expansion beyond HTML's own references.
"""

from __future__ import annotations

from typing import Any

from digestkit._textio import decode
from digestkit.codec import METADATA_FIELDS, metadata_from_strings
from digestkit.errors import MissingDependencyError, ParseError, ValidationError
from digestkit.formats._safexml import line_of
from digestkit.formats.html._write import GENERATOR
from digestkit.model import Article, Digest
from digestkit.registry import ReadContext

__all__ = ["read"]

_SPACE = " \t\n\r\f"
_DOCTYPE = "<!DOCTYPE html>"


def _not_ours(context: ReadContext, why: str, line: int = 1) -> ParseError:
    return context.error(
        f"not a page digestkit wrote ({why}): the html format reads back only its own pages; "
        "convert other HTML to Markdown (for instance with pandoc) and read it with the "
        "markdown format",
        line,
    )


def _html() -> Any:
    try:
        from lxml import etree, html
    except ImportError as err:
        raise MissingDependencyError("html", err.name or "lxml", "reading HTML") from err
    return etree, html


class _Page:
    """Walks a parsed page digestkit wrote."""

    def __init__(self, context: ReadContext) -> None:
        self.context = context

    def fail(self, message: str, node: Any) -> ParseError:
        return self.context.error(message, line_of(node))

    def children(self, element: Any) -> list[Any]:
        """Return the child elements; refuse text between them (comments are dropped)."""
        if (element.text or "").strip(_SPACE):
            raise self.fail(f"text directly in <{element.tag}> is not expected", element)
        result = []
        for child in element:
            if isinstance(child.tag, str):
                result.append(child)
            if (child.tail or "").strip(_SPACE):
                raise self.fail(f"text directly in <{element.tag}> is not expected", child)
        return result

    def text(self, element: Any, tag: str) -> str:
        """Return the text of a text-only element of the expected tag."""
        if element.tag != tag:
            raise self.fail(f"expected <{tag}>, found <{element.tag}>", element)
        inner = [child for child in element if isinstance(child.tag, str)]
        if inner:
            raise self.fail(f"<{tag}> holds text only, found <{inner[0].tag}> inside", inner[0])
        return "".join(element.itertext())

    def article(self, element: Any) -> Article:
        if element.tag != "article":
            raise self.fail(f"expected <article> in <main>, found <{element.tag}>", element)
        parts = self.children(element)
        if not parts or parts[0].tag != "header":
            raise self.fail("an <article> begins with its <header>", element)
        header = self.children(parts[0])
        if not header or len(header) > 2:
            raise self.fail("an article's <header> holds its <h2> and its lead <p>", parts[0])
        texts = [self.text(header[0], "h2")]
        texts += [self.text(node, "p") for node in header[1:]]
        if len(texts) == 1 and len(parts) > 1:
            raise self.fail("body paragraphs without a lead in the article's <header>", parts[1])
        texts += [self.text(node, "p") for node in parts[1:]]
        try:
            return Article(texts[0], texts[1] if len(texts) > 1 else None, texts[2:])
        except ValidationError as err:
            raise self.fail(f"{err.field}: {err.reason}", element) from err

    def digest(self, root: Any) -> Digest:
        generators = root.xpath("/html/head/meta[@name='generator']/@content")
        if generators != [GENERATOR]:
            raise self.context.error(
                'not a page digestkit wrote (no <meta name="generator" '
                f'content="{GENERATOR}">): the html format reads back only its own pages; '
                "convert other HTML to Markdown (for instance with pandoc) and read it with "
                "the markdown format",
                1,
            )
        mains = root.xpath("/html/body/main")
        if len(mains) != 1:
            raise self.fail(f"expected one <main> in <body>, found {len(mains)}", root)
        (main,) = mains
        strings = {"language": root.get("lang")}
        for name, value in main.attrib.items():
            field = name.removeprefix("data-")
            if field == name or field not in METADATA_FIELDS or field == "language":
                raise self.fail(f"unexpected attribute {name!r} on <main>", main)
            strings[field] = value
        try:
            metadata = metadata_from_strings(strings)
        except ValidationError as err:
            raise self.fail(f"metadata {err.field}: {err.reason}", main) from err
        return Digest([self.article(node) for node in self.children(main)], metadata)


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read back a page the html format wrote.

    Raises:
        ParseError: undecodable input, HTML digestkit did not write (the error names the
            format to use instead), or a page whose articles were changed in shape.
    """
    text = decode(data, source=context.source, format=context.format)
    if not text.startswith(_DOCTYPE) or text[len(_DOCTYPE) : len(_DOCTYPE) + 1] not in "\r\n":
        # Also keeps out a DOCTYPE with an internal subset (entity declarations).
        raise _not_ours(context, "it does not begin with <!DOCTYPE html> on a line of its own")
    etree, html = _html()
    parser = html.HTMLParser(
        encoding="utf-8",
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        default_doctype=False,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.LxmlError, ValueError) as err:
        raise context.error(f"not readable HTML: {err}") from err
    if root is None or root.tag != "html":
        raise context.error("not an HTML page: no <html> element", 1)
    return _Page(context).digest(root)
